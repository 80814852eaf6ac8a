/** One message as the panel shows it: role and name, text as markdown, calls and extras folded. */
import { clip } from '../shared/text';
import { el } from './dom';
import { markdownBlock, plainBlock } from './markdown';
import { callSignature, type MessagePart, type MessageView, type ToolCallView } from './protocol';

const ROLE_LABEL: Record<MessageView['role'], string> = { human: 'Human', ai: 'AI', tool: 'Tool', system: 'System', other: 'Message' };

export function roleLabel(message: MessageView): string {
  return message.role === 'other' ? message.type : ROLE_LABEL[message.role];
}

export function messageHead(message: MessageView): HTMLElement {
  return el('div', { class: 'msg-head' }, [
    el('span', { class: `role role-${message.role}`, text: roleLabel(message) }),
    message.name ? el('span', { class: 'msg-name', text: message.name }) : null,
    message.status === 'error' ? el('span', { class: 'badge badge-error', text: 'error' }) : null,
    el('span', { class: 'msg-index', text: `#${message.index + 1}`, title: message.id ? `id ${message.id}` : '' }),
  ]);
}

/** The message's content: parts in order, then its tool calls. */
export function messageBody(message: MessageView): HTMLElement {
  const body = el('div', { class: 'msg-body' });
  // Tool output is usually JSON or logs: show it as it is, not as markdown.
  const asPlain = message.role === 'tool';
  for (const part of message.parts) body.append(partView(part, asPlain));
  if (message.toolCalls.length) body.append(el('div', { class: 'tool-calls' }, message.toolCalls.map(toolCallView)));
  if (!message.parts.length && !message.toolCalls.length) body.append(el('p', { class: 'empty', text: '(empty message)' }));
  return body;
}

export function messageArticle(message: MessageView): HTMLElement {
  const article = el('article', { class: `msg msg-${message.role}` });
  if (message.role === 'tool' || message.role === 'system') {
    // Tool results and system prompts are long and secondary: folded, with a preview.
    const details = el('details', { class: 'fold' });
    const preview = clip(message.text, 140);
    const summary = el('summary', {}, [
      messageHead(message),
      message.toolCallId ? el('span', { class: 'muted', text: `for ${message.toolCallId}` }) : null,
      preview ? el('span', { class: 'preview', text: preview }) : null,
    ]);
    details.append(summary);
    // Built on first open: a thousand folded tool results cost nothing until read.
    details.addEventListener('toggle', () => {
      if (details.open && details.childElementCount === 1) details.append(messageBody(message));
    });
    article.append(details);
    return article;
  }
  article.append(messageHead(message), messageBody(message));
  return article;
}

function partView(part: MessagePart, asPlain: boolean): HTMLElement {
  switch (part.kind) {
    case 'text':
      return asPlain ? plainBlock(part.text, 'plain tool-output') : markdownBlock(part.text);
    case 'thinking': {
      const details = el('details', { class: 'thinking' }, [el('summary', { text: part.redacted ? 'Thinking (redacted)' : 'Thinking' })]);
      if (part.text) details.append(plainBlock(part.text, 'plain thinking-text'));
      return details;
    }
    case 'image':
      return el('div', { class: 'image-note', text: part.description, title: 'Images are not loaded in this panel' });
    case 'other':
      return el('details', { class: 'block-other' }, [el('summary', { text: `${part.type} block` }), plainBlock(part.json, 'plain json')]);
  }
}

export function toolCallView(call: ToolCallView): HTMLElement {
  return el('details', { class: `tool-call${call.error ? ' invalid' : ''}` }, [
    el('summary', {}, [
      el('span', { class: 'call-label', text: call.error ? 'Invalid tool call' : 'Tool call' }),
      el('code', { class: 'call-signature', text: callSignature(call) }),
    ]),
    plainBlock(call.args, 'plain json'),
    call.error ? el('p', { class: 'error-text', text: call.error }) : null,
    call.id ? el('div', { class: 'muted', text: `id ${call.id}` }) : null,
  ]);
}
