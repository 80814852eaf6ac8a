/**
 * What the thread panel shows, built from the server's answers: the thread's status, the run's
 * outcome, the final state and what it waits for. Plain data (it crosses to the webview as JSON);
 * the webview turns `state.values` into messages itself, so megabytes of values cross once.
 */
import { taskErrorMessage, type Run, type Thread, type ThreadState } from '../api';
import type { ThreadRef } from './refs';
import { phaseOf, RUN_WORDS, runSays, type RunOutcome, type RunPhase, type RunTone } from './runOutcome';
import { threadLabel } from './threadLabels';

/** The run at the top of the panel, in the words of core/runOutcome.ts. */
export interface RunView {
  runId: string;
  /** The server's status. */
  status: string;
  phase: RunPhase;
  /** What follows "Run abc12345" ("was cancelled"). */
  says: string;
  tone: RunTone;
  createdAt?: string;
  /** The server's words for a failed run. */
  error?: string;
}

export interface InterruptView {
  id?: string;
  /** The node (task) that called interrupt(). */
  task?: string;
  value: unknown;
}

export interface ThreadView {
  ref: ThreadRef;
  deploymentName: string;
  title: string;
  thread: {
    status?: string;
    createdAt?: string;
    updatedAt?: string;
    metadata: Record<string, unknown>;
  };
  /** The run the panel was opened for, else the thread's latest run. */
  run?: RunView;
  state: {
    values: unknown;
    next: string[];
    tasks: unknown[];
    checkpoint: unknown;
    parentCheckpoint: unknown;
    metadata: unknown;
    createdAt?: string;
  };
  interrupts: InterruptView[];
  /** Task errors in words (a failed run leaves its error on the task that raised it). */
  taskErrors: string[];
  /** What a resume run is created with: the thread's assistant or graph. */
  assistantId?: string;
  /** Stopped at a breakpoint: the node(s) whose step it waits after ([] before a run's first node). */
  pausedAfter?: string[];
  /** When this was read from the server (ISO). */
  loadedAt: string;
}

export interface ThreadViewInput {
  ref: ThreadRef;
  deploymentName: string;
  thread?: Partial<Pick<Thread, 'status' | 'metadata' | 'created_at' | 'updated_at'>>;
  state: ThreadState;
  run?: Run;
  /** What the tracker said when the run ended (its error is the server's own words). */
  ended?: { runId: string; status: string; error?: string; outcome?: RunOutcome };
  /** Read only for a thread stopped at a breakpoint (see ThreadView.pausedAfter). */
  pausedAfter?: string[];
  now?: Date;
}

export function buildThreadView(input: ThreadViewInput): ThreadView {
  const { ref, state, run, ended } = input;
  const metadata = input.thread?.metadata ?? {};
  const taskErrors = (state.tasks ?? []).flatMap((t) => (t.error ? [taskErrorMessage(t.error)] : []));
  const view: ThreadView = {
    ref: { deploymentUrl: ref.deploymentUrl, threadId: ref.threadId },
    deploymentName: input.deploymentName,
    title: threadLabel(ref.threadId, metadata),
    thread: {
      status: input.thread?.status,
      createdAt: input.thread?.created_at,
      updatedAt: input.thread?.updated_at,
      metadata,
    },
    state: {
      values: state.values ?? null,
      next: state.next ?? [],
      tasks: state.tasks ?? [],
      checkpoint: state.checkpoint ?? null,
      parentCheckpoint: state.parent_checkpoint ?? null,
      metadata: state.metadata ?? null,
      createdAt: state.created_at ?? undefined,
    },
    interrupts: interruptsOf(state),
    taskErrors,
    assistantId: assistantOf(run, state, metadata),
    loadedAt: (input.now ?? new Date()).toISOString(),
  };
  if (input.pausedAfter) view.pausedAfter = [...input.pausedAfter];
  if (run) view.run = runViewOf(run, input, taskErrors);
  else if (ended) view.run = { ...words(ended.runId, ended.status, phaseOf({ runStatus: ended.status, ended: ended.outcome })), ...(ended.error ? { error: ended.error } : {}) };
  return view;
}

function runViewOf(run: Run, input: ThreadViewInput, taskErrors: string[]): RunView {
  const ended = input.ended?.runId === run.run_id ? input.ended : undefined;
  // The thread's status speaks for the run the state came from (its latest).
  const stateRun = (input.state.metadata as { run_id?: unknown } | null | undefined)?.run_id;
  const latest = stateRun === undefined || stateRun === run.run_id;
  const phase = phaseOf({
    runStatus: run.status,
    threadStatus: latest ? input.thread?.status : undefined,
    // The state says whether the thread waits at one (Python leaves a cancelled thread "interrupted").
    interrupts: interruptsOf(input.state).length > 0,
    ended: ended?.outcome,
  });
  const view: RunView = { ...words(run.run_id, run.status, phase), createdAt: run.created_at };
  if (phase === 'failed' || phase === 'timed-out') {
    view.error = ended?.error ?? taskErrors[0] ?? `The run ended with status "${run.status}" and the server gave no message.`;
  }
  return view;
}

function words(runId: string, status: string, phase: RunPhase): RunView {
  return { runId, status, phase, says: runSays(phase, status), tone: RUN_WORDS[phase].tone };
}

/** Interrupts from the state's tasks (where the JS server puts them) and its top level, once each. */
export function interruptsOf(state: Pick<ThreadState, 'tasks' | 'interrupts'>): InterruptView[] {
  const out: InterruptView[] = [];
  const seen = new Set<string>();
  const add = (i: { id?: string; value?: unknown }, task?: string) => {
    if (i.id && seen.has(i.id)) return;
    if (i.id) seen.add(i.id);
    out.push({ ...(i.id ? { id: i.id } : {}), ...(task ? { task } : {}), value: i.value ?? null });
  };
  for (const task of state.tasks ?? []) for (const i of task.interrupts ?? []) add(i, task.name);
  for (const i of state.interrupts ?? []) add(i);
  return out;
}

function assistantOf(run: Run | undefined, state: ThreadState, threadMetadata: Record<string, unknown>): string | undefined {
  const meta = (state.metadata ?? {}) as Record<string, unknown>;
  for (const candidate of [run?.assistant_id, meta.assistant_id, meta.graph_id, threadMetadata.assistant_id, threadMetadata.graph_id]) {
    if (typeof candidate === 'string' && candidate) return candidate;
  }
  return undefined;
}
