/**
 * A collapsible JSON tree that builds children only when opened, so a 5 MB state costs one row
 * per top-level key until someone looks deeper. Long arrays and objects open in slices of 100;
 * long strings are clipped with a button for the rest. Every object can be copied as JSON.
 */
import { plural, truncate } from '../shared/text';
import { button, el } from './dom';
import { prettyJson } from './protocol';

const SLICE = 100;
const STRING_SHOWN = 400;

export interface TreeOptions {
  copy(text: string, what: string): void;
  /** Levels open from the start (1: the root's children are listed). */
  openDepth?: number;
}

export function jsonTree(value: unknown, label: string, options: TreeOptions): HTMLElement {
  return el('div', { class: 'json-tree', attrs: { role: 'tree' } }, [node(label, value, options, options.openDepth ?? 1, label)]);
}

function node(key: string, value: unknown, options: TreeOptions, openDepth: number, path: string): HTMLElement {
  if (value === null || typeof value !== 'object') return leaf(key, value);
  const entries = Array.isArray(value) ? value.length : Object.keys(value).length;
  if (entries === 0) return leaf(key, value);
  const details = el('details', { class: 'jt-node' });
  const summary = el('summary', { class: 'jt-row' }, [
    keyLabel(key),
    el('span', { class: 'jt-preview', text: Array.isArray(value) ? `[ ${plural(entries, 'item')} ]` : `{ ${plural(entries, 'key')} }` }),
    button('Copy', () => options.copy(prettyJson(value), path), { class: 'jt-copy', title: `Copy ${path} as JSON` }),
  ]);
  details.append(summary);
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    details.append(children(value as object, options, openDepth - 1, path));
  };
  details.addEventListener('toggle', () => details.open && build());
  if (openDepth > 0) {
    build();
    details.open = true;
  }
  return details;
}

function children(value: object, options: TreeOptions, openDepth: number, path: string): HTMLElement {
  const box = el('div', { class: 'jt-children', attrs: { role: 'group' } });
  const keys = Array.isArray(value) ? null : Object.keys(value);
  const total = keys ? keys.length : (value as unknown[]).length;
  const at = (i: number): [string, unknown] => {
    if (keys) return [keys[i]!, (value as Record<string, unknown>)[keys[i]!]];
    return [String(i), (value as unknown[])[i]];
  };
  const childPath = (k: string) => (keys ? `${path}.${k}` : `${path}[${k}]`);
  if (total <= SLICE) {
    for (let i = 0; i < total; i++) {
      const [k, v] = at(i);
      box.append(node(k, v, options, openDepth, childPath(k)));
    }
    return box;
  }
  // Slices of 100, each built when opened.
  for (let start = 0; start < total; start += SLICE) {
    const end = Math.min(total, start + SLICE) - 1;
    const slice = el('details', { class: 'jt-node jt-slice' }, [el('summary', { class: 'jt-row', text: keys ? `keys ${start}–${end}` : `[${start} … ${end}]` })]);
    let built = false;
    slice.addEventListener('toggle', () => {
      if (!slice.open || built) return;
      built = true;
      const inner = el('div', { class: 'jt-children' });
      for (let i = start; i <= end; i++) {
        const [k, v] = at(i);
        inner.append(node(k, v, options, 0, childPath(k)));
      }
      slice.append(inner);
    });
    box.append(slice);
  }
  return box;
}

function leaf(key: string, value: unknown): HTMLElement {
  const row = el('div', { class: 'jt-row jt-leaf', attrs: { role: 'treeitem' } }, [keyLabel(key)]);
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    const shown = el('span', { class: 'jt-string', text: truncate(quoted, STRING_SHOWN) });
    row.append(shown);
    if (quoted.length > STRING_SHOWN) {
      const more = button(`show all ${value.length.toLocaleString()} characters`, () => {
        shown.textContent = quoted;
        more.remove();
      }, { class: 'link-button' });
      row.append(more);
    }
    return row;
  }
  const kind = value === null ? 'null' : Array.isArray(value) ? 'empty' : typeof value === 'object' ? 'empty' : typeof value;
  const text = Array.isArray(value) ? '[]' : value !== null && typeof value === 'object' ? '{}' : String(value);
  row.append(el('span', { class: `jt-${kind}`, text }));
  return row;
}

function keyLabel(key: string): HTMLElement {
  return el('span', { class: 'jt-key', text: key });
}
