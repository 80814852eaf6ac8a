/**
 * Runs one mocha suite on Node (unit, integration, or e2e: the UI in a real browser) and ends
 * with the line `<suite>: N passed, M failed` that `npm test` adds up.
 * Usage: node out/test/runNodeSuite.js <unit|integration|e2e> [grep]
 */
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const suite = process.argv[2];
if (suite !== 'unit' && suite !== 'integration' && suite !== 'e2e') {
  console.error('usage: runNodeSuite.js <unit|integration|e2e> [grep]');
  process.exit(2);
}

const suffix = suite === 'e2e' ? '.e2e.js' : '.test.js';
// Against which Agent Server (see test/harness/agentServer.ts): part of the summary's label.
const kind = process.env.LANGGRAPH_TEST_SERVER_KIND;
const label = kind && suite !== 'unit' ? `${suite}[${kind}]` : suite;

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? testFiles(path) : path.endsWith(suffix) ? [path] : [];
    })
    .sort();
}

const mocha = new Mocha({
  reporter: 'spec',
  color: !process.env.CI,
  timeout: suite === 'unit' ? 10_000 : 120_000,
  // Integration tests share one real server; a failure should not hide behind retries.
  retries: 0,
  ...(process.argv[3] ? { grep: process.argv[3] } : {}),
});
const dir = join(__dirname, suite);
// Root hooks (start/stop the Agent Server, code-server, the browser) load first.
if (suite !== 'unit') mocha.addFile(join(dir, 'setup.js'));
for (const file of testFiles(dir)) mocha.addFile(file);

const runner = mocha.run((failures) => {
  const { passes = 0, pending = 0, tests = 0 } = runner.stats ?? {};
  const skipped = pending ? `, ${pending} skipped` : '';
  console.log(`\n${label}: ${passes} passed, ${failures} failed${skipped}`);
  process.exitCode = failures > 0 || tests === 0 ? 1 : 0;
});
