// Messages and thread states for tests and benches, one way. Node built-ins only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ThreadState } from '../../src/api';

/** A user's message in the OpenAI-style form an Agent Server takes as input: { role: 'user', content }. */
export const userMessage = (content: string) => ({ role: 'user', content });

/** A run's input for the fixture graphs: { messages: [one user message] }. */
export const userInput = (content: string) => ({ messages: [userMessage(content)] });

/** LangChain's serialized messages, as a thread's state holds them; `extra` adds fields (name, tool_calls, …). */
export const humanMessage = (content: string, extra: Record<string, unknown> = {}) => ({ type: 'human', content, ...extra });
export const aiMessage = (content: string, extra: Record<string, unknown> = {}) => ({ type: 'ai', content, ...extra });
/** The answer to one of an AI message's tool_calls. */
export const toolMessage = (call: { id: string; name: string }, content: string) => ({ type: 'tool', tool_call_id: call.id, name: call.name, content });

/** Real thread states the servers answered (test/unit/fixtures/thread-state, see its README); `tasks` defaults to []. */
export function threadStateFixture(name: string): ThreadState {
  // From out/test/harness/ (the compiled tests) to the repository's test/.
  const raw = JSON.parse(readFileSync(join(__dirname, '../../../test/unit/fixtures/thread-state', name), 'utf8')) as ThreadState;
  return { ...raw, tasks: raw.tasks ?? [] };
}
