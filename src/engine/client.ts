import WebSocket, { type ClientOptions } from 'ws';
import { ConnectionChecker, type ChurnCarry } from '../checks/connection-checker.js';
import type { CheckContext } from '../checks/context.js';
import { backoffDelay, type ReconnectPolicy } from '../scenario/backoff.js';
import { countChurnEnd, countCutAway, type ChurnEnd } from './away-books.js';
import { classifyConnectError, type ConnectFailure } from './connect-errors.js';
import { closeGracefully } from './graceful-close.js';
import { isSampled } from './spread.js';
import { wallNow } from './time.js';

export { isSampled };

export interface ClientConfig {
  /** Destination URLs; client i uses urls[i mod n] (several loopback addresses spread the ports). */
  urls: readonly string[];
  /** Share of clients that run every check; the rest keep cheap accounting. */
  checkSample: number;
  wsOptions: ClientOptions;
  /** Channels to subscribe after the welcome (self-starting ones need none). */
  subscribe: readonly string[];
  policy: ReconnectPolicy;
  /** Gives up a clean close after this long and destroys the socket. */
  closeTimeoutMs: number;
}

/**
 * How a connection ended, from the harness's point of view: stopped at the
 * end, cut on purpose (chaos), closed and at once reopened (churn), rejected for breaking the WebSocket protocol
 * (a frame over the size cap, bad UTF-8, ...), or undefined: the target or
 * the network closed it.
 */
type Ending = 'stop' | 'cut' | 'churn' | 'rejected' | undefined;

/**
 * One simulated portal client: connects, subscribes, feeds every frame to
 * its checker, reconnects under the policy when the target drops it, and
 * tells apart the closes the harness caused from those it did not.
 */
export class StreamClient {
  private ws: WebSocket | undefined;
  private checker: ConnectionChecker | undefined;
  private attempt = 0;
  private firstAttemptDone = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private ending: Ending;
  private stopped = false;
  /** Epoch ms the connection was lost (not by the harness), for time-to-recover. */
  private lostAt: number | undefined;
  /** Epoch ms the harness cut the connection on purpose, until it streams again. */
  private cutAt: number | undefined;
  /** Whether the cut client has opened again (waiting for its first message). */
  private cutReopened = false;
  private firstOpenedAt: number | undefined;
  /** Epoch ms the harness closed the connection for churn, until the reopen opens (or fails). */
  private churnedAt: number | undefined;
  private churnCarry: ChurnCarry | undefined;
  private steadyBroken = false;
  open = false;

  constructor(
    readonly index: number,
    private readonly config: ClientConfig,
    private readonly ctx: CheckContext,
    private readonly onOpenChange: (delta: 1 | -1) => void,
    /** Every failed open, and whether it was the client's first. */
    private readonly onConnectFailed: (failure: ConnectFailure, first: boolean) => void = () => undefined,
  ) {}

