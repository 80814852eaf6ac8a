/**
 * The thread panel's history view: the thread's checkpoints newest first, a page at a time,
 * grouped by run, a subgraph's checkpoints nested under the step that ran it (read when opened),
 * and where the history forks, the branch shown with a switcher (‹ 2 of 3 ›, like Agent Chat UI).
 * Selecting a checkpoint asks the extension for its state and what changed from its parent
 * (historyDiff.ts), with its actions: Re-run from Here, Edit State…, Open as JSON.
 * Everything in it is the server's text, put in as text.
 */
import { truncate } from '../shared/text';
import { button, el, when } from './dom';
import { diffView } from './historyDiff';
import { jsonTree } from './jsonTree';
import {
  branchView,
  groupByRun,
  nestSubgraphs,
  shortId,
  stepLabel,
  switchBranch,
  type CheckpointAction,
  type CheckpointMessage,
  type CheckpointSummary,
  type HistoryEntry,
  type HistoryMessage,
  type HistoryReport,
  type KeyDiff,
} from './protocol';
import { post } from './vscodeApi';

const REPORT_CLIP = 20_000;
/** Pages read looking for a checkpoint to select (showHistory(select)), at most. */
const SEARCH_PAGES = 20;

function runHeading(runId: string | undefined, startedAt: string | undefined): string {
  const started = startedAt ? ` · ${when(startedAt)}` : '';
  return runId ? `Run ${shortId(runId)}${started}` : `Not from a run${started}`;
}

export class HistoryView {
  readonly element = el('section', { class: 'history', attrs: { 'aria-labelledby': 'history-h' } });
  private readonly byNs = new Map<string, CheckpointSummary[]>();
  private readonly more = new Map<string, boolean>();
  /** Subgraph namespaces the user opened (their rows stay open across renders). */
  private readonly opened = new Set<string>();
  private tip: string | undefined;
  private selected: { id: string; ns: string } | undefined;
  private detail: CheckpointMessage | undefined;
  private pendingSelect: string | undefined;
  /** The checkpoint asked for last, until its answer comes. */
  private requested: string | undefined;
  private searched = 0;
  private error = '';
  private note = { ok: true, text: '' };
  private loaded = false;
  /** What the last render showed that the DOM does not say: the forks on its line, and its time. */
  private rendered: { forks: string[]; renderMs: number } = { forks: [], renderMs: 0 };
  private visible = false;
  private started = 0;

  /** Shows the view and asks for what it lacks (everything read so far when it holds nothing). */
  show(select?: string): void {
    this.visible = true;
    if (select) {
      this.pendingSelect = select;
      this.searched = 0;
    }
    this.started = performance.now();
    post({ type: 'historyOpen', fresh: !this.loaded });
    this.render();
  }

  get isVisible(): boolean {
    return this.visible;
  }

  /** The thread was read again (a run ended): newer checkpoints, if the view is open. */
  threadChanged(): void {
    if (this.visible && this.loaded) post({ type: 'historyOpen', fresh: false });
  }

  onHistory(m: HistoryMessage): void {
    this.started = performance.now();
    this.visible = true;
    if (m.at === 'reset') {
      this.byNs.clear();
      this.more.clear();
      this.loaded = !m.error;
    }
    this.error = m.error ?? '';
    const list = this.byNs.get(m.ns) ?? [];
    const ids = new Set(list.map((c) => c.id));
    const fresh = m.items.filter((c) => !ids.has(c.id));
    const merged = m.at === 'front' ? [...fresh, ...list] : [...list, ...fresh];
    const updated = new Map(m.updated.map((c) => [c.id, c]));
    this.byNs.set(m.ns, merged.map((c) => updated.get(c.id) ?? c));
    this.more.set(m.ns, m.hasMore);
    // A subgraph's page is shown open: it was asked for by opening it (or by the extension, for it).
    if (m.ns) this.opened.add(m.ns);
    // Newer checkpoints at the top: the view follows the thread's head unless a branch was picked.
    if (m.at === 'front' && m.ns === '' && fresh.length) this.tip = undefined;
    this.findPending();
    this.render();
  }

