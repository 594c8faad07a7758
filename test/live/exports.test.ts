import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/verdict/report.js';
import { runCli, type CliResult } from '../helpers/cli.js';

/**
 * One short run through the real bin with every export at once: a real
 * Prometheus (Debian's `prometheus`, remote write receiver on), an OTLP/HTTP
 * receiver written here, an ndjson file, and a remote write endpoint that
 * is dead. What each backend holds at the end must equal report.json's
 * figures; the dead one must be counted and change nothing else.
 */
const STEADY = '6s';

/** The prometheus binary on PATH, or undefined (the test that needs it then skips, naming the package). */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}
const PROMETHEUS = onPath('prometheus');

let dir: string;
let prom: ChildProcess | undefined;
let promUrl = '';
let otlp: Server;
const otlpBodies: OtlpBody[] = [];
let dead = '';
let cli: CliResult;
let report: Report;

interface OtlpPoint {
  attributes: { key: string; value: { stringValue?: string } }[];
  asDouble?: number;
  asInt?: string | number;
  timeUnixNano: string;
}
interface OtlpBody {
  resourceMetrics: { scopeMetrics: { metrics: { name: string; sum?: { dataPoints: OtlpPoint[] }; gauge?: { dataPoints: OtlpPoint[] } }[] }[] }[];
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function startPrometheus(bin: string): Promise<void> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1m\n');
  prom = spawn(bin, [`--config.file=${config}`, '--web.enable-remote-write-receiver', `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  prom.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  promUrl = `http://127.0.0.1:${port}`;
  // ready when its own readiness endpoint says so; the log says why when it never does
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const ok = await fetch(`${promUrl}/-/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    if (prom.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus did not become ready: ${log.slice(-500)}`);
}

async function query(q: string): Promise<{ metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; data: { result: never[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lsb-exports-'));
  otlp = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      if (req.url === '/v1/metrics' && String(req.headers['content-type']).includes('json')) otlpBodies.push(JSON.parse(text) as OtlpBody);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => otlp.listen(0, '127.0.0.1', () => r()));
  dead = `http://127.0.0.1:${await freePort()}/api/v1/write`;
  if (PROMETHEUS) await startPrometheus(PROMETHEUS);
  const exports = [`otlp=http://127.0.0.1:${(otlp.address() as AddressInfo).port}/v1/metrics`, `prometheus-rw=${dead}`, `ndjson=${join(dir, 'live.ndjson')}`];
  if (PROMETHEUS) exports.push(`prometheus-rw=${promUrl}/api/v1/write`);
  // two client processes: the live book merges their intervals as the final snapshot merges them
  cli = await runCli(['-c', '6', '--min-clients', '6', '--workers', '2', '-d', STEADY, '--ramp', '1s', '--chaos', 'off', '--out', join(dir, 'out'), '--format', 'json', ...exports.flatMap((e) => ['--export', e])], {
    // OpenTelemetry's own variable: each second here, so the test sees several exports in a short run
    env: { OTEL_METRIC_EXPORT_INTERVAL: '1000' },
  });
  report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
}, 60_000);

afterAll(async () => {
  prom?.kill('SIGTERM');
  await new Promise<void>((r) => (prom && prom.exitCode === null ? prom.once('exit', () => r()) : r()));
  await new Promise<void>((r) => otlp?.close(() => r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--export', () => {
  it('a dead endpoint is one line and a count in the report: the verdict and the timing are the run\'s own', () => {
    const failed = report.criteria.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.observed} (${c.detail})`);
    expect(failed, cli.stderr).toEqual([]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(report.verdict).toBe('pass');
    const deadStats = report.exports?.find((e) => e.to === dead);
    expect(deadStats?.failed).toBeGreaterThan(3);
    expect(deadStats?.failed).toBe(deadStats?.pushes);
    expect(cli.stderr.split('\n').filter((l) => l.includes(dead))).toHaveLength(1);
    // the steady phase is what was asked, not stretched by pushes that hang
    expect(report.steady.ms).toBeGreaterThanOrEqual(5900);
    expect(report.steady.ms).toBeLessThan(6600);
    for (const e of report.exports ?? []) if (e.to !== dead) expect(e.failed, `${e.kind}: ${e.firstError}`).toBe(0);
  });

  it('ndjson: a line a second, a line per violation, the last with the report figures', () => {
    const lines = readFileSync(join(dir, 'live.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; totals: { frames: number }; labels: { run_id: string } });
    const seconds = lines.filter((l) => l.type === 'second');
    expect(seconds.length).toBeGreaterThanOrEqual(6);
    const final = lines[lines.length - 1];
    expect(final.type).toBe('final');
    expect(final.totals.frames).toBe(report.metrics.frames);
    expect(final.labels.run_id).toBe(report.runId);
  });

  it('OTLP: the message count and the latency figures arrive as the report has them', () => {
    expect(otlpBodies.length).toBeGreaterThan(3);
    const last = otlpBodies[otlpBodies.length - 1];
    const metrics = last.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const points = (name: string) => {
      const m = metrics.find((x) => x.name === name);
      return (m?.sum ?? m?.gauge)?.dataPoints ?? [];
    };
    const value = (p: OtlpPoint) => Number(p.asDouble ?? p.asInt);
    const attr = (p: OtlpPoint, key: string) => p.attributes.find((a) => a.key === key)?.value.stringValue;
    const messages = points('livestream_messages_total');
    expect(messages.every((p) => attr(p, 'run_id') === report.runId)).toBe(true);
    expect(messages.reduce((a, p) => a + value(p), 0)).toBe(report.metrics.frames);
    const p99 = points('livestream_latency_run_seconds').find((p) => attr(p, 'quantile') === '0.99')!;
    expect(value(p99)).toBeCloseTo(report.metrics.latencyMs.p99 / 1000, 9);
    expect(value(points('livestream_latency_count')[0])).toBe(report.metrics.latencyMs.count);
    // the target label is the report's (redacted) URL, never a header
    expect(attr(messages[0], 'target')).toBe(report.target.url);
  });

  it.skipIf(!PROMETHEUS)('Prometheus (remote write): the message count and the per-second latency equal report.json', async () => {
    const run = `run_id="${report.runId}"`;
    const [total] = await query(`sum(livestream_messages_total{${run}})`);
    expect(Number(total.value![1])).toBe(report.metrics.frames);
    const [p99] = await query(`livestream_latency_seconds{${run},quantile="0.99"}[10m]`);
    const stored = new Map(p99.values!.map(([t, v]) => [Math.round(t), Number(v)]));
    expect(stored.size).toBe(report.series.length);
    for (const row of report.series) expect(stored.get(row.t), `second ${row.t}`).toBeCloseTo(row.latencyP99Ms / 1000, 9);
    const [run99] = await query(`livestream_latency_run_seconds{${run},quantile="0.99"}`);
    expect(Number(run99.value![1])).toBeCloseTo(report.metrics.latencyMs.p99 / 1000, 9);
  });
  it('refuses an export it cannot make before any work: one line, exit 2', async () => {
    const bad = await runCli(['-d', '1s', '--export', `ndjson=${join(dir, 'no-such-folder', 'x.ndjson')}`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--export ndjson=.*cannot be written \(no such file\)/);
    const kind = await runCli(['-d', '1s', '--export', 'statsd=127.0.0.1:8125']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/--export must be kind=destination with kind one of prometheus-rw, otlp, ndjson/);
    const interval = await runCli(['-d', '1s', '--export', 'otlp=http://127.0.0.1:9/v1/metrics'], { env: { OTEL_METRIC_EXPORT_INTERVAL: '5s' } });
    expect(interval.code).toBe(2);
    expect(interval.stderr.trim().split('\n')).toHaveLength(1);
    expect(interval.stderr).toMatch(/OTEL_METRIC_EXPORT_INTERVAL must be a whole number of milliseconds above 0 \(got "5s"\)/);
  });
  if (!PROMETHEUS) it('Prometheus remote write: skipped, no prometheus binary on PATH (apt-get install prometheus)', () => undefined);
});
