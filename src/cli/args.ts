/**
 * The command line of `npm run run-files -- <folder> --url <deployment> [--junit out.xml]
 * [--concurrency N] [--api-key-env NAME] [--assistant ID]`, read into options or a usage error.
 * An API key is only ever read from the environment variable named, never from the command line.
 */
import { parseArgs } from 'node:util';
import { parseDeploymentUrl } from '../api';
import { isCleartextRemote } from '../core/loopback';
import { MAX_OPEN_JOINS } from '../core/tracker/tracker';

export const USAGE = `Usage: npm run run-files -- <folder> --url <deployment> [options]

Runs every *.run.json file under <folder> on a new thread of the deployment, checks each file's
"expect" (without one, a file passes when its run succeeds) and prints one line per file.
Exit code: 0 all passed, 1 any failed, 2 usage error or invalid run file (nothing is sent then).

Options:
  --url URL             the deployment, e.g. http://127.0.0.1:2024 (required)
  --junit FILE          also write JUnit XML there
  --concurrency N       requests that start runs or read their results at once (default 4);
                        every run goes to the server at once, followed with at most ${MAX_OPEN_JOINS} joins
  --api-key-env NAME    send the API key held in the environment variable NAME (X-Api-Key)
  --assistant ID        the assistant or graph for files that name none (default "agent")
  --help                this text`;

export interface CliOptions {
  folder: string;
  url: string;
  junit?: string;
  concurrency: number;
  apiKey?: string;
  assistant: string;
}

export class UsageError extends Error {}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        junit: { type: 'string' },
        concurrency: { type: 'string' },
        'api-key-env': { type: 'string' },
        assistant: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the folder of run files' : `one folder only (got ${positionals.join(', ')})`);
  if (!values.url) throw new UsageError('--url is required, e.g. --url http://127.0.0.1:2024');
  let url: string;
  try {
    url = parseDeploymentUrl(values.url).toString().replace(/\/$/, '');
  } catch (error) {
    throw new UsageError(`--url: ${(error as Error).message}`);
  }
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency: expected a whole number from 1 to 64, got "${values.concurrency}"`);
  let apiKey: string | undefined;
  const keyVar = values['api-key-env'];
  if (keyVar !== undefined) {
    apiKey = env[keyVar]?.trim();
    if (!apiKey) throw new UsageError(`--api-key-env: the environment variable ${keyVar} is not set`);
    if (isCleartextRemote(url)) throw new UsageError(`--api-key-env: the key would travel in clear text to ${url}; use https (plain http only to this machine)`);
  }
  const assistant = values.assistant ?? 'agent';
  if (!assistant.trim()) throw new UsageError('--assistant: expected an assistant id or graph id');
  return { folder: positionals[0]!, url, junit: values.junit, concurrency, apiKey, assistant };
}
