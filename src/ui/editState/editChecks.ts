/**
 * The checks of "Edit State…" documents, as the user types (300 ms after the last change) and on
 * save: JSON syntax at its line and column, then the assistant's state schema (in the
 * schema-check worker). Both are errors: a save with any of them sends nothing.
 */
import * as vscode from 'vscode';
import { DocumentDebounce } from '../documentDebounce';
import type { RunFileProblem } from '../../core/runFile';
import { toRange } from '../runFile/diagnostics';
import { log } from '../log';
import { checkpointNameOf, EDIT_SCHEME } from './editUri';
import type { StateSchemas } from './stateSchemas';
import { parseStateText, schemaProblems } from './stateText';

const SOURCE = 'LangGraph state';
const RECHECK_MS = 300;

export type EditCheck = { ok: true; values: Record<string, unknown> } | { ok: false; problems: RunFileProblem[] };

export class EditChecks implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('langgraph.editState');
  private readonly debounce = new DocumentDebounce(RECHECK_MS);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly schemas: StateSchemas) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.later(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.later(e.document, RECHECK_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === EDIT_SCHEME) this.collection.delete(d.uri);
      }),
    ];
  }

  /** The text checked: its values, or its problems (also shown on the document). */
  async check(uri: vscode.Uri, text: string): Promise<EditCheck> {
    const result = await this.problems(uri, text);
    this.collection.set(uri, result.ok ? [] : result.problems.map(toDiagnostic));
    return result;
  }

  dispose(): void {
    this.debounce.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }

  private async problems(uri: vscode.Uri, text: string): Promise<EditCheck> {
    const parsed = parseStateText(text);
    if (!parsed.ok) return parsed;
    const name = checkpointNameOf(uri);
    const schema = name ? await this.schemas.of(name.deploymentUrl, name.threadId) : { unavailable: 'the document names no thread' };
    if ('unavailable' in schema) {
      log().info(`Edit State: ${uri.path} is not checked against a state schema: ${schema.unavailable}`);
      return { ok: true, values: parsed.values };
    }
    if (!schema.check) return { ok: true, values: parsed.values };
    const check = await schema.check(parsed.values);
    if (check.status === 'skipped') {
      // Like the run files: a check that could not run lets the server judge.
      log().warn(`Edit State: the state schema check was skipped (${check.reason}): ${check.detail}`);
      return { ok: true, values: parsed.values };
    }
    const problems = schemaProblems(check.mismatches, parsed.place);
    return problems.length ? { ok: false, problems } : { ok: true, values: parsed.values };
  }

  private later(document: vscode.TextDocument, ms: number): void {
    if (document.uri.scheme !== EDIT_SCHEME) return;
    this.debounce.schedule(
      document,
      () => {
        const version = document.version;
        void this.problems(document.uri, document.getText()).then((result) => {
          if (document.isClosed || document.version !== version) return;
          this.collection.set(document.uri, result.ok ? [] : result.problems.map(toDiagnostic));
        });
      },
      ms,
    );
  }
}

function toDiagnostic(problem: RunFileProblem): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(problem), problem.message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = SOURCE;
  return diagnostic;
}
