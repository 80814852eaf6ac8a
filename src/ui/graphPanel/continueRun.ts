/**
 * Continue and Step from a thread that stopped at a breakpoint (`langgraph.continueRun`,
 * `langgraph.stepRun`; the graph panel's and the thread panel's buttons): a run with no input on
 * that thread by its own assistant, followed by the tracker like any background run. Continue
 * takes the assistant's breakpoints again (as a debugger's Continue stops at the next one; the
 * server does not pause twice at the same stop); Step pauses after the thread's `next`, which
 * comes before any other breakpoint. A thread that is not stopped at a breakpoint is said so:
 * a run with no input there would re-run an interrupt() or start the graph again.
 */
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../api';
import { applyBreakpoints, breakpointsText, continueBody, isBreakpointStop, stepBody } from '../../core/graph/breakpoints';
import { historySource, newestWriters } from '../../core/history/historyPages';
import { LIVE_RUN_OPTIONS } from '../../core/live/liveRun';
import type { RunRef, ThreadRef } from '../../core/refs';
import { shortId } from '../../core/threadLabels';
import { interruptsOf } from '../../core/threadView';
import { assistantInMetadata } from '../commands/rerunFromCheckpoint';
import { describeError, logError } from '../log';
import type { Services } from '../services';
import { givenThread } from '../commands/threadTarget';

export type ContinueOutcome = { ok: true; run: RunRef; next: string[]; breakpoints: string[] } | { ok: false; message: string };

export async function continueThread(services: Pick<Services, 'registry' | 'runs' | 'tree' | 'breakpoints'>, ref: ThreadRef, step: boolean): Promise<ContinueOutcome> {
  const what = `Could not ${step ? 'step' : 'continue'} thread ${shortId(ref.threadId)}`;
  const deployment = services.registry.find(ref.deploymentUrl);
  if (!deployment) return failed(what, `${ref.deploymentUrl} is not a configured deployment.`);
  try {
    const client = await services.registry.client(deployment);
    const { stopped, status, next, assistant } = await breakpointStopOf(client, ref.threadId);
    if (!stopped) return failed(what, `it is not paused at a breakpoint (status ${status ?? 'unknown'}${next.length ? `, next ${next.join(', ')}` : ', nothing next'}).`);
    if (!assistant) return failed(what, 'the thread does not say which assistant runs it (no assistant_id or graph_id in its metadata).');
    const { body, applied } = step
      ? { body: stepBody(assistant, next), applied: [] }
      : applyBreakpoints(continueBody(assistant), services.breakpoints.list({ deployment: deployment.id, assistant }));
    const pauses = applied.length ? ` (pauses ${breakpointsText(applied)})` : '';
    // "reject" said, not left to the server (Python's default is "enqueue").
    const run = await client.runs.create(ref.threadId, { ...LIVE_RUN_OPTIONS, ...body, multitask_strategy: 'reject' });
    const runRef: RunRef = { deploymentUrl: deployment.id, threadId: ref.threadId, runId: run.run_id };
    services.runs.follow({ ...runRef, label: step ? `step over ${next.join(', ')}` : 'continue' }, run);
    services.tree.refreshThread(deployment.id, ref.threadId);
    vscode.window.setStatusBarMessage(`$(debug-${step ? 'step-over' : 'continue'}) Run ${shortId(run.run_id)} ${step ? `steps over ${next.join(', ')}` : 'continues'} on thread ${shortId(ref.threadId)}${pauses}`, 5000);
    return { ok: true, run: runRef, next, breakpoints: applied.map((b) => `${b.when} ${b.node}`) };
  } catch (error) {
    return failed(what, error);
  }
}

export interface BreakpointStop {
  stopped: boolean;
  status: string | undefined;
  /** What runs next, and (when stopped) the node(s) whose step made the checkpoint it waits at. */
  next: string[];
  after: string[];
  /** The thread's assistant, by id or graph id (its metadata). */
  assistant: string | undefined;
}

/** Whether the thread stopped at a breakpoint, where, and the assistant that runs it (two reads at once; when stopped, one history page of two). */
export async function breakpointStopOf(client: AgentServerClient, threadId: string): Promise<BreakpointStop> {
  const [thread, state] = await Promise.all([client.threads.get(threadId), client.threads.getState(threadId)]);
  const next = state.next ?? [];
  const stopped = isBreakpointStop({ status: thread.status, next, interruptCount: interruptsOf(state).length });
  const after = stopped ? await newestWriters(historySource(client, threadId)) : [];
  return { stopped, status: thread.status, next, after, assistant: assistantInMetadata(thread.metadata) };
}

/** The commands; their argument is a thread item or `{deploymentUrl, threadId}` (no palette entry: no thread to ask for). */
export function registerContinueCommands(services: Services): vscode.Disposable[] {
  const command = (id: string, step: boolean) =>
    vscode.commands.registerCommand(id, (arg?: unknown): Promise<ContinueOutcome> => {
      const ref = givenThread(arg);
      return ref ? continueThread(services, ref, step) : Promise.resolve(failed(`Could not ${step ? 'step' : 'continue'}`, 'no thread was given.'));
    });
  return [command('langgraph.continueRun', false), command('langgraph.stepRun', true)];
}

function failed(what: string, error: unknown): ContinueOutcome {
  if (typeof error !== 'string') logError(what, error);
  const message = `${what}: ${typeof error === 'string' ? error : describeError(error)}`;
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
}
