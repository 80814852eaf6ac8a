/**
 * Issue 15 (speed): 50 run files of the fixture's `slow` graph against one deployment, run as tests.
 * On each Agent Server asked for (`--server`), one after the other, every way below in each round
 * (who goes first rotates), `ROUNDS` rounds, median wall time; each way talks to the server through
 * a recording loopback proxy (test/harness/proxy.ts), which counts its requests and the most client
 * connections open at once.
 *  - ours: the Testing view's runner (src/ui/testing/runFileTests.ts) minus VS Code: every file at
 *    once, read and parsed (loadRunFile: the same decode + parse as its readRunFile over
 *    workspace.fs) and run by `runFileAsTest` as the view does: `body: withLiveOptions`, the short
 *    requests in one limiter(REQUEST_CONCURRENCY) lane, each run's end from a RunTracker
 *    (`trackerFor`: the same client without retries, as trackerClients.ts; the view's is the
 *    extension's, with the status bar and notices). Not measured: TestRun reporting and
 *    TestMessages. Wall time and requests: until every file is checked (the tracker has reported
 *    every end by then).
 *  - SDK sequential: a naive script with the official SDK (@langchain/langgraph-sdk): for each file
 *    one after the other, JSON.parse, `threads.create` (a new thread, as ours), `runs.wait`, and the
 *    last message checked against the file's pattern.
 *  - SDK Promise.all: the same for all 50 files at once, with the SDK's default cap (at most 4
 *    requests at once per client) and with it lifted (maxConcurrency ∞): the unbounded baseline.
 * The files: `delay_ms` DELAY_MS in the run's context (both fixtures' `slow` sleeps that long), a
 * distinct message each, `expect.lastMessage.matches` "done after DELAY_MS ms".
 */
import { Client } from '@langchain/langgraph-sdk';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentServerClient } from '../src/api';
import { withLiveOptions } from '../src/core/live/liveRun';
import { findRunFiles, limiter, loadRunFile, REQUEST_CONCURRENCY, runFileAsTest, trackerFor, type FileResult, type FoundFile, type TestRunner } from '../src/core/runFile/runAsTest';
import { MAX_OPEN_JOINS } from '../src/core/tracker/tracker';
import { startAgentServer, type ServerKind } from '../test/harness/agentServer';
import { RecordingProxy } from '../test/harness/proxy';
import { until } from '../test/harness/until';
import type { BenchContext } from './run';
import { fmt, median, timed } from './stats';

const FILES = 50;
const DELAY_MS = 500;
const ROUNDS = 3;
/** The Testing view's default assistant setting (a file's assistant_id wins). */
const ASSISTANT = 'agent';

type Row = (string | number)[];
/** Runs every file once through `url`; how many passed. */
type Way = (files: FoundFile[], url: string) => Promise<{ passed: number; settled?: Promise<void> }>;

async function writeFiles(dir: string): Promise<void> {
  for (let i = 0; i < FILES; i++) {
    const file = {
      assistant_id: 'slow',
      input: { messages: [{ role: 'user', content: `bench file ${i}` }] },
      context: { delay_ms: DELAY_MS },
      expect: { lastMessage: { matches: `^done after ${DELAY_MS} ms$` }, timeoutSeconds: 120 },
    };
    await writeFile(join(dir, `file-${String(i).padStart(2, '0')}.run.json`), JSON.stringify(file, null, 2));
  }
}

function ours(): Way {
  return async (files, url) => {
    const client = new AgentServerClient({ url });
    const tracker = trackerFor(client);
    const runner: TestRunner = { client, deploymentUrl: url, tracker, requests: limiter(REQUEST_CONCURRENCY), body: withLiveOptions };
    const results = await Promise.all(
      files.map(async (found): Promise<FileResult> => {
        const loaded = await loadRunFile(found);
        if (!loaded.ok) throw new Error(`${found.name} does not parse`);
        return runFileAsTest(runner, found.name, loaded.file, ASSISTANT);
      }),
    );
    const settled = (async () => {
      tracker.dispose();
      await client.close();
    })();
    return { passed: results.filter((r) => r.verdict === 'pass').length, settled };
  };
}

/** The naive script's one file: parse, a new thread, runs.wait, the last message checked. */
async function sdkRunFile(sdk: Client, found: FoundFile): Promise<boolean> {
  const { assistant_id, expect, ...body } = JSON.parse(await readFile(found.path, 'utf8')) as {
    assistant_id: string;
    expect: { lastMessage: { matches: string } };
    input: Record<string, unknown>;
    context: Record<string, unknown>;
  };
  const thread = await sdk.threads.create();
  const values = (await sdk.runs.wait(thread.thread_id, assistant_id, body)) as { messages?: { content?: unknown }[] };
  return new RegExp(expect.lastMessage.matches).test(String(values.messages?.at(-1)?.content ?? ''));
}

