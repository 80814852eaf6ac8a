import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { devServerCommand, devServerEnv, missingCliMessage } from '../../src/core/devServer/cli';
import { parseProject } from '../../src/core/devServer/project';

const ROOT = path.resolve('/ws');
const CONFIG = path.join(ROOT, 'app', 'langgraph.json');

describe('dev server: langgraph.json and the CLI', () => {
  it('reads the graphs and the language (JS by node_version or .ts paths, else Python)', () => {
    const js = parseProject(CONFIG, '{ "node_version": "20", "graphs": { "agent": "./src/agent.js:graph" } }', () => true);
    assert.equal(js.language, 'js');
    assert.deepEqual(js.graphs, [{ id: 'agent', file: path.join(ROOT, 'app/src/agent.js'), spec: './src/agent.js:graph' }]);
    assert.equal(js.name, 'app');
    assert.deepEqual(js.problems, []);
    assert.equal(parseProject(CONFIG, '{ "graphs": { "a": "./a.mts:g" } }', () => true).language, 'js');
    const py = parseProject(CONFIG, '{\n  // comments are fine\n  "graphs": { "agent": { "path": "./src/agent.py:graph" } }\n}', () => true);
    assert.equal(py.language, 'python');
    assert.equal(py.graphs[0]!.file, path.join(ROOT, 'app/src/agent.py'));
  });

  it('puts each problem at its line: bad JSON, no graphs, a graph file that does not exist', () => {
    const bad = parseProject(CONFIG, '{\n  "graphs": {\n    "agent": "./a.py:g",,\n  }\n}', () => true);
    assert.equal(bad.problems[0]!.line, 2);
    assert.match(bad.problems[0]!.message, /not valid JSON/);
    const none = parseProject(CONFIG, '{ "python_version": "3.11" }', () => true);
    assert.match(none.problems[0]!.message, /no "graphs"/);
    const missing = parseProject(CONFIG, '{\n  "graphs": {\n    "ok": "./ok.py:g",\n    "gone": "./src/gone.py:graph"\n  }\n}', (f) => f.endsWith('ok.py'));
    assert.equal(missing.problems.length, 1);
    assert.deepEqual(
      { line: missing.problems[0]!.line, character: missing.problems[0]!.character, message: missing.problems[0]!.message },
      { line: 3, character: 12, message: `Graph "gone": ${path.join('src', 'gone.py')} does not exist.` },
    );
  });

  it('picks the CLI: the project’s node_modules (up to the workspace folder), npx, .venv, PATH; else none', () => {
    const js = parseProject(CONFIG, '{ "node_version": "20", "graphs": { "a": "./a.ts:g" } }', () => true);
    const hoisted = path.join(ROOT, 'node_modules/.bin/langgraphjs');
    const cmd = devServerCommand(js, 4567, { workspaceFolder: ROOT, pathVariable: '', isFile: (f) => f === hoisted, platform: 'linux' });
    assert.equal(cmd?.command, hoisted);
    assert.deepEqual(cmd?.args, ['dev', '--host', '127.0.0.1', '--port', '4567', '--no-browser']);
    assert.equal(cmd?.cwd, path.join(ROOT, 'app'));
    const npx = devServerCommand(js, 1, { pathVariable: '/usr/bin', isFile: (f) => f === '/usr/bin/npx', platform: 'linux' });
    assert.deepEqual(npx?.args.slice(0, 2), ['--no', '@langchain/langgraph-cli']);
    assert.equal(devServerCommand(js, 1, { pathVariable: '', isFile: () => false, platform: 'linux' }), undefined);

    const py = parseProject(CONFIG, '{ "graphs": { "a": "./a.py:g" } }', () => true);
    const venv = path.join(ROOT, '.venv/bin/langgraph');
    assert.equal(devServerCommand(py, 1, { workspaceFolder: ROOT, pathVariable: '', isFile: (f) => f === venv, platform: 'linux' })?.command, venv);
    assert.equal(devServerCommand(py, 1, { pathVariable: '/opt/bin', isFile: (f) => f === '/opt/bin/langgraph', platform: 'linux' })?.command, '/opt/bin/langgraph');
    assert.equal(devServerCommand(py, 1, { pathVariable: '/opt/bin', isFile: () => false, platform: 'linux' }), undefined);
    assert.match(missingCliMessage(py), /pip install -U "langgraph-cli\[inmem\]"$/);
    assert.match(missingCliMessage(js), /npm install --save-dev @langchain\/langgraph-cli$/);
  });

  it('runs with nothing contacted at start and no keys of the host', () => {
    const env = devServerEnv({ PATH: '/bin', LANGSMITH_API_KEY: 'secret', NODE_OPTIONS: '--inspect' });
    assert.equal(env.LANGGRAPH_NO_VERSION_CHECK, 'true');
    assert.equal(env.LANGGRAPH_CLI_NO_ANALYTICS, '1');
    assert.equal(env.LANGSMITH_TRACING, 'false');
    assert.equal(env.LANGSMITH_API_KEY, undefined);
    assert.equal(env.NODE_OPTIONS, undefined);
    assert.equal(env.PATH, '/bin');
  });
});
