import { ConnectionChecker, type ChurnCarry } from '../checks/connection-checker.js';
import type { CheckContext } from '../checks/context.js';
import { backoffDelay, type ReconnectPolicy } from '../scenario/backoff.js';
import type { ConnectOptions, StreamConnection, StreamEnd, StreamEvents, Transport, TransportError, TransportSession } from '../transport/index.js';
import { countChurnEnd, countCutAway } from './away-books.js';
import { classifyConnectError, type ConnectFailure } from './connect-errors.js';
import { ConnectionLife } from './connection-life.js';
import type { LoopActivity } from './health.js';
import { isSampled } from './spread.js';
import { wallNow } from './time.js';

export { isSampled };

export interface ClientConfig {
  /** Destination URLs; client i uses urls[i mod n] (several loopback addresses spread the ports). */
  urls: readonly string[];
  /** Share of clients that run every check; the rest keep cheap accounting. */
  checkSample: number;
  transport: Transport;
  connect: ConnectOptions;
  /** Channels to subscribe after the welcome (self-starting ones need none); on SSE, chosen in the URL. */
  subscribe: readonly string[];
  policy: ReconnectPolicy;
  /** Gives up a clean close after this long and destroys the socket. */
  closeTimeoutMs: number;
  /** Told of every open and message, so the harness's loop delay is sampled while it works (engine/health.ts). */
  activity?: LoopActivity;
}

/**
 * One simulated portal client: connects, subscribes, feeds every message to
 * its checker, reconnects under the policy when the target drops it, and
 * tells apart the closes the harness caused from those it did not (the
 * state of that is connection-life.ts; this class keeps the books and the
 * connection). The protocol is the transport's (src/transport/).
 */
export class StreamClient implements StreamEvents {
  private readonly session: TransportSession;
  private readonly life: ConnectionLife;
  private conn: StreamConnection | undefined;
  private checker: ConnectionChecker | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private opened = false;
  private carry: ChurnCarry | undefined;
  /**
   * The life's `returning`, kept here: it turns true only at a close and
   * false only at a channel message, and every message reads it, where
   * reading the life's would reach one more object (a cache miss a message
   * at 5,000 clients).
   */
  private returning = false;

  constructor(
    readonly index: number,
    private readonly config: ClientConfig,
    private readonly ctx: CheckContext,
    private readonly onOpenChange: (delta: 1 | -1) => void,
    /** Every failed open, and whether it was the client's first. */
    private readonly onConnectFailed: (failure: ConnectFailure, first: boolean) => void = () => undefined,
  ) {
    this.session = config.transport.session(config.connect);
    this.life = new ConnectionLife(() => ({ startMs: ctx.steadyStartMs, endMs: ctx.steadyEndMs }));
  }

  get open(): boolean {
    return this.life.open;
  }

  start(): void {
    if (this.life.isStopped || this.conn) return;
    this.ctx.recorder.count('connect_attempts');
    this.startedAt = wallNow();
    this.opened = false;
    if (this.session.resumes) this.ctx.recorder.count('resumed');
    const urls = this.config.urls;
    this.conn = this.session.connect(urls[this.index % urls.length], this);
  }

  onOpen(): void {
    this.config.activity?.touch();
    const { recorder } = this.ctx;
    this.opened = true;
    const now = wallNow();
    recorder.observe('connect_us', (now - this.startedAt) * 1000);
    const o = this.life.opened(now);
    if (o.first) recorder.count('connect_first_ok');
    if (o.reconnectedAfterMs !== undefined) {
      recorder.count('reconnected');
      recorder.reconnect(now);
      recorder.observe('reconnect_open_us', o.reconnectedAfterMs * 1000);
    }
    if (o.cutReopen) {
      recorder.count('cut_reopened');
      recorder.reconnect(now);
      recorder.observe('cut_reopen_us', o.cutReopen.afterMs * 1000);
      countCutAway(this.ctx, this.config.subscribe, o.cutReopen.cutAt, now);
    }
    const carry = this.carry;
    this.carry = undefined;
    if (o.churnEnded !== undefined) countChurnEnd(this.ctx, o.churnEnded, now, 'reopened');
    recorder.opened(now);
    this.onOpenChange(1);
    const checker = new ConnectionChecker(this.ctx, this.index, now, !isSampled(this.index, this.config.checkSample), this.startedAt, carry);
    this.checker = checker;
    // no welcome in the profile: the connection is ready as soon as it opens
    if (checker.hasWelcome) this.onWelcome(checker, now);
  }

