import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { findProfile, type ChannelSpec, type TargetProfile } from '../../src/profile/index.js';
import { channelDataFor, legacyChannelData, LEGACY_STUCK_VALUE } from '../../src/simulator/channel-data.js';
import { keyedHash, stringKey } from '../../src/simulator/prng.js';
import { randomProfile } from './random-profile.js';

/** Tick data, built as the simulator builds it, from any profile's schemas. */

const aurigraph = findProfile('aurigraph-v11')!;
const ticker = findProfile('ticker-demo')!;

function spec(profile: TargetProfile, channel: string): ChannelSpec {
  return profile.channels.find((c) => c.channel === channel)!;
}

function series(profile: TargetProfile, channel: string, seed = 0) {
  const s = spec(profile, channel);
  return channelDataFor({ channel: s, noise: keyedHash(seed, stringKey(s.channel)) });
}

const startOf = (intervalMs: number): number => Math.floor(Date.UTC(2026, 5, 1, 12) / intervalMs);
const ajv = new Ajv({ strict: false });

/** Every payload of `ticks` ticks matches its schema and keeps every invariant. */
function expectValid(profile: TargetProfile, ticks: number, seed = 0): void {
  for (const c of profile.channels) {
    const validate = ajv.compile(c.payloadSchema);
    const data = series(profile, c.channel, seed);
    const start = startOf(c.intervalMs);
    for (let i = start; i < start + ticks; i++) {
      const payload = data.payloadAt(i);
      if (!validate(payload)) expect.fail(`${profile.name} ${c.channel} tick ${i}: ${JSON.stringify(payload)} ${JSON.stringify(validate.errors)}`);
      for (const inv of c.invariants) {
        if (inv.check(payload) !== true) expect.fail(`${profile.name} ${c.channel} tick ${i}: "${inv.text}" broken by ${JSON.stringify(payload)}`);
      }
    }
  }
}

