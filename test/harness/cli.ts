// node out/test/harness/cli.js [--server js|python] [--auth] [--port N] [--state-dir DIR] [--verbose]
// Starts the fixture Agent Server (--server: default LANGGRAPH_TEST_SERVER_KIND, else js), prints
// AGENT_SERVER_URL=<url>, stops it on SIGINT/SIGTERM.
import { serverKind, startAgentServer, type ServerKind } from './agentServer';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const port = value('--port');
  const server = await startAgentServer({
    server: serverKind(value('--server') as ServerKind | undefined),
    config: args.includes('--auth') ? 'auth' : 'default',
    port: port ? Number(port) : undefined,
    stateDir: value('--state-dir'),
    log: args.includes('--verbose') ? (line) => process.stderr.write(line + '\n') : undefined,
  });
  process.stdout.write(`AGENT_SERVER_URL=${server.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
