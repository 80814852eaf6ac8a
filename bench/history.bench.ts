/**
 * Issue 12: a thread's history with 1,000 checkpoints and a 5 MB state, against the official SDK's
 * `getHistory({ limit: 1000 })` read in one go. On each Agent Server asked for (`--server`), one
 * after the other, two threads: N = 10 and N = 1,000 checkpoints in the root namespace.
 *
 * The data set, and why this shape. Every history item carries the whole state at its checkpoint,
 * so a state that is 5 MB in all 1,000 checkpoints makes the SDK's one read 5 GB (and a state that
 * grows evenly to 5 MB, 2.5 GB): not something a 2-core, 24 GiB machine shared with other suites
 * should be asked to do, nor what a thread looks like where the big value comes late. So:
 *  - one run of the fixture's `agent` graph ("what's the weather in sf"): its checkpoints (5 on
 *    both servers) and 4 messages;
 *  - then state updates (`POST /threads/{id}/state` as node `agent`, what Edit State does), each a
 *    new checkpoint that writes one ≈200-byte note into a rolling window of 20 notes (a message
 *    whose id repeats every 20 updates, so the messages reducer replaces it): a long-lived thread
 *    whose small state is rewritten in place; once the window is full, each checkpoint holds ≈7 KB;
 *  - `BIG_AT_HEAD` checkpoints before the end, one update brings the 5 MB: an AI message with 100
 *    tool calls and their 100 tool results of 50 KB of text each (a tool reading a long document),
 *    followed by `BIG_AT_HEAD - 1` more notes. The newest `BIG_AT_HEAD` checkpoints hold 5 MB each.
 * Both threads end with the same 4 checkpoints of 5 MB, and their other checkpoints are small, so
 * what differs between them is the history's length. The SDK's read of the 1,000-checkpoint thread
 * is ≈29–31 MB; our first page (50 shown, 51 asked for) ≈20.5 MB, almost all of it the 4
 * checkpoints that hold the 5 MB (at 10 checkpoints both read the same ≈20.2 MB). A state that
 * is big all through the newest 51 checkpoints would make our first page 51 × its size: the
 * history endpoint has no way to leave the values out, so that is what the first page costs then.
 *
 * Measures, interleaved in each round (which one goes first rotates from round to round), after
 * `WARMUP` rounds that are not counted:
 *  (a) ours: `new HistoryPager(historySource(client, threadId)).next()`: the first page's data
 *      (one `POST …/history` with limit 51, zod-checked, summarized: no values);
 *  (b) the SDK (@langchain/langgraph-sdk): `client.threads.getHistory(threadId, { limit: 1000 })`;
 *  (c) ours on screen: (a), then the page posted as a `history` message (`at: 'reset'`) into the
 *      real panel page in Chromium (same shell, CSP and minified bundle as webview.bench.ts, served
 *      by its servePanel) until the page posts `historyRendered` with the rows shown; wall time
 *      from the start of (a) to the report's arrival in this process; in the page, from posting
 *      the message to the report (sent after the next frame), and the page's own renderMs;
 *  (a)+(c) once more on the longest history with `pageSize: 10`, as many rows as the shortest
 *      history holds: the same rows on screen, so what is left of a difference is its length;
 *  (d) a diff of two checkpoints of the 5 MB state, on the 1,000-checkpoint thread: ours =
 *      `threads.getStateAt` for both (in parallel) + `diffKeys` + `diffKey` of each key added,
 *      removed or changed; the baseline = the SDK's `getState(threadId, checkpointId)` for both (in
 *      parallel) + `microdiff` over the whole values. Two pairs: the head against its parent (one
 *      note rewritten, 5 MB on both sides) and the checkpoint that brought the 5 MB against its
 *      parent (101 messages added).
 * Bytes for (a) and (b): the same requests' bodies read once more with fetch (no compression on
 * either dev server). The JS server's own time for each history request comes from its log.
 */