describe('tick data from the payload schema', () => {
  test('both built-ins: schema-valid and every invariant kept over 5000 ticks of every channel', () => {
    expectValid(aurigraph, 5000);
    expectValid(ticker, 5000);
  });

  test('random-shaped profiles: schema-valid and every invariant kept over 2000 ticks', () => {
    for (let n = 1; n <= 30; n++) {
      const profile = randomProfile(n);
      expectValid(profile, 2000, n);
    }
  });

  test('examples give the centre: aurigraph TPS wanders within 776000-826000, as protocol.md has it', () => {
    const data = series(aurigraph, 'tps_updates');
    const values = new Set<number>();
    const start = startOf(1000);
    for (let i = start; i < start + 5000; i++) {
      const p = data.payloadAt(i) as Record<string, number>;
      values.add(p.currentTPS);
      expect(p.currentTPS).toBeGreaterThanOrEqual(776_000);
      expect(p.currentTPS).toBeLessThanOrEqual(826_000);
      expect(Number.isInteger(p.latency)).toBe(true);
    }
    expect(values.size).toBeGreaterThan(1000); // it lives
  });

  test('ranges, enums, patterns and number kinds of the ticker', () => {
    const trades = series(ticker, 'trades');
    const candles = series(ticker, 'candles');
    const sides = new Set<unknown>();
    for (let k = 0; k < 500; k++) {
      const t = trades.payloadAt(startOf(500) + k) as Record<string, number | string>;
      sides.add(t.side);
      expect(t.price).toBeGreaterThanOrEqual(1);
      expect(t.price).toBeLessThanOrEqual(100);
      expect(Number.isInteger(t.seq)).toBe(true);
      const c = candles.payloadAt(startOf(4000) + k) as Record<string, number | string>;
      expect(c.symbol).toMatch(/^[A-Z]{3,5}$/);
      expect(Number.isInteger(c.volume)).toBe(true);
    }
    expect([...sides].sort()).toEqual(['buy', 'sell']);
  });

  test('examples: two or more numbers give the band, strings the values to use', () => {
    const channel = { ...spec(ticker, 'quotes'), invariants: [], payloadSchema: { type: 'object', properties: { n: { type: 'integer', examples: [40, 60] }, word: { type: 'string', examples: ['up', 'down'] } } } };
    const data = channelDataFor({ channel, noise: keyedHash(1, 2) });
    const words = new Set<unknown>();
    for (let i = 0; i < 500; i++) {
      const p = data.payloadAt(startOf(1000) + i);
      expect(p.n).toBeGreaterThanOrEqual(40);
      expect(p.n).toBeLessThanOrEqual(60);
      words.add(p.word);
    }
    expect([...words].sort()).toEqual(['down', 'up']);
  });

  test('numbers move smoothly: a tick-to-tick step is small beside the band', () => {
    const data = series(ticker, 'quotes');
    const bids = Array.from({ length: 2000 }, (_, k) => data.payloadAt(startOf(1000) + k).bid as number);
    const steps = bids.slice(1).map((b, k) => Math.abs(b - bids[k]));
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    const band = Math.max(...bids) - Math.min(...bids);
    expect(band).toBeGreaterThan(10); // of 90-110
    expect(mean).toBeLessThan(band / 10);
  });

  test('rising fields rise by exactly one per tick', () => {
    for (const [p, channel, field, interval] of [
      [aurigraph, 'block_updates', 'blockHeight', 2000],
      [ticker, 'trades', 'seq', 500],
    ] as const) {
      const data = series(p, channel);
      const values = Array.from({ length: 50 }, (_, k) => data.payloadAt(startOf(interval) + k)[field] as number);
      values.slice(1).forEach((h, k) => expect(h - values[k]).toBe(1));
    }
  });

  test('a pure function of (seed, channel, index): fresh instances agree, another seed differs', () => {
    for (const [p, channel] of [
      [aurigraph, 'tps_updates'],
      [ticker, 'trades'],
    ] as const) {
      const a = series(p, channel, 7);
      const b = series(p, channel, 7);
      const c = series(p, channel, 8);
      const i = startOf(1000);
      // b asked out of order still agrees with a
      expect(b.payloadAt(i + 40)).toEqual(a.payloadAt(i + 40));
      expect(b.payloadAt(i + 3)).toEqual(a.payloadAt(i + 3));
      expect(c.payloadAt(i + 3)).not.toEqual(a.payloadAt(i + 3));
    }
  });
});

describe('legacy data (the Phase 3A server)', () => {
  const legacy = (p: TargetProfile, channel: string, client: number) => legacyChannelData({ channel: spec(p, channel), noise: keyedHash(0, 99, client) });

  test('rising fields stuck; values differ per client', () => {
    const a = legacy(aurigraph, 'block_updates', 1);
    const b = legacy(aurigraph, 'block_updates', 2);
    for (let i = 0; i < 20; i++) expect(a.payloadAt(i).blockHeight).toBe(LEGACY_STUCK_VALUE);
    expect(legacy(ticker, 'trades', 1).payloadAt(5).seq).toBe(LEGACY_STUCK_VALUE);
    expect(a.payloadAt(3).transactions).not.toBe(b.payloadAt(3).transactions);
  });

  test('breaks the invariant as the real server does: currentTPS above peakTPS in about half the messages', () => {
    const tps = legacy(aurigraph, 'tps_updates', 1);
    const [inv] = spec(aurigraph, 'tps_updates').invariants;
    let broken = 0;
    for (let i = 0; i < 1000; i++) {
      const p = tps.payloadAt(i) as Record<string, number>;
      if (inv.check(p) === false) broken++;
      expect(p.currentTPS).toBeGreaterThanOrEqual(776_000);
      expect(p.currentTPS).toBeLessThanOrEqual(826_000);
    }
    expect(broken).toBeGreaterThan(300);
    expect(broken).toBeLessThan(700);
  });
});
