/**
 * Work per document after its edits pause: each new call for a document replaces the one still
 * waiting. Run files' diagnostics and Edit State's checks recheck this way.
 */
import type * as vscode from 'vscode';

export class DocumentDebounce implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ms: number) {}

  /** Runs `work` `ms` after the last call for this document, unless the document closed meanwhile. */
  schedule(document: vscode.TextDocument, work: () => void, ms = this.ms): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) work();
      }, ms),
    );
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