import { Client } from '@langchain/langgraph-sdk';
import diff from 'microdiff';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AgentServerClient } from '../src/api';
import { HistoryPager, historySource, type HistoryPage } from '../src/core/history/historyPages';
import { diffKey, diffKeys } from '../src/core/history/stateDiff';
import type { HistoryMessage, HistoryReport } from '../src/webview/protocol';
import { startAgentServer, type AgentServer, type ServerKind } from '../test/harness/agentServer';
import { userInput } from '../test/harness/messages';
import { waitFor } from '../test/harness/until';
import { launchBrowser } from '../test/runner/browser';
import type { BenchContext } from './run';
import { fmt, median, p95, timed } from './stats';
import { servePanel } from './webview.bench';

const SIZES = [10, 1000];
/** HistoryPager's default page: it shows 50 and asks for one more. */
const PAGE = 50;
const ROUNDS = 21;
const WARMUP = 2;
/** The newest checkpoints that hold the 5 MB. */
const BIG_AT_HEAD = 4;
const NOTE_WINDOW = 20;
const BIG_MESSAGES = 100;
const BIG_MESSAGE_CHARS = 50_000;
/** How long the page may take to report a rendered history before (c) is called not measured. */
const RENDER_TIMEOUT_MS = 30_000;
const VIEWPORT = { width: 1400, height: 900 };

type Row = (string | number)[];

const note = (i: number) => ({
  type: 'ai',
  id: `note-${i % NOTE_WINDOW}`,
  content: `Progress note ${i}: ${'checked the next batch of records and updated the summary. '.repeat(3)}`.slice(0, 200),
});

/** The 5 MB: an AI message calling a tool 100 times and the 100 results, 50 KB of text each. */
function bigDocument(): unknown[] {
  const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(Math.ceil(BIG_MESSAGE_CHARS / 80));
  const calls = Array.from({ length: BIG_MESSAGES }, (_, i) => ({ id: `call_page_${i}`, name: 'read_page', args: { page: i }, type: 'tool_call' }));
  return [
    { type: 'ai', id: 'read-document', content: '', tool_calls: calls },
    ...calls.map((call, i) => ({ type: 'tool', id: `page-${i}`, tool_call_id: call.id, name: call.name, content: `Page ${i}. ${text}`.slice(0, BIG_MESSAGE_CHARS) })),
  ];
}

interface Seeded {
  threadId: string;
  /** The head, its parent, the checkpoint that brought the 5 MB and its parent. */
  head: string;
  headParent: string;
  bigAt: string;
  bigParent: string;
}

/** A thread with exactly `total` root checkpoints in the shape above. */
async function seed(client: AgentServerClient, total: number): Promise<Seeded> {
  const { thread_id: threadId } = await client.threads.create({ metadata: { bench: 'history', checkpoints: total } });
  await client.runs.wait(threadId, { assistant_id: 'agent', input: userInput("what's the weather in sf") });
  const fromRun = (await client.threads.history(threadId, { limit: 100 })).length;
  const update = (values: unknown) => client.threads.updateState(threadId, { values: { messages: values }, asNode: 'agent' });
  const notes = total - fromRun - BIG_AT_HEAD;
  if (notes < 0) throw new Error(`a run makes ${fromRun} checkpoints: too many for ${total}`);
  for (let i = 0; i < notes; i++) await update([note(i)]);
  const big = await update(bigDocument());
  for (let i = 0; i < BIG_AT_HEAD - 1; i++) await update([note(notes + i)]);
  const history = await client.threads.history(threadId, { limit: Math.min(total + 1, 1000) });
  if (history.length !== total || history.at(-1)?.parent_checkpoint?.checkpoint_id) {
    throw new Error(`expected ${total} checkpoints, found ${history.length}${history.at(-1)?.parent_checkpoint ? ' and more' : ''}`);
  }
  const id = (i: number) => history[i]!.checkpoint!.checkpoint_id!;
  const bigIndex = history.findIndex((s) => s.checkpoint?.checkpoint_id === big.checkpoint_id);
  return { threadId, head: id(0), headParent: id(1), bigAt: id(bigIndex), bigParent: id(bigIndex + 1) };
}

