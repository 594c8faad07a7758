import protobuf from 'protobufjs';
import { uncompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { LiveBook, REMERGE_INTERVALS } from '../../src/metrics/live-book.js';
import { summarizeEncoded } from '../../src/metrics/histogram.js';
import { JUDGE_MAX_PERIOD_MS, judgePeriodMs } from '../../src/live/live-view.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { mergeAll } from '../../src/metrics/snapshot.js';
import { encodeLabels, WriteBatch } from '../../src/live/remote-write.js';
import { frameSamples, LabelSets } from '../../src/live/prometheus-export.js';
import { liveCriteria, SETTLED_AT_END } from '../../src/live/so-far.js';
import { progressBar, progressLine } from '../../src/reporters/progress.js';
import { readDashboard, readExport } from '../../src/scenario/live-specs.js';
import type { LiveFrame } from '../../src/live/frame.js';
import type { CriterionResult } from '../../src/verdict/criteria.js';

interface RwSeries {
  labels: Record<string, string>;
  samples: { value: number; timestamp: number }[];
}

/** A frame's samples as series with their labels, one sample each: frameSamples read whole. */
function frameSeries(frame: LiveFrame, labels: Record<string, string>): RwSeries[] {
  const out: RwSeries[] = [];
  frameSamples(frame, (name, value, timestamp, extraName, extraValue) => out.push({ labels: { __name__: name, ...labels, ...(extraName ? { [extraName]: extraValue! } : {}) }, samples: [{ value, timestamp }] }));
  return out;
}

/** One remote write of these series through a WriteBatch, each label set's bytes made once. */
function encodeWrite(series: readonly RwSeries[]): Uint8Array {
  const batch = new WriteBatch();
  const kept = new Map<string, Uint8Array>();
  for (const s of series) {
    const key = JSON.stringify(Object.entries(s.labels));
    let labels = kept.get(key);
    if (!labels) kept.set(key, (labels = encodeLabels(s.labels)));
    for (const x of s.samples) batch.add(labels, x.value, x.timestamp);
  }
  return batch.take();
}

describe('--dashboard and --export values', () => {
  it('reads an address, a port or nothing (loopback and a free port)', () => {
    expect(readDashboard(true)).toEqual({ host: '127.0.0.1', port: 0 });
    expect(readDashboard('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(readDashboard('0.0.0.0:9000')).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(readDashboard('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(readDashboard('localhost')).toEqual({ host: 'localhost', port: 0 });
    expect(readDashboard('1.2.3.4:70000')).toMatch(/port must be from 0 to 65535/);
    expect(readDashboard('a b')).toMatch(/host:port/);
  });

  it('reads kind=destination and names what is wrong', () => {
    expect(readExport('prometheus-rw=http://127.0.0.1:9090/api/v1/write')).toEqual({ kind: 'prometheus-rw', to: 'http://127.0.0.1:9090/api/v1/write' });
    expect(readExport('ndjson=live.ndjson')).toEqual({ kind: 'ndjson', to: 'live.ndjson' });
    expect(readExport('statsd=x')).toMatch(/one of prometheus-rw, otlp, ndjson/);
    expect(readExport('otlp=')).toMatch(/needs a destination/);
    expect(readExport('otlp=ftp://x')).toMatch(/http:\/\/ or https:\/\//);
  });
});

describe('the live book', () => {
  it('gives out a second once every process closed it, equal to the final snapshot merge', () => {
    const a = new Recorder();
    const b = new Recorder();
    const book = new LiveBook(2);
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 30; i += 1) {
      const r = i % 2 ? a : b;
      const at = t0 + i * 100;
      r.frame(at, i % 3 ? 'ticks' : 'blocks', 50);
      r.latency(at, 1000 + i * 37);
      r.open(at, 3);
    }
    a.sample(t0 + 5, 'schema', 1, 'bad field');
    book.add(0, a.interval(t0 + 2500));
    expect(book.series()).toHaveLength(0); // the other process has not closed a second yet
    book.add(1, b.interval(t0 + 1500));
    expect(book.series().map((p) => p.t)).toEqual([t0 / 1000]);
    book.add(1, b.interval(t0 + 3500));
    book.add(0, a.interval(t0 + 3500));
    const whole = mergeAll([a.snapshot(), b.snapshot()]);
    expect(book.series()).toEqual(whole.series.filter((p) => p.t < t0 / 1000 + 3));
    const snap = book.snapshot();
    expect(snap.counters.frames).toBe(30);
    expect(snap.counters['messages:ticks']).toBe(whole.counters['messages:ticks']);
    expect(snap.histograms.latency_us).toBe(whole.histograms.latency_us);
    expect(snap.samples.map((s) => s.detail)).toEqual(['bad field']);
    // what a frame reads each second, without a snapshot: the snapshot's own figures
    expect(book.counters()).toEqual(snap.counters);
    expect(book.latencySummary()).toEqual(summarizeEncoded(whole.histograms.latency_us));
    const fresh = book.takeFresh();
    expect(fresh.points).toHaveLength(3);
    expect(fresh.samples).toHaveLength(1);
    expect(book.takeFresh().points).toHaveLength(0);
  });

  it('merges a whole-run histogram of several processes at once, then again only REMERGE_INTERVALS later; one process\'s at once always', () => {
    const t0 = 1_700_000_000_000;
    const rs = [new Recorder(), new Recorder()];
    const book = new LiveBook(2);
    const solo = new LiveBook(1);
    const alone = new Recorder();
    let s = 0;
    const second = (gap: number) => {
      s += 1;
      rs.forEach((r, i) => {
        r.observe('gap_us:ticks', gap + i);
        book.add(i, r.interval(t0 + s * 1000 + 10));
      });
      alone.observe('gap_us:ticks', gap);
      solo.add(0, alone.interval(t0 + s * 1000 + 10));
    };
    const gapCount = (b: LiveBook) => summarizeEncoded(b.snapshot().histograms['gap_us:ticks']).count;
    second(1_000_000);
    const first = gapCount(book);
    expect(first).toBe(2);
    // the recorders send their whole-run histograms every 10 intervals: the next, 10 in, is not merged yet
    for (let i = 0; i < 10; i += 1) second(1_000_000);
    expect(gapCount(book)).toBe(first);
    for (let i = 0; i < REMERGE_INTERVALS - 10; i += 1) second(1_000_000);
    const whole = mergeAll(rs.map((r) => r.snapshot()));
    expect(gapCount(book)).toBe(summarizeEncoded(whole.histograms['gap_us:ticks']).count);
    expect(gapCount(book)).toBeGreaterThan(first);
    // latency is the book's own, and one process's histograms are its own encoding, both fresh each time
    for (let i = 0; i < 10; i += 1) second(1_000_000);
    expect(gapCount(solo)).toBe(summarizeEncoded(alone.snapshot().histograms['gap_us:ticks']).count);
    expect(gapCount(book)).toBeLessThan(summarizeEncoded(mergeAll(rs.map((r) => r.snapshot())).histograms['gap_us:ticks']).count);
  });

  it('merges at once a histogram that more processes hold than its last merge did (a process whose clients came late)', () => {
    const t0 = 1_700_000_000_000;
    const rs = [new Recorder(), new Recorder()];
    const book = new LiveBook(2);
    const gapCount = () => summarizeEncoded(book.snapshot().histograms['gap_us:ticks']).count;
    rs[0].observe('gap_us:ticks', 1_000_000);
    rs.forEach((r, i) => book.add(i, r.interval(t0 + 1010)));
    expect(gapCount()).toBe(1);
    // the second process's first gaps go with its 11th interval, well within REMERGE_INTERVALS
    for (let s = 2; s <= 11; s += 1) {
      rs[1].observe('gap_us:ticks', 2_000_000);
      rs.forEach((r, i) => book.add(i, r.interval(t0 + s * 1000 + 10)));
    }
    expect(11).toBeLessThan(REMERGE_INTERVALS);
    expect(gapCount()).toBe(11);
  });

  it('merges three processes over many seconds as the snapshot merge does, folded each second or only at the end', () => {
    const t0 = 1_700_000_000_000;
    const make = () => {
      const rs = [new Recorder(), new Recorder(), new Recorder()];
      for (let i = 0; i < 12 * 30; i += 1) {
        const r = rs[i % 3];
        const at = t0 + Math.floor(i / 30) * 1000 + (i % 30) * 30;
        r.frame(at, 'ticks', 40);
        r.latency(at, 900 + ((i * 53) % 4000));
      }
      return rs;
    };
    for (const watched of [true, false]) {
      const rs = make();
      const book = new LiveBook(3);
      for (let s = 1; s <= 13; s += 1) {
        rs.forEach((r, i) => book.add(i, r.interval(t0 + s * 1000 + 10)));
        // a watched run reads the run's latency each second (and folds); one nobody watches never does
        if (watched) book.latencySummary();
      }
      const whole = mergeAll(rs.map((r) => r.snapshot()));
      const recorded = (p: { t: number }) => p.t < t0 / 1000 + 12;
      expect(book.series().filter(recorded), `watched ${watched}`).toEqual(whole.series.filter(recorded));
      expect(book.snapshot().histograms.latency_us, `watched ${watched}`).toBe(whole.histograms.latency_us);
      expect(book.latencySummary()).toEqual(summarizeEncoded(whole.histograms.latency_us));
    }
  });
});

describe('how often the run so far is judged', () => {
  it('as often as asked while a judgement is cheap, less often as it costs more, never staler than the bound', () => {
    expect(judgePeriodMs(1000, 0.4)).toBe(1000);
    expect(judgePeriodMs(1000, 3)).toBe(6000);
    expect(judgePeriodMs(1000, 60)).toBe(JUDGE_MAX_PERIOD_MS);
    // a caller asking for rarer judgements (CI's line every 10 s) gets them
    expect(judgePeriodMs(10_000, 3)).toBe(10_000);
  });
});

describe('running criteria', () => {
  it('keeps the criteria counted at the end pending until the end', () => {
    const criteria: CriterionResult[] = [
      { id: 'latency', status: 'fail', observed: 'p99 900 ms', threshold: 'p99 < 500 ms', detail: '' },
      { id: 'concurrency', status: 'fail', observed: '0 held', threshold: '', detail: '' },
    ];
    expect(SETTLED_AT_END.has('concurrency')).toBe(true);
    expect(liveCriteria(criteria, false).map((c) => c.status)).toEqual(['fail', 'pending']);
    expect(liveCriteria(criteria, true).map((c) => c.status)).toEqual(['fail', 'fail']);
  });
});

describe('progress line with the live view', () => {
  const p = { phase: 'steady' as const, elapsedMs: 12_000, open: 100, planned: 100, messagesPerSec: 1234, latencyP99Ms: 3.2, violations: 0, disconnects: 0 };
  it('shows elapsed / total, a bar in a terminal, and the failing criteria', () => {
    const line = progressLine(p, undefined, { totalMs: 40_000, failing: ['latency', 'data_consistency'], bar: true });
    expect(line).toMatch(/^\[\s+12s\] steady /);
    expect(line).toContain(`${progressBar(12_000, 40_000)} of 40s`);
    expect(progressLine(p, undefined, { totalMs: 40_000, failing: [] })).toContain('steady  30% of 40s  clients');
    expect(line).toMatch(/failing latency, data_consistency$/);
    expect(progressBar(20_000, 40_000, 4)).toBe('██░░  50%');
    for (const width of [80, 100]) {
      const fit = progressLine(p, width, { totalMs: 40_000, failing: ['latency'], bar: true });
      expect(fit.length).toBeLessThan(width);
      expect(fit).toContain('latency');
    }
    expect(progressLine(p, undefined, { totalMs: 40_000, failing: [] })).not.toContain('failing');
  });
});

describe('Prometheus remote write', () => {
  it('encodes a WriteRequest, snappy-compressed, labels sorted, per-second series at their second', () => {
    const frame = {
      at: 1_700_000_005_000,
      planned: 10,
      points: [{ t: 1_700_000_004, open: 10, messages: { ticks: 7 }, bytes: 1, disconnects: 0, reconnects: 0, latencyMs: { p50: 2, p90: 3, p99: 4, max: 5, count: 7 } }],
      totals: { messages: { ticks: 70 }, frames: 70, bytes: 100, violations: 0, disconnects: 0, reconnects: 0 },
      latencyRunMs: { p50: 2, p90: 3, p99: 4, max: 9, count: 70 },
      target: null,
      criteria: [{ id: 'latency', status: 'pass', observed: '', threshold: '' }],
    } as unknown as LiveFrame;
    const labels = { run_id: 'r1', scenario: 'flags', shard: '1/1', target: 'ws://127.0.0.1:1/x' };
    const body = encodeWrite(frameSeries(frame, labels));
    const type = protobuf.Root.fromJSON({
      nested: {
        W: { fields: { ts: { rule: 'repeated', type: 'T', id: 1 } } },
        T: { fields: { l: { rule: 'repeated', type: 'L', id: 1 }, s: { rule: 'repeated', type: 'S', id: 2 } } },
        L: { fields: { n: { type: 'string', id: 1 }, v: { type: 'string', id: 2 } } },
        S: { fields: { v: { type: 'double', id: 1 }, t: { type: 'int64', id: 2 } } },
      },
    }).lookupType('W');
    // the label sets' kept encodings give the bytes of encoding the whole request at once, on the first push and the next
    const whole = (series: RwSeries[]) =>
      Buffer.from(type.encode(type.create({ ts: series.map((x) => ({ l: Object.entries(x.labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => ({ n, v })), s: x.samples.map((p) => ({ v: p.value, t: p.timestamp })) })) })).finish());
    expect(Buffer.from(uncompress(body)).equals(whole(frameSeries(frame, labels)))).toBe(true);
    expect(Buffer.from(encodeWrite(frameSeries(frame, labels))).equals(Buffer.from(body))).toBe(true);
    const other = frameSeries(frame, { ...labels, run_id: 'r2' });
    expect(Buffer.from(uncompress(encodeWrite(other))).equals(whole(other))).toBe(true);
    // several samples a series, out of order, values of every kind a double has, timestamps of every varint length
    const many: RwSeries[] = [
      { labels: { __name__: 'a', run_id: 'r3' }, samples: [{ value: -1.5, timestamp: 1_700_000_002_000 }, { value: 0, timestamp: 1_700_000_001_000 }, { value: 1e300, timestamp: 5 }] },
      { labels: { __name__: 'b', x: 'y'.repeat(300) }, samples: [{ value: 0.1, timestamp: 127 }, { value: 2 ** 53, timestamp: 128 }, { value: 3, timestamp: 2 ** 40 }] },
    ];
    const sorted = many.map((x) => ({ ...x, samples: [...x.samples].sort((p, q) => p.timestamp - q.timestamp) }));
    expect(Buffer.from(uncompress(encodeWrite(many))).equals(whole(sorted))).toBe(true);
    const decoded = type.toObject(type.decode(uncompress(body)), { longs: Number }) as { ts: { l: { n: string; v: string }[]; s: { v: number; t: number }[] }[] };
    const find = (name: string, extra: Record<string, string> = {}) =>
      decoded.ts.find((s) => s.l.some((l) => l.n === '__name__' && l.v === name) && Object.entries(extra).every(([k, v]) => s.l.some((l) => l.n === k && l.v === v)));
    for (const s of decoded.ts) expect(s.l.map((l) => l.n)).toEqual([...s.l.map((l) => l.n)].sort());
    expect(find('livestream_messages_total', { channel: 'ticks' })?.s).toEqual([{ v: 70, t: frame.at }]);
    expect(find('livestream_latency_seconds', { quantile: '0.99' })?.s).toEqual([{ v: 0.004, t: 1_700_000_004_000 }]);
    expect(find('livestream_criterion_failing', { criterion: 'latency' })?.s[0].v).toBe(0);
    expect(find('livestream_clients_open')?.l.find((l) => l.n === 'run_id')?.v).toBe('r1');
  });
});

describe('a remote write batch', () => {
  const frame = (t: number, open: number) =>
    ({
      at: t * 1000 + 500,
      planned: 10,
      points: [{ t, open, messages: { ticks: open }, bytes: 1, disconnects: 0, reconnects: 0, latencyMs: { p50: 2, p90: 3, p99: 4, max: 5, count: 7 } }],
      totals: { messages: { ticks: 70 + t }, frames: 70, bytes: 100, violations: 0, disconnects: 0, reconnects: 0 },
      latencyRunMs: { p50: 2, p90: 3, p99: 4, max: 9, count: 70 },
      target: { cpuShare: 0.5, rssBytes: null },
      criteria: [{ id: 'latency', status: 'fail', observed: '', threshold: '' }],
    }) as unknown as LiveFrame;
  const labels = { run_id: 'r1', scenario: 'flags', shard: '1/1', target: 'ws://127.0.0.1:1/x' };
  const gather = (batch: WriteBatch, sets: LabelSets, f: LiveFrame) =>
    frameSamples(f, (name, value, timestamp, k, v) => batch.add(sets.of(labels, name, k, v), value, timestamp));
  const type = protobuf.Root.fromJSON({
    nested: { W: { fields: { ts: { rule: 'repeated', type: 'T', id: 1 } } }, T: { fields: { l: { rule: 'repeated', type: 'L', id: 1 }, s: { rule: 'repeated', type: 'S', id: 2 } } }, L: { fields: { n: { type: 'string', id: 1 }, v: { type: 'string', id: 2 } } }, S: { fields: { v: { type: 'double', id: 1 }, t: { type: 'int64', id: 2 } } } },
  }).lookupType('W');
  /** protobufjs's own encoding of a whole request: each label set once, in first-seen order, its samples in time order. */
  const whole = (series: RwSeries[]) => {
    const merged = new Map<string, RwSeries>();
    for (const x of series) {
      const key = JSON.stringify(x.labels);
      const prev = merged.get(key);
      if (prev) prev.samples.push(...x.samples);
      else merged.set(key, { labels: x.labels, samples: [...x.samples] });
    }
    const ts = [...merged.values()].map((x) => ({ l: Object.entries(x.labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => ({ n, v })), s: [...x.samples].sort((a, b) => a.timestamp - b.timestamp).map((p) => ({ v: p.value, t: p.timestamp })) }));
    return Buffer.from(type.encode(type.create({ ts })).finish());
  };
  const sent = (body: Uint8Array) => Buffer.from(uncompress(body));

  it('sends each series once, its samples of several seconds in time order, the bytes of protobufjs encoding them whole', () => {
    const batch = new WriteBatch();
    const sets = new LabelSets();
    // a push in flight: the later second gathered first
    gather(batch, sets, frame(1_700_000_005, 9));
    gather(batch, sets, frame(1_700_000_004, 8));
    const series = [...frameSeries(frame(1_700_000_005, 9), labels), ...frameSeries(frame(1_700_000_004, 8), labels)];
    expect(batch.size).toBe(series.length);
    const body = batch.take();
    expect(batch.size).toBe(0);
    expect(sent(body).equals(whole(series))).toBe(true);
    const decoded = type.toObject(type.decode(sent(body)), { longs: Number }) as { ts: { l: { n: string; v: string }[]; s: { v: number; t: number }[] }[] };
    const open = decoded.ts.find((x) => x.l.some((l) => l.v === 'livestream_clients_open'))!;
    expect(open.s).toEqual([{ v: 8, t: 1_700_000_004_000 }, { v: 9, t: 1_700_000_005_000 }]);
    // a null figure (rssBytes) is no sample
    expect(decoded.ts.some((x) => x.l.some((l) => l.v === 'livestream_target_rss_bytes'))).toBe(false);
    // emptied, it is used again: the next push holds only its own second
    gather(batch, sets, frame(1_700_000_006, 10));
    expect(sent(batch.take()).equals(whole(frameSeries(frame(1_700_000_006, 10), labels)))).toBe(true);
  });

  it('keeps a label set\'s bytes: the same object each second, another for other labels, another extra label name or value', () => {
    const sets = new LabelSets();
    expect(sets.of(labels, 'livestream_clients_open')).toBe(sets.of(labels, 'livestream_clients_open'));
    expect(sets.of(labels, 'livestream_clients_open')).not.toBe(sets.of({ ...labels, run_id: 'r2' }, 'livestream_clients_open'));
    const a = sets.of(labels, 'livestream_criterion_failing', 'criterion', 'x');
    const b = sets.of(labels, 'livestream_criterion_failing', 'channel', 'x');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(sets.of(labels, 'livestream_criterion_failing', 'criterion', 'x')).toBe(a);
  });

  it('past its cap drops the oldest samples of all, whichever series holds them', () => {
    const batch = new WriteBatch();
    const sets = new LabelSets();
    const old = sets.of(labels, 'livestream_clients_open');
    const fresh = sets.of(labels, 'livestream_messages_per_second', 'channel', 'new');
    for (let t = 1; t <= 10; t += 1) batch.add(old, t, t * 1000);
    batch.add(fresh, 99, 10_500);
    batch.cap(4);
    expect(batch.size).toBe(4);
    const series: RwSeries[] = [
      { labels: { __name__: 'livestream_clients_open', ...labels }, samples: [8, 9, 10].map((t) => ({ value: t, timestamp: t * 1000 })) },
      { labels: { __name__: 'livestream_messages_per_second', ...labels, channel: 'new' }, samples: [{ value: 99, timestamp: 10_500 }] },
    ];
    expect(sent(batch.take()).equals(whole(series))).toBe(true);
    expect(() => batch.add(old, 1, -1)).toThrow(/epoch ms/);
    expect(() => batch.add(old, 1, 1.5)).toThrow(/epoch ms/);
  });

  it('lets go of a label set no push has held for a minute, and keeps those in use', () => {
    const batch = new WriteBatch();
    const sets = new LabelSets();
    const gone = sets.of(labels, 'livestream_messages_per_second', 'channel', 'gone');
    const kept = sets.of(labels, 'livestream_clients_open');
    batch.add(gone, 1, 1000);
    for (let t = 1; t <= 61; t += 1) {
      batch.add(kept, t, t * 1000);
      batch.take();
    }
    expect(batch.kept).toBe(2);
    batch.add(kept, 62, 62_000);
    batch.take();
    expect(batch.kept).toBe(1);
    // the set comes back: it is a series again
    batch.add(gone, 2, 63_000);
    expect(sent(batch.take()).equals(whole([{ labels: { __name__: 'livestream_messages_per_second', ...labels, channel: 'gone' }, samples: [{ value: 2, timestamp: 63_000 }] }]))).toBe(true);
  });
});

describe('the Grafana dashboard', () => {
  it('reads only the exported names and the exported labels', async () => {
    const { readFileSync } = await import('node:fs');
    const { LIVE_METRICS, LIVE_LABELS } = await import('../../src/metrics/live-names.js');
    const text = readFileSync(new URL('../../deploy/grafana/livestream-bench.json', import.meta.url), 'utf8');
    const dashboard = JSON.parse(text) as { panels: { targets: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(8);
    const used = new Set(text.match(/livestream_[a-z_]+/g));
    for (const name of used) expect(Object.keys(LIVE_METRICS), name).toContain(name);
    for (const label of ['run_id', 'scenario', 'shard']) expect(LIVE_LABELS as readonly string[]).toContain(label);
  });
});
