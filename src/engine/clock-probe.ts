import WebSocket, { type ClientOptions } from 'ws';
import type { TargetProfile } from '../profile/index.js';
import { estimateOffset, type ClockEstimate, type ClockSample } from './clock.js';
import { wallNow } from './time.js';

/**
 * Opens one extra connection and exchanges `count` application pings, one
 * after the other, to estimate the target's clock offset. Resolves to
 * undefined (never rejects) when the target does not answer: latency is then
 * judged on the raw clocks and the report says so.
 */
export function probeClock(url: string, wsOptions: ClientOptions, profile: TargetProfile, count = 8, timeoutMs = 5000): Promise<ClockEstimate | undefined> {
  return new Promise((resolve) => {
    const samples: ClockSample[] = [];
    const ws = new WebSocket(url, wsOptions);
    let sentAt = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(estimateOffset(samples));
    };
    const timer = setTimeout(finish, timeoutMs);
    const ping = () => {
      sentAt = wallNow();
      ws.send(JSON.stringify(profile.control.ping()));
    };
    ws.on('error', finish);
    ws.on('close', finish);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(data.toString('utf8'));
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
      if (typeof serverMs === 'number') samples.push({ sentMs: sentAt, receivedMs, serverMs });
      if (samples.length >= count) finish();
      else ping();
    });
  });
}
