/**
 * Issue 5: following background runs. For the same runs on the same real server, each client
 * is put behind a counting loopback proxy and measured for requests per run, client connections,
 * and the delay from a run's end (the server's own `updated_at` of the ended run) to the client
 * knowing it ended:
 *  - the tracker (RunTracker over the extension's client: one join per run, then one status read);
 *  - the official SDK's `runs.join` (@langchain/langgraph-sdk 2.0.0), which says the run is over
 *    but not how (that needs a `runs.get` more: the last SDK row); with its default options (at
 *    most 4 requests at once) and with that cap lifted;
 *  - a naive client that reads each run every second until it ends.
 * Scenario 1: 8 runs of 1–4.5 s started together. Scenario 2: 50 runs of 2–8 s started together.
 * On each Agent Server asked for (`--server`), one after the other: a row per server and client.
 */
import { Client } from '@langchain/langgraph-sdk';
import { AgentServerClient } from '../src/api';
import { clientBackend } from '../src/core/tracker/backend';
import { MemoryStorage } from '../src/core/tracker/storage';
import { RunTracker } from '../src/core/tracker/tracker';
import { startAgentServer, type ServerKind } from '../test/harness/agentServer';
import { RecordingProxy } from '../test/harness/proxy';
import { until } from '../test/harness/until';
import type { BenchContext } from './run';
import { fmt, median, p95 } from './stats';

interface Started {
  threadId: string;
  runId: string;
}

type Follow = (runs: Started[], url: string, reported: (runId: string) => void) => Promise<void>;

const ACTIVE = new Set(['pending', 'running']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const followers: Record<string, Follow> = {
  'tracker (this extension)': async (runs, url, reported) => {
    const client = new AgentServerClient({ url, retries: 0 });
    const tracker = new RunTracker({ backendFor: async () => clientBackend(client), storage: new MemoryStorage() });
    const done = new Promise<void>((resolve) => {
      let left = runs.length;
      tracker.onDidEnd((e) => {
        reported(e.runId);
        if (--left === 0) resolve();
      });
    });
    for (const run of runs) tracker.follow({ deploymentUrl: url, ...run });
    await done;
    tracker.dispose();
    await client.close();
  },
  'SDK runs.join (ended, status unknown)': async (runs, url, reported) => {
    const sdk = new Client({ apiUrl: url });
    await Promise.all(
      runs.map(async (r) => {
        await sdk.runs.join(r.threadId, r.runId);
        reported(r.runId);
      }),
    );
  },
  'SDK runs.join, maxConcurrency ∞ (status unknown)': async (runs, url, reported) => {
    const sdk = new Client({ apiUrl: url, callerOptions: { maxConcurrency: Infinity } });
    await Promise.all(
      runs.map(async (r) => {
        await sdk.runs.join(r.threadId, r.runId);
        reported(r.runId);
      }),
    );
  },
  'SDK runs.join + runs.get (status known)': async (runs, url, reported) => {
    const sdk = new Client({ apiUrl: url });
    await Promise.all(
      runs.map(async (r) => {
        await sdk.runs.join(r.threadId, r.runId);
        await sdk.runs.get(r.threadId, r.runId);
        reported(r.runId);
      }),
    );
  },
  'naive: GET the run every 1 s': async (runs, url, reported) => {
    await Promise.all(
      runs.map(async (r) => {
        for (;;) {
          const res = await fetch(`${url}/threads/${r.threadId}/runs/${r.runId}`);
          const run = (await res.json()) as { status: string };
          if (!ACTIVE.has(run.status)) return reported(r.runId);
          await sleep(1_000);
        }
      }),
    );
  },
};

interface Measured {
  name: string;
  requests: number;
  perRun: number;
  kinds: string;
  maxConnections: number;
  delays: number[];
}

const SCENARIOS: [string, number[]][] = [
  ['8 runs of 1–4.5 s started together', Array.from({ length: 8 }, (_, i) => 1_000 + i * 500)],
  ['50 runs of 2–8 s started together', Array.from({ length: 50 }, (_, i) => 2_000 + ((i * 739) % 6_000))],
];

/** Every client on every scenario against one Agent Server implementation: a row each, per scenario. */
async function measureOn(kind: ServerKind, tables: (string | number)[][][]): Promise<void> {
  const server = await startAgentServer({ server: kind });
  const proxy = new RecordingProxy(server.url);
  const direct = new AgentServerClient({ url: server.url });
  try {
    const url = await proxy.start();
    const start = async (delays: number[]): Promise<Started[]> =>
      Promise.all(
        delays.map(async (delay_ms) => {
          const thread = await direct.threads.create();
          const run = await direct.runs.create(thread.thread_id, { assistant_id: 'slow', input: { messages: [] }, context: { delay_ms } });
          return { threadId: thread.thread_id, runId: run.run_id };
        }),
      );

    async function measure(name: string, follow: Follow, delays: number[]): Promise<Measured> {
      proxy.reset();
      const runs = await start(delays); // created directly: only following is counted
      const reportedAt = new Map<string, number>();
      await follow(runs, url, (runId) => reportedAt.set(runId, Date.now()));
      const requests = proxy.requests;
      const kinds = [...proxy.kinds].map(([k, n]) => `${k} ${n}`).join(', ');
      const maxConnections = proxy.maxConnections;
      const ends = await Promise.all(runs.map((r) => direct.runs.get(r.threadId, r.runId)));
      const delaysMs = ends.map((run) => reportedAt.get(run.run_id)! - Date.parse(run.updated_at));
      await until(async () => proxy.openConnections, (open) => open === 0, { timeoutMs: 10_000 }); // idle keep-alive connections time out before the next client
      return { name, requests, perRun: requests / runs.length, kinds, maxConnections, delays: delaysMs };
    }

    // Warm up the graph (first run of a graph pays its compile).
    await direct.runs.wait((await direct.threads.create()).thread_id, { assistant_id: 'slow', input: { messages: [] }, context: { delay_ms: 10 } });

    for (const [i, [, delays]] of SCENARIOS.entries()) {
      for (const [name, follow] of Object.entries(followers)) {
        const m = await measure(name, follow, delays);
        tables[i]!.push([kind, m.name, m.requests, m.perRun.toFixed(2), m.kinds, m.maxConnections, fmt(median(m.delays)), fmt(p95(m.delays)), fmt(Math.max(...m.delays))]);
      }
    }
  } finally {
    await direct.close();
    await proxy.stop();
    await server.stop();
  }
}

export default async function trackerBench(ctx: BenchContext): Promise<void> {
  const tables = SCENARIOS.map(() => [
    ['server', 'client', 'requests', 'per run', 'by kind', 'max connections', 'end→known median ms', 'p95 ms', 'max ms'],
  ]);
  // One server implementation at a time, so that neither shares the cores with the other.
  for (const kind of ctx.servers) await measureOn(kind, tables);
  for (const [i, [title]] of SCENARIOS.entries()) ctx.table(title, tables[i]!);
  ctx.note(
    'end→known: from the run\'s updated_at on the server (set when it ends) to the client knowing. ' +
      'The JS dev server answers a join on its 500 ms poll, the Python one ≈10 ms after the end. ' +
      'SDK default: at most 4 requests at once per client.',
  );
}
