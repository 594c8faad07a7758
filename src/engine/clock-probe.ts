import { timestampMs, type TargetProfile } from '../profile/index.js';
import { transportFor, type ConnectOptions, type StreamConnection, type TransportError } from '../transport/index.js';
import { estimateOffset, type ClockEstimate, type ClockSample } from './clock.js';
import { classifyConnectError, type ConnectFailure } from './connect-errors.js';
import { streamUrl } from './stream-url.js';
import { wallNow } from './time.js';

/**
 * Opens one extra connection and exchanges `count` application pings, one
 * after the other, to estimate the target's clock offset. Never rejects:
 * without pongs the estimate is undefined (latency is then judged on the raw
 * clocks and the report says so), and a connection that could not open
 * says why, so the run can stop early on a target that can never work.
 * A stream with no client messages (SSE) or no ping only shows it can open.
 */
export interface ClockProbe {
  estimate?: ClockEstimate;
  failure?: ConnectFailure;
}

export function probeClock(url: string, options: ConnectOptions, profile: TargetProfile, count = 8, timeoutMs = 5000, signal?: AbortSignal): Promise<ClockProbe> {
  return new Promise((resolve) => {
    let failure: ConnectFailure | undefined;
    const samples: ClockSample[] = [];
    const transport = transportFor(profile.transport);
    let conn: StreamConnection | undefined;
    let opened = false;
    let sentAt = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      conn?.terminate();
      resolve({ estimate: estimateOffset(samples), failure });
    };
    const timer = setTimeout(finish, timeoutMs);
    signal?.addEventListener('abort', finish, { once: true });
    const { ping: pingMessage } = profile.control;
    const ping = () => {
      // a stream without an application ping gives no offset: latency is then on the raw clocks
      if (!pingMessage || !profile.replies.pong || !transport.clientMessages) return finish();
      sentAt = wallNow();
      conn?.send(JSON.stringify(pingMessage()));
    };
    const onText = (text: string) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(text);
      } catch {
        return;
      }
      const type = msg[profile.envelope.typeField];
      if (type === profile.replies.welcome && samples.length === 0 && sentAt === 0) {
        ping();
        return;
      }
      if (type !== profile.replies.pong) return;
      const receivedMs = wallNow();
      const payload = msg[profile.envelope.payloadField] as Record<string, unknown> | undefined;
      const serverMs = payload?.[profile.replies.pongTimestampField] ?? msg[profile.envelope.timestampField];
      if (typeof serverMs === 'number') samples.push({ sentMs: sentAt, receivedMs, serverMs: timestampMs(profile, serverMs) });
      if (samples.length >= count) finish();
      else ping();
    };
    conn = transport.session(options).connect(streamUrl(url, profile, []), {
      onOpen: () => {
        opened = true;
        // without a welcome to wait for, the connection is ready once open
        if (!profile.replies.welcome) ping();
      },
      onMessage: (data, isBinary) => {
        if (!isBinary) onText(typeof data === 'string' ? data : data.toString('utf8'));
      },
      onError: (err: TransportError) => {
        if (!opened) failure = classifyConnectError(err);
        finish();
      },
      onClose: finish,
    });
  });
}
