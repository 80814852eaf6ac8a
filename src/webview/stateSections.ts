/** The final state's values as a tree, then what the graph does next and where it stands. */
import { button, el, when } from './dom';
import { jsonTree } from './jsonTree';
import { prettyJson, type ThreadView } from './protocol';
import { post } from './vscodeApi';

const copy = (text: string) => post({ type: 'copy', text });

export function valuesSection(view: ThreadView): HTMLElement {
  return el('section', { class: 'values', attrs: { 'aria-labelledby': 'values-h' } }, [
    el('div', { class: 'section-head' }, [
      el('h2', { text: 'State values', attrs: { id: 'values-h' } }),
      button('Copy all', () => copy(prettyJson(view.state.values)), { class: 'secondary small', title: 'Copy the values as JSON' }),
    ]),
    jsonTree(view.state.values, 'values', { copy, openDepth: 1 }),
  ]);
}

export function detailsSection(view: ThreadView): HTMLElement {
  const { state } = view;
  const checkpointId = (state.checkpoint as { checkpoint_id?: unknown } | null)?.checkpoint_id;
  const rows: [string, Node][] = [
    ['Next', state.next.length ? el('span', {}, state.next.map((n) => el('code', { class: 'chip', text: n }))) : el('span', { class: 'muted', text: 'nothing: the graph has finished' })],
    ['Checkpoint', typeof checkpointId === 'string' ? el('code', { class: 'id', text: checkpointId }) : el('span', { class: 'muted', text: 'none' })],
    ['Saved', el('span', { text: when(state.createdAt) || '—' })],
    ['Loaded', el('span', { text: when(view.loadedAt) })],
  ];
  return el('section', { class: 'details', attrs: { 'aria-labelledby': 'details-h' } }, [
    el('h2', { text: 'Next, tasks and checkpoint', attrs: { id: 'details-h' } }),
    el('dl', { class: 'facts' }, rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, [v])])),
    jsonTree(state.tasks, 'tasks', { copy, openDepth: state.tasks.length ? 1 : 0 }),
    jsonTree(view.interrupts, 'interrupts', { copy, openDepth: 0 }),
    jsonTree({ checkpoint: state.checkpoint, parent_checkpoint: state.parentCheckpoint }, 'checkpoint', { copy, openDepth: 0 }),
    jsonTree(state.metadata, 'metadata', { copy, openDepth: 0 }),
    jsonTree(view.thread.metadata, 'thread metadata', { copy, openDepth: 0 }),
  ]);
}
