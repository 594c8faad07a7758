import { describe, expect, test } from 'vitest';
import { BenchError } from '../../src/errors.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { formatFaults, parseFaults } from '../../src/source/fault-spec.js';
import { FaultState } from '../../src/simulator/fault-state.js';

const parse = (...specs: string[]) => parseFaults(specs, aurigraphV11);

function usage(fn: () => unknown): BenchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BenchError);
    return err as BenchError;
  }
  throw new Error('expected a BenchError');
}

describe('fault grammar', () => {
  test('every fault parses, and they combine', () => {
    const set = parse(
      'drop=2%', 'latency=300ms', 'drift=+10%', 'stall=block_updates@10s', 'stall=*', 'disconnect=30s:4000',
      'max-connections=100', 'malformed=1%', 'duplicate=0.5%', 'oversize=1%:64KiB', 'legacy',
    );
    expect(set).toMatchObject({
      drop: 0.02,
      latencyMs: 300,
      drift: 0.1,
      stalls: [{ channel: 'block_updates', afterMs: 10_000 }, { channel: '*', afterMs: 0 }],
      disconnect: { kind: 'age', afterMs: 30_000, code: 4000 },
      maxConnections: 100,
      malformed: 0.01,
      duplicate: 0.005,
      oversize: { chance: 0.01, bytes: 65_536 },
      legacy: true,
      socketDown: false,
    });
    expect(parse('socket-down').socketDown).toBe(true);
    expect(parse('disconnect=5%').disconnect).toEqual({ kind: 'rate', chance: 0.05, code: 1012 });
    expect(parse('drift=-25%').drift).toBe(-0.25);
    expect(parse('latency=2s').latencyMs).toBe(2000);
    expect(parse('oversize=3%').oversize).toEqual({ chance: 0.03, bytes: 256 * 1024 });
    expect(parse('leak=20', 'cpu=30%', 'rest-down', 'rest-stale')).toMatchObject({ leakMBPerMin: 20, cpuShare: 0.3, restDown: true, restStale: true });
    expect(parse('leak=2.5MB/min').leakMBPerMin).toBe(2.5);
    expect(parse('leak=7MiB/min').leakMBPerMin).toBe(7);
    expect(parse('retain=200KB').retainBytes).toBe(200 * 1024);
    expect(parse('retain=1MiB').retainBytes).toBe(1024 * 1024);
  });

  test('every bad spec is named, in one line', () => {
    const err = usage(() => parse('drop=1%', 'nope', 'latency=soon'));
    expect(err.message).toMatch(/^bad fault "nope": unknown fault "nope"; bad fault "latency=soon": "soon" is not a duration.*; valid: /);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  test('a later spec of the same name replaces the earlier one', () => {
    expect(parse('drop=1%', 'drop=3%').drop).toBe(0.03);
  });

  test('canonical specs parse back to the same set', () => {
    const set = parse('drop=2.5%', 'latency=300ms', 'drift=-10%', 'stall=tps_updates@2s', 'disconnect=10%:4001', 'oversize=1%:1KiB', 'socket-down', 'legacy', 'leak=0.5', 'cpu=30%', 'retain=200KB', 'rest-down', 'rest-stale');
    expect(parseFaults(formatFaults(set), aurigraphV11)).toEqual(set);
  });

  test.each([
    ['nope=1', /unknown fault "nope"/],
    ['drop=2', /not a percentage/],
    ['drop=150%', /over 100%/],
    ['drop', /needs a value/],
    ['legacy=1', /takes no value/],
    ['latency=fast', /not a duration/],
    ['drift=10', /signed percentage/],
    ['drift=-95%', /\(-90%, \+1000%\]/],
    ['stall=blocks', /unknown channel "blocks".*block_updates/],
    ['disconnect=10s:1006', /not a close code/],
    ['max-connections=-1', /whole number/],
    ['oversize=1%:huge', /not a size/],
    ['leak=lots', /not a rate/],
    ['retain=lots', /not a size/],
    ['retain=100MiB', /\[1B, 64MiB\] per connection/],
    ['leak=0', /\(0, 10240\] MB\/min/],
    ['leak=20GB/min', /not a rate/],
    ['cpu=30', /not a percentage/],
    ['cpu=0.5%', /at least 1%/],
    ['rest-down=1', /takes no value/],
  ])('%s is a usage error naming it and what is valid', (spec, why) => {
    const err = usage(() => parse(spec));
    expect(err.code).toBe('LSB_USAGE');
    expect(err.message).toMatch(why);
    expect(err.message).toContain(`"${spec}"`);
    expect(err.message).toContain('valid: drop=<p>%');
    expect(err.message.split('\n')).toHaveLength(1);
  });
});

describe('fault dice', () => {
  test('chances hit their rate and repeat under the same seed', () => {
    const a = new FaultState(42);
    a.replace(parse('drop=2%', 'duplicate=10%'));
    const b = new FaultState(42);
    b.replace(parse('drop=2%', 'duplicate=10%'));
    let drops = 0;
    let dups = 0;
    let differ = 0;
    for (let tick = 0; tick < 50_000; tick++) {
      const fate = a.fate(tick % 50, 0, tick);
      const again = b.fate(tick % 50, 0, tick);
      if (fate.drop) drops++;
      if (fate.duplicate) dups++;
      if (fate.drop !== again.drop || fate.duplicate !== again.duplicate) differ++;
    }
    expect(differ).toBe(0);
    expect(drops / 50_000).toBeGreaterThan(0.017);
    expect(drops / 50_000).toBeLessThan(0.023);
    expect(dups / 50_000).toBeGreaterThan(0.09);
    expect(dups / 50_000).toBeLessThan(0.11);
  });

  test('another seed drops other messages', () => {
    const a = new FaultState(1);
    const b = new FaultState(2);
    a.replace(parse('drop=50%'));
    b.replace(parse('drop=50%'));
    const pattern = (s: FaultState) => Array.from({ length: 64 }, (_, t) => (s.fate(1, 0, t).drop ? 1 : 0)).join('');
    expect(pattern(a)).not.toBe(pattern(b));
  });

  test('a stall with a delay starts that long after it was set, and keeps its start when other faults change', () => {
    const s = new FaultState(0);
    s.replace(parse('stall=block_updates@2s'), 10_000);
    expect(s.stalled('block_updates', 11_999)).toBe(false);
    expect(s.stalled('block_updates', 12_000)).toBe(true);
    expect(s.stalled('tps_updates', 12_000)).toBe(false);
    s.replace(parse('stall=block_updates@2s', 'drop=1%'), 11_000);
    expect(s.stalled('block_updates', 12_000)).toBe(true);
  });
});
