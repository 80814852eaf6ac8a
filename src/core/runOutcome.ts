/**
 * How a run stands, in one vocabulary: the statuses that mean it still goes, how its status (with
 * its thread's status and what the tracker saw) reads as an outcome, and the words and icon for
 * each. Notifications, the tree, the panel and the status bar all say it in these words, so a
 * cancelled run reads "cancelled" everywhere. The api only decodes the server's answers
 * (`__error__` bodies, task errors); it holds no words for people.
 */
import type { RunStatus } from '../api';
import { shortId } from './threadLabels';

/** The run statuses of a run that has not ended. */
export const ACTIVE_RUN_STATUSES = ['pending', 'running'] as const satisfies readonly RunStatus[];
export type ActiveRunStatus = (typeof ACTIVE_RUN_STATUSES)[number];

export function isActiveRun(status: string | undefined): status is ActiveRunStatus {
  return (ACTIVE_RUN_STATUSES as readonly (string | undefined)[]).includes(status);
}

/** How a run ended, in the order summaries list them. */
export const RUN_OUTCOMES = [
  'succeeded',
  /** Ended at an interrupt (interrupt() or a breakpoint): the thread waits for input. */
  'needs-input',
  'failed',
  'cancelled',
  'timed-out',
  /** The server no longer has the run: deleted elsewhere, or lost when the server restarted. */
  'gone',
  /** Deleted from here (a stuck run, usually). */
  'deleted',
  /** Could not be followed (no such deployment any more, the key was refused…). */
  'unfollowable',
  /** A status this extension does not know. */
  'ended',
] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export function isRunOutcome(value: unknown): value is RunOutcome {
  return (RUN_OUTCOMES as readonly unknown[]).includes(value);
}

/** How a run reads at any moment: still going, or how it ended. */
export type RunPhase = ActiveRunStatus | RunOutcome;

/** What is known about a run that ended. */
export interface RunFacts {
  /** The run's status (GET …/runs/{id}). */
  runStatus: string;
  /** The thread's status after the run; only meaningful for the thread's latest run. */
  threadStatus?: string;
  /**
   * Whether the thread waits at an interrupt, when that is known. False for a thread that reads
   * "interrupted" with none: the Python server leaves a thread so after a cancel.
   */
  interrupts?: boolean;
  /** Someone asked (from here) to cancel it. */
  cancelRequested?: boolean;
  /** The server's error message, when one was read. */
  error?: string;
}

/** JS: cancelling a running run makes it `error` with this message; multitask interrupts too. */
const CANCEL_MESSAGES = new Set(['interrupt', 'rollback']);

export function outcomeOf(facts: RunFacts): { outcome: RunOutcome; error?: string } {
  const { error } = facts;
  switch (facts.runStatus) {
    case 'success':
      // A run that stopped at interrupt() succeeded and left its thread waiting; a thread left
      // "interrupted" by a later run's cancel (Python) waits at no interrupt.
      return { outcome: facts.threadStatus === 'interrupted' && facts.interrupts !== false ? 'needs-input' : 'succeeded' };
    case 'error':
      if (facts.cancelRequested || (error !== undefined && CANCEL_MESSAGES.has(error))) return { outcome: 'cancelled' };
      return { outcome: 'failed', error: error ?? 'The server gave no message.' };
    // Cancelled: a pending run (both servers: it never started), or a running one on the Python
    // server (JS: `error`, above).
    case 'interrupted':
      return { outcome: 'cancelled' };
    case 'timeout':
      return { outcome: 'timed-out' };
    default:
      return { outcome: 'ended' };
  }
}

/**
 * How a run reads now: its status while it is active, else what the tracker saw it end as
 * (`ended`: it knows a cancel the run's status does not show), else what its status says.
 */
export function phaseOf(facts: RunFacts & { ended?: RunOutcome }): RunPhase {
  if (isActiveRun(facts.runStatus)) return facts.runStatus;
  return facts.ended ?? outcomeOf(facts).outcome;
}

/** How a followed run reads while it is followed: its last status read, or running before one is. */
export function followedPhase(runStatus: string | undefined): ActiveRunStatus {
  return isActiveRun(runStatus) ? runStatus : 'running';
}

