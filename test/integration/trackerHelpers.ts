/** Helpers for the tracker's integration tests: a tracker over a real client, and how to wait for it. */
import { AgentServerClient } from '../../src/api';
import { clientBackend, type RunsBackend } from '../../src/core/tracker/backend';
import type { RunEndReport } from '../../src/core/refs';
import { MemoryStorage } from '../../src/core/tracker/storage';
import { RunTracker, type TrackedRun } from '../../src/core/tracker/tracker';
import type { WaitOptions } from '../harness/until';

export interface RealRig {
  tracker: RunTracker;
  client: AgentServerClient;
  storage: MemoryStorage;
  ended: RunEndReport[];
  suspects: TrackedRun[];
  /** Requests the tracker made, by kind, and the most joins open at once. */
  counts: { join: number; get: number; threads: number; state: number; question: number; maxOpenJoins: number };
  /** Joins opened, per run id. */
  joinsByRun: Map<string, number>;
  close(): Promise<void>;
}

/** A tracker on its own client (no transport retries, as in the extension) that records what it reports. */
export function realTracker(url: string, storage = new MemoryStorage()): RealRig {
  const client = new AgentServerClient({ url, retries: 0 });
  const inner = clientBackend(client);
  const counts = { join: 0, get: 0, threads: 0, state: 0, question: 0, maxOpenJoins: 0 };
  const joinsByRun = new Map<string, number>();
  let open = 0;
  const backend: RunsBackend = {
    ...inner,
    async join(threadId, runId, signal) {
      counts.join++;
      joinsByRun.set(runId, (joinsByRun.get(runId) ?? 0) + 1);
      counts.maxOpenJoins = Math.max(counts.maxOpenJoins, ++open);
      try {
        return await inner.join(threadId, runId, signal);
      } finally {
        open--;
      }
    },
    getRun: (t, r, s) => (counts.get++, inner.getRun(t, r, s)),
    threadStatuses: (ids, s) => (counts.threads++, inner.threadStatuses(ids, s)),
    runError: (t, s) => (counts.state++, inner.runError(t, s)),
    question: (t, s) => (counts.question++, inner.question(t, s)),
  };
  const tracker = new RunTracker({ backendFor: async () => backend, storage });
  const rig: RealRig = {
    tracker,
    client,
    storage,
    ended: [],
    suspects: [],
    counts,
    joinsByRun,
    async close() {
      tracker.dispose();
      await client.close();
    },
  };
  tracker.onDidEnd((e) => rig.ended.push(e));
  tracker.onDidSuspect((s) => rig.suspects.push(s));
  return rig;
}

/** How the tracker tests wait for what the rig records: in memory, so often, and up to a minute. */
export const RIG_WAIT = { timeoutMs: 60_000, everyMs: 50 } satisfies WaitOptions;
