/**
 * The two real Agent Servers the extension suite expects (one plain, one with custom auth), for
 * both runners (code-server and desktop). Their URLs go to the extension host in the environment.
 */
export interface TestServers {
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startTestServers(): Promise<TestServers> {
  if (process.env.LANGGRAPH_TEST_NO_SERVER === '1') return { env: {}, stop: async () => {} };
  // Loaded lazily so LANGGRAPH_TEST_NO_SERVER=1 works without the harness built.
  // require, not import(): esbuild leaves import() as ESM, which wants the '.js' extension.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the deliberate lazy load above.
  const { startAgentServer } = require('../harness/agentServer') as typeof import('../harness/agentServer');
  const started: { stop(): Promise<unknown> | unknown }[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map(async (s) => s.stop()));
  };
  try {
    // One after the other: both run the same fixture deployment.
    const main = await startAgentServer();
    started.push(main);
    const auth = await startAgentServer({ config: 'auth' });
    started.push(auth);
    return { env: { LANGGRAPH_TEST_SERVER_URL: main.url, LANGGRAPH_TEST_AUTH_SERVER_URL: auth.url }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
