/**
 * The tracker's way to a deployment: the deployment's own client from the registry (one
 * connection pool per deployment), without transport retries: the tracker retries at its own
 * level (see AgentServerClient.withRetries).
 */
import type { DeploymentRegistry } from '../../core/registry';
import { clientBackend, type RunsBackend } from '../../core/tracker';

/** The backend for a deployment URL, or why its runs cannot be followed. */
export function trackerBackends(registry: DeploymentRegistry): (url: string) => Promise<RunsBackend | string> {
  return async (url) => {
    if (!registry.find(url)) return `${url} is no longer in the langgraph.deployments setting.`;
    // Asked for on every call: clients are closed and made again when the setting changes, a
    // followed run outlives that, and a removed deployment must get no more requests (the
    // registry refuses it, so the call fails with words and the follower gives up).
    return clientBackend(async () => (await registry.client(url)).withRetries(0));
  };
}
