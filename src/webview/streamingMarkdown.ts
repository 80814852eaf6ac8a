/**
 * Markdown that grows token by token and costs little per token: the text is cut into blocks at
 * blank lines outside code fences; a finished block is rendered once and left alone, and only the
 * open block at the end is rendered again, at most once per frame (and every 100 ms at most once
 * it is long). Re-rendering the whole text on every token (the naive way) is quadratic.
 */
import { el } from './dom';
import { markdownBlock } from './markdown';

/** Past this, the open block is rendered again at most every `SLOW_TAIL_MS`. */
const LONG_TAIL = 4_000;
const SLOW_TAIL_MS = 100;

export class StreamingMarkdown {
  readonly element: HTMLElement;
  private readonly done: HTMLElement;
  private readonly tail: HTMLElement;
  private text = '';
  /** Where the open block starts, and how far lines have been scanned. */
  private blockStart = 0;
  private scanned = 0;
  private inFence = false;
  private fence = '';
  private tailDirty = false;
  private tailRenderedAt = 0;

  constructor(className = 'markdown live-md') {
    this.done = el('div', { class: 'md-done' });
    this.tail = el('div', { class: 'md-tail' });
    this.element = el('div', { class: className }, [this.done, this.tail]);
  }

  get value(): string {
    return this.text;
  }

  append(more: string): void {
    if (!more) return;
    this.text += more;
    this.tailDirty = true;
  }

  /** Renders what came since the last call (called once per frame). */
  flush(now = performance.now()): void {
    if (!this.tailDirty) return;
    this.commitBlocks();
    const tail = this.text.slice(this.blockStart);
    if (tail.length > LONG_TAIL && now - this.tailRenderedAt < SLOW_TAIL_MS) return;
    this.tailDirty = false;
    this.tailRenderedAt = now;
    this.tail.replaceChildren(...(tail ? [markdownBlock(tail, 'md-block')] : []));
  }

  /** Moves every finished block (ended by a blank line outside a fence) into `done`. */
  private commitBlocks(): void {
    let lineStart = this.scanned;
    for (;;) {
      const end = this.text.indexOf('\n', lineStart);
      if (end < 0) break;
      const line = this.text.slice(lineStart, end);
      const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence && (!this.inFence || (fence[0] === this.fence[0] && fence.length >= this.fence.length))) {
        this.inFence = !this.inFence;
        this.fence = this.inFence ? fence : '';
      } else if (!this.inFence && line.trim() === '' && end > this.blockStart) {
        const block = this.text.slice(this.blockStart, end + 1);
        if (block.trim()) this.done.append(markdownBlock(block, 'md-block'));
        this.blockStart = end + 1;
      }
      lineStart = end + 1;
    }
    this.scanned = lineStart;
  }
}
