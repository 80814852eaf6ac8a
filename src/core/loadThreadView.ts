/**
 * Reads what the thread panel shows, in parallel: the thread without its values (status,
 * metadata), its state (the values, once), and the run asked for or the latest one; for a thread
 * stopped at a breakpoint, then one history page (the step it stopped after). Every answer
 * must be about this thread (the client checks the ids): an answer about another thread fails the
 * load rather than show that thread's state under this one's title.
 */
import type { AgentServerClient, Run } from '../api';
import type { ThreadRef } from './refs';
import { isBreakpointStop } from './graph/breakpoints';
import { historySource, newestWriters } from './history/historyPages';
import { buildThreadView, interruptsOf, type ThreadView, type ThreadViewInput } from './threadView';

export interface LoadOptions {
  deploymentName: string;
  /** The run to report on; otherwise the thread's latest run. */
  runId?: string;
  ended?: ThreadViewInput['ended'];
  signal?: AbortSignal;
}

const THREAD_FIELDS = ['status', 'metadata', 'created_at', 'updated_at'] as const;

export async function loadThreadView(client: AgentServerClient, ref: ThreadRef, options: LoadOptions): Promise<ThreadView> {
  return buildThreadView(await loadThreadInput(client, ref, options));
}

/** The answers the view is built from (kept by the panel to build it again when only `ended` changes). */
export async function loadThreadInput(client: AgentServerClient, ref: ThreadRef, options: LoadOptions): Promise<ThreadViewInput> {
  const { signal } = options;
  const threadP = client.threads.byId(ref.threadId, THREAD_FIELDS, { signal });
  const stateP = client.threads.getState(ref.threadId, { signal });
  // The run is extra: a thread whose runs cannot be read still shows its state.
  const runP: Promise<Run | undefined> = (
    options.runId
      ? client.runs.get(ref.threadId, options.runId, { signal })
      : client.runs.list(ref.threadId, { limit: 1 }, { signal }).then((page) => page.items.find((r) => r.thread_id === ref.threadId))
  ).catch(() => undefined);
  const [thread, state, run] = await Promise.all([threadP, stateP, runP]);
  // Stopped at a breakpoint: which step it stopped after, from one history page (extra, like the run).
  const stopped = isBreakpointStop({ status: thread?.status, next: state.next ?? [], interruptCount: interruptsOf(state).length });
  const pausedAfter = stopped ? await newestWriters(historySource(client, ref.threadId), signal).catch(() => undefined) : undefined;
  return {
    ref,
    deploymentName: options.deploymentName,
    thread,
    state,
    ...(run ? { run } : {}),
    ...(options.ended ? { ended: options.ended } : {}),
    ...(pausedAfter ? { pausedAfter } : {}),
  };
}
