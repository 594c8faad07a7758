import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_SECONDS, Dashboard } from '../../src/live/dashboard.js';
import type { LiveFrame } from '../../src/live/frame.js';
import { liveCriteria } from '../../src/live/so-far.js';
import { fixtureReport, NASTY } from '../reporters/fixture.js';

/** The dashboard's server without a browser: read-only, its own host only, escaped, a late viewer sees the latest state. */
const report = fixtureReport({ defects: true });
let dashboard: Dashboard;
let url: URL;

function get(path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
        // an event stream never ends: the first update is enough
        if (path === '/events' && body.includes('event: update')) res.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dashboard = new Dashboard({ host: '127.0.0.1', port: 0 }, report);
  url = new URL(await dashboard.listen());
});
afterAll(() => dashboard.close());

describe('the dashboard server', () => {
  it('listens on loopback and serves the page with the live script, the target text escaped', async () => {
    expect(url.hostname).toBe('127.0.0.1');
    dashboard.judged(report, liveCriteria(report.criteria, false), false);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain("connect-src 'self'");
    expect(page.body).toContain('new EventSource');
    expect(page.body).not.toContain(NASTY.slice(0, 30));
    expect(page.body).not.toContain('<script>window.pwned');
    expect(page.body).toContain('id="live-status"');
  });

  it('is read-only and answers only to its own host name', async () => {
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/', { method: 'DELETE' })).status).toBe(405);
    expect((await get('/', { host: `evil.example:${url.port}` })).status).toBe(421);
    expect((await get('/', { host: `localhost:${url.port}` })).status).toBe(200);
    expect((await get('/report.html')).status).toBe(404);
    expect((await get('/../etc/passwd')).status).toBe(404);
  });

  it('gives a viewer that comes late the latest update at once, escaped JSON of escaped markup', async () => {
    const events = await get('/events');
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toBe('text/event-stream');
    const data = events.body.split('\n').find((l) => l.startsWith('data: ') && l.includes('sections'))!;
    const update = JSON.parse(data.slice(6)) as { sections: Record<string, string>; charts: { id: string }[] };
    expect(Object.keys(update.sections)).toEqual(['verdict', 'run', 'criteria', 'advisories', 'metrics', 'violations']);
    expect(update.sections.violations).not.toContain('<script>');
    expect(update.sections.criteria).toContain('status-pending');
    expect(update.charts.map((c) => c.id)).toContain('latency');
  });

  it('sends a viewer each new second as the time charts\' new points, from the seconds kept; nothing drawn without a viewer', async () => {
    const labels = { run_id: report.runId, scenario: 'flags', shard: '1/1', target: report.target.url };
    const last = report.snapshot.series[report.snapshot.series.length - 1];
    const kept = [...report.snapshot.series];
    const frame = { type: 'second', phase: 'steady', elapsedMs: 5000, totalMs: 10_000, open: 77, planned: 80, messagesPerSec: 10, failing: [], points: [{ t: last.t + 1 }] } as unknown as LiveFrame;
    let asked = 0;
    const seconds = { series: () => ((asked += 1), kept) };
    // a dashboard of its own: the other tests' viewers may still be closing
    const dashboard = new Dashboard({ host: '127.0.0.1', port: 0 }, report);
    const url = new URL(await dashboard.listen());
    dashboard.judged(report, liveCriteria(report.criteria, false), false);
    // nobody watching: the seconds are not even read
    dashboard.second(frame, labels, seconds);
    expect(asked).toBe(0);

    const events = await new Promise<string>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/events' }, (res) => {
        let body = '';
        let sent = false;
        res.on('data', (d: Buffer) => {
          body += d.toString();
          // the late viewer's first update is in: the next second is the one under test
          if (!sent && body.includes('event: update')) {
            sent = true;
            body = '';
            dashboard.second({ ...frame, points: [] }, labels, seconds);
            kept.push({ ...last, t: last.t + 1, open: 77 });
            dashboard.second(frame, labels, seconds);
          }
          if (sent && body.split('event: ').length > 2 && body.endsWith('\n\n')) res.destroy();
        });
        res.on('close', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
    const [quiet, drawn] = events.split('event: ').filter(Boolean);
    // a frame with no new second only moves the status
    expect(quiet).toMatch(/^second\n/);
    expect(drawn).toMatch(/^append\n/);
    const update = JSON.parse(drawn.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { charts: { id: string; x: number[]; series: { values: unknown[] }[] }[]; keep: number; sections?: unknown; status: string };
    // read once for the viewer's whole charts, once for the new second
    expect(asked).toBe(2);
    expect(update.sections).toBeUndefined();
    expect(update.keep).toBe(CHART_SECONDS);
    expect(update.status).toMatch(/77\/80 clients/);
    // only the new second: the viewer has the rest
    const clients = update.charts.find((c) => c.id === 'clients')!;
    expect(clients.x).toEqual([last.t + 1]);
    expect(clients.series[0].values).toEqual([77]);
    expect(update.charts.map((c) => c.id)).not.toContain('distribution');
    await dashboard.close();
  });
});
