/**
 * API keys in VS Code's SecretStorage, one per deployment URL. Keying by URL (not by name) means
 * a key is only ever sent to the URL it was set for: renaming an entry keeps its key, pointing an
 * entry at another URL does not carry the key along. Keys are cached in memory so the HTTP layer
 * can read them synchronously; they are never written to settings or logs.
 */
import * as vscode from 'vscode';
import type { Deployment } from '../core/deployments';
import { envApiKey, envKeyAllowedFor, type EnvKey } from '../core/envApiKey';

const PREFIX = 'langgraph.apiKey:';
/** Set for a deployment whose user cleared its key and did not take the environment's. */
const ENV_OFF_PREFIX = 'langgraph.envKeyOff:';

export class ApiKeys implements vscode.Disposable {
  private readonly cache = new Map<string, string | undefined>();
  private readonly envOff = new Map<string, boolean>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the deployment URL whose key changed (here or in another window). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  private readonly env: EnvKey | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    env: Record<string, string | undefined> = process.env,
  ) {
    this.env = envApiKey(env);
    this.subscription = secrets.onDidChange(async (e) => {
      if (e.key.startsWith(ENV_OFF_PREFIX)) {
        const url = e.key.slice(ENV_OFF_PREFIX.length);
        this.envOff.set(url, Boolean(await secrets.get(e.key)));
        this.changed.fire(url);
        return;
      }
      if (!e.key.startsWith(PREFIX)) return;
      const url = e.key.slice(PREFIX.length);
      this.cache.set(url, await secrets.get(e.key));
      this.changed.fire(url);
    });
  }

  /** Loads a deployment's key into the cache (once); call before the first request. */
  async load(deployment: Deployment): Promise<void> {
    if (!this.cache.has(deployment.url)) {
      const [key, off] = await Promise.all([this.secrets.get(PREFIX + deployment.url), this.secrets.get(ENV_OFF_PREFIX + deployment.url)]);
      this.envOff.set(deployment.url, Boolean(off));
      this.cache.set(deployment.url, key);
    }
  }

  /** The key sent to a deployment: its own stored key, else the environment's (see envApiKey.ts). */
  get(deployment: Deployment): string | undefined {
    return this.cache.get(deployment.url) ?? this.envFor(deployment)?.value;
  }

  /** True when a key is stored for this deployment (not counting the environment's). */
  has(deployment: Deployment): boolean {
    return Boolean(this.cache.get(deployment.url));
  }

  /** Where the deployment's key comes from, for tooltips: never the key itself. */
  source(deployment: Deployment): string | undefined {
    if (this.has(deployment)) return 'stored in secret storage';
    const env = this.envFor(deployment);
    return env ? `from ${env.name}` : undefined;
  }

  /** The environment's key this deployment could use (https or loopback only), whether used or not. */
  envKeyFor(deployment: Deployment): EnvKey | undefined {
    return this.env && envKeyAllowedFor(deployment.url) ? this.env : undefined;
  }

  private envFor(deployment: Deployment): EnvKey | undefined {
    return this.envOff.get(deployment.url) ? undefined : this.envKeyFor(deployment);
  }

  /** Whether the environment's key is sent to this deployment when no key is stored for it. */
  async useEnvKey(deployment: Deployment, use: boolean): Promise<void> {
    this.envOff.set(deployment.url, !use);
    if (use) await this.secrets.delete(ENV_OFF_PREFIX + deployment.url);
    else await this.secrets.store(ENV_OFF_PREFIX + deployment.url, '1');
    this.changed.fire(deployment.url);
  }

  async set(deployment: Deployment, key: string | undefined): Promise<void> {
    this.cache.set(deployment.url, key || undefined);
    if (key) await this.secrets.store(PREFIX + deployment.url, key);
    else await this.secrets.delete(PREFIX + deployment.url);
    this.changed.fire(deployment.url);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