  start(): void {
    if (this.stopped || this.ws) return;
    const { recorder } = this.ctx;
    const startedAt = wallNow();
    recorder.count('connect_attempts');
    const urls = this.config.urls;
    const ws = new WebSocket(urls[this.index % urls.length], this.config.wsOptions);
    this.ws = ws;
    let opened = false;

    ws.on('open', () => {
      opened = true;
      const now = wallNow();
      recorder.observe('connect_us', (now - startedAt) * 1000);
      if (!this.firstAttemptDone) {
        this.firstAttemptDone = true;
        recorder.count('connect_first_ok');
      }
      this.firstOpenedAt ??= now;
      if (this.lostAt !== undefined) {
        recorder.count('reconnected');
        recorder.reconnect(now);
        recorder.observe('reconnect_open_us', (now - this.lostAt) * 1000);
      }
      if (this.cutAt !== undefined && !this.cutReopened) {
        this.cutReopened = true;
        recorder.count('cut_reopened');
        recorder.reconnect(now);
        recorder.observe('cut_reopen_us', (now - this.cutAt) * 1000);
        this.countCutAway(now);
      }
      const carry = this.churnCarry;
      if (this.churnedAt !== undefined) this.endChurn(now, 'reopened');
      recorder.opened(now);
      this.attempt = 0;
      this.open = true;
      this.onOpenChange(1);
      this.checker = new ConnectionChecker(this.ctx, this.index, now, !isSampled(this.index, this.config.checkSample), startedAt, carry);
      // no welcome in the profile: the connection is ready as soon as it opens
      if (this.checker.hasWelcome) this.onWelcome(ws, this.checker, now);
    });

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const checker = this.checker;
      if (!checker) return;
      const now = wallNow();
      const hadWelcome = checker.hasWelcome;
      const checked = checker.onFrame(data, isBinary, now);
      if (!hadWelcome && checker.hasWelcome) this.onWelcome(ws, checker, now);
      // only a client coming back after a loss or a cut looks up the type
      if (checked && (this.lostAt !== undefined || this.cutAt !== undefined) && this.ctx.channelsByType.has(checked.type)) {
        if (this.lostAt !== undefined) {
          recorder.observe('reconnect_first_message_us', (now - this.lostAt) * 1000);
          this.lostAt = undefined;
        }
        if (this.cutAt !== undefined) {
          // back and streaming: the cut is over
          recorder.count('cut_back');
          recorder.observe('cut_first_message_us', (now - this.cutAt) * 1000);
          this.cutAt = undefined;
        }
      }
    });

    ws.on('error', (err: Error & { code?: string }) => {
      if (opened) {
        if (err.code?.startsWith('WS_ERR_')) {
          // the target broke the protocol and ws closes the socket for it
          this.ending = 'rejected';
          const kind = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversized_frame' : 'protocol_error';
          recorder.sample(wallNow(), kind, this.index, `${err.message} (${err.code})`);
        } else if (this.ending === undefined) {
          // not while the harness itself cuts or stops it: judged with unintended_disconnects
          recorder.count('socket_errors');
          recorder.sample(wallNow(), 'socket_error', this.index, classifyConnectError(err).text);
        }
        return;
      }
      // the harness ended the run while this client was still connecting: its own abort, not the target's failure
      if (this.stopped) return;
      const failure = classifyConnectError(err);
      recorder.count(`connect_error:${failure.kind}`);
      recorder.sample(wallNow(), 'connect_failed', this.index, failure.text);
      const first = !this.firstAttemptDone;
      if (first) {
        this.firstAttemptDone = true;
        recorder.count('connect_first_failed');
      }
      if (this.churnedAt !== undefined) {
        // the target refused the page coming back: from here it is a loss the harness did not cause
        const now = wallNow();
        this.endChurn(now, 'failed');
        this.lostAt = now;
        if (now < this.ctx.steadyEndMs) this.steadyBroken = true;
      }
      this.onConnectFailed(failure, first);
    });

    ws.on('close', (code: number, reason: Buffer) => {
      const now = wallNow();
      const ending = this.ending;
      this.ending = undefined;
      this.ws = undefined;
      if (opened) {
        this.open = false;
        this.onOpenChange(-1);
        if (ending === 'churn') {
          this.churnedAt = now;
          this.churnCarry = { closedAt: now, lastTs: this.checker?.lastTimestamps() ?? new Map() };
        }
        this.closeBooks(now);
        if (ending === undefined) {
          // the target closed it, or the network did: the harness did not ask
          recorder.count('disconnects_unintended');
          recorder.count(`disconnect_code:${code}`);
          recorder.disconnect(now);
          const why = reason.length > 0 ? ` ${reason.toString('utf8').slice(0, 80)}` : '';
          recorder.sample(now, 'disconnect', this.index, `closed by target, code ${code}${why}`);
          if (now < this.ctx.steadyEndMs) this.steadyBroken = true;
          this.lostAt = now;
        } else if (ending === 'cut') {
          this.cutAt = now;
          this.cutReopened = false;
        } else if (ending === 'rejected') {
          if (now < this.ctx.steadyEndMs) this.steadyBroken = true;
          this.lostAt = now;
        }
      }
      if (this.stopped) return;
      // a page reopens its socket at once; a target's drop goes by the policy
      if (ending === 'churn' && opened) this.start();
      else this.scheduleReconnect();
    });
  }

  private onWelcome(ws: WebSocket, checker: ConnectionChecker, now: number): void {
    const { subscribe } = this.ctx.profile.control;
    // a profile without a subscribe has every channel auto-started (profile/load.ts): the list is empty then
    if (!subscribe) return;
    for (const channel of this.config.subscribe) {
      checker.startChannel(channel, now);
      ws.send(JSON.stringify(subscribe(channel)));
    }
  }

  /** The connection's books, its time streaming in the steady phase included (connection-checker.ts). */
  private closeBooks(now: number): void {
    this.checker?.finish(now);
    this.checker = undefined;
  }

  private countCutAway(until: number): void {
    if (this.cutAt !== undefined) countCutAway(this.ctx, this.config.subscribe, this.cutAt, until);
  }

  private endChurn(now: number, how: ChurnEnd): void {
    const at = this.churnedAt;
    if (at === undefined) return;
    this.churnedAt = undefined;
    this.churnCarry = undefined;
    countChurnEnd(this.ctx, at, now, how);
  }

  /**
   * Closes the connection with a close frame, as a page does, to reopen it
   * at once (churn). Only an open client that is not already coming back
   * from something is churned; false (counted as skipped) otherwise.
   */
  churn(): boolean {
    const ws = this.ws;
    if (!ws || !this.open || this.ending !== undefined || this.cutAt !== undefined || this.lostAt !== undefined) {
      this.ctx.recorder.count('churn_skipped');
      return false;
    }
    this.ending = 'churn';
    this.ctx.recorder.churned(wallNow());
    void closeGracefully(ws, this.config.closeTimeoutMs, 1000, 'churn');
    return true;
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.config.policy, this.attempt);
    if (delay === undefined) {
      this.ctx.recorder.count('reconnect_gave_up');
      this.ctx.recorder.sample(wallNow(), 'reconnect_gave_up', this.index, `gave up after ${this.attempt} attempt(s)`);
      return;
    }
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start();
    }, delay);
  }

  /** Nothing still due from the steady phase (a closed client has nothing due: its books are closed). */
  settled(nowMs: number): boolean {
    return this.checker?.settled(nowMs) ?? true;
  }

  /** Cuts the connection on purpose (chaos): abruptly, or with a close frame; not one already closing (a churn). */
  cut(mode: 'abrupt' | 'close'): boolean {
    const ws = this.ws;
    if (!ws || !this.open || this.ending !== undefined) return false;
    this.ending = 'cut';
    this.ctx.recorder.count(`cuts:${mode}`);
    this.ctx.recorder.cut(wallNow());
    if (mode === 'abrupt') ws.terminate();
    else ws.close(4000, 'harness cut');
    return true;
  }

  /** Ends the client for good at the end of the run; resolves once closed. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const ws = this.ws;
    const now = wallNow();
    // Held: open since before the steady phase, never dropped by the target
    // meanwhile (a harness cut it came back from does not count against it).
    const first = this.firstOpenedAt;
    if (this.open && !this.steadyBroken && first !== undefined && first <= this.ctx.steadyStartMs) this.ctx.recorder.count('held');
    this.endChurn(now, 'stopped');
    if (this.cutAt !== undefined) {
      if (!this.cutReopened) this.countCutAway(now);
      this.ctx.recorder.sample(now, 'cut_not_back', this.index, this.cutReopened ? 'reopened after the cut but no message before the end' : 'not reopened after the cut before the end');
    }
    if (!ws) return Promise.resolve();
    this.ending = 'stop';
    if (this.open) this.closeBooks(now);
    return closeGracefully(ws, this.config.closeTimeoutMs, 1000, 'run complete');
  }
}
