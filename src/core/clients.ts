/**
 * One Agent Server client per deployment, made on first use and closed when the deployment goes
 * away or changes URL, so each deployment keeps one keep-alive pool for the session.
 */
import { AgentServerClient } from '../api';
import type { Deployment } from './deployments';

export interface ClientOptions {
  /** The key for a deployment, read at each request (keys are stored per deployment URL). */
  apiKeyFor: (deployment: Deployment) => string | undefined;
  userAgent?: string;
}

export class DeploymentClients {
  private readonly clients = new Map<string, AgentServerClient>();

  constructor(private readonly options: ClientOptions) {}

  get(deployment: Deployment): AgentServerClient {
    let client = this.clients.get(deployment.id);
    if (!client) {
      client = new AgentServerClient({
        url: deployment.url,
        apiKey: () => this.options.apiKeyFor(deployment),
        userAgent: this.options.userAgent,
      });
      this.clients.set(deployment.id, client);
    }
    return client;
  }

  /** Closes the clients of deployments no longer listed. */
  retain(deployments: readonly Deployment[]): void {
    const keep = new Set(deployments.map((d) => d.id));
    for (const [id, client] of this.clients) {
      if (!keep.has(id)) {
        this.clients.delete(id);
        void client.close();
      }
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }
}
