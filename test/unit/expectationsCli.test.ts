import { strict as assert } from 'node:assert';
import { parseCliArgs, UsageError } from '../../src/cli/args';
import { junitXml, xmlEscape } from '../../src/cli/junit';
import { lineOf, summaryOf } from '../../src/cli/runFiles';
import { limiter, type FileResult } from '../../src/core/runFile/runAsTest';

const failed: FileResult = {
  name: 'dir/wrong.run.json',
  verdict: 'fail',
  elapsedMs: 812,
  threadId: 't-1',
  runId: 'r-1',
  results: [
    { name: 'status', pass: true, message: 'status is success' },
    { name: 'lastMessage.contains', pass: false, message: 'lastMessage does not contain "<70> & \'x\'": "60"', expected: '<70> & \'x\'', actual: '60\u0001' },
  ],
};

describe('run files as tests: the command line', () => {
  it('reads its options; the key only from the environment variable named, never sent in clear text off this machine', () => {
    assert.deepEqual(parseCliArgs(['tests', '--url', 'http://127.0.0.1:2024/'], {}), { folder: 'tests', url: 'http://127.0.0.1:2024', junit: undefined, concurrency: 4, apiKey: undefined, assistant: 'agent' });
    const withKey = parseCliArgs(['tests', '--url', 'https://x.example', '--api-key-env', 'LG_KEY', '--concurrency', '8', '--junit', 'r.xml'], { LG_KEY: ' k ' });
    assert.ok(withKey !== 'help');
    assert.deepEqual([withKey.apiKey, withKey.concurrency, withKey.junit], ['k', 8, 'r.xml']);
    assert.throws(() => parseCliArgs(['tests', '--url', 'http://x.example', '--api-key-env', 'LG_KEY'], { LG_KEY: 'k' }), (e: Error) => e instanceof UsageError && /clear text/.test(e.message));
    assert.throws(() => parseCliArgs(['tests', '--url', 'http://127.0.0.1:2024', '--api-key', 'k'], {}), UsageError);
    assert.throws(() => parseCliArgs(['a', 'b', '--url', 'http://127.0.0.1:2024'], {}), /one folder only/);
    assert.equal(parseCliArgs(['--help'], {}), 'help');
  });

  it('one line per file and a summary', () => {
    assert.equal(lineOf({ name: 'ok.run.json', verdict: 'pass', elapsedMs: 1_234, results: [] }), '✓ ok.run.json  1.2 s');
    assert.equal(lineOf(failed), '✗ dir/wrong.run.json  0.8 s  lastMessage does not contain "<70> & \'x\'": "60"');
    assert.equal(lineOf({ name: 'e.run.json', verdict: 'error', elapsedMs: 5, results: [], error: 'Cannot connect' }), '✗ e.run.json  0.0 s  could not run: Cannot connect');
    assert.equal(summaryOf([failed, { ...failed, verdict: 'pass' }, { ...failed, verdict: 'error' }], 2_000), '1 passed, 1 failed, 1 could not run (3 files) in 2.0 s');
  });

  it('JUnit XML: escaped texts, characters XML cannot hold dropped, one testcase per file', () => {
    assert.equal(xmlEscape('a<b>&"\'\u0000\u001f\ud800c'), 'a&lt;b&gt;&amp;&quot;&apos;c');
    const xml = junitXml('examples/tests', [failed, { name: 'ok.run.json', verdict: 'pass', elapsedMs: 100, results: [] }, { name: 'e.run.json', verdict: 'error', elapsedMs: 0, results: [], error: 'x < y' }], 1_500);
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="run files" tests="3" failures="1" errors="1" time="1.500">\n/);
    assert.match(xml, /<testcase name="dir\/wrong.run.json" classname="dir" time="0.812">\n {6}<failure message="lastMessage does not contain &quot;&lt;70&gt; &amp; &apos;x&apos;&quot;: &quot;60&quot;" type="expectation">lastMessage.contains: /);
    assert.match(xml, /  expected: &lt;70&gt; &amp; &apos;x&apos;\n  actual: 60<\/failure>/);
    assert.match(xml, /<testcase name="ok.run.json" classname="run-files" time="0.100" \/>/);
    assert.match(xml, /<error message="x &lt; y" type="error">x &lt; y<\/error>/);
    assert.match(xml, /<system-out>thread t-1\nrun r-1\npass status: status is success\nFAIL lastMessage.contains: /);
  });

  it('limiter: at most `limit` at once, in the order asked, a failure frees its slot', async () => {
    const lane = limiter(2);
    let running = 0;
    let most = 0;
    const startedOrder: number[] = [];
    const work = (n: number) => async () => {
      startedOrder.push(n);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      if (n === 4) throw new Error('four');
      return n * 10;
    };
    const results = await Promise.allSettled([5, 1, 4, 2, 3].map((n) => lane(work(n))));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      [50, 10, 'four', 20, 30],
    );
    assert.deepEqual(startedOrder, [5, 1, 4, 2, 3]);
    assert.equal(most, 2);
    assert.equal(running, 0);
    // The lane is free again after a failure: the next work starts at once.
    assert.equal(await lane(async () => running), 0);
  });
});
