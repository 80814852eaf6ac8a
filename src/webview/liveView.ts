/**
 * A run as it happens: a header (status, elapsed time, the nodes running now), the assistant's
 * answer growing as markdown with its tool calls and results, and a step timeline (each node's
 * start, duration, the keys it wrote, its error; custom events; subgraph steps folded under their
 * namespace). Ops (protocol.ts) are queued as they come and applied once per animation frame,
 * so a burst of tokens costs one layout. Everything is text from the server: textContent, or the
 * escaping markdown renderer.
 */
import { truncate } from '../shared/text';
import { el } from './dom';
import { cssWord } from './header';
import { plainBlock } from './markdown';
import type { LiveHeader, LiveOp, LiveReport } from './protocol';
import { StreamingMarkdown } from './streamingMarkdown';

interface MessageBox {
  element: HTMLElement;
  node?: string;
  markdown: StreamingMarkdown;
  calls: Map<number, { id?: string; name?: string; args: string; code: HTMLElement }>;
  callsBox: HTMLElement;
}

interface StepRow {
  row: HTMLElement;
  at: number;
  node: string;
  ns: string[];
  meta: HTMLElement;
  done: boolean;
}

const REPORT_CLIP = 20_000;

export class LiveView {
  readonly element: HTMLElement;
  /** The timeline (and notes), kept in the final view when the run ends. */
  readonly timeline: HTMLElement;
  private readonly head: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly steps: HTMLOListElement;
  private readonly messages = new Map<string, MessageBox>();
  private readonly rows = new Map<string, StepRow>();
  private readonly groups = new Map<string, { details: HTMLDetailsElement; list: HTMLOListElement; count: number; summary: HTMLElement }>();
  private queue: LiveOp[] = [];
  private header: LiveHeader;
  private frame = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private lastText: MessageBox | undefined;
  private stepsDone = 0;
  private customCount = 0;
  private errors: string[] = [];
  private noteTexts: string[] = [];
  frames = 0;
  opsApplied = 0;
  /** What the header shows, to redraw it only when that changes. */
  private headKey = '';

  constructor(header: LiveHeader, private readonly onFrame: (view: LiveView) => void) {
    this.header = header;
    this.head = el('div', { class: 'live-head' });
    this.notes = el('div', { class: 'live-notes', attrs: { role: 'status' } });
    this.answer = el('div', { class: 'live-answer' });
    this.steps = el('ol', { class: 'live-steps' });
    this.timeline = el('section', { class: 'live-timeline', attrs: { 'aria-label': 'Run timeline' } }, [
      el('h2', { text: 'Run timeline' }),
      this.notes,
      this.steps,
    ]);
    this.element = el('section', { class: 'live', attrs: { 'aria-label': 'Live run' } }, [
      this.head,
      el('section', { class: 'live-answer-box' }, [el('h2', { text: 'Streaming' }), this.answer]),
      this.timeline,
    ]);
    this.renderHead();
    this.ticker = setInterval(() => this.renderHead(), 1000);
  }

  get runId(): string {
    return this.header.runId;
  }

  get ended(): boolean {
    return this.header.ended !== undefined;
  }

