/**
 * The Agent Server client: one per deployment, holding one keep-alive connection pool.
 * Every call returns zod-checked data or throws an ApiError.
 */
import { AssistantsApi } from './assistants';
import { Transport, type TransportOptions } from './http';
import type { CallOptions } from './requests';
import { RunsApi } from './runs';
import { infoSchema, okSchema, type ServerInfo } from './schemas';
import { ServerFamilyCache, type ServerFamily } from './serverFamily';
import { ThreadsApi } from './threads';

export class AgentServerClient {
  readonly assistants: AssistantsApi;
  readonly threads: ThreadsApi;
  readonly runs: RunsApi;
  private readonly http: Transport;
  private readonly family: ServerFamilyCache;

  /** `family` is shared by the clients `withRetries` derives: one `/info` per deployment. */
  constructor(options: TransportOptions | Transport, family?: ServerFamilyCache) {
    this.http = options instanceof Transport ? options : new Transport(options);
    this.family = family ?? new ServerFamilyCache((timeoutMs) => this.info({ timeoutMs }));
    this.assistants = new AssistantsApi(this.http);
    this.threads = new ThreadsApi(this.http, this.family);
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
   * Which implementation the deployment runs ('js' or 'python'), from `/info`, asked once; a
   * failed `/info` reads as 'python' and is asked again next time. Only for the requests that
   * no single form serves on both (see ServerFamilyCache).
   */
  serverFamily(): Promise<ServerFamily> {
    return this.family.get();
  }

  /**
   * The same deployment and connection pool with another retry count. The run tracker uses 0: it
   * retries at its own level, and a quietly re-sent join could land on a restarted dev server and
   * wait forever on a run that will never end.
   */
  withRetries(retries: number): AgentServerClient {
    return new AgentServerClient(this.http.derive({ retries }), this.family);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
