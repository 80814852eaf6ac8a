/**
 * The run file's zod schema: the one source of truth. The same objects validate files before
 * anything is sent (parse.ts) and give the JSON Schema the editor uses for `*.run.json`
 * (jsonSchema.ts, generated at build time into media/run-file.schema.json).
 *
 * A run file is either a run request (its top level has `input`, `command` or `assistant_id`:
 * the Agent Server's run-create body plus `thread_id`) or a bare input object (the whole file is
 * the run's `input`). Either may hold `expect` (expectationsSchema.ts), which is never sent. Keys follow the JS and Python Agent Servers' run-create bodies.
 */
import * as z from 'zod';
import { expectSchema } from './expectationsSchema';

/** Any of these at the top level makes a file a run request. */
export const REQUEST_MARKERS = ['input', 'command', 'assistant_id'] as const;

const record = () => z.record(z.string(), z.unknown());
const nodeNames = (what: string) =>
  z
    .union([z.literal('*'), z.array(z.string())], { error: 'expected "*" or a list of node names' })
    .describe(`Nodes to interrupt ${what}: "*" for all, or a list of node names.`);
const STREAM_MODES = ['values', 'updates', 'messages', 'messages-tuple', 'events', 'debug', 'custom', 'tasks', 'checkpoints'] as const;
const streamMode = z.enum(STREAM_MODES);

/** A thread id as the Agent Server accepts it (a UUID), or "new". */
export const threadIdSchema = z
  .union([z.literal('new'), z.guid({ error: 'expected a thread id (a UUID) or "new"' })], { error: 'expected a thread id (a UUID) or "new"' })
  .describe('The thread to run on: an existing thread id, or "new" for a new thread. Omit it to be asked.');

const gotoTarget = z.union([z.string(), z.looseObject({ node: z.string(), input: z.unknown().optional() })]);

export const commandSchema = z
  .strictObject({
    resume: z.unknown().optional().describe('The value to resume an interrupted thread with (what `interrupt()` returns).'),
    update: z
      .union([record(), z.array(z.tuple([z.string(), z.unknown()]))], { error: 'expected an object or a list of [key, value] pairs' })
      .optional()
      .describe('A state update to apply before resuming.'),
    goto: z
      .union([gotoTarget, z.array(gotoTarget)], { error: 'expected a node name, {"node", "input"}, or a list of them' })
      .optional()
      .describe('The node(s) to go to next.'),
  })
  .describe('Resume an interrupted thread instead of sending new input (e.g. {"resume": "yes"}).');

export const runRequestSchema = z
  .strictObject({
    $schema: z.string().optional().describe('A JSON Schema for editors (e.g. to check files not named *.run.json); not sent.'),
    assistant_id: z.string().min(1).optional().describe('The assistant id or graph id (e.g. "agent"). Omit it to be asked.'),
    thread_id: threadIdSchema.optional(),
    input: z.unknown().optional().describe("The graph's input, e.g. {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}."),
    command: commandSchema.optional(),
    config: z
      .looseObject({
        configurable: record().optional(),
        tags: z.array(z.string()).optional(),
        recursion_limit: z.int().positive({ error: 'expected a whole number above 0' }).optional(),
      })
      .optional()
      .describe('The run config: configurable values, tags, recursion_limit.'),
    context: record().optional().describe("The graph's static runtime context."),
    metadata: record().optional().describe('Metadata stored with the run.'),
    checkpoint: z
      .looseObject({
        checkpoint_id: z.string().optional(),
        checkpoint_ns: z.string().nullish(),
        checkpoint_map: record().nullish(),
      })
      .optional()
      .describe('Run from this checkpoint of the thread (time travel / fork).'),
    checkpoint_id: z.string().optional().describe('Run from this checkpoint id of the thread.'),
    interrupt_before: nodeNames('before').optional(),
    interrupt_after: nodeNames('after').optional(),
    multitask_strategy: z
      .enum(['reject', 'interrupt', 'rollback', 'enqueue'])
      .optional()
      .describe('What to do when the thread is busy with another run. Default "reject".'),
    if_not_exists: z.enum(['reject', 'create']).optional().describe('"create" creates the thread if thread_id does not exist yet.'),
    after_seconds: z.number().nonnegative({ error: 'expected a number of seconds, 0 or more' }).optional().describe('Start the run this many seconds from now.'),
    webhook: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional().describe('A URL the server POSTs the run to when it ends.'),
    stream_mode: z.union([streamMode, z.array(streamMode)]).optional().describe('What a joined stream carries.'),
    stream_subgraphs: z.boolean().optional(),
    stream_resumable: z.boolean().optional().describe('Keep the stream so that it can be joined later from the start.'),
    on_disconnect: z.enum(['cancel', 'continue']).optional(),
    on_completion: z.enum(['delete', 'keep']).optional(),
    durability: z.enum(['sync', 'async', 'exit']).optional().describe('When checkpoints are written.'),
    checkpoint_during: z.boolean().optional(),
    feedback_keys: z.array(z.string()).optional(),
    langsmith_tracer: z.looseObject({ project_name: z.string().optional(), example_id: z.string().optional() }).optional(),
    expect: expectSchema.optional(),
  })
  .describe('A run request: the Agent Server run-create body, plus thread_id.');

export type RunRequest = z.infer<typeof runRequestSchema>;

/** Every key a run request may hold, for "did you mean" and completion. */
export const RUN_REQUEST_KEYS = Object.keys(runRequestSchema.shape) as (keyof RunRequest)[];

/** A bare input: any object without the marker keys (those make it a run request); `expect` is not part of the input. */
export const bareInputSchema = z
  .looseObject({ input: z.never().optional(), command: z.never().optional(), assistant_id: z.never().optional(), expect: expectSchema.optional() })
  .describe("A bare input: the whole file is the run's input, e.g. {\"messages\": [...]}.");

export const runFileSchema = z.union([runRequestSchema, bareInputSchema]);