  onMessage(data: Buffer | string, isBinary: boolean, wireBytes: number, event: string | undefined): void {
    this.config.activity?.touch();
    const checker = this.checker;
    if (!checker) return;
    const now = wallNow();
    const hadWelcome = checker.hasWelcome;
    const checked = checker.onMessage(data, isBinary, now, wireBytes, event);
    if (!hadWelcome && checker.hasWelcome) this.onWelcome(checker, now);
    // only a client coming back after a loss or a cut looks up the type
    if (checked && this.returning && this.ctx.channelsByType.has(checked.type)) {
      const r = this.life.channelMessage(now);
      this.returning = this.life.returning;
      const { recorder } = this.ctx;
      if (r.reconnectFirstMs !== undefined) recorder.observe('reconnect_first_message_us', r.reconnectFirstMs * 1000);
      if (r.cutBackMs !== undefined) {
        // back and streaming: the cut is over
        recorder.count('cut_back');
        recorder.observe('cut_first_message_us', r.cutBackMs * 1000);
      }
    }
  }

  onKeepalive(): void {
    const { recorder, steadyStartMs, steadyEndMs } = this.ctx;
    recorder.count('heartbeats');
    const now = wallNow();
    // beside stream_ms (the steady phase's client-ms): the rate the keepalive detail shows
    if (now >= steadyStartMs && now <= steadyEndMs) recorder.count('heartbeats_steady');
  }

  onError(err: TransportError, opened: boolean): void {
    const { recorder } = this.ctx;
    if (opened) {
      if (err.violation) {
        // the target broke the protocol and the transport ends the connection for it
        this.life.rejected();
        recorder.sample(wallNow(), err.violation, this.index, `${err.message}${err.code ? ` (${err.code})` : ''}`);
      } else if (this.life.unprovoked) {
        // not while the harness itself cuts or stops it: judged with unintended_disconnects
        recorder.count('socket_errors');
        recorder.sample(wallNow(), 'socket_error', this.index, classifyConnectError(err).text);
      }
      return;
    }
    // the harness ended the run while this client was still connecting: its own abort, not the target's failure
    if (this.life.isStopped) return;
    const failure = classifyConnectError(err);
    recorder.count(`connect_error:${failure.kind}`);
    recorder.sample(wallNow(), 'connect_failed', this.index, failure.text);
    const now = wallNow();
    const f = this.life.connectFailed(now);
    if (f.first) recorder.count('connect_first_failed');
    if (f.churnEnded !== undefined) {
      this.carry = undefined;
      countChurnEnd(this.ctx, f.churnEnded, now, 'failed');
    }
    this.onConnectFailed(failure, f.first);
  }

  onClose(end: StreamEnd): void {
    const now = wallNow();
    const wasOpen = this.opened;
    this.opened = false;
    this.conn = undefined;
    const c = this.life.closed(now, wasOpen);
    this.returning = this.life.returning;
    if (wasOpen) {
      const { recorder } = this.ctx;
      this.onOpenChange(-1);
      const resumes = this.session.resumes && c.ending !== 'stop';
      if (c.ending === 'churn' || resumes) this.carry = { closedAt: now, lastTs: this.checker?.lastTimestamps() ?? new Map(), ...(resumes ? { resume: true } : {}) };
      this.closeBooks(now, resumes);
      if (c.ending === 'target') {
        // the target closed it, or the network did: the harness did not ask
        recorder.count('disconnects_unintended');
        recorder.count(`disconnect_code:${end.code}`);
        recorder.disconnect(now);
        const why = end.reason ? ` ${end.reason.slice(0, 80)}` : '';
        recorder.sample(now, 'disconnect', this.index, typeof end.code === 'number' ? `closed by target, code ${end.code}${why}` : `closed by target:${why}`);
      }
    }
    if (c.next === 'reopen') this.start();
    else if (c.next === 'backoff') this.scheduleReconnect();
  }

