/**
 * The Agent Server client: one per deployment, holding one keep-alive connection pool.
 * Every call returns zod-checked data or throws an ApiError.
 */
import { AssistantsApi } from './assistants';
import { Transport, type TransportOptions } from './http';
import type { CallOptions } from './requests';
import { RunsApi } from './runs';
import { infoSchema, okSchema, type ServerInfo } from './schemas';
import { ThreadsApi } from './threads';

export class AgentServerClient {
  readonly assistants: AssistantsApi;
  readonly threads: ThreadsApi;
  readonly runs: RunsApi;
  private readonly http: Transport;

  constructor(options: TransportOptions | Transport) {
    this.http = options instanceof Transport ? options : new Transport(options);
    this.assistants = new AssistantsApi(this.http);
    this.threads = new ThreadsApi(this.http);
    this.runs = new RunsApi(this.http);
  }

  /** The deployment's URL without a trailing slash. */
  get url(): string {
    return this.http.displayUrl;
  }

  /** `GET /ok`. Answers 401 behind custom auth: use `info` to tell whether a server is there. */
  async ok({ signal }: CallOptions = {}): Promise<boolean> {
    return (await this.http.json({ method: 'GET', path: '/ok', signal }, okSchema)).ok;
  }

  /** `GET /info`: the server's version and flags; it skips auth. */
  async info({ signal, timeoutMs }: CallOptions & { timeoutMs?: number } = {}): Promise<ServerInfo> {
    return this.http.json({ method: 'GET', path: '/info', signal, timeoutMs }, infoSchema);
  }

  /**
   * The same deployment and connection pool with another retry count. The run tracker uses 0: it
   * retries at its own level, and a quietly re-sent join could land on a restarted dev server and
   * wait forever on a run that will never end.
   */
  withRetries(retries: number): AgentServerClient {
    return new AgentServerClient(this.http.derive({ retries }));
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
