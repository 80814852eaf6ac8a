/**
 * Commands whose features land in later versions. They are registered (so the palette, menus and
 * keybindings work and say something useful) and tell the user the feature is not there yet.
 */
import * as vscode from 'vscode';

const LATER: Record<string, string> = {
  'langgraph.joinRun': 'Joining runs',
  'langgraph.cancelRun': 'Cancelling runs',
  'langgraph.showTrackedRuns': 'The background-runs list',
};

export function registerNotYetCommands(): vscode.Disposable[] {
  return Object.entries(LATER).map(([id, feature]) =>
    vscode.commands.registerCommand(id, () => {
      void vscode.window.showInformationMessage(`${feature} is not available yet in this version of LangGraph Deployments.`);
      return 'not-available';
    }),
  );
}
