/** Builds a tracker on fake time and a fake server, and records what it reports. */
import type { RunEndReport, RunRef } from '../../../src/core/refs';
import { MemoryStorage } from '../../../src/core/tracker/storage';
import { RunTracker, type TrackedRun, type TrackerOptions } from '../../../src/core/tracker/tracker';
import { FakeBackend, FakeClock, settle } from './fakes';

export const REMOTE = 'https://agents.example.test';
export const LOOPBACK = 'http://127.0.0.1:2024';

export function ref(runId: string, deploymentUrl = REMOTE): RunRef {
  return { deploymentUrl, threadId: `t-${runId}`, runId };
}

export interface Rig {
  clock: FakeClock;
  backend: FakeBackend;
  storage: MemoryStorage;
  tracker: RunTracker;
  ended: RunEndReport[];
  suspects: TrackedRun[];
  changes: number;
}

export function rig(options: { storage?: MemoryStorage; settings?: TrackerOptions['settings']; clock?: FakeClock; backend?: FakeBackend } = {}): Rig {
  const clock = options.clock ?? new FakeClock();
  const backend = options.backend ?? new FakeBackend();
  const storage = options.storage ?? new MemoryStorage();
  const tracker = new RunTracker({
    backendFor: async () => backend,
    storage,
    clock,
    random: () => 1, // backoff delays at their full value: predictable
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const r: Rig = { clock, backend, storage, tracker, ended: [], suspects: [], changes: 0 };
  tracker.onDidEnd((e) => r.ended.push(e));
  tracker.onDidSuspect((s) => r.suspects.push(s));
  tracker.onDidChange(() => r.changes++);
  return r;
}

/** Follows runs that the fake server has (running unless said otherwise) and lets joins open. */
export async function followRuns(r: Rig, ids: string[], url = REMOTE, status = 'running'): Promise<void> {
  for (const id of ids) {
    if (!r.backend.runs.has(id)) r.backend.addRun(id, `t-${id}`, status);
    r.tracker.follow(ref(id, url));
  }
  await settle();
}
