/**
 * LangChain messages from a thread's state values, as people read them: who spoke, what they
 * said, which tools were called with what. Content is a string or an array of content blocks
 * (Anthropic, OpenAI, LangChain v1 standard blocks); tool calls sit in `tool_calls`, in OpenAI's
 * `additional_kwargs.tool_calls`, or in `tool_use` blocks. No vscode and no DOM: the webview
 * bundles this file, and unit tests run it on captured states.
 */
import { isRecord } from '../shared/isRecord';
import { truncate } from '../shared/text';

export type Role = 'human' | 'ai' | 'tool' | 'system' | 'other';

export interface ToolCallView {
  id?: string;
  name: string;
  /** Arguments as pretty JSON (or the raw text when they do not parse). */
  args: string;
  /** Set for `invalid_tool_calls`: why the model's call could not be parsed. */
  error?: string;
}

export type MessagePart =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string; redacted?: boolean }
  | { kind: 'image'; description: string }
  | { kind: 'other'; type: string; json: string };

export interface MessageView {
  /** Position in the state's message list. */
  index: number;
  role: Role;
  /** The type as the state says it ("ai", "AIMessageChunk", "user", …), for labels. */
  type: string;
  name?: string;
  id?: string;
  /** Content in order; tool_use blocks are not here but in `toolCalls`. */
  parts: MessagePart[];
  toolCalls: ToolCallView[];
  /** Tool messages: the call they answer, and `error` when the tool failed. */
  toolCallId?: string;
  status?: string;
  /** The text parts joined: what "the message says". */
  text: string;
}

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const ROLE_BY_TYPE: Record<string, Role> = {
  human: 'human',
  user: 'human',
  humanmessage: 'human',
  humanmessagechunk: 'human',
  ai: 'ai',
  assistant: 'ai',
  aimessage: 'ai',
  aimessagechunk: 'ai',
  tool: 'tool',
  toolmessage: 'tool',
  toolmessagechunk: 'tool',
  function: 'tool',
  functionmessage: 'tool',
  system: 'system',
  developer: 'system',
  systemmessage: 'system',
  systemmessagechunk: 'system',
};

/** JSON for people; never throws (a value nested thousands deep becomes a note instead). */
export function prettyJson(value: unknown, indent = 2): string {
  try {
    const text = JSON.stringify(value, null, indent);
    return text === undefined ? String(value) : text;
  } catch {
    return '[value too deeply nested to print]';
  }
}

/** The message list of a state's values: `values.messages`, else the first list of messages. */
export function messagesOf(values: unknown): unknown[] {
  if (!isRecord(values)) return [];
  if (Array.isArray(values.messages)) return values.messages;
  for (const value of Object.values(values)) {
    if (Array.isArray(value) && value.length > 0 && value.every((m) => roleOf(unwrap(m)) !== undefined)) return value;
  }
  return [];
}

export function normalizeMessages(raw: readonly unknown[]): MessageView[] {
  return raw.map((m, index) => normalizeMessage(m, index));
}

export function normalizeMessage(raw: unknown, index = 0): MessageView {
  const m = unwrap(raw);
  if (!m) {
    const text = typeof raw === 'string' ? raw : prettyJson(raw);
    return { index, role: 'other', type: typeof raw, parts: [{ kind: 'text', text }], toolCalls: [], text };
  }
  const typeLabel = str(m.type) ?? str(m.role) ?? str(m._lcClass) ?? 'message';
  const role = roleOf(m) ?? 'other';
  const parts: MessagePart[] = [];
  const blockCalls: ToolCallView[] = [];
  readContent(m.content, parts, blockCalls);
  const toolCalls = mergeToolCalls([
    ...listOf(m.tool_calls).map(langchainCall),
    ...listOf(isRecord(m.additional_kwargs) ? m.additional_kwargs.tool_calls : undefined).map(openAiCall),
    ...blockCalls,
    ...listOf(m.invalid_tool_calls).map(invalidCall),
  ]);
  const text = parts
    .filter((p): p is { kind: 'text'; text: string } => p.kind === 'text')
    .map((p) => p.text)
    .join('\n\n');
  const view: MessageView = { index, role, type: typeLabel, parts, toolCalls, text };
  const name = str(m.name);
  if (name) view.name = name;
  const id = str(m.id);
  if (id) view.id = id;
  const toolCallId = str(m.tool_call_id);
  if (toolCallId) view.toolCallId = toolCallId;
  const status = str(m.status);
  if (status) view.status = status;
  return view;
}

/** The last message an assistant (AI) wrote, or undefined when there is none yet. */
export function lastAssistantMessage(messages: readonly MessageView[]): MessageView | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'ai') return messages[i];
  return undefined;
}

/** A compact one-line call: `get_weather({"city":"sf"})`, clipped. */
export function callSignature(call: ToolCallView, max = 160): string {
  const args = call.args.replace(/\s*\n\s*/g, ' ');
  const text = `${call.name}(${args === '{}' ? '' : args})`;
  return truncate(text, max);
}

/** Plain object of a message: serialized LangChain classes (`{lc, type: "constructor", id, kwargs}`) too. */
function unwrap(raw: unknown): (Obj & { _lcClass?: string }) | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.lc !== undefined && raw.type === 'constructor' && Array.isArray(raw.id) && isRecord(raw.kwargs)) {
    const cls = raw.id[raw.id.length - 1];
    return { ...raw.kwargs, _lcClass: typeof cls === 'string' ? cls : 'message', type: raw.kwargs.type ?? cls };
  }
  return raw;
}

