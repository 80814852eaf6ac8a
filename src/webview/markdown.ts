/**
 * Markdown for message text, with markdown-it: raw HTML off (`<script>` shows as text), links
 * only to http(s) URLs (others stay plain text), images off (a picture from a deployment would be
 * a request leaving the editor). The output is markdown-it's own escaped HTML; nothing else is
 * ever assigned to innerHTML. Very long texts skip markdown and show as plain text.
 */
import MarkdownIt from 'markdown-it';
import { button, el } from './dom';
import { isSafeExternalUrl } from './protocol';

/** Above this, markdown's cost buys little: show plain text (still wrapped and selectable). */
const MARKDOWN_MAX_CHARS = 100_000;
/** Plain text this long is shown in part until asked for, so one huge message cannot stall the panel. */
const PLAIN_SHOWN_CHARS = 200_000;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image']);
md.validateLink = (url: string) => isSafeExternalUrl(url);
// Links carry their URL in data-href, not href: VS Code's webview host opens any clicked
// <a href> itself, and every link must go through the extension's scheme check instead
// (main.ts posts it). role and tabindex keep them links for keyboards and screen readers.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  const href = token.attrGet('href') ?? '';
  token.attrs = [
    ['data-href', href],
    ['title', href],
    ['role', 'link'],
    ['tabindex', '0'],
  ];
  return self.renderToken(tokens, idx, options);
};

/** A block holding `text` rendered as markdown (or as plain text when it is huge). */
export function markdownBlock(text: string, className = 'markdown'): HTMLElement {
  if (text.length > MARKDOWN_MAX_CHARS) return plainBlock(text, `${className} plain`);
  const block = el('div', { class: className });
  block.innerHTML = md.render(text);
  return block;
}

/** Preformatted text (tool output, JSON, long text), clipped with a button to show the rest. */
export function plainBlock(text: string, className = 'plain'): HTMLElement {
  const pre = el('pre', { class: className, text: text.length > PLAIN_SHOWN_CHARS ? text.slice(0, PLAIN_SHOWN_CHARS) : text });
  if (text.length <= PLAIN_SHOWN_CHARS) return pre;
  const more = button(`Show all ${text.length.toLocaleString()} characters`, () => {
    pre.textContent = text;
    more.remove();
  }, { class: 'link-button' });
  return el('div', {}, [pre, more]);
}
