import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { devServerCommand } from '../../src/core/devServer/cli';
import { parseProject } from '../../src/core/devServer/project';
import { ReloadDetector } from '../../src/core/devServer/reload';

// Lines as the CLIs printed them on a change to a copy of the fixture (colours removed).
const JS_LOG = [
  'info:    ▪ Server running at 127.0.0.1:18731',
  '6:01:09 AM [tsx] change in ./src/agent.ts Restarting...',
  'info:    ▪ Flushing to persistent storage, exiting...',
  'info:    ▪ Starting server...',
  "info:    ┗ [1] { graph_id: 'stream' }",
  'info:    ▪ Server running at 127.0.0.1:18731',
];
const PY_LOG = [
  '2026-12-02T06:03:40.417279Z [info     ] 1 change detected              [watchfiles.main] api_variant=local_dev',
  '2026-12-02T06:03:41.997192Z [warning  ] WatchFiles detected changes in \'src/agent.py\'. Reloading... [uvicorn.error] api_variant=local_dev',
  '2026-12-02T06:03:42.561246Z [info     ] 21 changes detected            [watchfiles.main] api_variant=local_dev',
  '2026-12-02T06:03:46.497193Z [info     ] Application started up in 1.103s [langgraph_api.timing.timer] api_variant=local_dev',
];

describe('dev server: reloads read from the log', () => {
  it('Start leaves reloading on (no --no-reload) for both CLIs', () => {
    const config = path.resolve('/ws/app/langgraph.json');
    for (const text of ['{ "node_version": "20", "graphs": { "a": "./a.ts:g" } }', '{ "graphs": { "a": "./a.py:g" } }']) {
      const cmd = devServerCommand(parseProject(config, text, () => true), 1, { pathVariable: '/bin', isFile: () => true, platform: 'linux' })!;
      assert.ok(cmd.args.includes('dev') && !cmd.args.includes('--no-reload'), cmd.args.join(' '));
    }
  });

  it('JS: the first "Server running" is the start, not a reload; tsx\'s restart line begins one and the next "Server running" ends it', () => {
    const d = new ReloadDetector('js');
    const steps = JS_LOG.map((line, i) => d.line(line, 1000 + i));
    assert.deepEqual(steps, [
      undefined,
      { kind: 'reloading', at: 1001, files: './src/agent.ts' },
      undefined,
      undefined,
      undefined,
      { kind: 'reloaded', startedAt: 1001, files: './src/agent.ts' },
    ]);
  });

  it('JS: the CLI restarting on a langgraph.json change, and several changes before it is back, count as one reload', () => {
    const d = new ReloadDetector('js');
    assert.deepEqual(d.line('warn:    ▪ Detected changes in langgraph.json, restarting server', 5), { kind: 'reloading', at: 5, files: 'langgraph.json' });
    assert.equal(d.line('6:01:10 AM [tsx] change in ./src/slow.ts Rerunning...', 6), undefined);
    assert.deepEqual(d.line('info:    ▪ Server running at 127.0.0.1:1', 7), { kind: 'reloaded', startedAt: 5, files: 'langgraph.json, ./src/slow.ts' });
  });

  it('Python: watchfiles\' "detected changes … Reloading" begins it (not its "N changes detected"), "Application started up" ends it', () => {
    const d = new ReloadDetector('python');
    assert.deepEqual(
      PY_LOG.map((line, i) => d.line(line, i)),
      [undefined, { kind: 'reloading', at: 1, files: "'src/agent.py'" }, undefined, { kind: 'reloaded', startedAt: 1, files: "'src/agent.py'" }],
    );
    assert.equal(new ReloadDetector('python').line(PY_LOG[3]!), undefined, 'the first start-up is no reload');
    assert.equal(new ReloadDetector('js').line(PY_LOG[1]!), undefined, 'each reads its own server\'s lines');
  });
});
