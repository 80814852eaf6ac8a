/** The "LangGraph" output channel. Errors go here with their request; never headers or keys. */
import * as vscode from 'vscode';
import { isApiError } from '../api';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('LangGraph', { log: true });
  return channel;
}

export function logError(context: string, error: unknown): void {
  log().error(`${context}: ${describeError(error, true)}`);
}

/** A message for a person. With `detailed`, the request that failed is named too. */
export function describeError(error: unknown, detailed = false): string {
  if (isApiError(error)) return detailed ? error.detailed() : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
