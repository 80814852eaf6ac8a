/**
 * Bad run files and the message each must get, shared by the unit tests (core: decode and parse)
 * and the extension tests (the real command against the real server, which must receive nothing).
 * `at` is the 1-based line and column the problem is reported at.
 */
import { MAX_RUN_FILE_BYTES } from '../src/core/runFile';

export interface BadRunFile {
  name: string;
  /** The file name to write (the extension decides JSON vs JSONC by language, not name). */
  file: string;
  bytes: () => Uint8Array;
  expect: RegExp;
  at: [number, number];
}

const utf8 = (text: string) => () => new TextEncoder().encode(text);

export const BAD_RUN_FILES: BadRunFile[] = [
  {
    name: 'a file nested 200,000 levels deep',
    file: 'deep.run.json',
    bytes: utf8(`{"input": {"x": ${'['.repeat(200_000)}${']'.repeat(200_000)}}}`),
    expect: /the JSON nests more than 500 levels deep here/,
    at: [1, 515],
  },
  { name: 'a missing comma', file: 'missing-comma.run.json', bytes: utf8('{\n  "input": {"a": 1}\n  "config": {}\n}'), expect: /invalid JSON: expected "," between items/, at: [3, 3] },
  { name: 'a trailing comma', file: 'trailing-comma.run.json', bytes: utf8('{\n  "input": {"a": 1},\n}'), expect: /invalid JSON: trailing comma after the last item/, at: [2, 20] },
  { name: 'a file that ends too early', file: 'truncated.run.json', bytes: utf8('{"input": {"messages": ['), expect: /invalid JSON: the file ends too early/, at: [1, 25] },
  { name: 'single quotes', file: 'single-quotes.json', bytes: utf8("{'messages': []}"), expect: /invalid JSON: strings and keys need double quotes/, at: [1, 2] },
  { name: 'an unquoted key', file: 'unquoted.json', bytes: utf8('{\n  input: {}\n}'), expect: /invalid JSON: keys need double quotes: "input"/, at: [2, 3] },
  { name: 'a comment in a .json file', file: 'comment.run.json', bytes: utf8('// my run\n{"input": {}}'), expect: /invalid JSON: comments are not allowed in JSON/, at: [1, 1] },
  { name: 'a raw line break in a string', file: 'newline.run.json', bytes: utf8('{"input": {"text": "two\nlines"}}'), expect: /unterminated string .*write line breaks as \\n/, at: [1, 20] },
  { name: 'an empty file', file: 'empty.run.json', bytes: utf8(''), expect: /the file is empty: a run file holds one JSON object/, at: [1, 1] },
  { name: 'a file of blanks', file: 'blank.run.json', bytes: utf8('  \n\n  '), expect: /the file is empty/, at: [1, 1] },
  { name: 'an array at the top level', file: 'array.run.json', bytes: utf8('[{"input": {}}]'), expect: /the top level is a list \(array\): a run file holds one JSON object/, at: [1, 1] },
  { name: 'a string at the top level', file: 'string.run.json', bytes: utf8('"what\'s the weather in sf"'), expect: /the top level is a string/, at: [1, 1] },
  { name: 'null at the top level', file: 'null.run.json', bytes: utf8('null'), expect: /the top level is null/, at: [1, 1] },
  { name: 'a misspelt key', file: 'misspelt.run.json', bytes: utf8('{\n  "assistant_id": "agent",\n  "inptu": {"messages": []}\n}'), expect: /unknown key "inptu": did you mean "input"\?/, at: [3, 3] },
  { name: 'a camelCase key', file: 'camel.run.json', bytes: utf8('{"input": {}, "threadId": "new"}'), expect: /unknown key "threadId": did you mean "thread_id"\?/, at: [1, 15] },
  { name: 'input keys at the top of a run request', file: 'misplaced.run.json', bytes: utf8('{"assistant_id": "agent", "messages": []}'), expect: /unknown key "messages": .*put the graph's input under "input"/, at: [1, 27] },
  { name: 'input and command together', file: 'both.run.json', bytes: utf8('{"input": {}, "command": {"resume": "yes"}}'), expect: /"input" and "command" cannot both be given/, at: [1, 15] },
  { name: 'a misspelt command key', file: 'command.run.json', bytes: utf8('{"command": {"resum": "yes"}}'), expect: /unknown key "resum" in command: did you mean "resume"\?/, at: [1, 14] },
  { name: 'a wrong type', file: 'wrong-type.run.json', bytes: utf8('{"input": {},\n "config": {"recursion_limit": "ten"}}'), expect: /config\.recursion_limit: expected a number, got the string "ten"/, at: [2, 13] },
  { name: 'metadata that is not an object', file: 'metadata.run.json', bytes: utf8('{"input": {}, "metadata": ["a"]}'), expect: /metadata: expected an object, got a list/, at: [1, 15] },
  { name: 'a thread id that is not a UUID', file: 'bad-thread.run.json', bytes: utf8('{"input": {}, "thread_id": "my-thread"}'), expect: /thread_id: expected a thread id \(a UUID\) or "new", got the string "my-thread"/, at: [1, 15] },
  { name: 'an unknown multitask strategy', file: 'strategy.run.json', bytes: utf8('{"input": {}, "multitask_strategy": "queue"}'), expect: /multitask_strategy: expected "reject" or "interrupt" or "rollback" or "enqueue", got the string "queue"/, at: [1, 15] },
  { name: 'interrupt_before as a node name', file: 'interrupt.run.json', bytes: utf8('{"input": {}, "interrupt_before": "tools"}'), expect: /interrupt_before: expected "\*" or a list of node names, got the string "tools"/, at: [1, 15] },
  { name: 'a key given twice', file: 'twice.run.json', bytes: utf8('{\n  "input": {"a": 1},\n  "input": {"a": 2}\n}'), expect: /key "input" appears twice \(first at line 2, column 3\)/, at: [3, 3] },
  {
    name: 'a huge file',
    file: 'huge.run.json',
    bytes: () => {
      const filler = 'x'.repeat(MAX_RUN_FILE_BYTES + 1024);
      return new TextEncoder().encode(`{"input": {"blob": "${filler}"}}`);
    },
    expect: /the file is 10\.0 MB; run files are limited to 10\.0 MB/,
    at: [1, 1],
  },
  {
    name: 'Latin-1 text',
    file: 'latin1.run.json',
    // "café" with é as the single byte 0xE9 (Latin-1), on line 2.
    bytes: () => Uint8Array.from([...new TextEncoder().encode('{\n  "input": {"text": "caf'), 0xe9, ...new TextEncoder().encode('"}\n}')]),
    expect: /the file is not UTF-8 text .*save it as UTF-8/,
    at: [2, 25],
  },
  {
    name: 'UTF-16 text',
    file: 'utf16.run.json',
    bytes: () => Uint8Array.from([0xff, 0xfe, ...[...'{"input": {}}'].flatMap((c) => [c.charCodeAt(0), 0])]),
    expect: /the file is UTF-16 text: save it as UTF-8/,
    at: [1, 1],
  },
];
