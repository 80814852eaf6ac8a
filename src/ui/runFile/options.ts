/**
 * What `langgraph.createRunFromFile` takes besides its menu arguments, and what it returns.
 * Options answer ahead the questions the command would otherwise ask. From anyone but the
 * extension's own tests only `mode` and `files` are taken (the CodeLens passes the mode): the
 * others would skip a question the user must answer (see sanitizeOptions).
 */
import type * as vscode from 'vscode';
import type { RunFileProblem } from '../../core/runFile';
import type { RunRef, ThreadRef } from '../../core/refs';

export type RunMode = 'background' | 'wait';

export interface RunFileOptions {
  /** The files to run when the command was not run on a file (palette, thread item). */
  files?: vscode.Uri[];
  /** The deployment's URL, instead of a pick when several are configured. */
  deployment?: string;
  /** For files that name no assistant, instead of the pick. */
  assistant?: string;
  /** For files that name no thread: a thread id or "new", instead of the pick. */
  thread?: string;
  /** 'background' (default): start and hand to the tracker. 'wait': wait and open the result. */
  mode?: RunMode;
  /** The answer when the thread is busy (422), instead of asking. */
  onBusy?: 'enqueue' | 'interrupt' | 'cancel';
  /** The answer when the input does not fit the assistant's input schema, instead of asking. */
  onSchemaMismatch?: 'send' | 'cancel';
  /** How long to wait for the assistant's input schema before sending unchecked (Infinity: until it comes). */
  inputSchemaWaitMs?: number;
  /** How long the check against it may take before it is skipped (default 2 s; Infinity: no limit). */
  inputSchemaBudgetMs?: number;
  /** The answer to "this file has a webhook / stops other runs: send?", instead of asking. */
  confirmRisky?: boolean;
}

/** The options as the command takes them from its caller: answers only from the tests. */
export function sanitizeOptions(raw: unknown, fromTests: boolean): RunFileOptions {
  if (typeof raw !== 'object' || raw === null) return {};
  const options = raw as RunFileOptions;
  if (fromTests) return options;
  const mode = options.mode === 'wait' || options.mode === 'background' ? options.mode : undefined;
  return { ...(mode ? { mode } : {}), ...(Array.isArray(options.files) ? { files: options.files } : {}) };
}

export type RunFileStatus =
  /** A background run was created and handed to the tracker. */
  | 'started'
  /** A waited run ended (successfully or at an interrupt) and its result was opened. */
  | 'finished'
  /** The file is not a valid run file: nothing was sent. */
  | 'invalid'
  /** The server (or a check against it) refused the run. */
  | 'refused'
  /** The run was created but failed, or the request failed. */
  | 'failed'
  /** The user cancelled (a pick, the progress, or a question). */
  | 'cancelled';

/** One per file. `message` is what the user was shown, word for word. */
export interface RunFileOutcome {
  file: string;
  status: RunFileStatus;
  message?: string;
  problems?: RunFileProblem[];
  thread?: ThreadRef;
  run?: RunRef;
  /** Things worth knowing that are not errors (which thread won, what went unchecked). */
  notes: string[];
  /** The graph panel's breakpoints of the assistant, when it has any: those the run got ("before agent") and those it did not, with why. */
  breakpoints?: { applied: string[]; skipped: string[] };
}
