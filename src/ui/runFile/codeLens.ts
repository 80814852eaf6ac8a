/** "Run" and "Run in background" at the top of every `*.run.json` file (in a trusted workspace). */
import * as vscode from 'vscode';
import type { RunFileOptions } from './options';

export const RUN_FILE_SELECTOR: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/*.run.json' },
  { language: 'jsonc', pattern: '**/*.run.json' },
];

export class RunFileCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly trust = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  dispose(): void {
    this.trust.dispose();
    this.changed.dispose();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, tooltip: string, options: RunFileOptions) =>
      new vscode.CodeLens(top, { title, tooltip, command: 'langgraph.createRunFromFile', arguments: [document.uri, undefined, options] });
    if (!vscode.workspace.isTrusted) {
      // Checking works in Restricted Mode; sending does not (the file could act on your deployment).
      return [
        new vscode.CodeLens(top, {
          title: '$(shield) Trust this workspace to run this file',
          tooltip: 'Run files in an untrusted workspace are checked but not sent',
          command: 'workbench.trust.manage',
        }),
      ];
    }
    return [
      lens('$(play) Run', 'Run this file, wait for the result and open it', { mode: 'wait' }),
      lens('Run in background', 'Start a background run from this file; the status bar follows it', { mode: 'background' }),
    ];
  }
}
