/** The background-run tracker (no vscode import). */
export { RunTracker, MAX_OPEN_JOINS, NOT_STOPPED, type TrackedRun, type TrackerOptions, type FollowResult, type CancelResult } from './tracker';
export type { StreamedEnd } from './follower';
export { clientBackend, type RunsBackend, type JoinAnswer, type RunSnapshot } from './backend';
export { systemClock, type Clock } from './clock';
export { Batcher } from './batcher';
export { describeEnd, summarizeEnds, severityOf, runName, type RunOutcome } from '../runOutcome';
export type { RunEndReport } from '../refs';
export { MemoryStorage, type TrackerStorage, type PersistedState } from './storage';
export { STUCK_AFTER_OUTAGE, STUCK_THREAD_IDLE } from './deploymentWatch';
