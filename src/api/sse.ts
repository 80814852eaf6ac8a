/**
 * Server-sent events from the Agent Server, parsed by eventsource-parser (a small, well-kept
 * parser that follows the spec: it joins multi-line `data:` fields with "\n", which the JS server
 * relies on because it pretty-prints JSON over several lines, and handles CRLF and comments).
 * The parser holds an event until its blank line comes, so what it may hold is capped.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { bodyTooLarge, type BodyLimit } from './bodyLimit';

export interface StreamEvent {
  /** `metadata`, `values`, `updates`, `messages/partial`, `error`, `end`, … */
  event: string;
  /** The data as JSON when it is JSON, else the raw text. */
  data: unknown;
  id?: string;
}

export interface SseOptions {
  /** Called for `: comment` lines (the platform's heartbeats). */
  onComment?: (comment: string) => void;
  /**
   * The most one event may take (UTF-8 bytes received since the last complete event, a chunk of
   * slack aside). Past it the stream fails with a `too-large` ApiError naming `request`.
   */
  maxEvent?: BodyLimit;
  /** The stream's request, for that message. */
  request?: { method: string; path: string };
}

export async function* parseSse(chunks: AsyncIterable<string>, options: SseOptions = {}): AsyncGenerator<StreamEvent> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (message) => queue.push(message),
    onComment: options.onComment,
  });
  const { maxEvent } = options;
  // Bytes fed since an event last came out: what the parser may be holding.
  let pending = 0;
  for await (const chunk of chunks) {
    if (maxEvent) {
      pending += Buffer.byteLength(chunk);
      if (pending > maxEvent.maxBytes) throw bodyTooLarge(options.request ?? { method: 'GET', path: '(stream)' }, maxEvent, 'event');
    }
    parser.feed(chunk);
    if (queue.length > 0) pending = 0;
    while (queue.length > 0) {
      const message = queue.shift()!;
      const event = toStreamEvent(message);
      yield event;
      // The Python server says it is done; the JS server just closes the connection.
      if (event.event === 'end') return;
    }
  }
}

function toStreamEvent(message: EventSourceMessage): StreamEvent {
  let data: unknown = message.data;
  try {
    data = JSON.parse(message.data);
  } catch {
    // Not JSON: keep the text as it came.
  }
  return { event: message.event ?? 'message', data, ...(message.id !== undefined ? { id: message.id } : {}) };
}
