import { strict as assert } from 'node:assert';
import { callSignature, lastAssistantMessage, messagesOf, normalizeMessage, normalizeMessages, prettyJson } from '../../src/core/messages';
import { threadStateFixture } from '../harness/messages';

describe('messages: LangChain messages from thread state', () => {
  it('reads the seed guide\'s state: tool_use with partial_json, a tool message, the final text block', () => {
    const messages = normalizeMessages(messagesOf(threadStateFixture('seed_doc_state.json').values));
    assert.deepEqual(messages.map((m) => m.role), ['human', 'ai', 'tool', 'ai']);
    const call = messages[1]!;
    assert.equal(call.toolCalls.length, 1, 'tool_calls and the tool_use block are the same call');
    assert.equal(call.toolCalls[0]!.name, 'tavily_search_results_json');
    assert.deepEqual(JSON.parse(call.toolCalls[0]!.args), { query: 'weather in san francisco' });
    assert.equal(call.text, '');
    assert.equal(messages[2]!.name, 'tavily_search_results_json');
    assert.equal(messages[2]!.toolCallId, 'toolu_01AaNPSPzqia21v7aAKwbKYm');
    assert.equal(messages[2]!.status, 'success');
    const last = lastAssistantMessage(messages)!;
    assert.equal(last.index, 3);
    assert.match(last.text, /^\n\nThe search results provide the current weather conditions in San Francisco\./);
    for (const m of messages) assert.doesNotMatch(m.text, /\[object Object\]/);
  });

  it('takes partial_json when a streamed tool_use block has an empty input and no tool_calls', () => {
    const m = normalizeMessage({ type: 'ai', content: [{ type: 'tool_use', id: 't1', name: 'search', input: {}, partial_json: '{"q": "x"}' }] });
    assert.deepEqual(m.toolCalls.map((c) => [c.id, c.name, JSON.parse(c.args)]), [['t1', 'search', { q: 'x' }]]);
  });

  it('reads the fixture agent\'s string content and its blocks variant alike', () => {
    const plain = normalizeMessages(messagesOf(threadStateFixture('agent_state.json').values));
    const blocks = normalizeMessages(messagesOf(threadStateFixture('blocks_state.json').values));
    assert.equal(lastAssistantMessage(plain)!.text, "The weather in sf is: It's 60 degrees and foggy in sf.");
    assert.equal(lastAssistantMessage(blocks)!.text, "The weather in paris is: It's 60 degrees and foggy in paris.");
    assert.deepEqual(plain[1]!.toolCalls.map((c) => callSignature(c)), ['get_weather({ "city": "sf" })']);
    assert.equal(blocks[1]!.text, 'Let me look up the weather in paris.');
    assert.equal(blocks[1]!.toolCalls.length, 1);
  });

  it('finds no assistant message in a failed run\'s state, and the interrupted one\'s plan', () => {
    assert.equal(lastAssistantMessage(normalizeMessages(messagesOf(threadStateFixture('err_state.json').values))), undefined);
    assert.equal(lastAssistantMessage(normalizeMessages(messagesOf(threadStateFixture('hitl_state.json').values)))!.text, 'I plan to book a flight to SF. Approve?');
  });

  it('reads OpenAI-style tool calls from additional_kwargs, with JSON-text arguments', () => {
    const m = normalizeMessage({
      type: 'ai',
      content: '',
      additional_kwargs: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"id": 7}' } }] },
    });
    assert.deepEqual(m.toolCalls.map((c) => [c.name, JSON.parse(c.args)]), [['lookup', { id: 7 }]]);
  });

  it('merges a call present in tool_calls and additional_kwargs once', () => {
    const m = normalizeMessage({
      type: 'ai',
      content: '',
      tool_calls: [{ id: 'c1', name: 'lookup', args: { id: 7 } }],
      additional_kwargs: { tool_calls: [{ id: 'c1', function: { name: 'lookup', arguments: '{"id":7}' } }] },
    });
    assert.equal(m.toolCalls.length, 1);
  });

  it('shows thinking, images and unknown blocks as such, never as [object Object]', () => {
    const m = normalizeMessage({
      type: 'AIMessageChunk',
      content: [
        { type: 'thinking', thinking: 'Let me think.', signature: 'abc' },
        { type: 'redacted_thinking', data: 'xyz' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(4000) } },
        { type: 'image_url', image_url: 'data:image/jpeg;base64,AAAA' },
        { type: 'citation', cited: { a: 1 } },
        'plain string block',
        { type: 'text', text: 'done' },
      ],
    });
    assert.equal(m.role, 'ai');
    assert.deepEqual(
      m.parts.map((p) => p.kind),
      ['thinking', 'thinking', 'image', 'image', 'image', 'other', 'text', 'text'],
    );
    assert.deepEqual(m.parts[0], { kind: 'thinking', text: 'Let me think.' });
    assert.deepEqual(m.parts[1], { kind: 'thinking', text: '', redacted: true });
    assert.deepEqual(m.parts[2], { kind: 'image', description: 'Image: https://example.com/cat.png' });
    assert.deepEqual(m.parts[3], { kind: 'image', description: 'Image (image/png, 3 KB inline)' });
    assert.deepEqual(m.parts[4], { kind: 'image', description: 'Image (image/jpeg, 1 KB inline)' });
    assert.equal(m.parts[5]!.kind === 'other' && m.parts[5]!.type, 'citation');
    assert.equal(m.text, 'plain string block\n\ndone');
  });

  it('reads roles from type, role and serialized LangChain classes', () => {
    assert.equal(normalizeMessage({ role: 'user', content: 'hi' }).role, 'human');
    assert.equal(normalizeMessage({ role: 'assistant', content: 'hi' }).role, 'ai');
    assert.equal(normalizeMessage({ type: 'system', content: 'be nice' }).role, 'system');
    const lc = normalizeMessage({ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', 'AIMessage'], kwargs: { content: 'from lc', tool_calls: [] } });
    assert.equal(lc.role, 'ai');
    assert.equal(lc.text, 'from lc');
    const weird = normalizeMessage(42);
    assert.equal(weird.role, 'other');
    assert.equal(weird.text, '42');
  });

  it('keeps invalid tool calls with their error', () => {
    const m = normalizeMessage({ type: 'ai', content: '', invalid_tool_calls: [{ id: 'x', name: 'f', args: '{oops', error: 'bad JSON' }] });
    assert.deepEqual(m.toolCalls, [{ id: 'x', name: 'f', args: '{oops', error: 'bad JSON' }]);
  });

  it('finds a message list under another key when there is no "messages"', () => {
    assert.equal(messagesOf({ chat: [{ type: 'human', content: 'a' }], n: 1 }).length, 1);
    assert.deepEqual(messagesOf({ items: [1, 2] }), []);
    assert.deepEqual(messagesOf(null), []);
  });

  it('prints values nested too deep for JSON.stringify as a note, not a crash', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    assert.equal(prettyJson(deep, 0), '[value too deeply nested to print]');
  });
});
