/**
 * Folds one run's stream events (`messages-tuple`, `tasks`, `custom`, `error`, with
 * `stream_subgraphs`) into LiveOps for the panel, and keeps what the header and the status bar
 * show: the nodes running now. No vscode. Everything in an event is the server's and untrusted:
 * what cannot be read becomes an `other` line, never an exception.
 */
import type { RunCreate, StreamEvent, StreamMode } from '../../api';
import { isRecord } from '../../shared/isRecord';
import { truncate } from '../../shared/text';
import { normalizeMessage, prettyJson } from '../messages';
import { errorText, taskErrorText } from './errorText';
import type { LiveOp } from './liveOps';

/** The stream modes the panel reads; runs the extension creates ask for them. */
export const LIVE_STREAM_MODES: readonly StreamMode[] = ['messages-tuple', 'tasks', 'custom'];

/** What a run the extension creates asks for, so that a panel can stream it, from its start, at any time. */
export const LIVE_RUN_OPTIONS: Pick<RunCreate, 'stream_mode' | 'stream_subgraphs' | 'stream_resumable'> = { stream_mode: [...LIVE_STREAM_MODES], stream_subgraphs: true, stream_resumable: true };

/**
 * A run file's body with the live options added: its own stream modes are kept (the union), and
 * its own `stream_subgraphs` / `stream_resumable` win.
 */
export function withLiveOptions<T extends Partial<RunCreate>>(body: T): T {
  const own = body.stream_mode === undefined ? [] : Array.isArray(body.stream_mode) ? body.stream_mode : [body.stream_mode];
  return {
    ...body,
    stream_mode: [...new Set([...own, ...LIVE_STREAM_MODES])],
    stream_subgraphs: body.stream_subgraphs ?? true,
    stream_resumable: body.stream_resumable ?? true,
  };
}

/** Custom and unreadable data shown this long at most. */
const DATA_CLIP = 2_000;

interface Running {
  node: string;
  ns: string[];
}

export class LiveRun {
  private readonly running = new Map<string, Running>();
  /** Steps that finished, top level and in subgraphs. */
  finished = 0;
  /** `metadata` events seen: one per attempt. */
  private attempts = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The nodes running now, top level first; a subgraph's as `parent › node`. */
  nodes(): string[] {
    return [...this.running.values()].sort((a, b) => a.ns.length - b.ns.length).map((r) => [...r.ns, r.node].join(' › '));
  }

  apply(event: StreamEvent): LiveOp[] {
    const { mode, ns } = splitEvent(event.event);
    const at = timeOf(event.id) ?? this.now();
    switch (mode) {
      case 'metadata':
        return this.metadata(event, at);
      case 'messages':
        return this.message(event, ns, at);
      case 'tasks':
        return this.task(event, ns, at);
      case 'custom': {
        // The event does not name its node: a subgraph's is its namespace's last; at the top, the one node running, if one.
        const top = [...this.running.values()].filter((r) => r.ns.length === 0);
        const node = ns.length ? ns.at(-1)!.node : top.length === 1 ? top[0]!.node : undefined;
        return [{ op: 'custom', ns: ns.map((n) => n.node), ...(node ? { node } : {}), at, data: clipJson(event.data) }];
      }
      case 'error':
        return [{ op: 'error', text: errorText(event.data), at }];
      default:
        return [other(event, at)];
    }
  }

  /**
   * `{run_id, attempt}` opens each attempt of the run. A second one in a stream means the server
   * started the run again (Python after a restart, from its last checkpoint; its count may start
   * at 1 again in the new process).
   */
  private metadata(event: StreamEvent, at: number): LiveOp[] {
    this.attempts++;
    if (this.attempts === 1) return [];
    const said = isRecord(event.data) && typeof event.data.attempt === 'number' ? event.data.attempt : 0;
    this.running.clear();
    return [{ op: 'attempt', attempt: Math.max(said, this.attempts), at }];
  }

