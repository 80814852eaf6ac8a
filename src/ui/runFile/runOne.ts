/**
 * One valid run file, sent: check the assistant and the thread, check the input against the
 * assistant's input schema (briefly), then create a background run and hand it to the tracker, or
 * wait for it and open the result. All of it under one cancellable progress notification; every
 * refusal in the server's own words.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { isApiError, type AgentServerClient, type ApiError, type RunCreate } from '../../api';
import { applyBreakpoints, breakpointsText, type Breakpoint, type SkippedBreakpoint } from '../../core/graph/breakpoints';
import { withLiveOptions } from '../../core/live/liveRun';
import type { Deployment } from '../../core/deployments';
import type { RunRef, ThreadRef } from '../../core/refs';
import {
  mismatchProblems,
  within,
  type InputChecker,
  type InputMismatch,
  type InputSchemaCache,
  type RunFile,
  type RunFileProblem,
  type SchemaUnavailable,
} from '../../core/runFile';
import { shortId } from '../../core/threadLabels';
import { describeError, log, logError } from '../log';
import type { Services } from '../services';
import type { RunFileDiagnostics } from './diagnostics';
import type { RunFileOptions, RunFileOutcome } from './options';

/** Long enough for a cached schema on a slow link; short enough not to hold a run up. */
const DEFAULT_SCHEMA_WAIT_MS = 1_500;
const MAX_LISTED = 5;

export interface FlowEnv {
  services: Services;
  diagnostics: RunFileDiagnostics;
  schemas: InputSchemaCache;
}

export interface ValidFile {
  uri: vscode.Uri;
  name: string;
  file: RunFile;
}

export interface RunTarget {
  deployment: Deployment;
  client: AgentServerClient;
  assistantId: string;
  /** A thread id, or "new". */
  thread: string;
}

