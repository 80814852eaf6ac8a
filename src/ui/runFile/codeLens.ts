/** "Run" and "Run in background" at the top of every `*.run.json` file. */
import * as vscode from 'vscode';
import type { RunFileOptions } from './options';

export const RUN_FILE_SELECTOR: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/*.run.json' },
  { language: 'jsonc', pattern: '**/*.run.json' },
];

export class RunFileCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, tooltip: string, options: RunFileOptions) =>
      new vscode.CodeLens(top, { title, tooltip, command: 'langgraph.createRunFromFile', arguments: [document.uri, undefined, options] });
    return [
      lens('$(play) Run', 'Run this file, wait for the result and open it', { mode: 'wait' }),
      lens('Run in background', 'Start a background run from this file; the status bar follows it', { mode: 'background' }),
    ];
  }
}