async function historyBytes(url: string, threadId: string, limit: number): Promise<number> {
  const res = await fetch(`${url}/threads/${threadId}/history`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit }) });
  return (await res.arrayBuffer()).byteLength;
}

/**
 * The JS server's own time for each history request, from its log ("--> POST /threads/{id}/history
 * 200 12ms", or whole seconds from 1 s on), matched in order, per thread, to the requests noted in `asked` (ours, the SDK's,
 * or '' for the others). Undefined on the Python server (it logs no successful request at its
 * default level) or when the counts do not match.
 */
function serverTimes(server: AgentServer, asked: { threadId: string; who: string }[]): Map<string, number[]> | undefined {
  if (server.server !== 'js') return undefined;
  const log = readFileSync(join(__dirname, '../../.test-runs', `agent-server-${server.port}`, 'server.log'), 'utf8');
  const logged = new Map<string, number[]>();
  // Hono's logger writes whole seconds from 1 s on ("200 2s").
  for (const m of log.matchAll(/--> POST \/threads\/([^/\s]+)\/history 200 (\d+)(ms|s)\b/g)) {
    logged.set(m[1]!, [...(logged.get(m[1]!) ?? []), Number(m[2]) * (m[3] === 's' ? 1000 : 1)]);
  }
  const out = new Map<string, number[]>();
  const seen = new Map<string, number>();
  for (const { threadId, who } of asked) {
    const i = seen.get(threadId) ?? 0;
    seen.set(threadId, i + 1);
    const ms = logged.get(threadId)?.[i];
    if (ms === undefined) return undefined;
    if (who) out.set(`${threadId} ${who}`, [...(out.get(`${threadId} ${who}`) ?? []), ms]);
  }
  return [...seen].every(([id, n]) => logged.get(id)?.length === n) ? out : undefined;
}

// ---- (c) the panel page --------------------------------------------------------------------------

type OutWindow = Window & { __out: { type: string; report?: HistoryReport }[]; __msg: unknown };

/** Posts a history message into the panel page; resolves with the page's report and its own time. */
async function postHistory(page: Page, message: HistoryMessage): Promise<{ inPage: number; report: HistoryReport } | undefined> {
  return page.evaluate(
    ({ msg, timeoutMs }) =>
      new Promise<{ inPage: number; report: HistoryReport } | undefined>((resolve) => {
        const w = window as unknown as OutWindow;
        w.__out.length = 0;
        const start = performance.now();
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        const done = () => {
          const rendered = w.__out.find((m) => m.type === 'historyRendered');
          if (!rendered) return;
          clearTimeout(timer);
          window.removeEventListener('out', done);
          resolve({ inPage: performance.now() - start, report: rendered.report! });
        };
        window.addEventListener('out', done);
        window.postMessage(msg, '*');
      }),
    { msg: message, timeoutMs: RENDER_TIMEOUT_MS },
  );
}

const historyMessage = (page: HistoryPage): HistoryMessage => ({ type: 'history', ns: '', at: 'reset', items: page.items, updated: page.updated, hasMore: page.hasMore });

interface OursSample {
  fetch: number;
  /** From the start of the read to the page's report in this process; undefined without a page. */
  screen?: number;
  /** In the page: from posting the message to the report (after the next frame), and its renderMs. */
  inPage?: number;
  renderMs?: number;
  report?: HistoryReport;
}

/** (a), and (c) when a page is given: a fresh pager, its first page, posted into the page. */
async function ours(client: AgentServerClient, threadId: string, page: Page | undefined, pageSize?: number): Promise<OursSample> {
  const start = performance.now();
  const first = await new HistoryPager(historySource(client, threadId), pageSize ? { pageSize } : {}).next();
  const fetched = performance.now() - start;
  if (!page) return { fetch: fetched };
  const shown = await postHistory(page, historyMessage(first));
  if (!shown) return { fetch: fetched };
  return { fetch: fetched, screen: performance.now() - start, inPage: shown.inPage, renderMs: shown.report.renderMs, report: shown.report };
}

/** A fresh panel page (a panel opened anew), loaded before any timer starts. */
async function openPanel(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(url);
  return page;
}

// ---- One server ---------------------------------------------------------------------------------