const sdkSequential: Way = async (files, url) => {
  const sdk = new Client({ apiUrl: url });
  let passed = 0;
  for (const found of files) if (await sdkRunFile(sdk, found)) passed++;
  return { passed };
};

const sdkAll =
  (maxConcurrency?: number): Way =>
  async (files, url) => {
    const sdk = new Client({ apiUrl: url, ...(maxConcurrency ? { callerOptions: { maxConcurrency } } : {}) });
    const ok = await Promise.all(files.map((found) => sdkRunFile(sdk, found)));
    return { passed: ok.filter(Boolean).length };
  };

interface Sample {
  ms: number;
  passed: number;
  requests: number;
  kinds: string;
  maxConnections: number;
}

async function measureOn(kind: ServerKind, files: FoundFile[], ways: [string, Way][], ctx: BenchContext): Promise<Row[]> {
  const server = await startAgentServer({ server: kind });
  const proxy = new RecordingProxy(server.url);
  const label = kind === 'js' ? 'JS' : 'Python';
  try {
    const url = await proxy.start();
    // Warm up the graph (the first run of a graph pays its compile), not through the proxy.
    const direct = new Client({ apiUrl: server.url });
    await direct.runs.wait((await direct.threads.create()).thread_id, 'slow', { context: { delay_ms: 10 }, input: { messages: [] } });
    const samples = new Map<string, Sample[]>(ways.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < ways.length; i++) {
        const [name, way] = ways[(round + i) % ways.length]!;
        // The last client's idle keep-alive connections are gone (else they count in this one's most).
        const open = await until(async () => proxy.openConnections, (n) => n === 0, { timeoutMs: 15_000 }).catch(() => proxy.openConnections);
        if (open > 0) ctx.note(`${label}, ${name}, round ${round + 1}: ${open} connections still open at its start.`);
        proxy.reset();
        const { ms, value } = await timed(() => way(files, url));
        await value.settled;
        samples.get(name)!.push({ ms, passed: value.passed, requests: proxy.requests, kinds: [...proxy.kinds].map(([k, n]) => `${k} ${n}`).join(', '), maxConnections: proxy.maxConnections });
      }
    }
    const unbounded = median(samples.get(ways.at(-1)![0])!.map((s) => s.ms));
    return ways.map(([name]) => {
      const s = samples.get(name)!;
      const ms = median(s.map((x) => x.ms));
      const last = s.at(-1)!;
      return [
        label,
        name,
        fmt(ms / 1000),
        s.map((x) => fmt(x.ms / 1000)).join(' / '),
        `${((ms / unbounded - 1) * 100).toFixed(0)} %`,
        (median(s.map((x) => x.requests)) / files.length).toFixed(2),
        last.kinds,
        Math.max(...s.map((x) => x.maxConnections)),
        s.map((x) => x.passed).join(' / '),
      ];
    });
  } finally {
    await proxy.stop();
    await server.stop();
  }
}

export default async function testsBench(ctx: BenchContext): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-tests-'));
  try {
    await writeFiles(dir);
    const files = await findRunFiles(dir);
    const ways: [string, Way][] = [
      [`ours: Testing view runner (all runs at once, ${REQUEST_CONCURRENCY} short requests at once, the tracker's ends)`, ours()],
      ['SDK: runs.wait one after another', sdkSequential],
      ['SDK: Promise.all of 50 runs.wait (SDK default: 4 at once)', sdkAll()],
      ['SDK: Promise.all of 50 runs.wait, maxConcurrency ∞ (unbounded)', sdkAll(Infinity)],
    ];
    const rows: Row[] = [['server', 'runner', 'wall s (median)', 'rounds s', 'vs unbounded', 'requests per file', 'by kind (last round)', 'max connections', 'passed']];
    // One server implementation at a time, so that neither shares the cores with the other.
    for (const kind of ctx.servers) rows.push(...(await measureOn(kind, files, ways, ctx)));
    ctx.table(`${FILES} run files of \`slow\` (delay_ms ${DELAY_MS}), ${ROUNDS} rounds, who goes first rotates`, rows);
    ctx.note(
      `Goal: ours within 10 % of the unbounded Promise.all while holding at most the tracker's cap (MAX_OPEN_JOINS ${MAX_OPEN_JOINS} joins). ` +
        `Ours counts the tracker's requests too (its join and status read of each run). Files in ${dir} (removed after).`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