  /** Queues ops (and a new header); they are applied on the next frame. */
  push(header: LiveHeader, ops: LiveOp[]): void {
    this.header = header;
    for (const op of ops) this.queue.push(op);
    if (header.ended && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    this.frame ||= requestAnimationFrame(() => this.applyQueued());
  }

  /** Stops the clock (the view is thrown away or kept as the timeline only). */
  stop(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    // A frame still due applies now: its ops, or a new header alone (the end), must be shown and reported.
    const due = this.frame !== 0;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (due || this.queue.length) this.applyQueued();
    this.lastText?.element.classList.remove('growing');
    for (const box of this.messages.values()) box.markdown.settle();
  }

  report(): LiveReport {
    return {
      runId: this.header.runId,
      status: this.header.status,
      ended: this.header.ended ?? '',
      nodes: this.header.nodes,
      // The text as received (markdown), clipped: reading the rendered text would cost the whole answer every report.
      answer: truncate(this.lastText?.markdown.value ?? '', REPORT_CLIP),
      answerChars: this.lastText?.markdown.value.length ?? 0,
      stepsDone: this.stepsDone,
      stepsShown: this.rows.size,
      timeline: truncate(this.steps.textContent ?? '', REPORT_CLIP),
      toolCalls: [...this.messages.values()].flatMap((m) => [...m.calls.values()].map((c) => `${c.name ?? '?'}(${c.args})`)),
      customCount: this.customCount,
      errors: this.errors,
      notes: this.noteTexts,
      frames: this.frames,
      opsApplied: this.opsApplied,
    };
  }

  private applyQueued(): void {
    this.frame = 0;
    const ops = this.queue;
    this.queue = [];
    const touched = new Set<MessageBox>();
    for (const op of ops) this.apply(op, touched);
    for (const box of touched) box.markdown.flush();
    this.renderHead();
    this.frames++;
    this.opsApplied += ops.length;
    this.onFrame(this);
  }

  private apply(op: LiveOp, touched: Set<MessageBox>): void {
    switch (op.op) {
      case 'text': {
        const box = this.message(op.msg, op.node, op.ns);
        box.markdown.append(op.text);
        touched.add(box);
        // The caret marks the one message still being written.
        if (this.lastText !== box) {
          this.lastText?.element.classList.remove('growing');
          box.element.classList.add('growing');
        }
        this.lastText = box;
        return;
      }
      case 'toolCall': {
        const box = this.message(op.msg, undefined, op.ns);
        let call = box.calls.get(op.index);
        if (!call) {
          const code = el('code', { class: 'call-signature' });
          box.callsBox.append(el('div', { class: 'tool-call live-call' }, [el('span', { class: 'call-label', text: 'Tool call' }), code]));
          call = { args: '', code };
          box.calls.set(op.index, call);
        }
        if (op.id) call.id = op.id;
        if (op.name) call.name = op.name;
        call.args += op.args;
        call.code.textContent = `${call.name ?? '…'}(${truncate(call.args, 400)})`;
        return;
      }
      case 'toolResult': {
        this.answer.append(
          el('article', { class: `card msg msg-tool live-tool${op.error ? ' failed' : ''}` }, [
            el('div', { class: 'msg-head' }, [
              el('span', { class: 'role role-tool', text: 'Tool' }),
              op.name ? el('span', { class: 'msg-name', text: op.name }) : null,
              op.error ? el('span', { class: 'badge badge-error', text: 'error' }) : null,
              nsLabel(op.ns),
            ]),
            plainBlock(truncate(op.text, 4_000), 'plain tool-output'),
          ]),
        );
        return;
      }
      case 'step':
        return this.step(op);
      case 'stepEnd':
        return this.stepEnd(op);
      case 'custom':
        this.customCount++;
        this.line(op.ns, el('li', { class: 'live-custom' }, [el('span', { class: 'badge', text: 'custom' }), op.node ? el('span', { class: 'muted', text: ` ${op.node} ` }) : null, el('code', { text: op.data })]));
        return;
      case 'error':
        this.errors.push(op.text);
        this.steps.append(el('li', { class: 'live-error', attrs: { role: 'alert' } }, [el('span', { class: 'badge badge-error', text: 'error' }), el('pre', { class: 'error-text', text: op.text })]));
        return;
      case 'other':
        this.steps.append(el('li', { class: 'live-other' }, [el('span', { class: 'badge', text: op.event || '(no name)' }), el('code', { class: 'muted', text: ` ${op.data}` })]));
        return;
      case 'attempt': {
        // Run again from its last checkpoint: the steps it cut off, and what they wrote, are void.
        const cut = new Set<string>();
        for (const row of this.rows.values()) {
          if (row.done) continue;
          cut.add(row.node);
          row.meta.textContent = 'cut off';
          row.row.classList.replace('running', 'cut');
        }
        for (const [id, box] of this.messages) {
          if (box.node === undefined || !cut.has(box.node)) continue;
          box.element.classList.add('cut');
          box.element.querySelector('.msg-head')?.append(el('span', { class: 'badge', text: 'cut off' }));
          this.messages.delete(id);
          if (this.lastText === box) this.lastText = undefined;
        }
        // Task ids repeat in the new attempt: its steps get rows of their own.
        this.rows.clear();
        this.groups.clear();
        this.noteTexts.push(`Attempt ${op.attempt}`);
        this.steps.append(el('li', { class: 'live-attempt' }, [el('span', { class: 'badge', text: `attempt ${op.attempt}` }), el('span', { text: ' The server started this run again (it restarted); it goes on from its last saved step.' })]));
        return;
      }
      case 'note':
        this.noteTexts.push(op.text);
        this.notes.append(el('p', { class: `note live-note ${op.tone}`, text: op.text }));
        return;
    }
  }

  private message(id: string, node: string | undefined, ns: string[]): MessageBox {
    let box = this.messages.get(id);
    if (box) return box;
    const markdown = new StreamingMarkdown();
    const callsBox = el('div', { class: 'tool-calls' });
    const element = el('article', { class: 'card msg msg-ai live-msg' }, [
      el('div', { class: 'msg-head' }, [el('span', { class: 'role role-ai', text: 'AI' }), node ? el('span', { class: 'msg-name', text: node }) : null, nsLabel(ns)]),
      el('div', { class: 'msg-body' }, [markdown.element, callsBox]),
    ]);
    box = { element, markdown, calls: new Map(), callsBox, ...(node ? { node } : {}) };
    this.messages.set(id, box);
    this.answer.append(element);
    return box;
  }

  private step(op: Extract<LiveOp, { op: 'step' }>): void {
    if (this.rows.has(op.key)) return;
    const meta = el('span', { class: 'step-meta muted', text: 'running…' });
    const row = el('li', { class: 'live-step running' }, [el('span', { class: 'step-node', text: op.node }), meta]);
    this.rows.set(op.key, { row, at: op.at, node: op.node, ns: op.ns, meta, done: false });
    this.line(op.ns, row);
  }

  private stepEnd(op: Extract<LiveOp, { op: 'stepEnd' }>): void {
    const step = this.rows.get(op.key);
    if (!step || step.done) return;
    step.done = true;
    this.stepsDone++;
    step.row.classList.remove('running');
    step.row.classList.add(op.error ? 'failed' : op.interrupted ? 'interrupted' : 'done');
    const parts = [duration(op.at - step.at)];
    if (op.wrote.length) parts.push(`wrote ${op.wrote.join(', ')}`);
    if (op.interrupted) parts.push('interrupted');
    step.meta.textContent = parts.join(' · ');
    if (op.error) step.row.append(el('pre', { class: 'error-text', text: op.error }));
  }

  /** Appends a timeline line: top level, or folded under its subgraph's namespace. */
  private line(ns: string[], item: HTMLElement): void {
    if (ns.length === 0) {
      this.steps.append(item);
      return;
    }
    const key = ns.join(' › ');
    let group = this.groups.get(key);
    if (!group) {
      const summary = el('summary', { text: `${key} (subgraph)` });
      const list = el('ol', { class: 'live-steps' });
      const details = el('details', { class: 'live-subgraph' }, [summary, list]);
      group = { details, list, count: 0, summary };
      this.groups.set(key, group);
      this.steps.append(el('li', { class: 'live-group' }, [details]));
    }
    group.count++;
    group.summary.textContent = `${key} (subgraph) · ${group.count} event${group.count === 1 ? '' : 's'}`;
    group.list.append(item);
  }

  private renderHead(): void {
    const h = this.header;
    const elapsed = h.ended ? '' : duration(Date.now() - h.startedAt);
    const key = `${h.status}|${h.ended ?? ''}|${h.nodes.join(',')}|${elapsed}`;
    if (key === this.headKey) return;
    this.headKey = key;
    const parts = [
      el('span', { class: `badge status status-${cssWord(h.ended ? 'ended' : h.status)}`, text: h.ended ? 'ended' : h.status }),
      el('span', { class: 'live-elapsed', text: h.ended ? ` ${h.ended}` : ` ${elapsed}` }),
    ];
    if (h.nodes.length && !h.ended) parts.push(el('span', { class: 'live-nodes', text: ` · running ${h.nodes.join(', ')}` }));
    this.head.replaceChildren(...parts);
  }
}

function nsLabel(ns: string[]): HTMLElement | null {
  return ns.length ? el('span', { class: 'ns muted', text: `in ${ns.join(' › ')}` }) : null;
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
