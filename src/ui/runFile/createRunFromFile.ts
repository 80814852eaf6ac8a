/**
 * `langgraph.createRunFromFile`, from wherever it is run:
 * - the palette: the active JSON editor, else a file dialog;
 * - the explorer: `(uri, selectedUris)`, one run per selected file;
 * - the editor title and context menus, the CodeLens: `(uri)`;
 * - a thread item: `(threadNode)`, asks for the file and runs it on that thread;
 * - an assistant item: `(assistantNode)` (or `{deploymentUrl, assistantId}`), asks for the file and
 *   runs it with that assistant (the file's own assistant_id gives way, with a note).
 * A third argument (RunFileOptions) answers the questions ahead (tests only). Every file is read
 * and checked before anything is sent; a file with problems gets diagnostics and a message, and no
 * request. In an untrusted workspace files are checked but never sent.
 */
import * as vscode from 'vscode';
import type { Deployment } from '../../core/deployments';
import { isThreadRef } from '../../core/refs';
import { isGraphTarget } from '../graphPanel/showGraph';
import { summarizeProblems, type RunFileProblem } from '../../core/runFile';
import { shortId } from '../../core/threadLabels';
import { pickDeployment } from '../commands/pick';
import { describeError, log } from '../log';
import { ThreadNode } from '../tree/threadNode';
import { toRange } from './diagnostics';
import type { RunFileOptions, RunFileOutcome } from './options';
import { pickAssistant, pickFileForThread, pickRunFiles, pickThread } from './picks';
import { confirmRisky } from './riskyKeys';
import { runOne, showError, type FlowEnv, type ValidFile } from './runOne';
import { readRunFile } from './source';

/** What the command was run on: a thread, or an assistant (its id or graph id). */
interface Target {
  deployment: Deployment;
  threadId?: string;
  assistantId?: string;
}

export async function createRunFromFile(env: FlowEnv, arg: unknown, uris: unknown, options: RunFileOptions = {}): Promise<RunFileOutcome[]> {
  const target = targetOf(env, arg);
  if (target === null) return [];
  let files: vscode.Uri[];
  if (target) {
    const what = target.threadId ? `thread ${shortId(target.threadId)}` : `assistant ${target.assistantId}`;
    const picked = options.files ?? [await pickFileForThread(what)];
    files = picked.filter((f): f is vscode.Uri => f instanceof vscode.Uri).slice(0, 1);
  } else if (arg instanceof vscode.Uri) {
    const selected = Array.isArray(uris) ? uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
    files = selected.length > 0 ? selected : [arg];
  } else {
    files = options.files ?? activeJsonEditor() ?? (await pickRunFiles());
  }
  if (files.length === 0) return [];
  return runFiles(env, files, target, options);
}

/**
 * The thread a thread item (or a ThreadRef) names, or the assistant an assistant item (or a
 * GraphTarget) names; null when it names a deployment that is not configured.
 */
function targetOf(env: FlowEnv, arg: unknown): Target | undefined | null {
  if (arg instanceof ThreadNode) return { deployment: arg.deployment, threadId: arg.threadId };
  const named = isThreadRef(arg) ? { threadId: arg.threadId } : isGraphTarget(arg) ? { assistantId: arg.assistantId } : undefined;
  if (!named) return undefined;
  const url = (arg as { deploymentUrl: string }).deploymentUrl;
  const deployment = env.services.registry.find(url);
  if (!deployment) {
    showError(`No configured deployment has the URL ${url}.`);
    return null;
  }
  return { deployment, ...named };
}

function activeJsonEditor(): vscode.Uri[] | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document && ['json', 'jsonc'].includes(document.languageId) ? [document.uri] : undefined;
}

