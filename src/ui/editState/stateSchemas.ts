/**
 * The state schema of a thread's assistant (`GET /assistants/{id}/schemas` → `state_schema`), for
 * the checks and the completion of "Edit State…" documents: its top-level fields, and a checker
 * that runs in the schema-check worker (inputSchema.ts's `inputChecker`, the run files' check).
 * Kept five minutes per thread; a failed read is forgotten, so the next check asks again.
 */
import { inputChecker, type InputChecker, type SchemaCheckRunner } from '../../core/runFile';
import type { DeploymentRegistry } from '../../core/registry';
import { threadAssistant } from '../commands/rerunFromCheckpoint';
import { describeError } from '../log';
import { schemaFields } from './stateText';

const TTL_MS = 5 * 60_000;

export interface StateSchema {
  fields: { name: string; description?: string }[];
  /** Undefined when the schema says nothing worth checking. */
  check?: InputChecker;
}

export type StateSchemaRead = StateSchema | { unavailable: string };

export class StateSchemas {
  private readonly entries = new Map<string, { at: number; read: Promise<StateSchemaRead> }>();

  constructor(
    private readonly registry: DeploymentRegistry,
    private readonly runner: SchemaCheckRunner,
  ) {}

  of(deploymentUrl: string, threadId: string): Promise<StateSchemaRead> {
    const key = `${deploymentUrl}\u0000${threadId}`;
    const cached = this.entries.get(key);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.read;
    this.runner.warm?.();
    const read = this.read(deploymentUrl, threadId).catch((error: unknown) => ({ unavailable: describeError(error) }));
    void read.then((r) => {
      if ('unavailable' in r) this.entries.delete(key);
    });
    this.entries.set(key, { at: Date.now(), read });
    return read;
  }

  private async read(deploymentUrl: string, threadId: string): Promise<StateSchemaRead> {
    const deployment = this.registry.find(deploymentUrl);
    if (!deployment) return { unavailable: `${deploymentUrl} is not a configured deployment` };
    const client = await this.registry.client(deployment);
    const named = await threadAssistant(client, threadId);
    if (!named) return { unavailable: 'the thread does not say which assistant runs it' };
    // The Python server reads schemas by assistant UUID only: a graph id is resolved first.
    const assistant = await client.assistants.resolve(named);
    if (!assistant) return { unavailable: `the deployment has no assistant or graph "${named}"` };
    const { state_schema: schema } = await client.assistants.schemas(assistant.assistant_id);
    const check = inputChecker(schema, this.runner);
    return { fields: schemaFields(schema), ...(check ? { check } : {}) };
  }
}
