/**
 * One slow loop for the whole view: while the view is visible, threads shown as busy (or with a
 * run shown as pending/running) are read again, one request per deployment per tick, and only
 * the threads whose status changed are repainted. Nothing is polled while the view is hidden.
 */
import type * as vscode from 'vscode';
import type { DeploymentsTree } from './provider';

export const BUSY_POLL_MS = 10_000;

export class BusyPoller implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly tree: DeploymentsTree,
    private readonly view: vscode.TreeView<unknown>,
    private readonly periodMs = BUSY_POLL_MS,
  ) {
    this.subscription = view.onDidChangeVisibility(() => this.schedule());
    this.schedule();
  }

  /** One pass now (also what each tick does); resolves when every deployment answered. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await Promise.all(this.tree.deployments().map((d) => d.refreshActiveThreads()));
    } finally {
      this.ticking = false;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = this.view.visible ? setInterval(() => void this.tick(), this.periodMs) : undefined;
  }
}
