/** The thread result panel feature: the panels (with their serializer) and `langgraph.openThread`. */
import type * as vscode from 'vscode';
import { registerOpenThread } from './openThreadCommand';
import type { Services } from '../services';

export function registerThreadPanels({ threadPanels, registry }: Services): vscode.Disposable[] {
  return [threadPanels, registerOpenThread(threadPanels, registry)];
}