export async function runOne(env: FlowEnv, source: ValidFile, target: RunTarget, options: RunFileOptions, notes: string[]): Promise<RunFileOutcome> {
  const { deployment, client, assistantId } = target;
  const base: Pick<RunFileOutcome, 'file' | 'notes' | 'breakpoints'> = { file: source.uri.toString(), notes };
  // Asked to keep its events, in the modes the thread panel reads, so that it can be watched live from its start.
  let body: RunCreate = withLiveOptions({ ...(source.file.body as Omit<RunCreate, 'assistant_id'>), assistant_id: assistantId });
  const isNew = target.thread === 'new';
  // A new thread gets its id here, so that every message and ref can name it before it exists.
  const threadId = isNew ? randomUUID() : target.thread;
  const thread: ThreadRef = { deploymentUrl: deployment.id, threadId };
  const mode = options.mode ?? 'background';
  const threadWords = isNew ? 'a new thread' : `thread ${shortId(threadId)}`;

  const refuse = (message: string, status: RunFileOutcome['status'] = 'refused', actions: Action[] = []): RunFileOutcome => {
    showError(message, actions);
    return { ...base, status, message, thread };
  };

  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${source.name} → ${deployment.name}`, cancellable: true },
    async (progress, token): Promise<RunFileOutcome> => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      const { signal } = abort;
      let warnings: RunFileProblem[] = [];
      let waiting = false;
      /**
       * Sends on the thread, creating it first when new. (Not with `if_not_exists: "create"`: the
       * server then leaves graph_id out of the run's metadata, and lists show the assistant's id.)
       * A new thread whose run the server refuses is deleted again, so nothing is left behind.
       */
      const onThread = async <T>(send: (b: RunCreate) => Promise<T>): Promise<T> => {
        if (!isNew) return withBusyChoice(body, options, threadId, deployment, send);
        await client.threads.create({ threadId, ifExists: 'raise' }, { signal });
        try {
          return await send(body);
        } catch (error) {
          if (isApiError(error) && error.kind === 'http') await client.threads.delete(threadId).catch(() => undefined);
          throw error;
        }
      };
      try {
        progress.report({ message: 'checking the assistant and the thread…' });
        // The run is sent with the id the file names (both servers take a graph id there); the
        // schema is read by the assistant's own id (the Python server takes only that).
        const assistant = await client.assistants.resolve(assistantId, { signal });
        if (!assistant) return refuse(`${deployment.name} has no assistant or graph "${assistantId}". Nothing was sent.`);
        const { assistant_id: resolvedId } = assistant;
        // The breakpoints set in the assistant's graph panel; the file's own interrupt keys win.
        const set = env.services.breakpoints.list({ deployment: deployment.id, assistant: resolvedId });
        const breakpoints = set.length ? applyBreakpoints(body, set) : undefined;
        if (breakpoints) {
          body = breakpoints.body;
          base.breakpoints = { applied: breakpoints.applied.map(breakpointWords), skipped: breakpoints.skipped.map(skippedWords) };
        }
        // Asked now, awaited after the thread check: a cached schema is there at once.
        const hasInput = body.input !== undefined && body.input !== null;
        const checker = hasInput
          ? env.schemas.checker(`${deployment.id}|${resolvedId}`, () => client.assistants.schemas(resolvedId).then((s) => s.input_schema))
          : undefined;
        if (!isNew && body.if_not_exists !== 'create') {
          try {
            await client.threads.get(threadId, { signal });
          } catch (error) {
            if (isHttp(error, 404)) {
              return refuse(
                `${deployment.name} has no thread ${threadId} (${error.message}). Use "thread_id": "new" for a new thread, or add "if_not_exists": "create". Nothing was sent.`,
              );
            }
            throw error;
          }
        }

        if (checker) {
          const mismatches = await checkInput(checker, body.input, options, signal, { deploymentName: deployment.name, assistantId, notes });
          if (signal.aborted) return { ...base, status: 'cancelled', thread };
          if (mismatches.length > 0) {
            warnings = mismatchProblems(mismatches, source.file.inputPath, source.file.place);
            env.diagnostics.set(source.uri, warnings);
            const answer = options.onSchemaMismatch ?? (await askSendAnyway(source.name, assistantId, warnings));
            if (answer !== 'send') {
              return { ...base, status: 'cancelled', thread, problems: warnings, message: mismatchSummary(source.name, assistantId, warnings) };
            }
            notes.push(`Sent although the input does not fit the input schema: ${warnings[0]!.message}`);
          }
        }

        if (mode === 'wait') {
          progress.report({ message: `running on ${threadWords}…` });
          waiting = true;
          await onThread((b) => client.runs.wait(threadId, b, { signal }));
          refreshTree(env, deployment, threadId, isNew);
          if (warnings.length === 0) env.diagnostics.clear(source.uri);
          env.services.threadPanels.open(thread);
          const message = `The run on ${threadWords} of ${deployment.name} has ended.${pausesText(base.breakpoints)}`;
          return { ...base, status: 'finished', message, thread };
        }

        progress.report({ message: `creating a run on ${threadWords}…` });
        const run = await onThread((b) => client.runs.create(threadId, b, { signal }));
        const ref: RunRef = { deploymentUrl: deployment.id, threadId, runId: run.run_id };
        // The tracker follows it from here (status bar, notification when it ends).
        // The label is what the tracker shows for the run: the file it came from.
        env.services.runs.follow({ ...ref, label: source.name }, run);
        refreshTree(env, deployment, threadId, isNew);
        if (warnings.length === 0) env.diagnostics.clear(source.uri);
        const message = `Run ${shortId(run.run_id)} started on ${threadWords} of ${deployment.name}.${pausesText(base.breakpoints)}`;
        log().info(`${message} (${source.uri.toString()}, run ${run.run_id}, thread ${threadId})`);
        vscode.window.setStatusBarMessage(`$(play) ${message}`, 5_000);
        // Breakpoints change how the run goes: said in a notification, not only the status bar.
        if (base.breakpoints) void vscode.window.showInformationMessage(message);
        return { ...base, status: 'started', message, thread, run: ref };
      } catch (error) {
        if (error instanceof BusyDeclined) return { ...base, status: 'cancelled', thread, message: error.message };
        if (signal.aborted || (isApiError(error) && error.kind === 'aborted')) {
          if (!waiting) return { ...base, status: 'cancelled', thread };
          // Only the waiting stopped: the server goes on with the run unless it was told to cancel on disconnect.
          const message = `Stopped waiting for the run on ${threadWords} of ${deployment.name}; it may still be running there.`;
          void vscode.window.showInformationMessage(message, 'Open Thread').then((c) => c && env.services.threadPanels.open(thread));
          return { ...base, status: 'cancelled', thread, message };
        }
        logError(`Run from ${source.name}`, error);
        if (!isApiError(error)) return refuse(`Could not run ${source.name}: ${describeError(error)}`, 'failed');
        if (error.kind === 'run-failed') {
          return refuse(`The run on ${threadWords} of ${deployment.name} failed: ${error.message}`, 'failed', [openThreadAction(env, thread)]);
        }
        if (error.status === 401 || error.status === 403) {
          return refuse(`${deployment.name} refused the run: ${error.message}`, 'refused', [setKeyAction()]);
        }
        if (error.kind === 'http' && error.status !== undefined && error.status < 500) {
          return refuse(`${deployment.name} refused the run: ${error.message}`);
        }
        return refuse(`Could not run ${source.name} on ${deployment.name}: ${error.message}`, 'failed');
      } finally {
        cancelled.dispose();
      }
    },
  );
}

const breakpointWords = (b: Breakpoint) => breakpointsText([b]);

function skippedWords(s: SkippedBreakpoint): string {
  const key = s.breakpoint.when === 'before' ? 'interrupt_before' : 'interrupt_after';
  return `${breakpointWords(s.breakpoint)} (${s.reason === 'file' ? `the file sets ${key} itself` : 'not a node the server can pause at'})`;
}

/** " Breakpoints: pauses before agent; not applied: after tools (the file sets interrupt_after itself)." */
function pausesText(b: RunFileOutcome['breakpoints']): string {
  if (!b) return '';
  const parts = [b.applied.length ? `pauses ${b.applied.join(', ')}` : 'none applied', ...(b.skipped.length ? [`not applied: ${b.skipped.join(', ')}`] : [])];
  return ` Breakpoints: ${parts.join('; ')}.`;
}

/**
 * What does not fit the assistant's input schema in `input`. None when it was not checked: the
 * schema had not come in time, says nothing, could not be read, or the check was skipped (too
 * slow: its worker ran past the budget); a note says which, and a skipped check is also shown.
 */
async function checkInput(
  checker: Promise<InputChecker | null | SchemaUnavailable>,
  input: unknown,
  options: RunFileOptions,
  signal: AbortSignal,
  about: { deploymentName: string; assistantId: string; notes: string[] },
): Promise<InputMismatch[]> {
  const { deploymentName, assistantId, notes } = about;
  const check = await within(checker, options.inputSchemaWaitMs ?? DEFAULT_SCHEMA_WAIT_MS, signal);
  if (signal.aborted) return [];
  if (check === undefined) notes.push(`The input was not checked: ${deploymentName} had not sent the assistant's input schema in time.`);
  else if (check === null) notes.push(`The input was not checked: "${assistantId}" publishes no input schema to check against.`);
  else if (typeof check !== 'function') notes.push(`The input was not checked: ${deploymentName} did not send the assistant's input schema (${check.unavailable}).`);
  else {
    const result = await check(input, options.inputSchemaBudgetMs);
    if (result.status === 'checked') return result.mismatches;
    // The run goes on as if there were no schema; the user is told, not asked.
    const note = `The input was not checked against the input schema of "${assistantId}" on ${deploymentName}: ${result.detail}.`;
    notes.push(note);
    log().warn(note);
    if (result.reason !== 'unusable') void vscode.window.showInformationMessage(note);
  }
  return [];
}

