/**
 * When each dev server last reloaded its code, and the question a "re-run from here" asks about a
 * checkpoint made before that. One instance per extension host, imported where a re-run starts
 * (the thread panel, Edit State's fork and the history view all go through rerunFromCheckpoint,
 * and none of them holds DevServers); DevServers writes it.
 */
import * as vscode from 'vscode';
import type { Deployment } from '../../core/deployments';
import { shortId } from '../../core/threadLabels';
import { inTests } from '../testMode';

export const RUN_ANYWAY = 'Run Anyway';

export class ReloadTimes {
  private readonly last = new Map<string, number>();
  /** Under the tests: the answer to the next questions (undefined: cancel), and what was asked. */
  testAnswer: typeof RUN_ANYWAY | undefined;
  readonly asked: string[] = [];

  record(deploymentUrl: string, at: number): void {
    this.last.set(deploymentUrl, at);
  }

  forget(deploymentUrl: string): void {
    this.last.delete(deploymentUrl);
  }

  /** When the server at `deploymentUrl` last began a reload (ms since the epoch), if it did. */
  at(deploymentUrl: string): number | undefined {
    return this.last.get(deploymentUrl);
  }

  /**
   * True to go on: the checkpoint (made at `checkpointTime`, an ISO time) is not older than the
   * last reload, or the user chose Run Anyway.
   */
  async confirmRerun(deployment: Deployment, checkpointId: string, checkpointTime: string | null | undefined): Promise<boolean> {
    const reloaded = this.at(deployment.id);
    const made = checkpointTime ? Date.parse(checkpointTime) : NaN;
    if (reloaded === undefined || !Number.isFinite(made) || made >= reloaded) return true;
    const message = `The code of ${deployment.name} changed since checkpoint ${shortId(checkpointId)} was made: its dev server reloaded at ${new Date(reloaded).toLocaleTimeString()}.`;
    const detail = 'The re-run runs the new code from the state the old code wrote.';
    if (inTests()) {
      this.asked.push(message);
      return this.testAnswer === RUN_ANYWAY;
    }
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, RUN_ANYWAY)) === RUN_ANYWAY;
  }
}

export const reloadTimes = new ReloadTimes();
