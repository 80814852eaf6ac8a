import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../harness/until';
import { agentServer, client } from './setup';

// From out/test/integration/ to the repository.
const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'dist/run-files.js');
const WORK = join(ROOT, '.test-runs/run-files-cli');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/run-files.js …` (what `npm run run-files` runs after the build), as a child process. */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A folder of run files under .test-runs/, written afresh. */
function folder(name: string, files: Record<string, unknown>): string {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return dir;
}

const weather = (expect: unknown) => ({ assistant_id: 'agent', input: { messages: [{ role: 'user', content: "what's the weather in sf" }] }, expect });

interface JunitTestcase {
  name: string;
  time: number;
  failure?: { message: string; text: string };
  error?: { message: string };
  systemOut?: string;
}

const unescape = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1]!] = unescape(m[2]!);
  return out;
}

/** A small reader of the JUnit the runner writes: the suites' counts and every testcase; it fails on anything not well formed. */
function readJunit(path: string): { suite: Record<string, string>; cases: JunitTestcase[] } {
  const xml = readFileSync(path, 'utf8');
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites [^>]*>\n[\s\S]*<\/testsuites>\n$/);
  // Only markup and escaped text: no raw "<" or "&" inside text or attributes.
  const text = xml.replace(/<[^<>]*>/g, '');
  assert.doesNotMatch(text, /[<>]|&(?!(lt|gt|quot|apos|amp);)/, 'text is escaped');
  const suite = attributes(/<testsuite [^>]*>/.exec(xml)![0]);
  const cases = [...xml.matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => {
    const attrs = attributes(m[1]!);
    const body = m[3] ?? '';
    const failure = /<failure ([^>]*)>([\s\S]*?)<\/failure>/.exec(body);
    const error = /<error ([^>]*)>/.exec(body);
    const out = /<system-out>([\s\S]*?)<\/system-out>/.exec(body);
    return {
      name: attrs.name!,
      time: Number(attrs.time),
      ...(failure ? { failure: { message: attributes(failure[1]!).message!, text: unescape(failure[2]!) } } : {}),
      ...(error ? { error: { message: attributes(error[1]!).message! } } : {}),
      ...(out ? { systemOut: unescape(out[1]!) } : {}),
    };
  });
  return { suite, cases };
}

describe('integration: the run-files command line (npm run run-files)', () => {
  before(() => mkdirSync(WORK, { recursive: true }));

  it('examples/tests passes against the fixture deployment: one ✓ line per file, a summary, exit 0, and the JUnit file', async function () {
    this.timeout(120_000);
    const junit = join(WORK, 'examples.xml');
    const run = await runCli(['examples/tests', '--url', agentServer().url, '--junit', junit, '--concurrency', '2']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    const files = ['approve-plan.run.json', 'deliberate-failure.run.json', 'slow-but-in-time.run.json', 'weather.run.json'];
    assert.deepEqual(lines.slice(0, -1).map((l) => /^✓ (\S+) {2}\d+\.\d s$/.exec(l)?.[1]).sort(), files);
    assert.match(lines.at(-1)!, /^4 passed, 0 failed \(4 files\) in \d+\.\d s$/);
    const { suite, cases } = readJunit(junit);
    assert.deepEqual([suite.tests, suite.failures, suite.errors], ['4', '0', '0']);
    assert.deepEqual(cases.map((c) => c.name), files);
    const weatherCase = cases.find((c) => c.name === 'weather.run.json')!;
    assert.equal(weatherCase.failure, undefined);
    assert.match(weatherCase.systemOut!, /^thread [0-9a-f-]{36}\nrun [0-9a-f-]{36}\n/);
    assert.match(weatherCase.systemOut!, /pass lastMessage\.contains: lastMessage contains "60 degrees"/);
    assert.match(weatherCase.systemOut!, /pass toolCalls\["get_weather"\]: get_weather was called with \{"city":"sf"\}/);
  });

  it('a wrong expectation fails the file with its words: exit 1, the ✗ line, a JUnit <failure> with expected and actual', async function () {
    this.timeout(120_000);
    const dir = folder('failing', {
      'good.run.json': weather({ lastMessage: { contains: '60 degrees' } }),
      'nested/wrong.run.json': weather({ lastMessage: { contains: '70 degrees & <sunny>' }, toolCalls: [{ name: 'get_weather', args: { city: 'paris' } }] }),
      'smoke-fails.run.json': { assistant_id: 'fail', input: { messages: [{ role: 'user', content: 'no expect' }] } },
    });
    const junit = join(WORK, 'failing.xml');
    const run = await runCli([dir, '--url', agentServer().url, '--junit', junit]);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    const answer = "The weather in sf is: It's 60 degrees and foggy in sf.";
    const lines = run.stdout.trim().split('\n');
    assert.ok(lines.some((l) => /^✓ good\.run\.json {2}\d+\.\d s$/.test(l)), run.stdout);
    const wrong = lines.find((l) => l.startsWith('✗ nested/wrong.run.json'))!;
    assert.match(wrong, new RegExp(`^✗ nested/wrong\\.run\\.json {2}\\d+\\.\\d s {2}lastMessage does not contain "70 degrees & <sunny>": ${JSON.stringify(answer).replace(/[.?*()[\]]/g, '\\$&')}$`));
    const smoke = lines.find((l) => l.startsWith('✗ smoke-fails.run.json'))!;
    assert.match(smoke, /expected status success, but the run failed: Deliberate failure requested by input: "no expect"$/);
    assert.match(lines.at(-1)!, /^1 passed, 2 failed \(3 files\) in \d+\.\d s$/);

    const { suite, cases } = readJunit(junit);
    assert.deepEqual([suite.tests, suite.failures, suite.errors], ['3', '2', '0']);
    const failed = cases.find((c) => c.name === 'nested/wrong.run.json')!;
    assert.equal(failed.failure!.message, `lastMessage does not contain "70 degrees & <sunny>": ${JSON.stringify(answer)}`);
    assert.ok(failed.failure!.text.includes(`lastMessage.contains: lastMessage does not contain "70 degrees & <sunny>"`), failed.failure!.text);
    assert.ok(failed.failure!.text.includes(`  expected: 70 degrees & <sunny>\n  actual: ${answer}`), failed.failure!.text);
    assert.ok(failed.failure!.text.includes('toolCalls["get_weather"]: get_weather was called, but not with {"city":"paris"}'), failed.failure!.text);
    assert.equal(cases.find((c) => c.name === 'good.run.json')!.failure, undefined);
  });

  it('an invalid run file (a bad regular expression, a misspelt key) is a usage error with file:line:column, and nothing is sent', async function () {
    this.timeout(60_000);
    const c = client();
    const before = await c.threads.count();
    const dir = folder('invalid', {
      'fine.run.json': weather({ lastMessage: { contains: '60 degrees' } }),
      'bad-regex.run.json': '{\n  "assistant_id": "agent",\n  "input": { "messages": [] },\n  "expect": {\n    "lastMessage": { "matches": "foggy (in" }\n  }\n}\n',
      'typo.run.json': '{\n  "assistant_id": "agent",\n  "input": {},\n  "expect": { "lastMesage": { "contains": "x" } }\n}\n',
    });
    const junit = join(WORK, 'invalid.xml');
    const run = await runCli([dir, '--url', agentServer().url, '--junit', junit]);
    assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
    const lines = run.stderr.trim().split('\n');
    assert.match(lines[0]!, new RegExp(`^${dir}/bad-regex\\.run\\.json:5:22: expect\\.lastMessage\\.matches: not a valid regular expression: Invalid regular expression: /foggy \\(in/`));
    assert.equal(lines[1], `${dir}/typo.run.json:4:15: unknown key "lastMesage" in expect: did you mean "lastMessage"?`);
    assert.equal(lines[2], 'run-files: 2 invalid run files; nothing was sent.');
    assert.equal(run.stdout, '');
    assert.equal(await c.threads.count(), before, 'no thread was made');
    const { suite, cases } = readJunit(junit);
    assert.equal(suite.errors, '3');
    assert.match(cases.find((c) => c.name === 'bad-regex.run.json')!.error!.message, /^bad-regex\.run\.json:5:22: expect\.lastMessage\.matches: not a valid regular expression/);
  });

  it('timeoutSeconds: a run past its limit fails with the words, and is cancelled on the server', async function () {
    this.timeout(120_000);
    const slow = (ms: number, timeoutSeconds: number) => ({ assistant_id: 'slow', input: { messages: [{ role: 'user', content: `take ${ms} ms` }] }, expect: { timeoutSeconds } });
    const dir = folder('timeouts', { 'too-slow.run.json': slow(20_000, 1), 'in-time.run.json': slow(100, 20) });
    const junit = join(WORK, 'timeouts.xml');
    const run = await runCli([dir, '--url', agentServer().url, '--junit', junit]);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    assert.ok(lines.some((l) => /^✓ in-time\.run\.json {2}\d+\.\d s$/.test(l)), run.stdout);
    assert.ok(lines.some((l) => /^✗ too-slow\.run\.json {2}1\.\d s {2}the run had not ended after 1 s \(waited 1\.\d s\)$/.test(l)), run.stdout);
    const { cases } = readJunit(junit);
    const slowCase = cases.find((c) => c.name === 'too-slow.run.json')!;
    assert.equal(slowCase.failure!.message.startsWith('the run had not ended after 1 s'), true);
    const [, threadId, runId] = /^thread (\S+)\nrun (\S+)/.exec(slowCase.systemOut!)!;
    const c = client();
    // Cancelled, not left running for its 20 s (JS: `error` "interrupt"; Python: `interrupted`).
    const status = await waitFor('the slow run to stop', async () => {
      const r = await c.runs.get(threadId!, runId!);
      return r.status === 'running' || r.status === 'pending' ? undefined : r.status;
    }, { timeoutMs: 15_000 });
    assert.ok(['error', 'interrupted'].includes(status), status);
  });

  it('a breakpoint stop (interrupt_before) reads "interrupted", with no interrupt value', async function () {
    this.timeout(60_000);
    const dir = folder('breakpoint', {
      'stops.run.json': { ...weather({ status: 'interrupted', interrupt: { exists: false }, toolCalls: [{ name: 'get_weather' }] }), interrupt_before: ['tools'] },
    });
    const run = await runCli([dir, '--url', agentServer().url]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^✓ stops\.run\.json {2}\d+\.\d s\n1 passed, 0 failed \(1 file\) in \d+\.\d s\n$/);
  });

  it('usage errors exit 2 and say why: no folder, a folder that is not there, a bad URL, an unset key variable', async function () {
    this.timeout(60_000);
    const url = agentServer().url;
    const cases: [string[], RegExp][] = [
      [['--url', url], /^run-files: name the folder of run files\n/],
      [[join(WORK, 'nope'), '--url', url], /^run-files: .*nope is not a folder\n$/],
      [['examples/tests', '--url', 'ftp://127.0.0.1:1'], /^run-files: --url: "ftp:\/\/127\.0\.0\.1:1" is not an http\(s\) URL\.\n/],
      [['examples/tests'], /^run-files: --url is required/],
      [['examples/tests', '--url', url, '--concurrency', '0'], /^run-files: --concurrency: expected a whole number from 1 to 64, got "0"/],
      [['examples/tests', '--url', url, '--api-key-env', 'RUN_FILES_TEST_UNSET_KEY'], /^run-files: --api-key-env: the environment variable RUN_FILES_TEST_UNSET_KEY is not set/],
      [['examples/tests', '--url', url, '--api-key', 'secret'], /^run-files: Unknown option '--api-key'/],
    ];
    for (const [args, stderr] of cases) {
      const run = await runCli(args, { RUN_FILES_TEST_UNSET_KEY: '' });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, stderr, args.join(' '));
      assert.equal(run.stdout, '');
    }
  });
});
