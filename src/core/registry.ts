/**
 * The one registry of deployments: every feature (tree, tracker, panels, run files, commands)
 * asks it which deployments exist, what a URL is called, and for a deployment's client. It reads
 * the deployments from a source the UI provides (settings, with workspace trust applied), keeps
 * one client (one connection pool) per deployment, and hands a client out only after that
 * deployment's key has been read, so no request can go out before its key is known.
 * No vscode import.
 */
import { AgentServerClient } from '../api';
import { canonicalUrl, type Deployment, type ParsedDeployments } from './deployments';
import { Listeners } from './listeners';

export interface DeploymentSnapshot extends ParsedDeployments {
  /** True when the workspace lists deployments that were ignored because it is not trusted. */
  ignoredUntrusted: boolean;
}

/** Where keys come from (SecretStorage in the extension): loaded once, then read synchronously. */
export interface KeySource {
  load(deployment: Deployment): Promise<void>;
  get(deployment: Deployment): string | undefined;
}

export interface RegistryOptions {
  /** Reads the configured deployments (the settings, trust applied). */
  read: () => DeploymentSnapshot;
  keys: KeySource;
  userAgent?: string;
  /** The most a response body may hold, read at each client's creation. */
  maxBodyBytes?: () => number | undefined;
}

export class DeploymentRegistry {
  private current: DeploymentSnapshot;
  /** Deployments that exist only while something runs (a workspace dev server): never in settings. */
  private transient: readonly Deployment[] = [];
  private readonly clients = new Map<string, AgentServerClient>();
  private readonly changes = new Listeners<DeploymentSnapshot>();
  /** Fires after the list of deployments (or a name) changed. */
  readonly onDidChange = this.changes.on;

  constructor(private readonly options: RegistryOptions) {
    this.current = options.read();
  }

  /** The configured deployments, in the settings' order, then the transient ones not configured. */
  list(): readonly Deployment[] {
    if (!this.transient.length) return this.current.deployments;
    const configured = new Set(this.current.deployments.map((d) => d.id));
    return [...this.current.deployments, ...this.transient.filter((d) => !configured.has(d.id))];
  }

  /**
   * Replaces the transient deployments (the workspace's running dev servers): listed, found and
   * given clients like configured ones, never written to settings. A configured URL wins.
   */
  setTransient(list: readonly Deployment[]): void {
    const before = JSON.stringify(this.transient);
    this.transient = [...list];
    if (JSON.stringify(this.transient) === before) return;
    this.closeUnlisted();
    this.changes.fire(this.current);
  }

  /** Whether the deployment is in the settings (not only a running dev server's): it can be renamed or removed. */
  isConfigured(url: string): boolean {
    const id = canonicalUrl(url);
    return this.current.deployments.some((d) => d.id === id);
  }

  /** Problems and notices from the last read, for the tree's notices. */
  snapshot(): DeploymentSnapshot {
    return this.current;
  }

  /** The configured deployment with this URL (in any spelling), or undefined. */
  find(url: string): Deployment | undefined {
    const id = canonicalUrl(url);
    return this.list().find((d) => d.id === id);
  }

  /** How a deployment URL is shown: its configured name, else the URL. */
  name(url: string): string {
    return this.find(url)?.name ?? url;
  }

  /**
   * The deployment's client, its key read first. Refuses deployments that are not configured
   * (any more): a removed deployment gets no request, with or without its key.
   */
  async client(deployment: Deployment | string): Promise<AgentServerClient> {
    const listed = this.find(typeof deployment === 'string' ? deployment : deployment.id);
    if (!listed) throw new Error(`${typeof deployment === 'string' ? deployment : deployment.url} is not in the langgraph.deployments setting (any more).`);
    await this.options.keys.load(listed);
    // Looked up again: the list may have changed while the key was read.
    if (!this.find(listed.id)) throw new Error(`${listed.url} was removed from the langgraph.deployments setting.`);
    let client = this.clients.get(listed.id);
    if (!client) {
      const maxBodyBytes = this.options.maxBodyBytes?.();
      client = new AgentServerClient({
        url: listed.url,
        apiKey: () => this.options.keys.get(listed),
        userAgent: this.options.userAgent,
        ...(maxBodyBytes ? { maxBodyBytes } : {}),
        maxBodySetting: 'langgraph.maxResponseMB',
      });
      this.clients.set(listed.id, client);
    }
    return client;
  }

  /**
   * Reads the deployments again (the settings or trust changed). Clients of deployments no longer
   * listed are closed; with `clientsToo`, all are (a setting their pools depend on changed).
   */
  reload(clientsToo = false): void {
    const before = JSON.stringify(this.current);
    this.current = this.options.read();
    this.closeUnlisted(clientsToo);
    if (JSON.stringify(this.current) !== before) this.changes.fire(this.current);
  }

  /** Closes the clients of deployments no longer listed (all of them with `all`). */
  private closeUnlisted(all = false): void {
    const keep = new Set(this.list().map((d) => d.id));
    for (const [id, client] of this.clients) {
      if (all || !keep.has(id)) {
        this.clients.delete(id);
        void client.close();
      }
    }
  }

  async dispose(): Promise<void> {
    this.changes.clear();
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }
}
