/**
 * The tracker's way to a deployment: the deployment's own client (one connection pool per
 * deployment), without transport retries: the tracker retries at its own level (see
 * AgentServerClient.withRetries).
 */
import type { DeploymentClients } from '../../core/clients';
import type { Deployment } from '../../core/deployments';
import { clientBackend, type RunsBackend } from '../../core/tracker';
import type { ApiKeys } from '../apiKeys';
import { readDeploymentSettings } from '../settings';

/** The backend for a deployment URL, or why its runs cannot be followed. */
export function trackerBackends(clients: DeploymentClients, keys: ApiKeys): (url: string) => Promise<RunsBackend | string> {
  return async (url) => {
    const deployment = findDeployment(url);
    if (!deployment) return `${url} is no longer in the langgraph.deployments setting.`;
    await keys.load(deployment);
    // Asked for on every call: the deployments' clients are closed and made again when the
    // setting changes, and a followed run outlives that.
    return clientBackend(() => clients.get(deployment).withRetries(0));
  };
}

export function findDeployment(url: string): Deployment | undefined {
  return readDeploymentSettings().deployments.find((d) => d.id === url);
}

export function deploymentName(url: string): string {
  return findDeployment(url)?.name ?? url;
}
