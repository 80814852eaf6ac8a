/** How a followed run ended, in the words a notification uses. */
import type { RunEnded } from '../refs';
import { shortId } from '../threadLabels';
import type { JoinAnswer } from './backend';

export type RunOutcome =
  | 'succeeded'
  /** Ended at an interrupt (interrupt() or a breakpoint): the thread waits for input. */
  | 'needs-input'
  | 'failed'
  | 'cancelled'
  | 'timed-out'
  /** The server no longer has the run: deleted elsewhere, or lost when the server restarted. */
  | 'gone'
  /** Deleted from here (a stuck run, usually). */
  | 'deleted'
  /** Could not be followed (no such deployment any more, the key was refused…). */
  | 'unfollowable'
  /** A status this extension does not know. */
  | 'ended';

export interface RunEndReport extends RunEnded {
  outcome: RunOutcome;
  /** What the run is called in lists: its graph when known. */
  label?: string;
  question?: string;
  /** When the tracker noticed the end (its clock). */
  endedAt: number;
}

export const ACTIVE_STATUSES: ReadonlySet<string> = new Set(['pending', 'running']);

export interface EndFacts {
  runStatus: string;
  threadStatus?: string;
  join?: JoinAnswer;
  cancelRequested: boolean;
  /** The error message when the join did not give one. */
  error?: string;
}

/** Cancelling a running run makes it `error` with this message; multitask interrupts too. */
const CANCEL_MESSAGES = new Set(['interrupt', 'rollback']);

export function outcomeOf(facts: EndFacts): { outcome: RunOutcome; error?: string } {
  const error = facts.join?.message ?? facts.error;
  switch (facts.runStatus) {
    case 'success':
      return { outcome: facts.join?.kind === 'interrupted' || facts.threadStatus === 'interrupted' ? 'needs-input' : 'succeeded' };
    case 'error':
      if (facts.cancelRequested || (error !== undefined && CANCEL_MESSAGES.has(error))) return { outcome: 'cancelled' };
      return { outcome: 'failed', error: error ?? 'The server gave no message.' };
    // A pending run that was cancelled: it never started.
    case 'interrupted':
      return { outcome: 'cancelled' };
    case 'timeout':
      return { outcome: 'timed-out' };
    default:
      return { outcome: 'ended' };
  }
}

export function runName(run: { runId: string; label?: string }): string {
  return run.label ? `${run.label} · ${shortId(run.runId)}` : shortId(run.runId);
}

/** One sentence for a notification or a list. */
export function describeEnd(report: RunEndReport): string {
  const name = `Run ${runName(report)}`;
  switch (report.outcome) {
    case 'succeeded':
      return `${name} succeeded.`;
    case 'needs-input':
      return `${name} is waiting for input${report.question ? `: ${report.question}` : '.'}`;
    case 'failed':
      return `${name} failed: ${report.error ?? 'no message'}`;
    case 'cancelled':
      return `${name} was cancelled.`;
    case 'timed-out':
      return `${name} timed out.`;
    case 'gone':
      return `${name} no longer exists on the server (deleted elsewhere, or lost when the server restarted).`;
    case 'deleted':
      return `${name} was deleted.`;
    case 'unfollowable':
      return `Stopped following run ${runName(report)}: ${report.error ?? 'it cannot be read.'}`;
    case 'ended':
      return `${name} ended with status "${report.status}".`;
  }
}

const SUMMARY_WORDS: Record<RunOutcome, string> = {
  succeeded: 'succeeded',
  'needs-input': 'waiting for input',
  failed: 'failed',
  cancelled: 'cancelled',
  'timed-out': 'timed out',
  gone: 'gone',
  deleted: 'deleted',
  unfollowable: 'no longer followed',
  ended: 'ended otherwise',
};

const SUMMARY_ORDER: RunOutcome[] = ['succeeded', 'needs-input', 'failed', 'cancelled', 'timed-out', 'gone', 'deleted', 'unfollowable', 'ended'];

/** "3 runs finished: 2 succeeded, 1 failed." */
export function summarizeEnds(reports: readonly RunEndReport[]): string {
  if (reports.length === 1) return describeEnd(reports[0]!);
  const counts = new Map<RunOutcome, number>();
  for (const r of reports) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = SUMMARY_ORDER.filter((o) => counts.has(o)).map((o) => `${counts.get(o)} ${SUMMARY_WORDS[o]}`);
  return `${reports.length} runs finished: ${parts.join(', ')}.`;
}

/** How loud a notification about these ends should be. */
export function severityOf(reports: readonly RunEndReport[]): 'info' | 'warning' | 'error' {
  if (reports.some((r) => r.outcome === 'failed' || r.outcome === 'timed-out')) return reports.length === 1 ? 'error' : 'warning';
  if (reports.some((r) => r.outcome === 'gone' || r.outcome === 'unfollowable' || r.outcome === 'ended')) return 'warning';
  return 'info';
}
