/**
 * How a run's row in the tree reads, without vscode (the unit suite checks it): its graph as the
 * label; how it stands, in the words of core/runOutcome.ts, and its age as the description, like
 * a thread's row (`idle · 5 min ago`).
 */
import type { Run } from '../../api';
import { isActiveRun, phaseOf, RUN_WORDS, type RunOutcome, type RunPhase } from '../../core/runOutcome';
import { shortId, timeAgo } from '../../core/threadLabels';

export interface RunRowContext {
  /** The thread's status: given for the thread's latest run only (it speaks for that run). */
  threadStatus?: string;
  /** How the tracker saw the run end (it knows a cancel the run's status does not show). */
  ended?: RunOutcome;
  /** The nodes it runs now, while a thread panel streams it. */
  nodes?: readonly string[];
}

export interface RunRow {
  label: string;
  description: string;
  phase: RunPhase;
  active: boolean;
}

export function runRow(run: Pick<Run, 'status' | 'metadata' | 'assistant_id' | 'created_at'>, context: RunRowContext = {}, now = Date.now()): RunRow {
  const graph = typeof run.metadata.graph_id === 'string' ? run.metadata.graph_id : shortId(run.assistant_id);
  const phase = phaseOf({ runStatus: run.status, ...context });
  return {
    label: graph,
    description: [RUN_WORDS[phase].word, isActiveRun(run.status) && context.nodes?.length ? `in ${context.nodes.join(', ')}` : '', timeAgo(run.created_at, now)].filter(Boolean).join(' · '),
    phase,
    active: isActiveRun(run.status),
  };
}