  onCheckpoint(m: CheckpointMessage): void {
    // An answer to an earlier click than the last is dropped; one nobody here asked for (the
    // extension selected it) is taken.
    if (this.requested !== undefined && this.requested !== m.id) return;
    this.requested = undefined;
    this.selected = { id: m.id, ns: m.ns };
    this.started = performance.now();
    this.detail = m;
    this.render();
  }

  onKeyDiff(id: string, diff: KeyDiff): void {
    if (this.detail?.id !== id || !this.detail.diffs) return;
    this.started = performance.now();
    const others = this.detail.diffs.filter((d) => d.key !== diff.key);
    const keys = this.detail.keys && { ...this.detail.keys, unchecked: this.detail.keys.unchecked.filter((k) => k !== diff.key) };
    this.detail = { ...this.detail, keys, diffs: [...others, diff] };
    this.render();
  }

  onNote(ok: boolean, text: string): void {
    this.started = performance.now();
    this.note = { ok, text };
    this.render();
  }

  private findPending(): void {
    const id = this.pendingSelect;
    if (!id) return;
    const root = this.byNs.get('') ?? [];
    if (root.some((c) => c.id === id)) {
      this.pendingSelect = undefined;
      // The branch that holds it is the one shown.
      if (!branchView(root, this.tip).line.some((c) => c.id === id)) this.tip = id;
      this.select(id, '');
    } else if (this.more.get('') && this.searched++ < SEARCH_PAGES) {
      post({ type: 'historyMore', ns: '' });
    } else {
      this.pendingSelect = undefined;
    }
  }

  private select(id: string, ns: string): void {
    this.selected = { id, ns };
    this.requested = id;
    this.detail = undefined;
    post({ type: 'historySelect', id, ns });
  }

  private render(): void {
    if (!this.visible) return;
    const root = this.byNs.get('') ?? [];
    const branch = branchView(root, this.tip);
    this.tip = branch.tip;
    const entries = nestSubgraphs(branch.line, this.byNs);
    const forkAt = new Map(branch.forks.map((f) => [f.children[f.shown]!, f]));
    const head = el('div', { class: 'section-head' }, [
      el('h2', { text: 'History', attrs: { id: 'history-h' } }),
      el('span', { class: 'muted', text: root.length ? `${branch.line.length} on this branch · ${root.length} read` : '' }),
      el('span', { class: 'spacer' }),
      button('Newer', () => post({ type: 'historyOpen', fresh: false }), { class: 'secondary small', title: 'Read checkpoints made since' }),
      button('Close', () => this.hide(), { class: 'secondary small', title: 'Close the history' }),
    ]);
    const list = el('div', { class: 'history-list', attrs: { role: 'listbox', 'aria-label': 'Checkpoints, newest first' } });
    if (this.error) list.append(el('p', { class: 'error-text', attrs: { role: 'alert' }, text: this.error }));
    else if (!this.loaded) list.append(el('p', { class: 'loading', text: 'Reading the history…' }));
    else if (!root.length) list.append(el('p', { class: 'empty', text: 'This thread has no checkpoints yet.' }));
    for (const group of groupByRun(entries)) {
      list.append(
        // Run ids are time-ordered on Python (their first 8 alike within a minute): the run's start tells groups apart.
        el('h3', { class: 'run-group', text: runHeading(group.runId, group.entries.at(-1)?.checkpoint.createdAt), title: group.runId ?? '' }),
        el('ol', { class: 'cp-rows' }, group.entries.map((e) => this.row(e, forkAt, root))),
      );
    }
    if (this.more.get('')) list.append(button('Load older checkpoints', () => post({ type: 'historyMore', ns: '' }), { class: 'secondary' }));
    const note = this.note.text ? el('p', { class: `history-note ${this.note.ok ? '' : 'error-text'}`, attrs: { role: 'status' }, text: this.note.text }) : null;
    this.element.replaceChildren(head, note ?? '', el('div', { class: 'history-body' }, [list, this.detailView()]));
    void this.element.offsetHeight;
    // Kept with the DOM, not captured: a report posted after a later render describes that render whole.
    this.rendered = { forks: branch.forks.map((f) => `${f.parentId}: ${f.shown + 1} of ${f.children.length}`), renderMs: performance.now() - this.started };
    requestAnimationFrame(() => setTimeout(() => post({ type: 'historyRendered', report: this.report() }), 0));
  }

