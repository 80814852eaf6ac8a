/**
 * Issue 3: time to the first page of threads for a deployment holding 100 and one holding 10,000
 * threads, and the bytes per page. Ours asks like the tree does (`select` without values, newest
 * first, 50 a page); the baseline asks like a plain client or the SDK's `threads.search()` default
 * (no `select`: every thread comes with its values). The newest 50 threads of each deployment hold
 * a real agent conversation, so values weigh what they weigh in practice. Both deployments are
 * measured in the same run, interleaved, 30 times each; on each Agent Server asked for (`--server`),
 * one after the other, a row per server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentServerClient } from '../src/api';
import { THREAD_LIST_FIELDS } from '../src/ui/tree/threadFields';
import { startAgentServer, type AgentServer, type ServerKind } from '../test/harness/agentServer';
import { userInput } from '../test/harness/messages';
import type { BenchContext } from './run';
import { fmt, median, p95, timed } from './stats';

const PAGE = 50;
const ROUNDS = 30;

async function fill(client: AgentServerClient, total: number): Promise<void> {
  const plain = total - PAGE;
  for (let made = 0; made < plain; made += 100) {
    await Promise.all(Array.from({ length: Math.min(100, plain - made) }, () => client.threads.create({ metadata: { bench: true } })));
  }
  // The newest page: threads with a real conversation in their values.
  for (let made = 0; made < PAGE; made += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const t = await client.threads.create({ metadata: { bench: true, title: `conversation ${made + i}` } });
        await client.runs.wait(t.thread_id, { assistant_id: 'agent', input: userInput(`what's the weather in city ${made + i}`) });
      }),
    );
  }
}

/**
 * The server's own handling time of each search, from its log ("--> POST /threads/search 200 3ms"),
 * in request order: ours and the baseline alternate, after the warm-up rounds. Only the JS dev
 * server logs it: the Python one logs requests only at `--server-log-level` INFO (the dev
 * default is WARNING: failed requests only).
 */
function serverTimes(server: AgentServer): { ours: number[]; base: number[] } | undefined {
  if (server.server !== 'js') return undefined;
  const log = readFileSync(join(__dirname, '../../.test-runs', `agent-server-${server.port}`, 'server.log'), 'utf8');
  const ms = [...log.matchAll(/--> POST \/threads\/search 200 (\d+)ms/g)].map((m) => Number(m[1])).slice(6, 6 + 2 * ROUNDS);
  return { ours: ms.filter((_, i) => i % 2 === 0), base: ms.filter((_, i) => i % 2 === 1) };
}

async function pageBytes(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/threads/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.arrayBuffer()).byteLength;
}

/** One Agent Server implementation: two deployments of it (100 and 10,000 threads), its rows. */
async function measureOn(kind: ServerKind, ctx: BenchContext): Promise<(string | number)[][]> {
  const servers: AgentServer[] = [];
  try {
    const sizes = [100, 10_000];
    for (const _ of sizes) servers.push(await startAgentServer({ server: kind }));
    const clients = servers.map((s) => new AgentServerClient({ url: s.url }));
    const fillStart = Date.now();
    await Promise.all(sizes.map((n, i) => fill(clients[i]!, n)));
    for (const [i, n] of sizes.entries()) {
      const count = await clients[i]!.threads.count();
      if (count !== n) throw new Error(`${kind}: expected ${n} threads, found ${count}`);
    }
    ctx.note(`${kind}: filled ${sizes.join(' and ')} threads in ${((Date.now() - fillStart) / 1000).toFixed(0)} s.`);

    const ours = (c: AgentServerClient) => c.threads.list({ select: THREAD_LIST_FIELDS, limit: PAGE, sortBy: 'updated_at', sortOrder: 'desc' });
    const baseline = (c: AgentServerClient) => c.threads.search({ limit: PAGE });
    const samples = new Map<string, number[]>();
    const add = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
    for (let round = 0; round < ROUNDS + 3; round++) {
      for (const [i, n] of sizes.entries()) {
        const a = await timed(() => ours(clients[i]!));
        const b = await timed(() => baseline(clients[i]!));
        if (round >= 3) {
          // the first rounds warm the connection and the server
          add(`ours ${n}`, a.ms);
          add(`base ${n}`, b.ms);
        }
      }
    }
    const bytes = async (i: number, select: boolean) =>
      pageBytes(servers[i]!.url, { limit: PAGE, offset: 0, sort_by: 'updated_at', sort_order: 'desc', ...(select ? { select: [...THREAD_LIST_FIELDS] } : {}) });
    const rows: (string | number)[][] = [];
    for (const [i, n] of sizes.entries()) {
      const server = serverTimes(servers[i]!);
      const own = (ms: number[] | undefined) => (ms ? median(ms) : '—');
      rows.push([kind, 'tree: select, no values', n, fmt(median(samples.get(`ours ${n}`)!)), fmt(p95(samples.get(`ours ${n}`)!)), own(server?.ours), await bytes(i, true)]);
      rows.push([kind, 'baseline: search, no select', n, fmt(median(samples.get(`base ${n}`)!)), fmt(p95(samples.get(`base ${n}`)!)), own(server?.base), await bytes(i, false)]);
    }
    await Promise.all(clients.map((c) => c.close()));
    return rows;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export default async function threadsBench(ctx: BenchContext): Promise<void> {
  const rows: (string | number)[][] = [['server', 'request', 'threads held', 'median ms', 'p95 ms', 'server ms (its log)', 'bytes per page']];
  // One server implementation at a time: measuring both at once would share the 2 cores.
  for (const kind of ctx.servers) rows.push(...(await measureOn(kind, ctx)));
  ctx.table(`First page of ${PAGE} threads (${ROUNDS} rounds, interleaved)`, rows);
}