  private onWelcome(checker: ConnectionChecker, now: number): void {
    const { subscribe } = this.ctx.profile.control;
    // a profile without a subscribe has every channel auto-started (profile/load.ts) or chosen in the URL (SSE)
    if (!subscribe || !this.config.transport.clientMessages) {
      for (const channel of this.config.subscribe) checker.startChannel(channel, now);
      return;
    }
    for (const channel of this.config.subscribe) {
      checker.startChannel(channel, now);
      this.conn?.send(JSON.stringify(subscribe(channel)));
    }
  }

  /** The connection's books, its time streaming in the steady phase included (connection-checker.ts). */
  private closeBooks(now: number, resuming = false): void {
    this.checker?.finish(now, resuming);
    this.checker = undefined;
  }

  /**
   * Closes the connection as a page does (a close frame where the protocol
   * has one), to reopen it at once (churn). Only an open client that is not
   * already coming back from something is churned; false (counted as skipped) otherwise.
   */
  churn(): boolean {
    const conn = this.conn;
    if (!conn || !this.life.requestChurn()) {
      this.ctx.recorder.count('churn_skipped');
      return false;
    }
    this.ctx.recorder.churned(wallNow());
    void conn.closeGracefully(this.config.closeTimeoutMs, 1000, 'churn');
    return true;
  }

  private scheduleReconnect(): void {
    // a stream that said how long to wait (SSE `retry:`) is waited for that long first, then backed off from there
    const retry = this.session.retryMs;
    const policy = retry === undefined ? this.config.policy : { ...this.config.policy, initialMs: retry };
    const delay = backoffDelay(policy, this.life.attempt);
    if (delay === undefined) {
      this.ctx.recorder.count('reconnect_gave_up');
      this.ctx.recorder.sample(wallNow(), 'reconnect_gave_up', this.index, `gave up after ${this.life.attempt} attempt(s)`);
      return;
    }
    this.life.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start();
    }, delay);
  }

  /** Nothing still due from the steady phase (a closed client has nothing due: its books are closed). */
  settled(nowMs: number): boolean {
    return this.checker?.settled(nowMs) ?? true;
  }

  /** Cuts the connection on purpose (chaos): abruptly, or with a close frame where the protocol has one; not one already closing (a churn). */
  cut(mode: 'abrupt' | 'close'): boolean {
    const conn = this.conn;
    if (!conn || !this.life.requestCut()) return false;
    this.ctx.recorder.count(`cuts:${mode}`);
    this.ctx.recorder.cut(wallNow());
    if (mode === 'abrupt') conn.terminate();
    else void conn.closeGracefully(this.config.closeTimeoutMs, 4000, 'harness cut');
    return true;
  }

  /** Ends the client for good at the end of the run; resolves once closed. */
  stop(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const now = wallNow();
    const s = this.life.stop(now);
    const { recorder } = this.ctx;
    if (s.held) recorder.count('held');
    if (s.churnEnded !== undefined) countChurnEnd(this.ctx, s.churnEnded, now, 'stopped');
    if (s.cutNotBack) {
      if (!s.cutNotBack.reopened) countCutAway(this.ctx, this.config.subscribe, s.cutNotBack.cutAt, now);
      recorder.sample(now, 'cut_not_back', this.index, s.cutNotBack.reopened ? 'reopened after the cut but no message before the end' : 'not reopened after the cut before the end');
    }
    const conn = this.conn;
    if (!conn) return Promise.resolve();
    if (this.opened) this.closeBooks(now);
    return conn.closeGracefully(this.config.closeTimeoutMs, 1000, 'run complete');
  }
}
