/**
 * What changed at a checkpoint, as the history view shows it: the top-level keys added, removed
 * and changed; under each, its changes as paths with their values (clipped), and a messages list
 * as messages (the new ones as the conversation shows them). Keys too big for the extension's
 * budget, or not reached by it, get a Compare button: the extension compares them when asked.
 */
import { plural, truncate } from '../shared/text';
import { button, el } from './dom';
import { messageBody, messageHead } from './messageView';
import { prettyJson, type KeyDiff, type MessageView, type StateKeysDiff, type ValueChange } from './protocol';

const VALUE_SHOWN = 300;

export function diffView(keys: StateKeysDiff, diffs: readonly KeyDiff[], compare: (key: string) => void): HTMLElement {
  const changed = keys.added.length + keys.removed.length + keys.changed.length;
  const summary = changed
    ? [
        keys.changed.length ? `${plural(keys.changed.length, 'key')} changed` : '',
        keys.added.length ? `${keys.added.length} added` : '',
        keys.removed.length ? `${keys.removed.length} removed` : '',
        keys.same ? `${keys.same} the same` : '',
      ]
        .filter(Boolean)
        .join(', ')
    : keys.unchecked.length
      ? 'Nothing changed in the keys compared so far.'
      : 'Nothing changed in the state.';
  const box = el('div', { class: 'diff' }, [el('p', { class: 'diff-summary', text: summary })]);
  for (const d of diffs) if (d.kind !== 'same' || d.tooLarge) box.append(keyDiffView(d, compare));
  for (const key of keys.unchecked) {
    box.append(
      el('div', { class: 'diff-key unchecked', attrs: { 'data-key': key } }, [
        el('code', { class: 'diff-name', text: key }),
        el('span', { class: 'muted', text: ' not compared yet (the state is large) ' }),
        button('Compare', () => compare(key), { class: 'link-button' }),
      ]),
    );
  }
  return box;
}

export function keyDiffView(d: KeyDiff, compare: (key: string) => void): HTMLElement {
  const box = el('div', { class: `diff-key diff-${d.kind}`, attrs: { 'data-key': d.key } }, [
    el('div', { class: 'diff-head' }, [el('code', { class: 'diff-name', text: d.key }), el('span', { class: `badge diff-badge-${d.kind}`, text: d.kind })]),
  ]);
  if (d.tooLarge) {
    box.append(
      el('p', { class: 'muted' }, [
        el('span', { text: `Too large to compare at once (${d.tooLarge.nodes.toLocaleString()}+ values). ` }),
        button('Compare', () => compare(d.key), { class: 'link-button' }),
      ]),
    );
    return box;
  }
  if (d.messages) {
    const { added, removed, changed } = d.messages;
    for (const m of added) box.append(messageCard(m, 'added'));
    for (const c of changed) box.append(messageCard(c.before, 'removed'), messageCard(c.after, 'added'));
    for (const m of removed) box.append(messageCard(m, 'removed'));
    return box;
  }
  if (d.changes.length) box.append(el('ul', { class: 'diff-changes' }, d.changes.map(changeRow)));
  if (d.truncated) box.append(el('p', { class: 'muted', text: `…and ${plural(d.truncated, 'more change')}.` }));
  return box;
}

function messageCard(m: MessageView, kind: 'added' | 'removed'): HTMLElement {
  return el('article', { class: `card msg msg-${m.role} diff-msg diff-msg-${kind}` }, [
    el('span', { class: `diff-sign`, text: kind === 'added' ? '+' : '−', title: kind === 'added' ? 'new message' : 'message gone' }),
    messageHead(m),
    messageBody(m),
  ]);
}

function changeRow(c: ValueChange): HTMLElement {
  const path = c.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return el('li', { class: `diff-change diff-${c.kind}` }, [
    el('code', { class: 'diff-path', text: path }),
    c.kind === 'added' ? null : el('code', { class: 'diff-before', text: shown(c.before) }),
    c.kind === 'changed' ? el('span', { class: 'muted', text: ' → ' }) : null,
    c.kind === 'removed' ? null : el('code', { class: 'diff-after', text: shown(c.after) }),
  ]);
}

const shown = (v: unknown) => truncate(typeof v === 'string' ? JSON.stringify(v) : prettyJson(v), VALUE_SHOWN);
