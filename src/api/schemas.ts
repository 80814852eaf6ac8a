/**
 * zod schemas for every Agent Server response the client reads. Objects are loose: extra fields
 * from newer servers pass through untouched; missing or wrongly typed fields the extension relies
 * on fail with a message naming the field. Statuses accept the known values and, so that a newer
 * server with a new status does not break every list, any other string.
 */
import * as z from 'zod';

const record = z.record(z.string(), z.unknown());
/** Metadata may be null on some servers; read it as {}. */
const metadata = record.nullish().transform((m) => m ?? {});
/** Known values for the type checker; any string at run time. */
const openString = <T extends readonly [string, ...string[]]>(_known: T) =>
  z.string() as unknown as z.ZodType<T[number] | (string & {})>;

export const THREAD_STATUSES = ['idle', 'busy', 'interrupted', 'error'] as const;
export const RUN_STATUSES = ['pending', 'running', 'success', 'error', 'timeout', 'interrupted'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];
export type RunStatus = (typeof RUN_STATUSES)[number];

export const interruptSchema = z.looseObject({
  id: z.string().optional(),
  value: z.unknown(),
});
export type Interrupt = z.infer<typeof interruptSchema>;

export const threadSchema = z.looseObject({
  thread_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  metadata,
  status: openString(THREAD_STATUSES),
  config: record.nullish(),
  values: z.unknown().optional(),
  interrupts: z.record(z.string(), z.array(interruptSchema)).nullish(),
});
export type Thread = z.infer<typeof threadSchema>;

export const runSchema = z.looseObject({
  run_id: z.string(),
  thread_id: z.string(),
  assistant_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  status: openString(RUN_STATUSES),
  metadata,
  kwargs: record.nullish(),
  multitask_strategy: z.string().nullish(),
});
export type Run = z.infer<typeof runSchema>;

export const assistantSchema = z.looseObject({
  assistant_id: z.string(),
  graph_id: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  config: record.nullish(),
  context: z.unknown().optional(),
  metadata,
  version: z.number().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Assistant = z.infer<typeof assistantSchema>;

export const assistantSchemasSchema = z.looseObject({
  graph_id: z.string(),
  input_schema: z.unknown().optional(),
  output_schema: z.unknown().optional(),
  state_schema: z.unknown().optional(),
  config_schema: z.unknown().optional(),
  context_schema: z.unknown().optional(),
});
export type AssistantSchemas = z.infer<typeof assistantSchemasSchema>;

const checkpointSchema = z.looseObject({
  thread_id: z.string().optional(),
  checkpoint_ns: z.string().nullish(),
  checkpoint_id: z.string().nullish(),
});

/** A checkpoint the server made: the answer to a state update (`POST /threads/{id}/state`). */
export const checkpointConfigSchema = z.looseObject({
  thread_id: z.string().optional(),
  checkpoint_ns: z.string().nullish(),
  checkpoint_id: z.string(),
});
export type CheckpointConfig = z.infer<typeof checkpointConfigSchema>;

/** JS answers `{checkpoint}`; Python adds the same config as `configurable` and `checkpoint_id`. */
export const stateUpdateSchema = z.looseObject({ checkpoint: checkpointConfigSchema });

export const taskSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  error: z.string().nullish(),
  interrupts: z.array(interruptSchema).nullish(),
  state: z.unknown().optional(),
  /** A subgraph's task: where its own checkpoints are (`checkpoint_ns` "research:<task id>"). */
  checkpoint: checkpointSchema.nullish(),
});

export const threadStateSchema = z.looseObject({
  values: z.unknown(),
  next: z.array(z.string()),
  tasks: z.array(taskSchema).default([]),
  metadata: record.nullish(),
  created_at: z.string().nullish(),
  checkpoint: checkpointSchema.nullish(),
  parent_checkpoint: checkpointSchema.nullish(),
  interrupts: z.array(interruptSchema).nullish(),
});
export type ThreadState = z.infer<typeof threadStateSchema>;

export const infoSchema = z.looseObject({
  version: z.string().optional(),
  langgraph_js_version: z.string().optional(),
  langgraph_py_version: z.string().optional(),
  context: z.string().optional(),
  flags: record.optional(),
});
export type ServerInfo = z.infer<typeof infoSchema>;

export const okSchema = z.looseObject({ ok: z.boolean() });
export const countSchema = z.number().int().nonnegative();

/**
 * A node of `GET /assistants/{id}/graph`. JS: `{id, type: "schema"|"runnable", data: {id: [...],
 * name} | {$schema}, metadata: {}}`; Python: `{id, type: "runnable", data: {name}}` (data.id
 * dropped), `__end__` only `{id}`. With `xray`, a subgraph's nodes come as `research:gather`.
 */
export const graphNodeSchema = z.looseObject({
  id: z.string(),
  type: z.string().nullish(),
  data: z.unknown().optional(),
  metadata: record.nullish(),
});
export type GraphNodeJson = z.infer<typeof graphNodeSchema>;

/** An edge: JS always sends `conditional`, Python only when true; `data` is a label, if any. */
export const graphEdgeSchema = z.looseObject({
  source: z.string(),
  target: z.string(),
  conditional: z.boolean().nullish(),
  data: z.unknown().optional(),
});
export type GraphEdgeJson = z.infer<typeof graphEdgeSchema>;

export const assistantGraphSchema = z.looseObject({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema).default([]),
});
export type AssistantGraph = z.infer<typeof assistantGraphSchema>;