class BusyDeclined extends Error {}

/**
 * A busy thread refusing a "reject" run: JS 422, Python 409, both "Thread is already running a
 * task. Wait for it to finish or choose a different multitask strategy."
 */
function isBusy(error: unknown): error is ApiError {
  return (isHttp(error, 422) || isHttp(error, 409)) && /already running a task/i.test(error.serverMessage ?? '');
}

/**
 * Sends, and when the thread is busy (refused with the default "reject" strategy) asks whether to
 * enqueue this run or interrupt the current one, then sends once more with that strategy. A file
 * that names no strategy is sent with "reject": the servers' own defaults differ (JS "reject",
 * Python "enqueue", which would queue the run without a word).
 */
async function withBusyChoice<T>(
  body: RunCreate,
  options: RunFileOptions,
  threadId: string,
  deployment: Deployment,
  send: (body: RunCreate) => Promise<T>,
): Promise<T> {
  const rejects = body.multitask_strategy === undefined || body.multitask_strategy === 'reject';
  try {
    return await send(rejects ? { ...body, multitask_strategy: 'reject' } : body);
  } catch (error) {
    // Python answers 422 to a body it does not accept as well: only the busy thread is asked about.
    if (!rejects || !isBusy(error)) throw error;
    const answer = options.onBusy ?? (await askBusy(threadId, deployment, error));
    if (answer !== 'enqueue' && answer !== 'interrupt') {
      throw new BusyDeclined(`Thread ${shortId(threadId)} is busy; nothing was sent. ${deployment.name} said: ${error.message}`);
    }
    return send({ ...body, multitask_strategy: answer });
  }
}

