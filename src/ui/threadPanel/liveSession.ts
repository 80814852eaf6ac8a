/**
 * A thread panel's live run: streams it (core/live/LiveFeed) into the webview while it runs,
 * takes the run over from the tracker meanwhile (one connection per run: the tracker closes its
 * join and learns the end from here), and at the end has the panel load the final view and tells
 * the tracker the end from it, so the end costs no request of the tracker's own.
 */
import type { AgentServerClient, Run, StreamEvent } from '../../api';
import { LiveFeed, type LiveBatch } from '../../core/live/liveFeed';
import type { RunRef } from '../../core/refs';
import { RUN_WORDS } from '../../core/runOutcome';
import { questionOf } from '../../core/tracker/backend';
import type { RunTracker, StreamedEnd } from '../../core/tracker';
import type { ThreadView } from '../../core/threadView';
import { log, logError } from '../log';

/**
 * The tracker's side of a run a panel streams (RunTracker's methods): `hold` is true when the
 * tracker follows the run and closed its join.
 */
export type StreamHandoff = Pick<RunTracker, 'hold' | 'release' | 'streamProgress' | 'streamEnded'>;

/**
 * Readers of the streams the thread panels open (the graph panels' live highlight,
 * src/ui/graphPanel/liveGraph.ts): they see each event and the end without a request of their own.
 */
export interface StreamTap {
  event(ref: RunRef, event: StreamEvent): void;
  ended(ref: RunRef): void;
}
export const streamTaps = new Set<StreamTap>();

export interface LiveSessionHost {
  client: AgentServerClient;
  handoff: StreamHandoff;
  post(batch: LiveBatch): void;
  /** Loads the final view after the stream ended (undefined when it could not). */
  loadFinal(runId: string): Promise<ThreadView | undefined>;
}

export class LiveSession {
  readonly feed: LiveFeed;
  private held = false;
  private over = false;

  constructor(
    readonly ref: RunRef,
    run: Run | undefined,
    private readonly host: LiveSessionHost,
  ) {
    this.feed = new LiveFeed({
      client: host.client,
      ref,
      ...(run ? { run } : {}),
      post: (batch) => host.post(batch),
      onNodes: (nodes) => this.held && host.handoff.streamProgress(ref, nodes),
      onEvent: (event) => streamTaps.forEach((tap) => tap.event(ref, event)),
    });
  }

  get runId(): string {
    return this.ref.runId;
  }

  /** Streams to the end (never rejects). */
  async start(): Promise<void> {
    this.held = this.host.handoff.hold(this.ref);
    log().info(`Streaming run ${this.ref.runId} into its thread panel${this.held ? ' (the tracker hands it over)' : ''}.`);
    try {
      const end = await this.feed.run();
      streamTaps.forEach((tap) => tap.ended(this.ref));
      log().info(`The stream of run ${this.ref.runId} ended: ${end.reason}${end.status ? `, status ${end.status}` : ''}${end.message ? `: ${end.message}` : ''} (${end.reconnects} reconnects).`);
      if (end.reason === 'aborted' || this.over) return;
      if (end.reason !== 'ended') return this.handBack();
      const view = await this.host.loadFinal(this.ref.runId);
      if (this.over) return;
      if (!view?.run || view.run.runId !== this.ref.runId) {
        log().warn(`The final view of run ${this.ref.runId} could not be read; the tracker follows the run.`);
        return this.handBack();
      }
      this.feed.finish(RUN_WORDS[view.run.phase].says);
      this.over = true;
      if (this.held) this.host.handoff.streamEnded(this.ref, factsOf(view, end.error));
    } catch (error) {
      logError(`The live view of run ${this.ref.runId} stopped`, error);
      this.handBack();
    }
  }

  /** The panel closed or moved on to another run. */
  dispose(): void {
    this.feed.dispose();
    this.handBack();
  }

  private handBack(): void {
    if (this.over) return;
    this.over = true;
    if (this.held) this.host.handoff.release(this.ref);
  }
}

/** The end as the final view reads it: what the tracker would have read itself. */
function factsOf(view: ThreadView, streamError: string | undefined): StreamedEnd {
  const run = view.run!;
  const error = run.error ?? view.taskErrors[0] ?? streamError;
  const { question } = questionOf(view.interrupts);
  return {
    runStatus: run.status,
    ...(view.thread.status ? { threadStatus: view.thread.status } : {}),
    interrupts: view.interrupts.length > 0,
    ...(question ? { question } : {}),
    ...(error ? { error } : {}),
  };
}
