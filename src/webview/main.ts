/**
 * The thread panel's script (bundled by esbuild into dist/webview.js). It renders what the
 * extension sends (protocol.ts), the last assistant message first, and reports back what it
 * rendered. Everything from the deployment goes in as text; links open through the extension.
 */
import { conversationSection } from './conversation';
import { truncate } from '../shared/text';
import { button, el } from './dom';
import { header } from './header';
import { interruptSection, resumeResult } from './interruptView';
import { messageBody, messageHead } from './messageView';
import {
  isSafeExternalUrl,
  lastAssistantMessage,
  messagesOf,
  normalizeMessages,
  type MessageView,
  type RenderedReport,
  type ThreadView,
  type ToWebview,
} from './protocol';
import { HistoryView } from './historyView';
import { LiveView } from './liveView';
import { detailsSection, valuesSection } from './stateSections';
import { post, savedState, saveState } from './vscodeApi';

const app = document.getElementById('app')!;
let current: ThreadView | undefined;
/** The run streaming now, or the last one streamed (its timeline stays in the final view). */
let live: LiveView | undefined;
/** The history view: kept across renders (its place is under the header while open). */
const history = new HistoryView();

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as ToWebview | undefined;
  if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
  try {
    handle(message);
  } catch (error) {
    const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    post({ type: 'renderError', message: text });
    app.replaceChildren(el('p', { class: 'error-text', text: `This panel could not show the thread: ${truncate(text, 500)}` }));
  }
});

// Errors outside a message's handling (a frame's callback) are reported too: the log says what broke.
window.addEventListener('error', (event: ErrorEvent) => post({ type: 'renderError', message: `${event.message}\n${event.error instanceof Error ? (event.error.stack ?? '') : ''}` }));

function handle(message: ToWebview): void {
  switch (message.type) {
    case 'loading':
      saveState({ ref: message.ref, title: message.title });
      if (current && current.ref.threadId === message.ref.threadId) {
        // Keep what is shown while the thread is read again; the next render replaces it.
        if (!app.querySelector('.refreshing')) app.querySelector('.top .title-row .spacer')?.after(el('span', { class: 'muted refreshing', text: 'Refreshing…' }));
      } else {
        app.replaceChildren(el('p', { class: 'loading', text: `Loading ${message.title}…` }));
      }
      return;
    case 'render':
      render(message.view);
      return;
    case 'loadError':
      saveState({ ref: message.ref, title: message.title });
      current = undefined;
      app.replaceChildren(
        el('section', { class: 'load-error', attrs: { role: 'alert' } }, [
          el('h1', { text: message.title }),
          el('p', { class: 'error-text', text: message.message }),
          message.detail ? el('pre', { class: 'plain muted', text: message.detail }) : null,
          button('Retry', () => post({ type: 'refresh' }), { class: 'primary' }),
        ]),
      );
      return;
    case 'resumeResult':
      resumeResult(message.ok, message.message);
      return;
    case 'live':
      liveMessage(message);
      return;
    case 'historyShow':
      history.show(message.select);
      placeHistory();
      return;
    case 'history':
      history.onHistory(message);
      placeHistory();
      return;
    case 'checkpoint':
      history.onCheckpoint(message);
      return;
    case 'historyKeyDiff':
      history.onKeyDiff(message.id, message.diff);
      return;
    case 'historyNote':
      history.onNote(message.ok, message.message);
      return;
  }
}

function liveMessage(message: Extract<ToWebview, { type: 'live' }>): void {
  const fresh = message.reset || !live || live.runId !== message.header.runId;
  if (fresh) {
    live?.stop();
    live = new LiveView(message.header, reportLive);
  }
  live!.push(message.header, message.ops);
  if (!fresh) return;
  // A run the page already shows ended (a webview made afresh after a quick run): its timeline
  // goes where the final view keeps it, as if it had streamed here.
  if (current?.run?.runId === live!.runId && !activePhase(current.run.phase)) render(current);
  else placeLive();
}

const activePhase = (phase: string) => phase === 'running' || phase === 'pending';

/** The live view goes under the header of what is shown (the thread as it was), or alone. */
function placeLive(): void {
  if (!live) return;
  const page = app.querySelector('main.page');
  if (!page) {
    app.replaceChildren(el('main', { class: 'page' }, [live.element]));
    return;
  }
  const top = page.querySelector(':scope > .top');
  if (top) top.after(live.element);
  else page.prepend(live.element);
}

/** The history view goes under the header (and a live run), before the last message. */
function placeHistory(): void {
  if (!history.isVisible || history.element.isConnected) return;
  const page = app.querySelector('main.page');
  if (!page) return void app.replaceChildren(el('main', { class: 'page' }, [history.element]));
  const after = page.querySelector(':scope > section.live') ?? page.querySelector(':scope > .top');
  if (after) after.after(history.element);
  else page.prepend(history.element);
}

