import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, panelShell } from '../../src/ui/threadPanel/shell';
import { isWebviewState, parseFromWebview } from '../../src/webview/protocol';

describe('thread panel: protocol and page shell', () => {
  it('accepts only well-formed messages from the webview', () => {
    assert.deepEqual(parseFromWebview({ type: 'refresh' }), { type: 'refresh' });
    assert.deepEqual(parseFromWebview({ type: 'command', name: 'copyThread' }), { type: 'command', name: 'copyThread' });
    // Only the allow-listed names: nothing else the page says can run a command.
    for (const name of ['deleteThread', 'langgraph.copyThread', 'toString', '__proto__', 5]) assert.equal(parseFromWebview({ type: 'command', name }), undefined, String(name));
    assert.deepEqual(parseFromWebview({ type: 'openLink', url: 'https://x.dev' }), { type: 'openLink', url: 'https://x.dev' });
    assert.deepEqual(parseFromWebview({ type: 'ready', ref: { deploymentUrl: 'http://a', threadId: 't' } }), { type: 'ready', ref: { deploymentUrl: 'http://a', threadId: 't' } });
    assert.deepEqual(parseFromWebview({ type: 'ready', ref: { threadId: 5 } }), { type: 'ready' });
    for (const bad of [null, 'refresh', [], {}, { type: 'openLink' }, { type: 'resume', json: {} }, { type: 'copy', text: 1 }, { type: 'rendered', report: {} }, { type: 'exec', code: 'x' }]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(isWebviewState({ ref: { deploymentUrl: 'http://a', threadId: 't' } }), true);
    assert.equal(isWebviewState({ ref: { deploymentUrl: 'http://a', threadId: '' } }), false);
    assert.equal(isWebviewState(undefined), false);
  });

  it("accepts the history view's requests only with an id, a namespace and a listed action", () => {
    assert.deepEqual(parseFromWebview({ type: 'historyOpen', fresh: true }), { type: 'historyOpen', fresh: true });
    assert.deepEqual(parseFromWebview({ type: 'historyOpen', fresh: 'yes' }), { type: 'historyOpen', fresh: false });
    assert.deepEqual(parseFromWebview({ type: 'historySelect', id: 'c1', ns: '' }), { type: 'historySelect', id: 'c1', ns: '' });
    assert.deepEqual(parseFromWebview({ type: 'historyAction', id: 'c1', ns: '', action: 'rerun' }), { type: 'historyAction', id: 'c1', ns: '', action: 'rerun' });
    for (const bad of [
      { type: 'historySelect', id: '', ns: '' },
      { type: 'historySelect', id: 'c1' },
      { type: 'historySelect', id: 'x'.repeat(600), ns: '' },
      { type: 'historyMore', ns: 3 },
      { type: 'historyKeyDiff', id: 'c1', ns: '' },
      { type: 'historyAction', id: 'c1', ns: '', action: 'delete' },
      { type: 'historyAction', id: 'c1', ns: '', action: 'toString' },
      { type: 'historyRendered', report: {} },
    ]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });

  it('builds a page with a strict CSP: nothing by default, one nonce script, no inline styles', () => {
    const csp = contentSecurityPolicy('https://res.example', 'abc123');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc123'/);
    assert.match(csp, /style-src https:\/\/res\.example(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const html = panelShell({ cspSource: 'https://res.example', nonce: 'abc123', cssUri: 'https://res.example/thread.css', scriptUri: 'https://res.example/webview.js', title: '<img src=x onerror=alert(1)>' });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc123" src="https:\/\/res\.example\/webview\.js"><\/script>/);
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62;/);
    assert.doesNotMatch(html, /style=/);
  });
});
