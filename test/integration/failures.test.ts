import { strict as assert } from 'node:assert';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { AgentServerClient, type ApiError } from '../../src/api';
import { startAgentServer } from '../harness/agentServer';
import { userInput } from '../harness/messages';
import { freePort } from '../harness/ports';
import { RecordingProxy } from '../harness/proxy';
import { agentServer, client } from './setup';

/** Resolves once undici has written the headers of a request whose path contains `part`. */
function requestSent(part: string): Promise<void> {
  const channel = diagnosticsChannel.channel('undici:client:sendHeaders');
  return new Promise((resolve) => {
    const onSent = (message: unknown) => {
      if (!(message as { request: { path: string } }).request.path.includes(part)) return;
      channel.unsubscribe(onSent);
      resolve();
    };
    channel.subscribe(onSent);
  });
}

describe('integration: when things go wrong', () => {
  it('explains a refused connection', async () => {
    const port = await freePort();
    const c = new AgentServerClient({ url: `http://127.0.0.1:${port}`, retries: 1 });
    await assert.rejects(c.threads.list({ select: ['thread_id'] }), (e: ApiError) => {
      assert.equal(e.kind, 'network');
      assert.equal(e.message, `Cannot connect to http://127.0.0.1:${port}: connection refused. Is the server running?`);
      return true;
    });
    await c.close();
  });

  it('explains a server killed in the middle of a join, and the run reads "running" after a restart', async function () {
    this.timeout(180_000);
    const own = await startAgentServer();
    const c = new AgentServerClient({ url: own.url, retries: 0 });
    try {
      const thread = await c.threads.create();
      const run = await c.runs.create(thread.thread_id, { assistant_id: 'slow', input: userInput('x'), context: { delay_ms: 60_000 } });
      // The dev server writes its state a while after its last operation (JS: 3 s, and an open
      // join's polls keep pushing that back; Python: every 10 s): the running run is written first.
      await own.waitForSaved(run.run_id, 'running');
      const sent = requestSent(`/runs/${run.run_id}/join`);
      const cutOff = assert.rejects(c.runs.join(thread.thread_id, run.run_id), (e: ApiError) => {
        assert.equal(e.kind, 'network');
        assert.match(e.message, /^The connection to http:\/\/127\.0\.0\.1:\d+ was lost before the answer was complete/);
        return true;
      });
      await sent; // the join is on the wire, not still connecting
      await own.kill();
      await cutOff;
      await own.restart();
      const after = await c.runs.get(thread.thread_id, run.run_id);
      assert.ok(['running', 'pending'].includes(after.status), `a run cut off by a crash stays active, got ${after.status}`);
      await c.runs.delete(thread.thread_id, run.run_id);
    } finally {
      await c.close();
      await own.stop();
    }
  });

  it('explains an HTML page from a proxy in front of the real server', async () => {
    // A loopback proxy: forwards to the real server, but answers /threads/search like a gateway would.
    const proxy = new RecordingProxy(agentServer().url, (req) =>
      req.url?.startsWith('/threads/search')
        ? { status: 502, contentType: 'text/html', body: '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>' }
        : undefined,
    );
    const url = await proxy.start();
    try {
      const c = client({ url });
      assert.equal((await c.info()).version !== undefined, true, 'the proxy forwards other calls');
      await assert.rejects(c.threads.list({ select: ['thread_id'] }), (e: ApiError) => {
        assert.equal(e.status, 502);
        assert.match(e.message, /^502 Bad Gateway: an HTML page \("502 Bad Gateway"\), not the Agent Server API/);
        return true;
      });
    } finally {
      await proxy.stop();
    }
  });
});