interface Samples {
  ours: OursSample[];
  sdk: number[];
  /** Ours with a page of the shortest history's size (the longest history only). */
  small: OursSample[];
}

interface DiffSample {
  fetch: number;
  compute: number;
}

async function measureOn(kind: ServerKind, browser: Browser, panelUrl: string, ctx: BenchContext): Promise<{ rows: Row[]; diffRows: Row[]; notes: string[] }> {
  const server = await startAgentServer({ server: kind });
  const client = new AgentServerClient({ url: server.url });
  const sdk = new Client({ apiUrl: server.url });
  const label = kind === 'js' ? 'JS' : 'Python';
  const notes: string[] = [];
  try {
    const seedStart = Date.now();
    const threads = new Map<number, Seeded>();
    /** Every history request made, in order, for serverTimes: who asked ('' for those not measured). */
    const asked: { threadId: string; who: string }[] = [];
    for (const n of SIZES) {
      const seeded = await seed(client, n);
      threads.set(n, seeded);
      asked.push({ threadId: seeded.threadId, who: '' }, { threadId: seeded.threadId, who: '' });
    }
    ctx.note(`${label}: seeded ${SIZES.join(' and ')} checkpoints in ${((Date.now() - seedStart) / 1000).toFixed(0)} s.`);

    // Does the panel page render a history message? Tried once; (c) is left out if not.
    const probe = await openPanel(browser, panelUrl);
    const tried = await ours(client, threads.get(SIZES[0]!)!.threadId, probe);
    asked.push({ threadId: threads.get(SIZES[0]!)!.threadId, who: '' });
    await probe.close();
    const withPage = tried.screen !== undefined;
    if (!withPage) notes.push(`${label}: the panel page did not report historyRendered within ${RENDER_TIMEOUT_MS / 1000} s: (c) not measured.`);

    // Per thread: ours, the SDK's, and on the longest history ours again with a page of as many
    // rows as the shortest history has (`small`: same rows, only the history's length differs).
    const samples = new Map<number, Samples>(SIZES.map((n) => [n, { ours: [], sdk: [], small: [] }]));
    const shortest = SIZES[0]!;
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const n of SIZES) {
        const { threadId } = threads.get(n)!;
        const s = samples.get(n)!;
        const counted = round >= WARMUP;
        const page = withPage ? await openPanel(browser, panelUrl) : undefined;
        const smallPage = withPage && n > shortest ? await openPanel(browser, panelUrl) : undefined;
        const tag = (who: string) => asked.push({ threadId, who: counted ? who : '' });
        const sides: (() => Promise<void>)[] = [
          async () => {
            tag('ours');
            const a = await ours(client, threadId, page);
            if (counted) s.ours.push(a);
          },
          async () => {
            tag('sdk');
            const b = await timed(() => sdk.threads.getHistory(threadId, { limit: 1000 }));
            if (counted) s.sdk.push(b.ms);
          },
        ];
        if (n > shortest) {
          sides.push(async () => {
            tag('small');
            const c = await ours(client, threadId, smallPage, shortest);
            if (counted) s.small.push(c);
          });
        }
        // Each round starts with the next side: none always goes first.
        for (let i = 0; i < sides.length; i++) await sides[(round + i) % sides.length]!();
        await page?.close();
        await smallPage?.close();
      }
    }

    const bytes = new Map<string, number>();
    for (const n of SIZES) {
      const { threadId } = threads.get(n)!;
      for (const limit of [PAGE + 1, 1000, ...(n > shortest ? [shortest + 1] : [])]) {
        bytes.set(`${n} ${limit}`, await historyBytes(server.url, threadId, limit));
        asked.push({ threadId, who: '' });
      }
    }
    // The log is written as the server goes: give its last lines a moment.
    const logged = kind === 'js' ? await waitFor('the server log', () => serverTimes(server, asked), { timeoutMs: 5_000 }).catch(() => undefined) : undefined;
    if (kind === 'js' && !logged) notes.push(`${label}: the server's log did not match the requests made: no server times.`);
    const own = (threadId: string, who: string) => {
      const ms = logged?.get(`${threadId} ${who}`);
      if (!ms) return '—';
      // Past 1 s the log has whole seconds only.
      return median(ms) >= 1000 ? `≈${(median(ms) / 1000).toFixed(0)} s (log: whole s)` : fmt(median(ms));
    };
    /** The (a) and (c) rows of one set of our samples. */
    const oursRows = (n: number, what: string, xs: OursSample[], serverMs: string, bytesRead: number, rowsAsked: number): Row[] => {
      const fetchMs = xs.map((x) => x.fetch);
      const on = xs.filter((x) => x.screen !== undefined);
      const shown = on.at(-1)?.report?.shown.length;
      const pick = (f: (x: OursSample) => number | undefined) => on.map((x) => f(x) ?? 0);
      return [
        [label, n, `(a) ours: first page data${what}`, fmt(median(fetchMs)), fmt(p95(fetchMs)), serverMs, bytesRead.toLocaleString('en'), `${rowsAsked} rows`],
        [
          label,
          n,
          `(c) ours: first page on screen${what}`,
          on.length ? fmt(median(pick((x) => x.screen))) : 'not measured',
          on.length ? fmt(p95(pick((x) => x.screen))) : '—',
          '—',
          '—',
          on.length
            ? `in page ${fmt(median(pick((x) => x.inPage)))} ms (renderMs ${fmt(median(pick((x) => x.renderMs)))}); ${shown} rows shown`
            : 'the panel page did not render it',
        ],
      ];
    };

    const rows: Row[] = [];
    for (const n of SIZES) {
      const { threadId } = threads.get(n)!;
      const s = samples.get(n)!;
      rows.push(...oursRows(n, '', s.ours, own(threadId, 'ours'), bytes.get(`${n} ${PAGE + 1}`)!, Math.min(n, PAGE)));
      rows.push([label, n, '(b) SDK: getHistory({ limit: 1000 })', fmt(median(s.sdk)), fmt(p95(s.sdk)), own(threadId, 'sdk'), bytes.get(`${n} 1000`)!.toLocaleString('en'), `${n} items`]);
      if (s.small.length) rows.push(...oursRows(n, `, pageSize ${shortest}`, s.small, own(threadId, 'small'), bytes.get(`${n} ${shortest + 1}`)!, shortest));
    }
    /** Ours on screen (or the data only, when the page did not render): the median. */
    const oursMs = (xs: OursSample[]) => median(withPage ? xs.flatMap((x) => (x.screen === undefined ? [] : [x.screen])) : xs.map((x) => x.fetch));
    const pct = (from: number, to: number) => `${to >= from ? '+' : ''}${(((to - from) / from) * 100).toFixed(0)} %`;
    const [shortS, longS] = SIZES.map((n) => samples.get(n)!) as [Samples, Samples];
    const at10 = oursMs(shortS.ours);
    const at1000 = oursMs(longS.ours);
    notes.push(
      `${label}: ours ${withPage ? 'on screen' : 'data only ((c) not measured)'} at ${SIZES[1]} checkpoints ${fmt(at1000)} ms vs the SDK's read ${fmt(median(longS.sdk))} ms ` +
        `(${(at1000 / median(longS.sdk)).toFixed(2)}×); at ${SIZES[0]} vs ${SIZES[1]}: ${fmt(at10)} → ${fmt(at1000)} ms, ${pct(at10, at1000)} ` +
        `(with ${shortest} rows at both: ${fmt(oursMs(longS.small))} ms, ${pct(at10, oursMs(longS.small))}); goal: within 20 %.`,
    );

    // (d) Two diffs on the 1,000-checkpoint thread.
    const big = threads.get(SIZES[1]!)!;
    const diffRows: Row[] = [];
    for (const [name, older, newer] of [
      ['head vs its parent (a note rewritten; 5 MB both sides)', big.headParent, big.head],
      ['5 MB arrives vs its parent (101 messages added)', big.bigParent, big.bigAt],
    ] as const) {
      const oursD: DiffSample[] = [];
      const baseD: DiffSample[] = [];
      let summary = '';
      let baseChanges = 0;
      for (let round = 0; round < WARMUP + ROUNDS; round++) {
        const runOurs = async (): Promise<DiffSample> => {
          const got = await timed(() => Promise.all([client.threads.getStateAt(big.threadId, older), client.threads.getStateAt(big.threadId, newer)]));
          const [a, b] = got.value;
          const computed = await timed(async () => {
            const keys = diffKeys(a.values, b.values);
            return { keys, diffs: [...keys.added, ...keys.removed, ...keys.changed].map((k) => diffKey(a.values, b.values, k)) };
          });
          const d = computed.value.diffs[0];
          summary = `keys changed ${computed.value.keys.changed.join(', ') || '—'}; messages +${d?.messages?.added.length ?? 0} −${d?.messages?.removed.length ?? 0} ~${d?.messages?.changed.length ?? 0}`;
          return { fetch: got.ms, compute: computed.ms };
        };
        const runBase = async (): Promise<DiffSample> => {
          const got = await timed(() => Promise.all([sdk.threads.getState(big.threadId, older), sdk.threads.getState(big.threadId, newer)]));
          const [a, b] = got.value;
          const computed = await timed(async () => diff(a.values as Record<string, unknown>, b.values as Record<string, unknown>));
          baseChanges = computed.value.length;
          return { fetch: got.ms, compute: computed.ms };
        };
        let a: DiffSample;
        let b: DiffSample;
        if (round % 2 === 0) {
          a = await runOurs();
          b = await runBase();
        } else {
          b = await runBase();
          a = await runOurs();
        }
        if (round < WARMUP) continue;
        oursD.push(a);
        baseD.push(b);
      }
      const total = (xs: DiffSample[]) => xs.map((x) => x.fetch + x.compute);
      const cells = (xs: DiffSample[]) => [fmt(median(total(xs))), fmt(p95(total(xs))), fmt(median(xs.map((x) => x.fetch))), fmt(median(xs.map((x) => x.compute)))];
      diffRows.push([label, name, 'ours: getStateAt ×2 + diffKeys + diffKey', ...cells(oursD), summary]);
      diffRows.push([label, name, 'SDK: getState ×2 + microdiff(values)', ...cells(baseD), `${baseChanges} microdiff entries`]);
    }
    return { rows, diffRows, notes };
  } finally {
    await client.close();
    await server.stop();
  }
}

