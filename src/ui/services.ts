/**
 * What activate() builds once and hands to every feature's register function. Features add
 * themselves here (one field each) and call each other through these typed objects, not through
 * command strings (commands are the user's entry points).
 */
import type * as vscode from 'vscode';
import type { DeploymentRegistry } from '../core/registry';
import type { RunEnded } from '../core/refs';
import type { ApiKeys } from './apiKeys';
import type { DeploymentsTree } from './tree/provider';
import type { ThreadPanels } from './threadPanel/threadPanels';
import type { RunTracking } from './runs/runTracking';
import type { DevServers } from './devServer/devServers';
import type { BreakpointStore } from './graphPanel/breakpointStore';

export interface Services {
  readonly context: vscode.ExtensionContext;
  /** The one source of deployments, their names and their clients (keys read first). */
  readonly registry: DeploymentRegistry;
  /** API keys in SecretStorage: set and clear (reading goes through the registry's clients). */
  readonly keys: ApiKeys;
  readonly tree: DeploymentsTree;
  /** Fires when a followed run ends (the tracker fires it; the tree and open panels listen). */
  readonly runEnded: vscode.EventEmitter<RunEnded>;
  /** The open thread result panels (one per thread): `threadPanels.open(ref)`. */
  readonly threadPanels: ThreadPanels;
  /** Background runs: `runs.follow(ref)`, the status bar, the notifications. */
  readonly runs: RunTracking;
  /** The workspace's LangGraph projects and their dev servers: `devServers.start(project)`. */
  readonly devServers: DevServers;
  /** Breakpoints set in graph panels, per deployment + assistant (workspace state); run files get them. */
  readonly breakpoints: BreakpointStore;
}
