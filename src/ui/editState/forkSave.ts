/**
 * What saving an "Edit State…" document does: check it (nothing is sent while the JSON is
 * invalid or the state schema rejects it), ask "as which node", and write the fork with
 * `POST …/state` from the document's checkpoint. Answers what happened; never throws.
 */
import type { AgentServerClient, ThreadState } from '../../api';
import { describeProblem, type RunFileProblem } from '../../core/runFile';
import { shortId } from '../../core/threadLabels';
import type * as vscode from 'vscode';
import { describeError, logError } from '../log';
import { asNodeChoices, pickAsNode } from './asNode';
import type { EditChecks } from './editChecks';
import type { CheckpointName } from './editUri';
import { changedValues } from './stateText';

/** Answers the questions ahead, under the extension's tests only (`testOnly`). */
export interface EditPreset {
  /** The node to write as (no quick pick). */
  asNode?: string;
  /** After the fork, start a run from it (as the notification's "Run from Here"), with no notification. */
  runAfter?: boolean;
}

export type SaveOutcome =
  | { kind: 'forked'; checkpointId: string; asNode: string; sent: Record<string, unknown> }
  | { kind: 'unchanged'; message: string }
  | { kind: 'invalid'; problems: RunFileProblem[]; message: string }
  | { kind: 'cancelled'; message: string }
  | { kind: 'refused'; message: string };

export interface ForkInput {
  uri: vscode.Uri;
  name: CheckpointName;
  client: AgentServerClient;
  /** The checkpoint's state as the document was read from it. */
  state: ThreadState;
  text: string;
  preset?: EditPreset;
}

export async function forkSave(checks: EditChecks, input: ForkInput): Promise<SaveOutcome> {
  const { name, client, state } = input;
  const checked = await checks.check(input.uri, input.text);
  if (!checked.ok) {
    const first = checked.problems[0]!;
    const more = checked.problems.length > 1 ? ` (and ${checked.problems.length - 1} more)` : '';
    return { kind: 'invalid', problems: checked.problems, message: `Nothing sent: ${describeProblem(first)}${more}` };
  }
  // Only the top-level keys that differ from the checkpoint are sent. The server runs each key of
  // an update through its channel's reducer: a key sent back unchanged is harmless for a plain
  // value or for `messages` (add_messages replaces a message by its id), but it doubles a list
  // kept with an `operator.add` reducer. The fork also then records only what the user changed.
  const values = changedValues(state.values, checked.values);
  if (Object.keys(values).length === 0) {
    return { kind: 'unchanged', message: `Nothing sent: no value differs from checkpoint ${shortId(name.checkpointId)}.` };
  }
  let asNode = input.preset?.asNode;
  if (asNode === undefined) {
    const choices = await asNodeChoices(client, name.threadId, state);
    asNode = await pickAsNode(choices, name.threadId, name.checkpointId);
    if (!asNode) return { kind: 'cancelled', message: 'Nothing sent: no node was picked to write the edit as.' };
  }
  try {
    const checkpoint = await client.threads.updateState(name.threadId, { values, asNode, checkpointId: name.checkpointId });
    return { kind: 'forked', checkpointId: checkpoint.checkpoint_id, asNode, sent: values };
  } catch (error) {
    const what = `Could not fork thread ${shortId(name.threadId)} from checkpoint ${shortId(name.checkpointId)}`;
    logError(what, error);
    return { kind: 'refused', message: `${what}: ${describeError(error)}` };
  }
}
