/**
 * What the thread panel shows, built from the server's answers: the thread's status, the run's
 * outcome, the final state and what it waits for. Plain data (it crosses to the webview as JSON);
 * the webview turns `state.values` into messages itself, so megabytes of values cross once.
 */
import type { Run, Thread, ThreadState } from '../api';
import type { ThreadRef } from './refs';
import { threadLabel } from './threadLabels';

export interface RunOutcome {
  runId: string;
  status: string;
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
  run?: RunOutcome;
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
  ended?: { runId: string; status: string; error?: string };
  now?: Date;
}

export function buildThreadView(input: ThreadViewInput): ThreadView {
  const { ref, state, run, ended } = input;
  const metadata = input.thread?.metadata ?? {};
  const taskErrors = (state.tasks ?? []).map((t) => taskError(t.error)).filter((e): e is string => !!e);
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
  if (run) view.run = outcomeOf(run, ended, taskErrors);
  else if (ended) view.run = { runId: ended.runId, status: ended.status, ...(ended.error ? { error: ended.error } : {}) };
  return view;
}

function outcomeOf(run: Run, ended: ThreadViewInput['ended'], taskErrors: string[]): RunOutcome {
  const outcome: RunOutcome = { runId: run.run_id, status: run.status, createdAt: run.created_at };
  if (run.status === 'error' || run.status === 'timeout') {
    const fromTracker = ended?.runId === run.run_id ? ended.error : undefined;
    outcome.error = fromTracker ?? taskErrors[0] ?? `The run ended with status "${run.status}" and the server gave no message.`;
  }
  return outcome;
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

/** A task's error is JSON text (`{"message", "name"}`) on the JS server, plain text elsewhere. */
export function taskError(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return typeof raw === 'object' ? messageOf(raw as Record<string, unknown>) : String(raw);
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object') return messageOf(parsed as Record<string, unknown>);
    if (typeof parsed === 'string') return parsed;
  } catch {
    // not JSON: the text is the message
  }
  return raw;
}

function messageOf(error: Record<string, unknown>): string {
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
  const name = typeof error.name === 'string' ? error.name : typeof error.error === 'string' ? error.error : '';
  return name && name !== 'Error' ? `${name}: ${message}` : message;
}

function assistantOf(run: Run | undefined, state: ThreadState, threadMetadata: Record<string, unknown>): string | undefined {
  const meta = (state.metadata ?? {}) as Record<string, unknown>;
  for (const candidate of [run?.assistant_id, meta.assistant_id, meta.graph_id, threadMetadata.assistant_id, threadMetadata.graph_id]) {
    if (typeof candidate === 'string' && candidate) return candidate;
  }
  return undefined;
}
