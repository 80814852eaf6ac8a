/** Cancelling a run from the tree, the list or a command, and saying what the server really did. */
import * as vscode from 'vscode';
import type { RunRef } from '../../core/refs';
import { describeEnd, runName } from '../../core/tracker';
import { deleteRun } from './notices';
import type { RunsUi } from './runsUi';

export type Target = RunRef & { label?: string };

/**
 * Cancels and tells what the server really did. A run that stops is reported like any end
 * ("… was cancelled"); this only speaks when that will not happen.
 */
export async function cancelAndReport(ui: RunsUi, target: Target): Promise<string> {
  const { tracker } = ui;
  const { label, ...ref } = target;
  vscode.window.setStatusBarMessage(`$(debug-stop) Cancelling run ${runName(target)}…`, 3_000);
  const result = await tracker.cancel(ref, label ? { label } : {});
  switch (result.kind) {
    case 'already-ended':
      void vscode.window.showInformationMessage(`Nothing to cancel: ${describeEnd(result.report)}`, 'Open Result').then((c) => c && ui.open(result.report));
      break;
    case 'requested':
      vscode.window.setStatusBarMessage(`$(debug-stop) Cancel sent for run ${runName(target)}; its end will be reported.`, 5_000);
      break;
    case 'not-stopped':
      void vscode.window.showWarningMessage(`Run ${runName(target)} is still running. ${result.message}`, 'Delete Run').then(async (c) => {
        if (c === 'Delete Run') await deleteRun(ui, target);
      });
      break;
    case 'failed':
      void vscode.window.showErrorMessage(`Could not cancel run ${runName(target)}: ${result.message}`);
      break;
    case 'ended':
      break;
  }
  return result.kind;
}
