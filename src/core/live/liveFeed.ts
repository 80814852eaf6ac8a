/**
 * One run streamed for a thread panel: RunStream's events folded into LiveOps (LiveRun) and
 * handed to `post` in batches, the first op of a quiet spell at once and then at most one batch
 * per 8 ms whatever the token rate (the page applies them once per frame). It keeps every op
 * (text merged), so a webview that was torn down (hidden, reloaded) gets the whole view again
 * with `replay()`. No vscode.
 */
import type { AgentServerClient, Run, StreamEvent } from '../../api';
import { clip } from '../../shared/text';
import type { RunRef } from '../refs';
import type { LiveHeader, LiveOp } from './liveOps';
import { LiveRun } from './liveRun';
import { RunStream, type RunStreamEnd, type RunStreamNotice, type RunStreamOptions } from './runStream';

/**
 * The least time between two posts. Half a frame: the page applies what came once per frame, so
 * a post waits at most 8 ms here and then for the page's next frame (16 ms was measured to put
 * the p95 token-to-screen time 3 ms past the goal of 30 ms behind the SDK).
 */
export const FRAME_MS = 8;
/** Text kept for a replay; past it the replay says the rest is in the final state. */
const LOG_TEXT_CAP = 16 * 1024 * 1024;

export interface LiveBatch {
  header: LiveHeader;
  ops: LiveOp[];
  reset?: boolean;
}

