/**
 * Markdown that grows token by token and costs little per token: the text is cut into blocks at
 * blank lines outside code fences; a finished block is rendered once and left alone. The open
 * block at the end is rendered as markdown again at most every 100 ms; in between, each frame
 * appends what came as plain text to the end of it, so a token is on screen in the frame it
 * arrives and its formatting follows within 100 ms. Re-rendering the whole text on every token
 * (the naive way) is quadratic; re-rendering the open block every frame was measured at 12× the
 * cost of rendering the final text once.
 */
import { el } from './dom';
import { markdownBlock } from './markdown';

/** The open block is rendered as markdown at most this often. */
const TAIL_MS = 100;
/** Elements text may be appended into (the last one of the rendered open block). */
const CONTAINERS = /^(DIV|UL|OL|LI|BLOCKQUOTE|P|H[1-6]|PRE|CODE|TABLE|THEAD|TBODY|TR|TD|TH)$/;

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
  /** How much of the text is on screen (rendered, or appended as plain text). */
  private shown = 0;
  private tailRenderedAt = -Infinity;
  /** The plain text appended after the rendered open block, until its next render. */
  private pending: Text | undefined;

  constructor(className = 'markdown live-md') {
    this.done = el('div', { class: 'md-done' });
    this.tail = el('div', { class: 'md-tail' });
    this.element = el('div', { class: className }, [this.done, this.tail]);
  }

  get value(): string {
    return this.text;
  }

  append(more: string): void {
    this.text += more;
  }

  /** Shows what came since the last call (called once per frame). */
  flush(now = performance.now()): void {
    if (this.shown === this.text.length) return;
    const committed = this.commitBlocks();
    if (committed || now - this.tailRenderedAt >= TAIL_MS) return this.renderTail(now);
    // Between renders: the new text as plain text at the end of the open block.
    const more = this.text.slice(this.shown);
    if (!this.pending) {
      this.pending = document.createTextNode('');
      appendTarget(this.tail).append(this.pending);
    }
    this.pending.appendData(more);
    this.shown = this.text.length;
  }

  /** Renders the open block now if plain text waits at its end (the stream is over). */
  settle(): void {
    if (this.pending || this.shown !== this.text.length) {
      this.commitBlocks();
      this.renderTail(performance.now());
    }
  }

  private renderTail(now: number): void {
    const tail = this.text.slice(this.blockStart);
    this.tail.replaceChildren(...(tail ? [markdownBlock(tail, 'md-block')] : []));
    this.pending = undefined;
    this.tailRenderedAt = now;
    this.shown = this.text.length;
  }

  /** Moves every finished block (ended by a blank line outside a fence) into `done`; true if any. */
  private commitBlocks(): boolean {
    let committed = false;
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
        committed = true;
      }
      lineStart = end + 1;
    }
    this.scanned = lineStart;
    return committed;
  }
}

/** The innermost last block of the rendered open block (a paragraph, an item, code), else the block itself. */
function appendTarget(root: HTMLElement): Element {
  let target: Element = root;
  while (target.lastElementChild && CONTAINERS.test(target.lastElementChild.tagName)) target = target.lastElementChild;
  return target;
}
