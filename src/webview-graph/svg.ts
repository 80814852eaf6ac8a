/** Building SVG and HTML with DOM APIs only: text is always textContent, never markup. */
const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, children: (SVGElement | null)[] = []): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) if (child) node.append(child);
  return node;
}

/** An SVG text element holding `text` as text. */
export function svgText(text: string, attrs: Record<string, string | number> = {}): SVGTextElement {
  const node = svg('text', attrs);
  node.textContent = text;
  return node;
}

/** A tooltip for an SVG element (its <title> child). */
export function tooltip(text: string): SVGTitleElement {
  const node = svg('title');
  node.textContent = text;
  return node;
}

export function html<K extends keyof HTMLElementTagNameMap>(tag: K, opts: { class?: string; text?: string; title?: string } = {}, children: (Node | null)[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (opts.class) node.className = opts.class;
  if (opts.text !== undefined) node.textContent = opts.text;
  if (opts.title) node.title = opts.title;
  for (const child of children) if (child) node.append(child);
  return node;
}

export function htmlButton(label: string, onClick: () => void, opts: { class?: string; title?: string } = {}): HTMLButtonElement {
  const node = html('button', { text: label, ...opts });
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}
