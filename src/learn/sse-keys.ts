import { heartbeatSlackMs } from '../profile/heartbeat.js';
import type { ProfileDocument } from '../profile/index.js';
import { formatInterval, niceInterval } from './cadence.js';
import { byConnection, median, num, type Message, type Note } from './observed.js';
import type { Recording } from './recording.js';
import { inferUrlChannels, urlChoices, type UrlChannels } from './url-channels.js';

/**
 * What a Server-Sent Events stream adds to a profile (`sse:`), from the
 * recording: the query parameter that chooses channels (url-channels.ts),
 * the heartbeat (the median gap between comment lines on one connection,
 * rounded to a figure people write, unless the `keepalive` probe's limit
 * would not hold for the longest gap seen: then that gap), and the `retry:`
 * the server sent. Pure.
 */
export interface SseGuess {
  readonly sse: NonNullable<ProfileDocument['sse']>;
  readonly channels: UrlChannels;
  readonly notes: Note[];
  readonly unknowns: string[];
}

/** Fewest gaps between comment lines that make a heartbeat. */
const FEW_GAPS = 2;
/**
 * How far the median may be from a figure people write and still be drafted
 * as it: a heartbeat is a promise judged with the probe's slack (a quarter
 * of the period), and a short learn sees few gaps, so reads a few tens of
 * ms late move the median (CI learned "2030ms" from 2 s: gaps 2000, 2060).
 */
const HEARTBEAT_NICE = 0.05;

export function inferSse(rec: Recording, url: string | undefined, streams: readonly string[], probeMessages: readonly Message[]): SseGuess {
  const notes: Note[] = [];
  const unknowns: string[] = [];
  const sse: NonNullable<ProfileDocument['sse']> = {};
  const choices = url === undefined ? [] : urlChoices(url);
  const seen = choices.map(({ choice }, i) => ({ choice, types: new Set(probeMessages.filter((m) => rec.urlProbeOf?.[m.conn] === i).map((m) => m.type)) }));
  const channels = url === undefined ? { names: new Map<string, string>(), why: 'no URL' } : inferUrlChannels(url, streams, seen);
  if (channels.param !== undefined) {
    sse.channelsParam = channels.param;
    notes.push({ path: ['sse', 'channelsParam'], text: channels.why });
  } else unknowns.push(channels.unknown ?? `no channel choice: ${channels.why}, so every channel is taken to stream by itself (sse.channelsParam left out)`);

  const gaps: number[] = [];
  for (const list of byConnection(rec.keepalives ?? []).values()) for (let i = 1; i < list.length; i++) gaps.push(list[i].at - list[i - 1].at);
  if (gaps.length >= FEW_GAPS) {
    // the server's cadence (the median), unless some gap is beyond what the keepalive probe allows
    // it: then the longest, so the probe holds for what the server does. A gap a little long is a
    // late read (timers, a busy machine), not the server's period.
    const mid = median(gaps);
    const longest = Math.max(...gaps);
    const cadence = longest <= mid + heartbeatSlackMs(mid);
    // rounded only where the probe still holds for the longest gap seen
    const nice = niceInterval(mid, HEARTBEAT_NICE);
    const period = longest <= nice + heartbeatSlackMs(nice) ? nice : niceInterval(mid);
    sse.heartbeat = formatInterval(cadence ? period : niceInterval(longest));
    notes.push({ path: ['sse', 'heartbeat'], text: cadence ? `the median of ${gaps.length} gaps between comment lines on one connection (the longest ${num(longest)} ms is within the probe's slack)` : `the longest of ${gaps.length} gaps between comment lines on one connection (median ${num(mid)} ms), beyond the probe's slack of the median` });
  } else unknowns.push(`no heartbeat: ${rec.keepalives?.length ? `${rec.keepalives.length} comment line(s), too few gaps to tell a cadence` : 'no comment lines came'} (sse.heartbeat left out: keepalive is skipped)`);

  if (rec.retryMs !== undefined) {
    sse.retry = formatInterval(rec.retryMs);
    notes.push({ path: ['sse', 'retry'], text: `the server sent retry: ${rec.retryMs}` });
  } else unknowns.push('no retry: the server sent no retry: field (the reconnect policy sets the wait)');
  unknowns.push('no client messages: Server-Sent Events have none, so control and replies are left out (the probes that need them are skipped)');
  return { sse, channels, notes, unknowns };
}
