/**
 * The background-run feature as the extension holds it: the core tracker over workspaceState and
 * the registry's clients, the status bar item and the notifications. Building it does no
 * network; `registerRunTracking` wires it and resumes what a previous window followed.
 */
import * as vscode from 'vscode';
import type { DeploymentRegistry } from '../../core/registry';
import type { RunRef } from '../../core/refs';
import { RunTracker, type FollowResult, type TrackerStorage } from '../../core/tracker';
import { RunNotices } from './notices';
import type { RunsUi } from './runsUi';
import { RunsStatusBar } from './statusBar';
import { trackerBackends } from './trackerClients';
import { workspaceStorage } from './workspaceStorage';

export class RunTracking implements vscode.Disposable, RunsUi {
  readonly tracker: RunTracker;
  readonly statusBar: RunsStatusBar;
  readonly notices: RunNotices;
  /** Where followed runs are kept for the next window (workspaceState). */
  readonly storage: TrackerStorage;

  constructor(
    memento: vscode.Memento,
    private readonly registry: DeploymentRegistry,
    private readonly openPanel: (run: RunRef) => void,
  ) {
    this.storage = workspaceStorage(memento);
    this.tracker = new RunTracker({ backendFor: trackerBackends(registry), storage: this.storage });
    this.statusBar = new RunsStatusBar(this);
    this.notices = new RunNotices(this);
  }

  /** Follows a run in the background (once: following it again is a no-op). */
  follow(run: RunRef & { label?: string }): FollowResult {
    const { label, deploymentUrl, threadId, runId } = run;
    return this.tracker.follow({ deploymentUrl, threadId, runId }, label ? { label } : {});
  }

  name(deploymentUrl: string): string {
    return this.registry.name(deploymentUrl);
  }

  open(run: RunRef): void {
    this.openPanel(run);
  }

  dispose(): void {
    // Joins are aborted; what is followed stays in workspaceState for the next window.
    this.notices.dispose();
    this.statusBar.dispose();
    this.tracker.dispose();
  }
}
