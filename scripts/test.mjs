// `npm test`: builds, type-checks, lints, then runs the unit, integration, extension-host and e2e suites in
// that order and prints each one's count and a total. `npm test -- unit` (or integration,
// extension, e2e) runs just that suite. Exit code 0 only if every suite ran tests and all passed.
import { spawn, spawnSync } from 'node:child_process';

const ALL = ['unit', 'integration', 'extension', 'e2e'];
const asked = process.argv.slice(2).filter((a) => ALL.includes(a));
const suites = asked.length ? asked : ALL;

function step(title, cmd, args) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${title} failed.`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Runs a suite, echoing its output, and returns the numbers from its `<suite>: …` line. With a
 * server kind, the suite runs against that Agent Server (LANGGRAPH_TEST_SERVER_KIND) and is
 * reported as `<suite>[<kind>]`.
 */
function suite(name, script, args = [], kind) {
  const label = kind ? `${name}[${kind}]` : name;
  console.log(`\n=== ${label} tests`);
  return new Promise((resolve) => {
    const env = kind ? { ...process.env, LANGGRAPH_TEST_SERVER_KIND: kind } : process.env;
    const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let summary;
    const pattern = new RegExp(`^${name}(?:\\[\\w+\\])?: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?\\s*$`);
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        const m = pattern.exec(line.trim());
        if (m) summary = { passed: +m[1], failed: +m[2], skipped: +(m[3] ?? 0) };
      }
    });
    child.on('close', (code) => resolve({ name: label, code, summary }));
  });
}

step('build', process.execPath, ['esbuild.mjs', '--tests']);
step('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
step('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0']);
step('package (.vsix contents)', process.execPath, ['scripts/check-package.mjs']);
// The package step minifies dist/extension.js; the suites run the dev build (with source maps).
step('build for tests', process.execPath, ['esbuild.mjs']);

// The suites that talk to an Agent Server run once per server (LANGGRAPH_TEST_SERVERS, default
// both); e2e runs against the Python server, which LangGraph Platform and `langgraph dev` run.
const SERVERS = (process.env.LANGGRAPH_TEST_SERVERS || 'js,python').split(',').map((s) => s.trim()).filter(Boolean);
const E2E_SERVER = process.env.LANGGRAPH_TEST_E2E_SERVER || (SERVERS.includes('python') ? 'python' : SERVERS[0]);
const results = [];
for (const name of suites) {
  const script = name === 'extension' ? 'out/test/runner/runExtensionTests.js' : 'out/test/runNodeSuite.js';
  const args = name === 'extension' ? [] : [name];
  const kinds = name === 'unit' ? [undefined] : name === 'e2e' ? [E2E_SERVER] : SERVERS;
  for (const kind of kinds) results.push(await suite(name, script, args, kind));
}

console.log('\n=== summary');
let passed = 0;
let failed = 0;
let ok = true;
for (const r of results) {
  if (!r.summary) {
    console.log(`${r.name}: did not report its results (exit code ${r.code})`);
    ok = false;
    continue;
  }
  passed += r.summary.passed;
  failed += r.summary.failed;
  if (r.code !== 0 || r.summary.failed > 0 || r.summary.passed === 0) ok = false;
  console.log(`${r.name}: ${r.summary.passed} passed, ${r.summary.failed} failed${r.summary.skipped ? `, ${r.summary.skipped} skipped` : ''}`);
}
if (!ok && failed === 0) failed = 1; // a suite that crashed or ran nothing counts as a failure
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
