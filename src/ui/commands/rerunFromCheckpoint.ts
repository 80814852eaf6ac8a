/**
 * "Re-run from Here": a run from a checkpoint of a thread, with no input, by the thread's own
 * assistant, followed by the tracker and streamed live in the thread's panel. Show History, the
 * panel's history view and Edit State's fork all start runs this one way.
 */
import * as vscode from 'vscode';
import { isRecord } from '../../shared/isRecord';
import type { AgentServerClient, Run } from '../../api';
import type { Deployment } from '../../core/deployments';
import { LIVE_RUN_OPTIONS } from '../../core/live/liveRun';
import type { RunRef } from '../../core/refs';
import { shortId } from '../../core/threadLabels';
import { describeError, logError } from '../log';
import type { RunTracking } from '../runs/runTracking';
import type { ThreadPanels } from '../threadPanel/threadPanels';
import { reloadTimes } from '../devServer/reloads';

export type RerunOutcome = { ok: true; run: RunRef; checkpointId: string } | { ok: false; message: string };

/** Which assistant runs the thread: its metadata's `assistant_id`, else `graph_id`. */
export async function threadAssistant(client: AgentServerClient, threadId: string): Promise<string | undefined> {
  const thread = await client.threads.byId(threadId, ['metadata']);
  return assistantInMetadata(thread?.metadata);
}

/** The assistant a thread's metadata names: its id, else its graph id. */
export function assistantInMetadata(metadata: unknown): string | undefined {
  const meta = isRecord(metadata) ? metadata : {};
  return [meta.assistant_id, meta.graph_id].find((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Starts the run; a failure is shown (in the server's words) and returned, never thrown. */
export async function rerunFromCheckpoint(
  services: { threadPanels: Pick<ThreadPanels, 'open'>; runs: Pick<RunTracking, 'follow'> },
  deployment: Deployment,
  client: AgentServerClient,
  threadId: string,
  checkpointId: string,
): Promise<RerunOutcome> {
  let run: Run;
  try {
    const assistant = await threadAssistant(client, threadId);
    if (!assistant) return failed('Could not re-run from the checkpoint', 'the thread does not say which assistant runs it (no assistant_id or graph_id in its metadata).');
    // A dev server that reloaded since the checkpoint runs other code than the one that made it.
    if (reloadTimes.at(deployment.id) !== undefined) {
      const made = (await client.threads.getStateAt(threadId, checkpointId)).created_at;
      if (!(await reloadTimes.confirmRerun(deployment, checkpointId, made))) {
        return { ok: false, message: `Not re-run from checkpoint ${shortId(checkpointId)}: the code changed since it was made.` };
      }
    }
    // "reject" said, not left to the server (Python's default is "enqueue"): a thread busy with another run refuses.
    run = await client.runs.create(threadId, { ...LIVE_RUN_OPTIONS, assistant_id: assistant, input: null, checkpoint_id: checkpointId, multitask_strategy: 'reject' });
  } catch (error) {
    return failed(`Could not re-run thread ${shortId(threadId)} from checkpoint ${shortId(checkpointId)}`, error);
  }
  const ref: RunRef = { deploymentUrl: deployment.id, threadId, runId: run.run_id };
  services.threadPanels.open({ deploymentUrl: deployment.id, threadId }, run.run_id);
  services.runs.follow({ ...ref, label: `re-run from ${shortId(checkpointId)}` }, run);
  vscode.window.setStatusBarMessage(`$(play) Run ${shortId(run.run_id)} started from checkpoint ${shortId(checkpointId)} on ${deployment.name}`, 5000);
  return { ok: true, run: ref, checkpointId };
}

function failed(what: string, error: unknown): RerunOutcome {
  logError(what, error);
  const message = `${what}: ${describeError(error)}`;
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
}
