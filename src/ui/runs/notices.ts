/**
 * Notifications about followed runs. Ends that come within 1.5 s of each other make one
 * notification (one run: how it ended, with "Open Result"; many: a summary, with "Show"); so do
 * runs that come under suspicion of being stuck (with "Delete Run" for one).
 */
import * as vscode from 'vscode';
import {
  Batcher,
  describeEnd,
  runName,
  severityOf,
  summarizeEnds,
  systemClock,
  type RunEndReport,
  type RunTracker,
  type TrackedRun,
} from '../../core/tracker';
import type { RunRef } from '../../core/refs';
import { log } from '../log';

export const BATCH_MS = 1_500;
const KEEP_SHOWN = 50;

export interface Shown {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
}

export class RunNotices implements vscode.Disposable {
  /** The last notifications shown (newest last): for the log and for tests. */
  readonly shown: Shown[] = [];
  private readonly ends: Batcher<RunEndReport>;
  private readonly suspects: Batcher<TrackedRun>;
  private readonly subscriptions: { dispose(): void }[];

  constructor(private readonly tracker: RunTracker) {
    this.ends = new Batcher(systemClock, BATCH_MS, (batch) => this.showEnds(batch));
    this.suspects = new Batcher(systemClock, BATCH_MS, (batch) => this.showSuspects(batch));
    this.subscriptions = [
      tracker.onDidEnd((report) => {
        log().info(describeEnd(report));
        this.ends.add(report);
      }),
      tracker.onDidSuspect((run) => {
        log().warn(`Run ${run.runId} on ${run.deploymentUrl} may be stuck: ${run.suspect ?? ''}`);
        this.suspects.add(run);
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.ends.dispose();
    this.suspects.dispose();
  }

  private showEnds(batch: RunEndReport[]): void {
    const single = batch.length === 1 ? batch[0]! : undefined;
    const actions = single ? ['Open Result'] : ['Show'];
    void this.show(severityOf(batch), summarizeEnds(batch), actions).then((choice) => {
      if (choice === 'Open Result' && single) void openResult(single);
      if (choice === 'Show') void vscode.commands.executeCommand('langgraph.showTrackedRuns');
    });
  }

  private showSuspects(batch: TrackedRun[]): void {
    const single = batch.length === 1 ? batch[0]! : undefined;
    const message = single
      ? `Run ${runName(single)} may be stuck. ${single.suspect ?? ''}`
      : `${batch.length} runs may be stuck: they still read "running" after the server went away. Delete them from Background Runs if they never end.`;
    const actions = single ? ['Delete Run', 'Show'] : ['Show'];
    void this.show('warning', message, actions).then(async (choice) => {
      if (choice === 'Show') void vscode.commands.executeCommand('langgraph.showTrackedRuns');
      if (choice === 'Delete Run' && single) await deleteRun(this.tracker, single);
    });
  }

  private show(severity: Shown['severity'], message: string, actions: string[]): Thenable<string | undefined> {
    this.shown.push({ severity, message, actions });
    if (this.shown.length > KEEP_SHOWN) this.shown.shift();
    const show =
      severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...actions);
  }
}

export function openResult(run: RunRef): Thenable<unknown> {
  return vscode.commands.executeCommand('langgraph.openThread', { deploymentUrl: run.deploymentUrl, threadId: run.threadId, runId: run.runId });
}

export async function deleteRun(tracker: RunTracker, run: RunRef & { label?: string }): Promise<boolean> {
  const result = await tracker.deleteRun(run);
  if (!result.ok) void vscode.window.showErrorMessage(`Could not delete run ${runName(run)}: ${result.message}`);
  return result.ok;
}
