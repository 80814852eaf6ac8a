/**
 * The tracker's way to a deployment: its own client per deployment, with no transport retries.
 * The tracker retries at its own level (polls with backoff); a transport that quietly re-sent a
 * dropped join could land on a restarted dev server and wait forever on a run that will never end.
 */
import type * as vscode from 'vscode';
import { AgentServerClient } from '../../api';
import type { Deployment } from '../../core/deployments';
import { clientBackend, type RunsBackend } from '../../core/tracker';
import type { ApiKeys } from '../apiKeys';
import { readDeploymentSettings } from '../settings';

export class TrackerClients implements vscode.Disposable {
  private readonly clients = new Map<string, AgentServerClient>();

  constructor(
    private readonly keys: ApiKeys,
    private readonly userAgent: string,
  ) {}

  /** The backend for a deployment URL, or why its runs cannot be followed. */
  readonly backendFor = async (url: string): Promise<RunsBackend | string> => {
    const deployment = findDeployment(url);
    if (!deployment) return `${url} is no longer in the langgraph.deployments setting.`;
    await this.keys.load(deployment);
    return clientBackend(this.clientOf(deployment));
  };

  dispose(): void {
    for (const client of this.clients.values()) void client.close();
    this.clients.clear();
  }

  private clientOf(deployment: Deployment): AgentServerClient {
    let client = this.clients.get(deployment.id);
    if (!client) {
      client = new AgentServerClient({
        url: deployment.url,
        apiKey: () => this.keys.get(deployment),
        userAgent: this.userAgent,
        retries: 0,
      });
      this.clients.set(deployment.id, client);
    }
    return client;
  }
}

export function findDeployment(url: string): Deployment | undefined {
  return readDeploymentSettings().deployments.find((d) => d.id === url);
}

export function deploymentName(url: string): string {
  return findDeployment(url)?.name ?? url;
}
