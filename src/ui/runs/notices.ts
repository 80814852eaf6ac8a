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
  type TrackedRun,
} from '../../core/tracker';
import type { RunRef } from '../../core/refs';
import { log } from '../log';
import { inTests } from '../testMode';
import type { RunsUi } from './runsUi';

export const BATCH_MS = 1_500;
const KEEP_SHOWN = 50;

export interface Shown {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
}

export class RunNotices implements vscode.Disposable {
  /** The last notifications shown (newest last), kept only under the extension's tests. */
  readonly shown: Shown[] = [];
  private readonly ends: Batcher<RunEndReport>;
  private readonly suspects: Batcher<TrackedRun>;
  private readonly subscriptions: { dispose(): void }[];
  /** Ends held back by holdEnds(), if a test holds them. */
  private held: RunEndReport[] | undefined;

  constructor(private readonly ui: RunsUi) {
    const { tracker } = ui;
    this.ends = new Batcher(systemClock, BATCH_MS, (batch) => (this.held ? this.held.push(...batch) : this.showEnds(batch)));
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

  /**
   * Tests: shows now what waits for its batch's window, so that a test does not wait out (and race)
   * the 1.5 s itself. The window's timing is unit-tested on a fake clock (Batcher).
   */
  flush(): void {
    this.ends.flushNow();
    this.suspects.flushNow();
  }

  /**
   * Tests: holds ends back until the returned function is called, which shows them as one batch,
   * as ends within 1.5 s of each other are: a test of the summary then does not depend on how
   * close together its runs happen to end on a busy machine.
   */
  holdEnds(): () => void {
    this.held ??= [];
    return () => {
      this.ends.flushNow();
      const batch = this.held ?? [];
      this.held = undefined;
      if (batch.length > 0) this.showEnds(batch);
    };
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
      if (choice === 'Open Result' && single) this.ui.open(single);
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
      if (choice === 'Delete Run' && single) await deleteRun(this.ui, single);
    });
  }

  private show(severity: Shown['severity'], message: string, actions: string[]): Thenable<string | undefined> {
    if (inTests()) {
      this.shown.push({ severity, message, actions });
      if (this.shown.length > KEEP_SHOWN) this.shown.shift();
    }
    const show =
      severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...actions);
  }
}

/** Deletes a run on the server after asking: the question names the run, its thread and deployment. */
export async function deleteRun(ui: RunsUi, run: RunRef & { label?: string }): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `Delete run ${runName(run)} on ${ui.name(run.deploymentUrl)}?`,
    {
      modal: true,
      detail: `Run ${run.runId} of thread ${run.threadId} on ${run.deploymentUrl} is deleted on the server, with what it was doing. This cannot be undone.`,
    },
    'Delete Run',
  );
  if (answer !== 'Delete Run') return false;
  const result = await ui.tracker.deleteRun(run);
  if (!result.ok) void vscode.window.showErrorMessage(`Could not delete run ${runName(run)}: ${result.message}`);
  return result.ok;
}
