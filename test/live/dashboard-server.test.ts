import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dashboard } from '../../src/live/dashboard.js';
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
});
