/**
 * The conversation: the latest messages at once, older ones behind a button, so a thread of
 * thousands of messages opens as fast as one of a hundred.
 */
import { plural } from '../shared/text';
import { button, el } from './dom';
import { messageArticle } from './messageView';
import type { MessageView } from './protocol';

export const MESSAGES_AT_ONCE = 100;

export interface ConversationView {
  section: HTMLElement;
  shown(): number;
  list: HTMLElement;
}

export function conversationSection(messages: MessageView[]): ConversationView {
  const list = el('div', { class: 'messages' });
  const heading = el('h2', { attrs: { id: 'conversation-h' } }, [
    'Conversation ',
    el('span', { class: 'count', text: `(${plural(messages.length, 'message')})` }),
  ]);
  const section = el('section', { class: 'conversation', attrs: { 'aria-labelledby': 'conversation-h' } }, [heading]);
  let first = Math.max(0, messages.length - MESSAGES_AT_ONCE);
  list.append(...messages.slice(first).map(messageArticle));
  const more = el('div', { class: 'more' });
  const renderMore = () => {
    more.replaceChildren();
    if (first === 0) return;
    const count = Math.min(first, MESSAGES_AT_ONCE);
    more.append(
      button(`Show ${plural(count, 'earlier message')} (${first.toLocaleString()} hidden)`, () => {
        const from = first - count;
        list.prepend(...messages.slice(from, first).map(messageArticle));
        first = from;
        renderMore();
      }, { class: 'secondary' }),
    );
  };
  renderMore();
  if (messages.length === 0) section.append(el('p', { class: 'empty', text: 'No messages in this thread\u2019s state.' }));
  section.append(more, list);
  return { section, list, shown: () => messages.length - first };
}