// The live report goes at most every 200 ms (and at once when the run ended).
let liveReportTimer: ReturnType<typeof setTimeout> | undefined;
function reportLive(view: LiveView): void {
  const send = () => {
    liveReportTimer = undefined;
    post({ type: 'liveRendered', report: view.report() });
  };
  if (view.ended) {
    clearTimeout(liveReportTimer);
    send();
  } else liveReportTimer ??= setTimeout(send, 200);
}

function render(view: ThreadView): void {
  const start = performance.now();
  current = view;
  saveState({ ref: view.ref, title: view.title });
  const messages = normalizeMessages(messagesOf(view.state.values));
  const last = lastAssistantMessage(messages);
  const conversation = conversationSection(messages);
  // A run still streaming stays on top; one that ended leaves its timeline under the answer.
  const streaming = live && !live.ended && view.run?.runId === live.runId && activePhase(view.run.phase);
  if (live && !streaming) live.stop();
  const page = el('main', { class: 'page' }, [
    header(view, Boolean(streaming)),
    streaming ? live!.element : null,
    history.isVisible ? history.element : null,
    lastMessageSection(last, messages, view),
    live && !streaming ? live.timeline : null,
    interruptSection(view),
    conversation.section,
    valuesSection(view),
    detailsSection(view),
  ]);
  app.replaceChildren(page);
  history.threadChanged();
  void document.body.offsetHeight; // layout now, so renderMs includes it
  // Kept with the DOM, not captured: a report posted after a later render describes that render whole.
  lastRender = { view, messageCount: messages.length, messagesShown: conversation.shown(), renderMs: performance.now() - start };
  // Reported after the frame is painted; the text is read from the DOM, i.e. what is on screen.
  requestAnimationFrame(() => setTimeout(() => lastRender && post({ type: 'rendered', report: report(lastRender) }), 0));
}

let lastRender: { view: ThreadView; messageCount: number; messagesShown: number; renderMs: number } | undefined;

function lastMessageSection(last: MessageView | undefined, messages: MessageView[], view: ThreadView): HTMLElement {
  const section = el('section', { class: 'last', attrs: { 'aria-labelledby': 'last-h' } }, [
    el('h2', { text: 'Last assistant message', attrs: { id: 'last-h' } }),
  ]);
  if (last) {
    section.append(el('article', { class: 'card msg msg-ai' }, [messageHead(last), messageBody(last)]));
  } else {
    const why = messages.length
      ? 'No assistant message yet.'
      : view.state.values && typeof view.state.values === 'object'
        ? 'This thread\u2019s state holds no messages; its values are below.'
        : 'This thread has no state yet.';
    section.append(el('p', { class: 'empty', text: why }));
  }
  return section;
}

const REPORT_CLIP = 20_000;

function report({ view, messageCount, messagesShown, renderMs }: NonNullable<typeof lastRender>): RenderedReport {
  const text = (selector: string) => truncate(app.querySelector(selector)?.textContent ?? '', REPORT_CLIP);
  const interrupt = app.querySelector('.interrupt');
  const values = view.state.values;
  return {
    threadId: view.ref.threadId,
    header: text('.top'),
    lastMessage: text('.last .msg-body'),
    messageCount,
    messagesShown,
    conversation: text('.conversation .messages'),
    interrupt: interrupt ? truncate(Array.from(interrupt.querySelectorAll('h2, .interrupt-value')).map((n) => n.textContent).join('\n'), REPORT_CLIP) : '',
    valuesKeys: values && typeof values === 'object' && !Array.isArray(values) ? Object.keys(values) : [],
    details: text('.details'),
    timeline: text('.live-timeline .live-steps'),
    streaming: Boolean(app.querySelector('section.live')),
    links: Array.from(app.querySelectorAll('a')).map((a) => a.getAttribute('href') ?? a.getAttribute('data-href') ?? ''),
    renderMs,
  };
}

// Links never navigate the webview: the extension opens http(s) ones in the browser.
function openLink(event: Event): void {
  const link = (event.target as Element | null)?.closest?.('a');
  if (!link) return;
  event.preventDefault();
  const href = link.getAttribute('data-href');
  if (href && isSafeExternalUrl(href)) post({ type: 'openLink', url: href });
}
document.addEventListener('click', openLink);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.target as Element | null)?.matches?.('a[data-href]')) openLink(event);
});

// After a reload or when the panel is shown again, say which thread this is; the extension answers with it.
const saved = savedState() as { ref?: ThreadView['ref'] } | undefined;
post({ type: 'ready', ...(saved?.ref ? { ref: saved.ref } : {}) });