async function askBusy(threadId: string, deployment: Deployment, error: ApiError): Promise<'enqueue' | 'interrupt' | undefined> {
  const enqueue = 'Enqueue';
  const interrupt = 'Interrupt Current Run';
  const answer = await vscode.window.showWarningMessage(
    `Thread ${shortId(threadId)} on ${deployment.name} is busy with another run.`,
    {
      modal: true,
      detail: `${deployment.name} said: ${error.message}\n\nEnqueue: this run starts when the current one ends.\nInterrupt: the current run is stopped and this one starts.`,
    },
    enqueue,
    interrupt,
  );
  return answer === enqueue ? 'enqueue' : answer === interrupt ? 'interrupt' : undefined;
}

async function askSendAnyway(name: string, assistantId: string, warnings: RunFileProblem[]): Promise<'send' | 'cancel'> {
  const send = 'Send Anyway';
  const answer = await vscode.window.showWarningMessage(
    `The input in ${name} does not fit the input schema of "${assistantId}".`,
    { modal: true, detail: listed(warnings) },
    send,
  );
  return answer === send ? 'send' : 'cancel';
}

function mismatchSummary(name: string, assistantId: string, warnings: RunFileProblem[]): string {
  return `The input in ${name} does not fit the input schema of "${assistantId}"; nothing was sent. ${listed(warnings)}`;
}

function listed(problems: RunFileProblem[]): string {
  const lines = problems.slice(0, MAX_LISTED).map((p) => `line ${p.line}: ${p.message}`);
  if (problems.length > MAX_LISTED) lines.push(`… and ${problems.length - MAX_LISTED} more (see the Problems view)`);
  return lines.join('\n');
}

function refreshTree(env: FlowEnv, deployment: Deployment, threadId: string, isNew: boolean): void {
  const { tree } = env.services;
  if (isNew) tree.refreshDeployment(deployment.id);
  else tree.refreshThread(deployment.id, threadId);
}

function isHttp(error: unknown, status: number): error is ApiError {
  return isApiError(error) && error.kind === 'http' && error.status === status;
}

interface Action {
  title: string;
  run: () => unknown;
}

function openThreadAction(env: FlowEnv, thread: ThreadRef): Action {
  return { title: 'Open Thread', run: () => env.services.threadPanels.open(thread) };
}

function setKeyAction(): Action {
  return { title: 'Set API Key…', run: () => vscode.commands.executeCommand('langgraph.setApiKey') };
}

export function showError(message: string, actions: Action[] = []): void {
  void vscode.window.showErrorMessage(message, ...actions.map((a) => a.title)).then((picked) => {
    actions.find((a) => a.title === picked)?.run();
  });
}
