/**
 * Building DOM from untrusted content: text always goes in as textContent, never as markup.
 * The one place markup is inserted is markdown.ts, whose renderer escapes all HTML.
 */
type Child = Node | string | false | null | undefined;

export interface ElOptions {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElOptions = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title) node.title = options.title;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    node.append(child);
  }
  return node;
}

export function button(label: string, onClick: () => void, options: ElOptions = {}): HTMLButtonElement {
  const b = el('button', { ...options, text: label, attrs: { type: 'button', ...options.attrs } });
  b.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    onClick();
  });
  return b;
}

/** "3 h ago"-style times are the tree's job; here a readable local date and time. */
export function when(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
