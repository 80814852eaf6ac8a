/**
 * What activate() builds once and hands to every feature's register function. Features add
 * themselves here (one field each) instead of reaching into each other.
 */
import type * as vscode from 'vscode';
import type { DeploymentClients } from '../core/clients';
import type { RunEnded } from '../core/refs';
import type { ApiKeys } from './apiKeys';
import type { DeploymentsTree } from './tree/provider';
import type { ThreadPanels } from './threadPanel/threadPanels';
import type { RunTracking } from './runs/runTracking';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly clients: DeploymentClients;
  readonly keys: ApiKeys;
  readonly tree: DeploymentsTree;
  /** Fires when a followed run ends (the tracker fires it; the tree and open panels listen). */
  readonly runEnded: vscode.EventEmitter<RunEnded>;
  /** The open thread result panels (one per thread). */
  readonly threadPanels: ThreadPanels;
  /** Background runs: `runs.tracker` follows runs (prefer the `langgraph.joinRun` command); status bar; notifications. */
  readonly runs: RunTracking;
}