/** Tones, for colours: the tree's theme colours, the panel's CSS classes. */
export type RunTone = 'active' | 'waiting' | 'ok' | 'bad' | 'quiet';

export interface RunWords {
  /** One or two words for lists and summaries ("waiting for input"). */
  word: string;
  /** What follows "Run abc12345" in a sentence ("is waiting for input"). */
  says: string;
  /** A codicon name. */
  icon: string;
  tone: RunTone;
}

export const RUN_WORDS: Readonly<Record<RunPhase, RunWords>> = {
  pending: { word: 'pending', says: 'is pending', icon: 'clock', tone: 'waiting' },
  running: { word: 'running', says: 'is running', icon: 'sync~spin', tone: 'active' },
  succeeded: { word: 'succeeded', says: 'succeeded', icon: 'pass', tone: 'ok' },
  'needs-input': { word: 'waiting for input', says: 'is waiting for input', icon: 'debug-pause', tone: 'waiting' },
  failed: { word: 'failed', says: 'failed', icon: 'error', tone: 'bad' },
  cancelled: { word: 'cancelled', says: 'was cancelled', icon: 'debug-stop', tone: 'quiet' },
  'timed-out': { word: 'timed out', says: 'timed out', icon: 'watch', tone: 'bad' },
  gone: { word: 'gone', says: 'no longer exists on the server', icon: 'question', tone: 'quiet' },
  deleted: { word: 'deleted', says: 'was deleted', icon: 'trash', tone: 'quiet' },
  unfollowable: { word: 'no longer followed', says: 'is no longer followed', icon: 'eye-closed', tone: 'quiet' },
  ended: { word: 'ended otherwise', says: 'ended', icon: 'circle-outline', tone: 'quiet' },
};

/** "is waiting for input", or for a status this extension does not know `ended with status "x"`. */
export function runSays(phase: RunPhase, status: string): string {
  return phase === 'ended' ? `ended with status "${status}"` : RUN_WORDS[phase].says;
}

export function runName(run: { runId: string; label?: string }): string {
  return run.label ? `${run.label} · ${shortId(run.runId)}` : shortId(run.runId);
}

/** What the words about a run's end need (the tracker's RunEndReport has it all). */
export interface EndedRun {
  runId: string;
  label?: string;
  status: string;
  outcome: RunOutcome;
  error?: string;
  question?: string;
}

/** One sentence for a notification or a list. */
export function describeEnd(run: EndedRun): string {
  const name = `Run ${runName(run)}`;
  const says = runSays(run.outcome, run.status);
  switch (run.outcome) {
    case 'needs-input':
      return `${name} ${says}${run.question ? `: ${run.question}` : '.'}`;
    case 'failed':
      return `${name} ${says}: ${run.error ?? 'no message'}`;
    case 'gone':
      return `${name} ${says} (deleted elsewhere, or lost when the server restarted).`;
    case 'unfollowable':
      return `Stopped following run ${runName(run)}: ${run.error ?? 'it cannot be read.'}`;
    default:
      return `${name} ${says}.`;
  }
}

/** "3 runs finished: 2 succeeded, 1 failed." */
export function summarizeEnds(runs: readonly EndedRun[]): string {
  if (runs.length === 1) return describeEnd(runs[0]!);
  const counts = new Map<RunOutcome, number>();
  for (const r of runs) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = RUN_OUTCOMES.filter((o) => counts.has(o)).map((o) => `${counts.get(o)} ${RUN_WORDS[o].word}`);
  return `${runs.length} runs finished: ${parts.join(', ')}.`;
}

/** How loud a notification about these ends should be. */
export function severityOf(runs: readonly EndedRun[]): 'info' | 'warning' | 'error' {
  if (runs.some((r) => r.outcome === 'failed' || r.outcome === 'timed-out')) return runs.length === 1 ? 'error' : 'warning';
  if (runs.some((r) => r.outcome === 'gone' || r.outcome === 'unfollowable' || r.outcome === 'ended')) return 'warning';
  return 'info';
}