  private hide(): void {
    this.visible = false;
    this.element.replaceChildren();
    this.element.remove();
  }

  private row(entry: HistoryEntry, forkAt: Map<string, { parentId: string; children: string[]; shown: number }>, root: CheckpointSummary[]): HTMLElement {
    const c = entry.checkpoint;
    const selected = this.selected?.id === c.id && this.selected.ns === c.ns;
    const li = el('li', {
      class: `cp-row${selected ? ' selected' : ''}${c.errors.length ? ' failed' : ''}${c.interrupts.length ? ' waiting' : ''}`,
      attrs: { role: 'option', tabindex: '0', 'aria-selected': String(selected), 'data-id': c.id },
    });
    const line = el('div', { class: 'cp-line' }, [
      el('span', { class: 'cp-title', text: stepLabel(c) }),
      el('span', { class: 'muted cp-when', text: c.createdAt ? when(c.createdAt) : '' }),
      el('code', { class: 'id', text: shortId(c.id), title: c.id }),
    ]);
    li.append(line);
    const fork = forkAt.get(c.id);
    if (fork) li.append(this.switcher(fork, root));
    if (c.errors.length) li.append(el('div', { class: 'error-text cp-sub', text: `failed: ${c.errors.map((e) => `${e.task}: ${truncate(e.message, 300)}`).join('; ')}` }));
    if (c.interrupts.length) li.append(el('div', { class: 'cp-sub warn', text: `waits for input (${c.interrupts.map((i) => i.task ?? 'graph').join(', ')})` }));
    li.append(el('div', { class: 'muted cp-sub', text: c.next.length ? `next: ${c.next.join(', ')}` : 'the graph had finished' }));
    for (const sub of entry.subgraphs) {
      const details = el('details', { class: 'cp-subgraph', attrs: { 'data-ns': sub.ns, 'data-task': sub.task } }, [el('summary', { text: `${sub.task} (subgraph)` })]);
      details.open = this.opened.has(sub.ns);
      if (sub.entries.length) details.append(el('ol', { class: 'cp-rows' }, sub.entries.map((e) => this.row(e, new Map(), root))));
      else if (details.open) details.append(el('p', { class: 'muted', text: sub.loaded ? 'No checkpoints of its own.' : 'Reading…' }));
      if (details.open && this.more.get(sub.ns)) details.append(button('Load older', () => post({ type: 'historyMore', ns: sub.ns }), { class: 'link-button' }));
      details.addEventListener('toggle', () => {
        if (details.open === this.opened.has(sub.ns)) return;
        if (details.open) {
          this.opened.add(sub.ns);
          if (!sub.loaded) post({ type: 'historyMore', ns: sub.ns });
        } else this.opened.delete(sub.ns);
      });
      li.append(details);
    }
    const pick = (event: Event) => {
      if ((event.target as Element).closest('button, summary, details > :not(summary)') && event.target !== li) return;
      event.stopPropagation();
      this.select(c.id, c.ns);
      this.render();
    };
    li.addEventListener('click', pick);
    li.addEventListener('keydown', (event) => {
      if (event.target !== li) return;
      if (event.key === 'Enter' || event.key === ' ') pick(event);
      else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const rows = Array.from(this.element.querySelectorAll<HTMLElement>('.cp-row'));
        rows[rows.indexOf(li) + (event.key === 'ArrowDown' ? 1 : -1)]?.focus();
        event.preventDefault();
      }
    });
    return li;
  }

  /** "‹ branch 2 of 3 ›" on the row where the line leaves a fork. */
  private switcher(fork: { parentId: string; children: string[]; shown: number }, root: CheckpointSummary[]): HTMLElement {
    const go = (to: number) => {
      const child = fork.children[to];
      if (child === undefined) return;
      this.tip = switchBranch(root, fork.parentId, child) ?? this.tip;
      this.render();
    };
    return el('div', { class: 'cp-branch', attrs: { role: 'group', 'aria-label': 'Branches from here' } }, [
      button('‹', () => go(fork.shown - 1), { class: 'link-button', title: 'Previous branch', attrs: fork.shown > 0 ? {} : { disabled: '' } }),
      el('span', { class: 'muted', text: `branch ${fork.shown + 1} of ${fork.children.length}` }),
      button('›', () => go(fork.shown + 1), { class: 'link-button', title: 'Next branch', attrs: fork.shown < fork.children.length - 1 ? {} : { disabled: '' } }),
    ]);
  }

  private detailView(): HTMLElement {
    const box = el('div', { class: 'history-detail', attrs: { 'aria-live': 'polite' } });
    const sel = this.selected;
    if (!sel) {
      box.append(el('p', { class: 'muted', text: 'Select a checkpoint to see its state and what changed there.' }));
      return box;
    }
    const c = this.byNs.get(sel.ns)?.find((x) => x.id === sel.id);
    const act = (action: CheckpointAction) => post({ type: 'historyAction', id: sel.id, ns: sel.ns, action });
    box.append(
      el('div', { class: 'section-head' }, [
        el('h3', { text: c ? stepLabel(c) : 'Checkpoint' }),
        el('code', { class: 'id', text: sel.id }),
      ]),
      el('div', { class: 'cp-actions' }, [
        sel.ns ? null : button('Re-run from Here', () => act('rerun'), { class: 'primary', title: 'A new run from this checkpoint, with no input' }),
        button('Edit State…', () => act('edit'), { class: 'secondary', title: 'Edit the values in an editor; saving forks the thread here' }),
        button('Open as JSON', () => act('json'), { class: 'secondary', title: 'The state at this checkpoint, read-only' }),
      ]),
    );
    const d = this.detail;
    if (!d) {
      box.append(el('p', { class: 'loading', text: 'Reading the checkpoint…' }));
      return box;
    }
    if (d.error) box.append(el('p', { class: 'error-text', attrs: { role: 'alert' }, text: d.error }));
    const compare = (key: string) => post({ type: 'historyKeyDiff', id: d.id, ns: d.ns, key });
    if (d.keys && d.diffs) {
      box.append(el('h4', { text: d.parentId ? `What changed since ${shortId(d.parentId)}` : 'What the first checkpoint holds' }), diffView(d.keys, d.diffs, compare));
    }
    if (d.values !== undefined) {
      box.append(el('h4', { text: 'State at this checkpoint' }), jsonTree(d.values, 'values', { copy: (text) => post({ type: 'copy', text }), openDepth: 1 }));
    }
    return box;
  }

  report(): HistoryReport {
    const { forks, renderMs } = this.rendered;
    const rows = Array.from(this.element.querySelectorAll<HTMLElement>('.history-list > ol > .cp-row'));
    const rowText = (r: Element) => truncate(Array.from(r.querySelectorAll(':scope > .cp-line > *'), (n) => n.textContent).filter(Boolean).join(' · '), 300);
    return {
      shown: rows.map((r) => r.dataset.id ?? ''),
      rows: rows.map(rowText),
      groups: Array.from(this.element.querySelectorAll('.run-group')).map((h) => h.textContent ?? ''),
      subgraphs: Array.from(this.element.querySelectorAll<HTMLElement>('details.cp-subgraph')).map((d) => ({
        task: d.dataset.task ?? '',
        ns: d.dataset.ns ?? '',
        rows: Array.from(d.querySelectorAll(':scope > ol > .cp-row'), rowText),
      })),
      forks,
      tip: this.tip,
      hasMore: this.more.get('') ?? false,
      selected: this.selected?.id,
      diff: truncate(this.element.querySelector('.history-detail .diff')?.textContent ?? '', REPORT_CLIP),
      note: this.note.text,
      errors: Array.from(this.element.querySelectorAll('.error-text')).map((e) => truncate(e.textContent ?? '', 2000)),
      renderMs,
    };
  }
}