export default async function historyBench(ctx: BenchContext): Promise<void> {
  const browser = await launchBrowser();
  let panel: { url: string; server: Server } | undefined;
  try {
    panel = await servePanel();
    const rows: Row[] = [['server', 'checkpoints', 'what', 'median ms', 'p95 ms', 'server ms (its log)', 'bytes', 'note']];
    const diffRows: Row[] = [['server', 'checkpoints compared', 'how', 'median ms', 'p95 ms', 'read ms (median)', 'diff ms (median)', 'what it found']];
    const notes: string[] = [];
    // One server implementation at a time, so that neither shares the cores with the other.
    for (const kind of ctx.servers) {
      const r = await measureOn(kind, browser, panel.url, ctx);
      rows.push(...r.rows);
      diffRows.push(...r.diffRows);
      notes.push(...r.notes);
    }
    ctx.table(`First page of history vs the SDK's getHistory({ limit: 1000 }), 5 MB at the head (${ROUNDS} rounds after ${WARMUP}, interleaved)`, rows);
    ctx.table(`A diff of two checkpoints of the 5 MB state (1,000-checkpoint thread, ${ROUNDS} rounds)`, diffRows);
    ctx.note(notes.join('\n'));
    const rank = ROUNDS - Math.min(ROUNDS - 1, Math.floor(ROUNDS * 0.95));
    ctx.note(`p95 of ${ROUNDS} samples: the ${rank === 1 ? '' : `${rank}${['th', 'st', 'nd', 'rd'][rank] ?? 'th'} `}slowest. Chromium ${browser.version()} headless; panel bundle minified by esbuild as in the .vsix.`);
  } finally {
    await browser.close();
    panel?.server.close();
  }
}