  private message(event: StreamEvent, ns: Segment[], at: number): LiveOp[] {
    const [chunk, meta] = Array.isArray(event.data) ? event.data : [];
    if (!isRecord(chunk)) return [other(event, at)];
    const view = normalizeMessage(chunk);
    const names = ns.map((n) => n.node);
    const msg = view.id ?? `${event.event}#${String(at)}`;
    const node = isRecord(meta) && typeof meta.langgraph_node === 'string' ? meta.langgraph_node : undefined;
    if (view.role === 'tool') {
      return [{ op: 'toolResult', msg, ...(view.name ? { name: view.name } : {}), ...(view.toolCallId ? { callId: view.toolCallId } : {}), text: view.text, ...(view.status === 'error' ? { error: true } : {}), ns: names }];
    }
    if (view.role !== 'ai') return [];
    const ops: LiveOp[] = [];
    if (view.text) ops.push({ op: 'text', msg, ...(node ? { node } : {}), ns: names, text: view.text });
    const chunks = Array.isArray(chunk.tool_call_chunks) ? chunk.tool_call_chunks.filter(isRecord) : [];
    if (chunks.length > 0) {
      for (const [i, c] of chunks.entries()) {
        ops.push({
          op: 'toolCall',
          msg,
          index: typeof c.index === 'number' ? c.index : i,
          ...(typeof c.id === 'string' && c.id ? { id: c.id } : {}),
          ...(typeof c.name === 'string' && c.name ? { name: c.name } : {}),
          args: typeof c.args === 'string' ? c.args : '',
          ns: names,
        });
      }
    } else {
      // A whole message (not streamed): its calls at once.
      for (const [index, call] of view.toolCalls.entries()) ops.push({ op: 'toolCall', msg, index, ...(call.id ? { id: call.id } : {}), name: call.name, args: call.args, ns: names });
    }
    return ops;
  }

  private task(event: StreamEvent, ns: Segment[], at: number): LiveOp[] {
    const data = event.data;
    if (!isRecord(data) || typeof data.id !== 'string' || typeof data.name !== 'string') return [other(event, at)];
    const key = [...ns.map((n) => n.task), data.id].join('/');
    const names = ns.map((n) => n.node);
    if ('result' in data || 'error' in data) {
      const started = this.running.get(key);
      this.running.delete(key);
      this.finished++;
      const ops: LiveOp[] = started ? [] : [{ op: 'step', key, node: data.name, ns: names, at }];
      const wrote = isRecord(data.result) ? Object.keys(data.result) : Array.isArray(data.result) ? data.result.flatMap((w) => (Array.isArray(w) && typeof w[0] === 'string' ? [w[0]] : [])) : [];
      const error = taskErrorText(data.error);
      const interrupted = Array.isArray(data.interrupts) && data.interrupts.length > 0;
      ops.push({ op: 'stepEnd', key, at, wrote: [...new Set(wrote)], ...(error ? { error } : {}), ...(interrupted ? { interrupted } : {}) });
      return ops;
    }
    this.running.set(key, { node: data.name, ns: names });
    return [{ op: 'step', key, node: data.name, ns: names, at }];
  }
}

interface Segment {
  node: string;
  task: string;
}

/** `tasks|research:1f2e…|inner:9a…` → mode `tasks`, namespace research › inner. */
export function splitEvent(name: string): { mode: string; ns: Segment[] } {
  const [mode = '', ...rest] = name.split('|');
  const ns = rest.map((part) => {
    const colon = part.indexOf(':');
    return colon < 0 ? { node: part, task: part } : { node: part.slice(0, colon), task: part.slice(colon + 1) };
  });
  return { mode, ns };
}

/** The time in a Python id (`<ms>-<seq>`); JS ids are counters. */
function timeOf(id: string | undefined): number | undefined {
  const match = id ? /^(\d{13})-\d+$/.exec(id) : null;
  return match ? Number(match[1]) : undefined;
}

function clipJson(data: unknown): string {
  return truncate(typeof data === 'string' ? data : prettyJson(data), DATA_CLIP);
}

function other(event: StreamEvent, at: number): LiveOp {
  return { op: 'other', event: truncate(event.event, 200), data: clipJson(event.data), at };
}
