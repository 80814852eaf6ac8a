/** The thread result panel feature: the panels (with their serializer) and `langgraph.openThread`. */
import type * as vscode from 'vscode';
import { registerOpenThread } from './openThreadCommand';
import type { ThreadPanels } from './threadPanels';
import type { DeploymentsTree } from '../tree/provider';

export function registerThreadPanels(panels: ThreadPanels, tree: DeploymentsTree): vscode.Disposable[] {
  return [panels, registerOpenThread(panels, tree)];
}
