import { canonicalUrl } from './deployments';

/**
 * How features name a thread or a run to each other (and in command arguments from
 * notifications, the tracker and the webview), without holding tree nodes.
 */
import type { RunOutcome } from './runOutcome';
export interface ThreadRef {
  /** The deployment's normalized URL (its id). */
  deploymentUrl: string;
  threadId: string;
}

export interface RunRef extends ThreadRef {
  runId: string;
}

/** How a followed run ended, as the tracker reports it. */
export interface RunEnded extends RunRef {
  /** The run's real status from GET …/runs/{id}: success, error, timeout, interrupted… */
  status: string;
  /** The thread's status after the run (interrupted means it waits for input). */
  threadStatus?: string;
  /** The server's error message for failed runs. */
  error?: string;
  /** How it ended, as the tracker saw it (it knows a cancel the run's status does not show). */
  outcome: RunOutcome;
}

/** A followed run's end, as the tracker reports and keeps it. */
export interface RunEndReport extends RunEnded {
  /** What the run is called in lists: its graph when known. */
  label?: string;
  question?: string;
  /** When the tracker noticed the end (its clock). */
  endedAt: number;
}

/**
 * The ref with its deployment URL spelt as deployment ids are, so that `…:2024/` and `…:2024`
 * name one thread (one panel) or one run (one follower).
 */
export function canonicalRef<T extends ThreadRef>(ref: T): T {
  return { ...ref, deploymentUrl: canonicalUrl(ref.deploymentUrl) };
}

export function isThreadRef(value: unknown): value is ThreadRef {
  const v = value as Partial<ThreadRef> | undefined;
  return typeof v?.deploymentUrl === 'string' && typeof v.threadId === 'string';
}

export function isRunRef(value: unknown): value is RunRef {
  return isThreadRef(value) && typeof (value as Partial<RunRef>).runId === 'string';
}