function roleOf(m: Obj | undefined): Role | undefined {
  if (!m) return undefined;
  for (const key of ['type', 'role', '_lcClass']) {
    const v = str(m[key]);
    const role = v ? ROLE_BY_TYPE[v.toLowerCase()] : undefined;
    if (role) return role;
  }
  return undefined;
}

function listOf(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function readContent(content: unknown, parts: MessagePart[], calls: ToolCallView[]): void {
  if (content === undefined || content === null) return;
  if (typeof content === 'string') {
    if (content) parts.push({ kind: 'text', text: content });
    return;
  }
  if (!Array.isArray(content)) {
    parts.push({ kind: 'other', type: typeof content, json: prettyJson(content) });
    return;
  }
  for (const block of content) {
    if (typeof block === 'string') {
      if (block) parts.push({ kind: 'text', text: block });
      continue;
    }
    if (!isRecord(block)) continue;
    const part = readBlock(block, calls);
    if (part) parts.push(part);
  }
}

function readBlock(block: Obj, calls: ToolCallView[]): MessagePart | undefined {
  const type = str(block.type) ?? '';
  switch (type) {
    case 'text':
    case 'text_delta':
    case 'output_text':
      return { kind: 'text', text: str(block.text) ?? '' };
    case 'thinking':
      return { kind: 'thinking', text: str(block.thinking) ?? str(block.text) ?? '' };
    case 'redacted_thinking':
      return { kind: 'thinking', text: '', redacted: true };
    case 'reasoning': {
      const summary = listOf(block.summary)
        .map((s) => str(s.text) ?? '')
        .filter(Boolean);
      return { kind: 'thinking', text: str(block.reasoning) ?? str(block.text) ?? summary.join('\n\n') };
    }
    case 'tool_use':
    case 'server_tool_use':
    case 'tool_call': {
      calls.push(blockCall(block));
      return undefined;
    }
    case 'image_url':
    case 'image':
    case 'input_image':
      return { kind: 'image', description: describeImage(block) };
    default:
      return { kind: 'other', type: type || 'block', json: prettyJson(block) };
  }
}

function describeImage(block: Obj): string {
  const imageUrl = block.image_url;
  const url = str(imageUrl) ?? (isRecord(imageUrl) ? str(imageUrl.url) : undefined) ?? str(block.url);
  const source = isRecord(block.source) ? block.source : undefined;
  const data = str(block.data) ?? str(block.base64) ?? (source ? str(source.data) : undefined);
  const mime = str(block.mime_type) ?? (source ? str(source.media_type) : undefined);
  if (url?.startsWith('data:')) {
    const kind = /^data:([^;,]+)/.exec(url)?.[1] ?? 'inline';
    return `Image (${kind}, ${sizeOf(url.length)} inline)`;
  }
  if (url) return `Image: ${truncate(url, 300)}`;
  if (data) return `Image (${mime ?? 'base64'}, ${sizeOf(data.length)} inline)`;
  return 'Image';
}

function sizeOf(chars: number): string {
  const bytes = Math.round((chars * 3) / 4);
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Arguments given as an object, or as JSON text (OpenAI, partial_json): pretty either way. */
function argsText(value: unknown): string {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!trimmed) return '{}';
    try {
      return prettyJson(JSON.parse(trimmed));
    } catch {
      return value;
    }
  }
  return value === undefined || value === null ? '{}' : prettyJson(value);
}

function langchainCall(c: Obj): ToolCallView {
  return withId({ name: str(c.name) ?? 'tool', args: argsText(c.args) }, c.id);
}

function openAiCall(c: Obj): ToolCallView {
  const fn = isRecord(c.function) ? c.function : {};
  return withId({ name: str(fn.name) ?? str(c.name) ?? 'tool', args: argsText(fn.arguments ?? c.args) }, c.id);
}

function blockCall(b: Obj): ToolCallView {
  // Streamed Anthropic blocks keep `input: {}` and the real arguments in `partial_json`.
  const input = b.input ?? b.args;
  const emptyInput = input === undefined || (isRecord(input) && Object.keys(input).length === 0);
  const args = emptyInput && typeof b.partial_json === 'string' ? argsText(b.partial_json) : argsText(input);
  return withId({ name: str(b.name) ?? 'tool', args }, b.id);
}

function invalidCall(c: Obj): ToolCallView {
  const call = withId({ name: str(c.name) ?? 'tool', args: argsText(c.args) }, c.id);
  call.error = str(c.error) ?? 'The model produced a call that could not be parsed.';
  return call;
}

function withId(call: ToolCallView, id: unknown): ToolCallView {
  if (typeof id === 'string' && id) call.id = id;
  return call;
}

/** One entry per call: the same call often appears in several places (tool_calls + tool_use block). */
function mergeToolCalls(calls: ToolCallView[]): ToolCallView[] {
  const out: ToolCallView[] = [];
  const byId = new Map<string, ToolCallView>();
  for (const call of calls) {
    const seen = call.id ? byId.get(call.id) : undefined;
    if (seen) {
      // Keep the first (parsed) one, but take arguments from a later one when the first had none.
      if (seen.args === '{}' && call.args !== '{}') seen.args = call.args;
      continue;
    }
    if (call.id) byId.set(call.id, call);
    out.push(call);
  }
  return out;
}
