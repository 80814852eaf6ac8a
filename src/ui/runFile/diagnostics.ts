/**
 * The `langgraph.runFile` diagnostics: a run file's problems in the editor and the Problems view.
 * Set when a run is tried; while the user fixes an open file that has them, they are checked again
 * as the text changes (offline: syntax and schema only), and cleared once the file is valid.
 */
import * as vscode from 'vscode';
import { DocumentDebounce } from '../documentDebounce';
import { parseRunFile, type RunFileProblem } from '../../core/runFile';

const SOURCE = 'LangGraph run file';
const RECHECK_MS = 300;

export class RunFileDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('langgraph.runFile');
  private readonly debounce = new DocumentDebounce(RECHECK_MS);
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((e) => this.changed(e.document));

  set(uri: vscode.Uri, problems: readonly RunFileProblem[]): void {
    this.collection.set(uri, problems.map(toDiagnostic));
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.debounce.dispose();
    this.subscription.dispose();
    this.collection.dispose();
  }

  private changed(document: vscode.TextDocument): void {
    if (!this.collection.has(document.uri)) return;
    this.debounce.schedule(document, () => {
      if (!this.collection.has(document.uri)) return;
      const parsed = parseRunFile(document.getText(), { jsonc: document.languageId === 'jsonc' });
      // Input-schema warnings came from the server and cannot be checked again offline: an edit drops them.
      if (parsed.ok) this.clear(document.uri);
      else this.set(document.uri, parsed.problems);
    });
  }
}

export function toRange(problem: RunFileProblem): vscode.Range {
  const start = new vscode.Position(problem.line - 1, problem.column - 1);
  return new vscode.Range(start, start.translate(0, Math.max(1, problem.length)));
}

function toDiagnostic(problem: RunFileProblem): vscode.Diagnostic {
  const severity = problem.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error;
  const diagnostic = new vscode.Diagnostic(toRange(problem), problem.message, severity);
  diagnostic.source = SOURCE;
  return diagnostic;
}
