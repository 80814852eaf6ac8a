/**
 * Root hooks of the integration suite: one real Agent Server (`langgraph-cli dev` on the fixture
 * deployment) for the whole run, started before the first test and stopped by PID after the last.
 */
import { AgentServerClient } from '../../src/api';
import { startAgentServer, type AgentServer } from '../harness/agentServer';

let server: AgentServer | undefined;
const clients: AgentServerClient[] = [];

export function agentServer(): AgentServer {
  if (!server) throw new Error('The Agent Server is not started (is setup.js loaded first?)');
  return server;
}

/** A client of the shared server; closed after the run. */
export function client(options: { url?: string; apiKey?: string } = {}): AgentServerClient {
  const c = new AgentServerClient({
    url: options.url ?? agentServer().url,
    ...(options.apiKey ? { apiKey: () => options.apiKey } : {}),
  });
  clients.push(c);
  return c;
}

before(async function () {
  this.timeout(120_000);
  server = await startAgentServer();
});

after(async function () {
  this.timeout(30_000);
  await Promise.allSettled(clients.map((c) => c.close()));
  await server?.stop();
});
