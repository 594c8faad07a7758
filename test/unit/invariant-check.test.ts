import { describe, expect, it } from 'vitest';
import { FrameParser } from '../../src/checks/frame-parser.js';
import { compileValidators } from '../../src/checks/schema.js';
import { findProfile } from '../../src/profile/index.js';

const frame = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('invariants in the checks', () => {
  const profile = findProfile('aurigraph-v11')!;
  const parser = new FrameParser(profile, compileValidators(profile));

  it('names the expression and the values of a message that breaks one', () => {
    const bad = parser.parse(frame({ type: 'tps_update', timestamp: Date.now(), payload: { currentTPS: 801000, peakTPS: 800000, averageTPS: 750000, latency: 50 } }));
    expect(bad.problem).toBeUndefined();
    expect(bad.broken).toBe('tps_update: "currentTPS <= peakTPS" broken: currentTPS=801000, peakTPS=800000');
    const good = parser.parse(frame({ type: 'tps_update', timestamp: Date.now(), payload: { currentTPS: 799000, peakTPS: 800000, averageTPS: 750000, latency: 50 } }));
    expect(good.broken).toBeUndefined();
  });

  it('reads timestamps in the profile unit', () => {
    const ticker = findProfile('ticker-demo')!;
    const p = new FrameParser(ticker, compileValidators(ticker));
    const nowS = 1_730_000_000.25;
    const parsed = p.parse(frame({ event: 'quote', ts: nowS, data: { bid: 100, ask: 100.5, spread: 0.5 } }));
    expect(parsed.problem).toBeUndefined();
    expect(parsed.timestamp).toBe(1_730_000_000_250);
    expect(p.parse(frame({ event: 'quote', ts: nowS, data: { bid: 101, ask: 100.5, spread: 0.1 } })).broken).toContain('"bid <= ask" broken: bid=101, ask=100.5');
  });
});