export interface LiveFeedOptions {
  client: Pick<AgentServerClient, 'runs'>;
  ref: RunRef;
  /** The run as just read (saves RunStream's first read). */
  run?: Run;
  post(batch: LiveBatch): void;
  /** The nodes running changed (for the status bar). */
  onNodes?(nodes: string[]): void;
  /** Each event as it came (the graph panels' live highlight reads the same stream). */
  onEvent?(event: StreamEvent): void;
  stream?: Omit<RunStreamOptions, 'signal' | 'run' | 'onNotice'>;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class LiveFeed {
  readonly header: LiveHeader;
  private readonly live: LiveRun;
  private readonly log: LiveOp[] = [];
  private logText = 0;
  private logClipped = false;
  /** The pieces of the last log entry's text while it is a text op still growing. */
  private tail: string[] | undefined;
  private pending: LiveOp[] = [];
  private timer: unknown;
  private lastPost = -Infinity;
  private readonly abort = new AbortController();
  private readonly now: () => number;
  /** Events read, for reports. */
  events = 0;

  constructor(private readonly options: LiveFeedOptions) {
    this.now = options.now ?? Date.now;
    this.live = new LiveRun(this.now);
    const created = Date.parse(options.run?.created_at ?? '');
    this.header = { runId: options.ref.runId, status: options.run?.status ?? 'running', startedAt: Number.isFinite(created) ? created : this.now(), nodes: [] };
  }

  get runId(): string {
    return this.options.ref.runId;
  }

  /** Streams to the end; resolves with how it ended (never rejects). */
  async run(): Promise<RunStreamEnd> {
    const { client, ref } = this.options;
    const stream = new RunStream(client, ref.threadId, ref.runId, {
      ...this.options.stream,
      signal: this.abort.signal,
      ...(this.options.run ? { run: this.options.run } : {}),
      onNotice: (notice) => this.notice(notice),
    });
    try {
      for await (const event of stream) this.event(event);
    } catch (error) {
      // RunStream ends rather than throws; this is a bug's last line of defence.
      stream.end ??= { reason: 'failed', message: error instanceof Error ? error.message : String(error), reconnects: 0 };
    }
    const end = stream.end ?? { reason: 'failed', message: 'The stream ended without saying why.', reconnects: 0 };
    if (end.status) this.header.status = end.status;
    if (end.reason === 'gave-up') this.add([this.note(`${end.message ?? 'Stopped streaming.'} The run is followed in the background; this panel refreshes when it ends.`, 'warn')]);
    if (end.reason === 'failed') this.add([this.note(`Stopped streaming: ${end.message ?? 'unknown error'}`, 'warn')]);
    return end;
  }

  /** Marks the header ended (in words) and sends what is pending at once. */
  finish(words: string): void {
    this.header.ended = words;
    this.header.nodes = [];
    this.flush();
  }

  /** Everything so far, for a webview that starts afresh. */
  replay(): LiveBatch {
    const tail = this.tail;
    this.settle();
    // Merging goes on after a replay: the last entry's text is its one piece.
    const last = this.log.at(-1);
    if (tail && last?.op === 'text') this.tail = [last.text];
    const ops = this.logClipped ? [...this.log, this.note('The streamed text past 16 MB is not kept for a reload; the final state holds all of it.', 'info')] : [...this.log];
    return { header: { ...this.header }, ops, reset: true };
  }

  dispose(): void {
    this.abort.abort(new Error('closed'));
    if (this.timer !== undefined) this.clear(this.timer);
    this.timer = undefined;
  }

  private event(event: StreamEvent): void {
    this.events++;
    this.options.onEvent?.(event);
    if (event.event === 'metadata' && this.header.status === 'pending') this.header.status = 'running';
    const before = this.header.nodes;
    const ops = this.live.apply(event);
    const nodes = this.live.nodes();
    if (nodes.length !== before.length || nodes.some((n, i) => n !== before[i])) {
      this.header.nodes = nodes;
      this.options.onNodes?.(nodes);
    }
    this.add(ops);
  }

  private notice(notice: RunStreamNotice): void {
    switch (notice.kind) {
      case 'earlier-events-unavailable':
        return this.add([this.note('This run was not created with stream_resumable: it is joined from now on, and its earlier events are not available.', 'info')]);
      case 'reconnecting':
        return this.add([this.note(`Connection lost (${clip(notice.cause, 200)}); reconnecting in ${(notice.delayMs / 1000).toFixed(1)} s (try ${notice.attempt}).`, 'warn')]);
      case 'events-missed':
        return this.add([this.note('Reconnected to a run that does not keep its events: some may have been missed (the final state is complete).', 'warn')]);
    }
  }

  private note(text: string, tone: 'info' | 'warn'): LiveOp {
    return { op: 'note', text, tone, at: this.now() };
  }

  private add(ops: LiveOp[]): void {
    for (const op of ops) {
      this.keep(op);
      this.pending.push(op);
    }
    if (this.pending.length === 0 || this.timer !== undefined) return;
    const wait = this.lastPost + FRAME_MS - this.now();
    if (wait <= 0) this.flush();
    else this.timer = this.set(() => this.flush(), wait);
  }

  private flush(): void {
    if (this.timer !== undefined) this.clear(this.timer);
    this.timer = undefined;
    this.lastPost = this.now();
    const ops = this.pending;
    this.pending = [];
    this.options.post({ header: { ...this.header }, ops });
  }

  /** Into the replay log, text merged into the op before it when it continues the same message. */
  private keep(op: LiveOp): void {
    const prev = this.log.at(-1);
    if (op.op === 'text') {
      // Once past the cap, no more text: a later chunk would be merged across the hole.
      if (this.logClipped || this.logText + op.text.length > LOG_TEXT_CAP) {
        this.logClipped = true;
        return;
      }
      this.logText += op.text.length;
      if (prev?.op === 'text' && prev.msg === op.msg && this.tail) {
        // Kept as pieces, joined a thousand at a time: `a + b` per token would hold a chain of
        // thousands of small strings (5× the text, measured).
        this.tail.push(op.text);
        if (this.tail.length >= 1_000) this.tail = [this.tail.join('')];
        return;
      }
    }
    this.settle();
    if (op.op === 'toolCall' && prev?.op === 'toolCall' && prev.msg === op.msg && prev.index === op.index) {
      this.log[this.log.length - 1] = { ...prev, ...(op.id ? { id: op.id } : {}), ...(op.name ? { name: op.name } : {}), args: prev.args + op.args };
      return;
    }
    this.log.push({ ...op });
    if (op.op === 'text') this.tail = [op.text];
  }

  /** Joins the pieces of the last text entry into it. */
  private settle(): void {
    const last = this.log.at(-1);
    if (this.tail && last?.op === 'text') last.text = this.tail.join('');
    this.tail = undefined;
  }


  private set(fn: () => void, ms: number): unknown {
    return (this.options.setTimer ?? ((f, t) => setTimeout(f, t)))(fn, ms);
  }

  private clear(timer: unknown): void {
    (this.options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)))(timer);
  }
}
