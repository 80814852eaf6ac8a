import { strict as assert } from 'node:assert';
import type { Run } from '../../src/api';
import { parseResumeValue } from '../../src/core/resumeValue';
import { isSafeExternalUrl } from '../../src/core/safeLinks';
import { buildThreadView, interruptsOf } from '../../src/core/threadView';
import { threadStateFixture } from '../harness/messages';

const ref = { deploymentUrl: 'http://127.0.0.1:2024', threadId: 't-1' };
const run = (status: string): Run =>
  ({ run_id: 'r-1', thread_id: 't-1', assistant_id: 'asst-1', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:01Z', status, metadata: {} }) as Run;

describe('threadView: what the panel shows', () => {
  it('reports a failed run with the task\'s error in words', () => {
    const view = buildThreadView({ ref, deploymentName: 'Local', state: threadStateFixture('err_state.json'), run: run('error'), thread: { status: 'error', metadata: {} } });
    assert.deepEqual(view.run, {
      runId: 'r-1',
      status: 'error',
      phase: 'failed',
      says: 'failed',
      tone: 'bad',
      createdAt: '2026-01-01T00:00:00Z',
      error: 'Deliberate failure requested by input: "please fail now"',
    });
    assert.deepEqual(view.taskErrors, ['Deliberate failure requested by input: "please fail now"']);
  });

  it('prefers the tracker\'s error for the run it reported', () => {
    const view = buildThreadView({ ref, deploymentName: 'Local', state: threadStateFixture('err_state.json'), run: run('error'), ended: { runId: 'r-1', status: 'error', error: 'from join' } });
    assert.equal(view.run?.error, 'from join');
  });

  it('says "was cancelled" for a run the tracker saw cancelled, though its status is error, and shows no error', () => {
    const ended = { runId: 'r-1', status: 'error', outcome: 'cancelled' as const };
    const view = buildThreadView({ ref, deploymentName: 'Local', state: threadStateFixture('agent_state.json'), run: run('error'), ended });
    assert.deepEqual([view.run?.phase, view.run?.says, view.run?.tone, view.run?.error], ['cancelled', 'was cancelled', 'quiet', undefined]);
    const other = buildThreadView({ ref, deploymentName: 'Local', state: threadStateFixture('agent_state.json'), run: run('error'), ended: { ...ended, runId: 'r-2' } });
    assert.equal(other.run?.phase, 'failed', 'the tracker spoke of another run');
  });

  it('says "is waiting for input" for the run that stopped at the interrupt, not for an older one', () => {
    const hitl = threadStateFixture('hitl_state.json');
    const own = { ...run('success'), run_id: String((hitl.metadata as { run_id: string }).run_id) };
    const thread = { status: 'interrupted', metadata: {} };
    assert.equal(buildThreadView({ ref, deploymentName: 'Local', state: hitl, run: own, thread }).run?.says, 'is waiting for input');
    assert.equal(buildThreadView({ ref, deploymentName: 'Local', state: hitl, run: run('success'), thread }).run?.says, 'succeeded');
    assert.equal(buildThreadView({ ref, deploymentName: 'Local', state: hitl, run: { ...run('running'), run_id: own.run_id }, thread }).run?.says, 'is running');
  });

  it('collects the interrupt from the tasks, and the assistant to resume with', () => {
    const view = buildThreadView({ ref, deploymentName: 'Local', state: threadStateFixture('hitl_state.json'), thread: { status: 'interrupted', metadata: { graph_id: 'hitl' } } });
    assert.deepEqual(view.interrupts, [
      { id: '1167acba314ddf1cedb417b846ff55a5', task: 'approve', value: { question: 'Do you approve the plan?', options: ['yes', 'no'] } },
    ]);
    assert.equal(view.assistantId, 'd2a02ed8-fb92-5e43-81ea-cb78d82caa2f');
    assert.deepEqual(view.state.next, ['approve']);
    assert.equal(view.run, undefined);
  });

  it('counts an interrupt listed in tasks and at the top level once', () => {
    const i = { id: 'i1', value: 1 };
    assert.equal(interruptsOf({ tasks: [{ id: 't', name: 'n', interrupts: [i] }], interrupts: [i] }).length, 1);
  });

  it('titles the view from the thread metadata, else a short id', () => {
    const titled = buildThreadView({ ref, deploymentName: 'L', state: threadStateFixture('agent_state.json'), thread: { metadata: { title: 'Weather' } } });
    assert.equal(titled.title, 'Weather');
    assert.equal(buildThreadView({ ref: { ...ref, threadId: '2b84a1b7-88d0' }, deploymentName: 'L', state: threadStateFixture('agent_state.json') }).title, '2b84a1b7');
  });

});

describe('resume values and links', () => {
  it('parses JSON and says where it is wrong', () => {
    assert.deepEqual(parseResumeValue('"yes"'), { ok: true, value: 'yes' });
    assert.deepEqual(parseResumeValue('{"a": [1, null]}'), { ok: true, value: { a: [1, null] } });
    const bare = parseResumeValue('yes');
    assert.equal(bare.ok, false);
    assert.match(!bare.ok ? bare.message : '', /^Not valid JSON: Unexpected token 'y'\. Strings need double quotes/);
    const trailing = parseResumeValue('{\n  "a": 1,\n}');
    assert.match(!trailing.ok ? trailing.message : '', /at line 3, column 1/);
    assert.match((parseResumeValue('   ') as { message: string }).message, /^Type a JSON value/);
    assert.equal(parseResumeValue(42).ok, false);
  });

  it('allows only absolute http(s) links', () => {
    for (const ok of ['https://example.com/a?b=1#c', 'http://127.0.0.1:2024/docs']) assert.equal(isSafeExternalUrl(ok), true, ok);
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'java\tscript:alert(1)', ' https://x.com', 'data:text/html,x', 'file:///etc/passwd', 'command:workbench.action.quit', 'vscode://x', '//evil.com', '/relative', 'https://', undefined, 5]) {
      assert.equal(isSafeExternalUrl(bad), false, String(bad));
    }
  });
});
