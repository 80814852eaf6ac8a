/**
 * The URI of an "Edit State…" document: `langgraph-edit:/Edit <short thread id> at <last 8 of the
 * checkpoint id>.json`. As with `langgraph-state` (stateDocument.ts) the path is only the tab's
 * title; the query names the checkpoint: `deployment=<canonical URL>&thread=<id>&checkpoint=<id>`.
 * No API key is ever in it; the deployment must still be configured when the document is read.
 */
import * as vscode from 'vscode';
import { shortId } from '../../core/threadLabels';

export const EDIT_SCHEME = 'langgraph-edit';

export interface CheckpointName {
  deploymentUrl: string;
  threadId: string;
  checkpointId: string;
}

export function editUri({ deploymentUrl, threadId, checkpointId }: CheckpointName): vscode.Uri {
  const title = `Edit ${shortId(threadId)} at ${shortId(checkpointId)}`.replace(/[/\\]/g, '_');
  const query = new URLSearchParams({ deployment: deploymentUrl, thread: threadId, checkpoint: checkpointId });
  return vscode.Uri.from({ scheme: EDIT_SCHEME, path: `/${title}.json`, query: query.toString() });
}

export function checkpointNameOf(uri: vscode.Uri): CheckpointName | undefined {
  if (uri.scheme !== EDIT_SCHEME) return undefined;
  const q = new URLSearchParams(uri.query);
  const [deploymentUrl, threadId, checkpointId] = [q.get('deployment'), q.get('thread'), q.get('checkpoint')];
  return deploymentUrl && threadId && checkpointId ? { deploymentUrl, threadId, checkpointId } : undefined;
}
