/** Go to Definition's search for the call that adds a node, on JS, TS and Python snippets and the fixtures' sources. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNodeSource, nodeCalls, type NodeSourceQuery } from '../../src/core/graph/nodeSource';
import { tokenize, type SourceLanguage } from '../../src/core/graph/sourceTokens';
import { parseFromGraphPage } from '../../src/webview-graph/protocol';

const FIXTURES = join(__dirname, '../../../test/fixtures');

const names = (text: string, language: SourceLanguage) => nodeCalls(tokenize(text, language), language).map((c) => c.name);

/** The zero-based line and column of the first `needle` in `text`, after `after` when given. */
function at(text: string, needle: string, after = ''): { line: number; character: number } {
  const offset = text.indexOf(needle, after ? text.indexOf(after) : 0);
  assert.ok(offset >= 0, `${needle} is in the text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
}

async function find(files: Record<string, string>, node: string, language: SourceLanguage, exportName = 'graph') {
  const query: NodeSourceQuery = {
    file: Object.keys(files)[0]!,
    exportName,
    node,
    language,
    read: async (f) => files[f],
    projectFiles: async () => Object.keys(files),
  };
  return findNodeSource(query);
}

describe('unit: nodeSource (where a graph adds a node)', () => {
  it('JS/TS: double, single and plain template quotes, optional chaining, the object form; not a template with a substitution', () => {
    const ts = [
      'const g = new StateGraph<State>(A)',
      '  .addNode("a", a)',
      "  .addNode('b', b)",
      '  .addNode(`c`, c)',
      '  ?.addNode(`d${x}`, d)',
      '  .addNode({ e: fnE, "f": fnF, g })',
      '  .addNode(name, h);',
    ].join('\n');
    assert.deepEqual(names(ts, 'js'), ['a', 'b', 'c', 'e', 'f', 'g']);
  });

  it('JS: calls inside comments, strings, templates and regular expressions are not calls', () => {
    const js = [
      '// .addNode("c1", x)',
      '/* g.addNode("c2", x)',
      '   */',
      'const s = ".addNode(\'s1\', x)" + \'.addNode("s2")\';',
      'const t = `${".addNode(\'t1\')"} .addNode("t2")`;',
      "const r = /['\"].addNode(\"r1\")[/]/g.test(s);",
      'const q = a / b / c; g.addNode("real", fn);',
    ].join('\n');
    assert.deepEqual(names(js, 'js'), ['real']);
  });

  it('Python: add_node("name", fn), keywords, add_node(fn) and module.fn; comments, docstrings and f-strings skipped', () => {
    const py = [
      '"""g.add_node("doc", x)"""',
      '# g.add_node("comment", x)',
      "s = f'{g.add_node(\"fstr\")}' + r'.add_node(\"raw\")'",
      'g = (',
      '    StateGraph(S)',
      '    .add_node("a", a)  # .add_node("late")',
      "    .add_node('b', b)",
      '    .add_node(node="c", action=c)',
      '    .add_node(d)',
      '    .add_node(mod.sub.e, retry=p)',
      '    .add_node(make())',
      ')',
    ].join('\n');
    assert.deepEqual(names(py, 'python'), ['a', 'b', 'c', 'd', 'e']);
  });

  it('several graphs in one file: the export\'s own calls, also through a builder; a subgraph\'s node in its own statement', async () => {
    const ts = [
      'const inner = new StateGraph(S).addNode("work", w).addNode("done", d).compile();',
      'const builder = new StateGraph(S);',
      'other.addNode("work", x);',
      'builder.addNode("work", w2);',
      'builder.addNode("sub", inner);',
      'export const graph = builder.compile();',
    ].join('\n');
    const root = await find({ 'g.ts': ts }, 'work', 'js');
    assert.ok(root.ok);
    assert.deepEqual([root.location.line, root.location.character], [3, at(ts, '"work"', 'builder.addNode').character]);
    assert.deepEqual(root.others, []);
    const sub = await find({ 'g.ts': ts }, 'sub:work', 'js');
    assert.ok(sub.ok);
    assert.equal(sub.location.line, 0);
    assert.equal(sub.location.character, at(ts, '"work"').character);
  });

  it('a subgraph from another file: found by searching the project, and ambiguous when two files add the node', async () => {
    const main = ['from sub import research', 'graph = StateGraph(S).add_node("research", research).compile()'].join('\n');
    const sub = ['research = (', '    StateGraph(S)', '    .add_node("gather", gather)', '    .compile()', ')'].join('\n');
    const one = await find({ 'main.py': main, 'sub.py': sub }, 'research:gather', 'python');
    assert.ok(one.ok);
    assert.deepEqual([one.location.file, one.location.line], ['sub.py', 2]);
    const two = await find({ 'main.py': main, 'sub.py': sub, 'copy.py': sub }, 'research:gather', 'python');
    assert.ok(two.ok);
    assert.equal(two.others.length, 1, 'the other place is named');
  });

  it('not found: says what was searched', async () => {
    const r = await find({ 'agent.ts': '// .addNode("ghost", x)\nexport const graph = new StateGraph(S).addNode("real", r).compile();' }, 'ghost', 'js');
    assert.ok(!r.ok);
    assert.equal(r.message, 'No addNode("ghost") found for node "ghost": searched agent.ts (graph).');
    const unread = await find({}, 'x', 'js');
    assert.ok(!unread.ok);
    assert.match(unread.message, /^Could not read /);
  });

  it('the graph page asks for a node\'s definition by its id; anything else is not a message', () => {
    assert.deepEqual(parseFromGraphPage({ type: 'goToDefinition', node: 'research:gather' }), { type: 'goToDefinition', node: 'research:gather' });
    assert.equal(parseFromGraphPage({ type: 'goToDefinition', node: 5 }), undefined);
    assert.equal(parseFromGraphPage({ type: 'goToDefinition', node: 'x'.repeat(10_000) }), undefined);
  });

  for (const [dir, ext, language] of [['deployment', 'ts', 'js'], ['deployment-py', 'py', 'python']] as const) {
    it(`the fixture's ${language} sources: every node of agent and stream, research:gather, at their lines`, async () => {
      for (const [graph, node, needle, after] of [
        ['agent', 'agent', '"agent"', language === 'js' ? '.addNode(' : '.add_node('],
        ['agent', 'tools', '"tools"', language === 'js' ? '.addNode(' : '.add_node('],
        ['stream', 'tools', '"tools"', language === 'js' ? '.addNode("research"' : '.add_node("research"'],
        ['stream', 'research:gather', '"gather"', ''],
      ] as const) {
        const file = join(FIXTURES, dir, 'src', `${graph}.${ext}`);
        const text = readFileSync(file, 'utf8');
        const r = await findNodeSource({ file, exportName: 'graph', node, language, read: async (f) => readFileSync(f, 'utf8'), projectFiles: async () => [] });
        assert.ok(r.ok, JSON.stringify(r));
        const want = at(text, `${language === 'js' ? 'addNode' : 'add_node'}(${needle}`, after);
        assert.deepEqual([r.location.line, r.location.character], [want.line, want.character + (language === 'js' ? 8 : 9)], `${graph} ${node}`);
      }
    });
  }
});
