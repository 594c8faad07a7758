import type { RunResult } from '../../src/engine/run.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import type { RenderableReport } from '../../src/reporters/view.js';
import { defaultSettings } from '../../src/scenario/settings.js';
import { buildReport } from '../../src/verdict/report.js';

/**
 * A typed report built the way a run builds it (Recorder -> snapshot ->
 * buildReport), from a timeline written here instead of sockets, so report
 * tests need no timing. 10 clients, ramp 2 s, 15 s steady, every channel.
 */
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
export const CLIENTS = 10;
const RAMP_MS = 2000;
const STEADY_START = T0 + RAMP_MS + 1000;
const STEADY_MS = 15_000;
const END = STEADY_START + STEADY_MS;

/** Text a hostile target could send; every renderer must keep it inert. */
export const NASTY =
  '</script><script>window.pwned=1</script><!-- ]]> <img src="http://evil.example/x.png" onerror="window.pwned=2"> ' +
  "| pipe [link](http://evil.example/) *bold* `code` & 'q' \"dq\" \u0001\u0007 \uD800 end";

export interface FixtureOptions {
  /** Typical one-way latency in ms (p99 lands a few ms above it). */
  latencyMs?: number;
  /** Adds violations with NASTY text, lost messages and unintended disconnects. */
  defects?: boolean;
  /** Bytes per message, to move bandwidth. */
  messageBytes?: number;
  /** The harness cuts 2 connections 4 s into the steady phase; both come back. */
  cuts?: boolean;
}

/** Deterministic 0..1 noise, so every fixture is the same on every machine. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function fixtureRun(options: FixtureOptions = {}): RunResult {
  const latencyMs = options.latencyMs ?? 4;
  const bytes = options.messageBytes ?? 180;
  const rnd = noise(42);
  const r = new Recorder();
  const profile = aurigraphV11;
  for (let c = 0; c < CLIENTS; c += 1) {
    const openAt = T0 + Math.floor((c * RAMP_MS) / CLIENTS);
    r.observe('connect_us', 2000 + rnd() * 3000);
    r.observe('welcome_us', 1000 + rnd() * 1000);
    r.count('welcomes');
    r.count('connect_first_ok');
    r.frame(openAt + 3, 'connection_established', 120);
    for (const ch of profile.channels) {
      let last: number | undefined;
      for (let t = openAt + 500; t < END; t += ch.intervalMs) {
        const sentAt = t;
        const recvAt = sentAt + latencyMs * (0.6 + rnd() * 0.8);
        r.frame(recvAt, ch.messageType, bytes);
        r.latency(recvAt, (recvAt - sentAt) * 1000);
        r.count(`received:${ch.channel}`);
        r.count(`expected:${ch.channel}`);
        if (last !== undefined) {
          r.observe(`gap_us:${ch.channel}`, (recvAt - last) * 1000);
          r.count(`gap_count:${ch.channel}`);
          r.count(`gap_sum_ms:${ch.channel}`, recvAt - last);
        }
        last = recvAt;
      }
      r.count(`cadence_streams:${ch.channel}`);
    }
    r.observe('bandwidth_Bps', (bytes * 1000 * profile.channels.reduce((a, ch) => a + 1 / ch.intervalMs, 0) + c * 3) | 0);
  }
  for (let t = T0; t <= END; t += 1000) r.open(t, Math.min(CLIENTS, Math.floor(((t - T0) / RAMP_MS) * CLIENTS) + 1));
  // frames, bytes and per-type counts are the Recorder's own, from frame()
  r.count('held', CLIENTS);
  r.count('clients_planned', CLIENTS);
  r.count('stream_ms', CLIENTS * STEADY_MS);
  if (options.defects) {
    r.sample(STEADY_START + 2500, 'schema', 3, `payload.currentTPS must be integer; got ${NASTY}`);
    r.sample(STEADY_START + 4100, 'invalid_json', 7, NASTY);
    r.count('lost:block_updates', 3);
    r.count('disconnects_unintended', 2);
    r.count('disconnect_code:1006', 2);
    r.disconnect(STEADY_START + 6000);
    r.disconnect(STEADY_START + 6000);
    r.reconnect(STEADY_START + 7200);
    r.reconnect(STEADY_START + 8100);
    r.frame(STEADY_START + 5000, '<b>evil-type</b>', 64);
  }
  if (options.cuts) {
    for (let i = 0; i < 2; i += 1) {
      r.count('cuts:abrupt');
      r.cut(STEADY_START + 4000);
      r.count('cut_reopened');
      r.count('cut_back');
      r.observe('cut_reopen_us', 1_000_000);
      r.observe('cut_first_message_us', 1_400_000);
      r.reconnect(STEADY_START + 5000);
    }
    r.count('cut_rounds_planned');
  }
  return {
    settings: defaultSettings({ clients: CLIENTS, durationMs: STEADY_MS, rampMs: RAMP_MS, simulatorFaults: options.defects ? ['drop=2%'] : [] }),
    target: { url: 'ws://127.0.0.1:40123/api/v11/live/stream', embedded: true, pid: 4242, httpUrl: 'http://127.0.0.1:40123' },
    startedAt: T0,
    endedAt: END + 400,
    steadyStartMs: STEADY_START,
    steadyEndMs: END,
    snapshot: {
      ...r.snapshot(),
      clock: { offsetMs: 0.4, errorMs: 0.2, rttMs: 0.4, samples: 8 },
      health: { eventLoopP99Ms: 3, eventLoopMaxMs: 9, cpuShare: 0.12, saturated: false },
    },
    interrupted: false,
  };
}

export function fixtureReport(options: FixtureOptions = {}): RenderableReport {
  return buildReport(fixtureRun(options));
}

/** The fixture with a resource series as the engine will attach it (epoch ms). */
export function withResources(report: RenderableReport): RenderableReport {
  const points = report.series.map((p, i) => ({ t: p.t * 1000, cpuShare: 0.02 + (i % 5) * 0.004, rssBytes: (48 + i * 0.05) * 1024 * 1024 }));
  return { ...report, resources: { source: 'pid', origin: 'pid 4242', intervalMs: 1000, points, errors: [], errorCount: 0, notes: [] } };
}
