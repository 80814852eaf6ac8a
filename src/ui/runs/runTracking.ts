/**
 * The background-run feature as the extension holds it: the core tracker over workspaceState and
 * the registry's clients, the status bar item and the notifications. Building it does no
 * network; `registerRunTracking` wires it and resumes what a previous window followed.
 */
import * as vscode from 'vscode';
import type { Run } from '../../api';
import type { DeploymentRegistry } from '../../core/registry';
import type { RunRef } from '../../core/refs';
import { RunTracker, type FollowResult, type TrackerStorage } from '../../core/tracker';
import { RunNotices } from './notices';
import type { RunsUi } from './runsUi';
import { RunsStatusBar } from './statusBar';
import { trackerBackends } from './trackerClients';
import { workspaceStorage } from './workspaceStorage';

/** A run that started being followed, with the run as it was made when known. */
export type Followed = RunRef & { run?: Run };

export class RunTracking implements vscode.Disposable, RunsUi {
  readonly tracker: RunTracker;
  readonly statusBar: RunsStatusBar;
  readonly notices: RunNotices;
  /** Where followed runs are kept for the next window (workspaceState). */
  readonly storage: TrackerStorage;
  private readonly followedEmitter = new vscode.EventEmitter<Followed>();
  /** A run started being followed (an open panel of its thread streams it). */
  readonly onDidFollow = this.followedEmitter.event;

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

  /** Follows a run in the background (once: following it again is a no-op). `created`: the run as just made. */
  follow(run: RunRef & { label?: string }, created?: Run): FollowResult {
    const { label, deploymentUrl, threadId, runId } = run;
    const result = this.tracker.follow({ deploymentUrl, threadId, runId }, label ? { label } : {});
    if (result.kind === 'following') this.followedEmitter.fire({ deploymentUrl, threadId, runId, ...(created?.run_id === runId ? { run: created } : {}) });
    return result;
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
    this.followedEmitter.dispose();
    this.tracker.dispose();
  }
}
