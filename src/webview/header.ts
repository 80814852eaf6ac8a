/** The top of the panel: title, thread status, the run's outcome (with the error of a failed run). */
import { button, el, when } from './dom';
import { shortId, type ThreadView } from './protocol';
import { post } from './vscodeApi';

/** `streaming`: the run in progress is shown live below, so the header does not say to refresh. */
export function header(view: ThreadView, streaming = false): HTMLElement {
  const status = view.thread.status ?? 'unknown';
  const top = el('header', { class: 'top' }, [
    el('div', { class: 'title-row' }, [
      el('h1', { text: view.title }),
      el('span', { class: `badge status status-${cssWord(status)}`, text: status, title: 'Thread status' }),
      el('span', { class: 'spacer' }),
      button('History', () => post({ type: 'command', name: 'showHistory' }), { class: 'secondary', title: "The thread's checkpoints: re-run from one, or open its state" }),
      button('Graph', () => post({ type: 'command', name: 'showGraph' }), { class: 'secondary', title: "The graph of the thread's assistant" }),
      button('Copy Thread', () => post({ type: 'command', name: 'copyThread' }), { class: 'secondary', title: 'A copy of this thread to experiment on' }),
      button('Refresh', () => post({ type: 'refresh' }), { class: 'secondary', title: 'Read the thread again' }),
    ]),
    el('div', { class: 'sub' }, [
      el('span', { text: view.deploymentName }),
      el('span', { class: 'sep', text: '·' }),
      el('span', { text: 'Thread ' }),
      el('code', { class: 'id', text: view.ref.threadId }),
      button('Copy ID', () => post({ type: 'copy', text: view.ref.threadId }), { class: 'link-button', title: 'Copy the thread id' }),
      view.thread.updatedAt ? el('span', { class: 'sep', text: '·' }) : null,
      view.thread.updatedAt ? el('span', { text: `updated ${when(view.thread.updatedAt)}` }) : null,
    ]),
  ]);
  if (view.run) top.append(outcome(view.run));
  if (status === 'busy' && !streaming) top.append(el('p', { class: 'note', text: 'A run is in progress on this thread. The panel refreshes when a run you follow ends; or press Refresh.' }));
  return top;
}

/** "Run abc12345 was cancelled": the words are the extension's own (core/runOutcome.ts), made on its side. */
function outcome(run: NonNullable<ThreadView['run']>): HTMLElement {
  const failed = Boolean(run.error);
  const box = el('div', { class: `outcome outcome-${cssWord(run.tone)}`, attrs: failed ? { role: 'alert' } : {} }, [
    el('span', { text: 'Run ' }),
    el('code', { class: 'id', text: shortId(run.runId), title: run.runId }),
    el('span', { text: ` ${run.says}` }),
    run.createdAt ? el('span', { class: 'muted', text: ` · started ${when(run.createdAt)}` }) : null,
  ]);
  if (run.error) box.append(el('pre', { class: 'error-text', text: run.error }));
  return box;
}

/** A status as a CSS class part: only letters, so a server's odd status cannot add classes. */
export function cssWord(word: string): string {
  return word.toLowerCase().replace(/[^a-z]/g, '') || 'unknown';
}