async function runFiles(env: FlowEnv, uris: vscode.Uri[], target: Target | undefined, options: RunFileOptions): Promise<RunFileOutcome[]> {
  const outcomes = new Map<string, RunFileOutcome>();
  const valid: ValidFile[] = [];
  const invalid: { uri: vscode.Uri; name: string; problems: RunFileProblem[] }[] = [];
  for (const source of await Promise.all(uris.map(readRunFile))) {
    if (source.parsed.ok) valid.push({ uri: source.uri, name: source.name, file: source.parsed.file });
    else invalid.push({ uri: source.uri, name: source.name, problems: source.parsed.problems });
  }
  reportInvalid(env, invalid, outcomes);
  const finish = () => uris.map((u) => outcomes.get(u.toString())!).filter(Boolean);
  if (valid.length === 0) return finish();

  const cancelAll = (files: ValidFile[], message?: string) => {
    for (const f of files) outcomes.set(f.uri.toString(), { file: f.uri.toString(), status: message ? 'refused' : 'cancelled', message, notes: [] });
    return finish();
  };

  if (!vscode.workspace.isTrusted) {
    const message = `This workspace is not trusted: its run files are checked, not sent. ${valid.length === 1 ? `${valid[0]!.name} was` : `${valid.length} files were`} not run.`;
    log().warn(message);
    showError(message, [{ title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand('workbench.trust.manage') }]);
    return cancelAll(valid, message);
  }

  const deployment = target?.deployment ?? (await chooseDeployment(env, options));
  if (typeof deployment === 'string') {
    showError(deployment);
    return cancelAll(valid, deployment);
  }
  if (!deployment) return cancelAll(valid);
  let client;
  try {
    client = await env.services.registry.client(deployment);
  } catch (error) {
    const message = describeError(error);
    showError(message);
    return cancelAll(valid, message);
  }

  const needAssistant = !target?.assistantId && valid.some((v) => !v.file.assistantId);
  const sharedAssistant = needAssistant ? (options.assistant ?? (await pickAssistant(client, deployment))) : undefined;
  if (needAssistant && !sharedAssistant) return cancelAll(valid);

  // Several files with no thread each get a new one (a shared thread would turn them away as busy).
  const needThread = !target?.threadId && valid.some((v) => !v.file.threadId);
  const sharedThread = needThread ? (options.thread ?? (valid.length > 1 ? 'new' : await pickThread(client, deployment))) : undefined;
  if (needThread && !sharedThread) return cancelAll(valid);

  for (const source of valid) {
    const notes: string[] = [];
    let thread = source.file.threadId ?? sharedThread!;
    const chosen = (key: string, own: string | undefined, theirs: string) => {
      if (!own || own === theirs) return;
      const note = `${source.name} names ${key} ${own}; it ran on the ${key === 'thread_id' ? 'thread' : 'assistant'} you chose, ${theirs}.`;
      notes.push(note);
      void vscode.window.showInformationMessage(note);
    };
    if (target?.threadId) {
      chosen('thread_id', source.file.threadId, target.threadId);
      thread = target.threadId;
    }
    if (target?.assistantId) chosen('assistant_id', source.file.assistantId, target.assistantId);
    const assistantId = target?.assistantId ?? source.file.assistantId ?? sharedAssistant!;
    const confirmed = options.confirmRisky ?? (await confirmRisky(env.services.context.workspaceState, source.uri, source.name, source.file, deployment));
    if (!confirmed) {
      outcomes.set(source.uri.toString(), { file: source.uri.toString(), status: 'cancelled', message: `${source.name} was not sent.`, notes });
      continue;
    }
    const outcome = await runOne(env, source, { deployment, client, assistantId, thread }, options, notes);
    outcomes.set(source.uri.toString(), outcome);
    if (outcome.status === 'cancelled' && !outcome.message) {
      // The user cancelled: do not go on with the other files.
      return cancelAll(valid.filter((v) => !outcomes.has(v.uri.toString())));
    }
  }
  return finish();
}

/** The deployment: from the options (by URL), else the only one, else the user's pick. A string is an error. */
async function chooseDeployment(env: FlowEnv, options: RunFileOptions): Promise<Deployment | string | undefined> {
  const { registry } = env.services;
  if (options.deployment) return registry.find(options.deployment) ?? `No configured deployment has the URL ${options.deployment}.`;
  return pickDeployment(registry, undefined, 'Run on which deployment?');
}

/** Diagnostics on each invalid file, and one message (not one per file) that says what is wrong. */
function reportInvalid(env: FlowEnv, invalid: { uri: vscode.Uri; name: string; problems: RunFileProblem[] }[], outcomes: Map<string, RunFileOutcome>): void {
  for (const { uri, name, problems } of invalid) {
    env.diagnostics.set(uri, problems);
    const message = `${summarizeProblems(name, problems)} Nothing was sent.`;
    outcomes.set(uri.toString(), { file: uri.toString(), status: 'invalid', message, problems, notes: [] });
  }
  const first = invalid[0];
  if (!first) return;
  if (invalid.length === 1) {
    showError(outcomes.get(first.uri.toString())!.message!, [
      { title: 'Show Problem', run: () => vscode.window.showTextDocument(first.uri, { selection: toRange(first.problems[0]!) }) },
    ]);
  } else {
    showError(`${invalid.length} files are not valid run files; nothing was sent for them. ${summarizeProblems(first.name, first.problems)}`, [
      { title: 'Show Problems', run: () => vscode.commands.executeCommand('workbench.actions.view.problems') },
    ]);
  }
}
