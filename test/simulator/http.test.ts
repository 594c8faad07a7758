import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { aurigraphV11 } from '../helpers/profiles.js';
import { withSimulator } from './probe.js';

/** Snapshot, health, metrics and the admin API, on the stream's own port. */

const ajv = new Ajv({ strict: false });

/** One sample of a Prometheus text exposition, e.g. metric('x_total', '{type="a"}'). */
function metric(text: string, name: string, labels = ''): number | undefined {
  const escaped = `${name}${labels}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

describe.concurrent('REST routes', () => {
  test('snapshot: the latest payload of every channel by name, plus a timestamp; readable cross-origin', async () => {
    await withSimulator({}, async (sim, open) => {
      const res = await fetch(`${sim.httpUrl}${aurigraphV11.fallbackPath}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual([...aurigraphV11.channels.map((c) => c.channel), 'timestamp'].sort());
      expect(Math.abs((body.timestamp as number) - Date.now())).toBeLessThan(1000);
      for (const c of aurigraphV11.channels) {
        const validate = ajv.compile(c.payloadSchema);
        expect(validate(body[c.channel]), c.channel).toBe(true);
      }
      // after a tick, the snapshot holds what was just broadcast
      const p = await open();
      const [tick] = await p.collect('tps_update', 1, 2000);
      const again = (await (await fetch(`${sim.httpUrl}${aurigraphV11.fallbackPath}`)).json()) as Record<string, unknown>;
      if (Date.now() - tick.msg!.timestamp < 900) expect(again.tps_updates).toEqual(tick.msg!.payload);
    });
  });

  test('health follows Quarkus: UP and 200; any check DOWN (socket-down, rest-down) makes it DOWN and 503', async () => {
    await withSimulator({}, async (sim) => {
      const health = async () => {
        const res = await fetch(`${sim.httpUrl}/q/health`);
        return { status: res.status, body: (await res.json()) as { status: string; checks: { name: string; status: string }[] } };
      };
      const statuses = (b: { checks: { name: string; status: string }[] }) => Object.fromEntries(b.checks.map((c) => [c.name, c.status]));
      const up = await health();
      expect(up.status).toBe(200);
      expect(up.body.status).toBe('UP');
      expect(statuses(up.body)).toEqual({ 'live-stream': 'UP', 'live-snapshot': 'UP' });
      await sim.setFaults(['socket-down']);
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('DOWN');
      expect(statuses(down.body)).toEqual({ 'live-stream': 'DOWN', 'live-snapshot': 'UP' });
      await sim.setFaults(['rest-down']);
      const restDown = await health();
      expect(restDown.status).toBe(503);
      expect(statuses(restDown.body)).toEqual({ 'live-stream': 'UP', 'live-snapshot': 'DOWN' });
      // a stale snapshot does not know it is stale
      await sim.setFaults(['rest-stale']);
      expect((await health()).status).toBe(200);
    });
  });

  test('metrics: Prometheus text with connections, messages and bytes by type, slow consumers, send lag, process CPU and RSS', async () => {
    await withSimulator({}, async (sim, open) => {
      const a = await open();
      const b = await open();
      await Promise.all([a.collect('tps_update', 1, 2000), b.collect('tps_update', 1, 2000)]);
      a.send({ type: 'ping' });
      await a.collect('pong', 1, 3000);
      const res = await fetch(`${sim.httpUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(metric(text, 'livestream_sim_connections')).toBe(2);
      expect(metric(text, 'livestream_sim_connections_total')).toBe(2);
      expect(metric(text, 'livestream_sim_messages_sent_total', '{type="connection_established"}')).toBe(2);
      expect(metric(text, 'livestream_sim_messages_sent_total', '{type="pong"}')).toBe(1);
      expect(metric(text, 'livestream_sim_messages_sent_total', '{type="tps_update"}')).toBeGreaterThanOrEqual(2);
      const tpsBytes = metric(text, 'livestream_sim_bytes_sent_total', '{type="tps_update"}')!;
      expect(tpsBytes / metric(text, 'livestream_sim_messages_sent_total', '{type="tps_update"}')!).toBeGreaterThan(80);
      expect(metric(text, 'livestream_sim_slow_consumers_dropped_total')).toBe(0);
      expect(metric(text, 'livestream_sim_tick_send_lag_seconds_count')).toBeGreaterThanOrEqual(1);
      const lagCount = metric(text, 'livestream_sim_tick_send_lag_seconds_count');
      expect(metric(text, 'livestream_sim_tick_send_lag_seconds_bucket', '{le="+Inf"}')).toBe(lagCount);
      expect(metric(text, 'livestream_sim_tick_send_lag_seconds_sum')).toBeGreaterThanOrEqual(0);
      expect(metric(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
      expect(metric(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
      // the same figures through stats()
      const stats = sim.stats();
      expect(stats.connections).toBe(2);
      expect(stats.messagesSent.connection_established).toBe(2);
      expect(stats.sendLagMs.count).toBeGreaterThanOrEqual(1);
      expect(stats.sendLagMs.max).toBeGreaterThanOrEqual(stats.sendLagMs.p50);
    });
  });

  test('two simulators in one process keep separate series', async () => {
    await withSimulator({}, async (a, openA) => {
      await withSimulator({}, async (b) => {
        await openA();
        await openA();
        const [ta, tb] = await Promise.all([a, b].map(async (s) => (await fetch(`${s.httpUrl}/metrics`)).text()));
        expect(metric(ta, 'livestream_sim_connections')).toBe(2);
        expect(metric(tb, 'livestream_sim_connections')).toBe(0);
      });
    });
  });

  test('admin API: 401 without the token; GET, PUT, POST, DELETE faults; 400 on a bad spec', async () => {
    await withSimulator({ adminToken: 's3cret', faults: ['drop=1%'] }, async (sim) => {
      const url = `${sim.httpUrl}/admin/faults`;
      const auth = { authorization: 'Bearer s3cret', 'content-type': 'application/json' };
      expect(sim.adminToken).toBe('s3cret');
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(url, { method: 'PUT', body: '["legacy"]' })).status).toBe(401);
      expect(sim.faults()).toEqual(['drop=1%']);

      expect(await (await fetch(url, { headers: auth })).json()).toEqual({ faults: ['drop=1%'] });
      const put = await fetch(url, { method: 'PUT', headers: auth, body: JSON.stringify({ faults: ['latency=300ms', 'stall=block_updates'] }) });
      expect(put.status).toBe(200);
      expect(await put.json()).toEqual({ faults: ['latency=300ms', 'stall=block_updates'] });
      const post = await fetch(url, { method: 'POST', headers: auth, body: JSON.stringify(['duplicate=5%', 'latency=100ms']) });
      expect(await post.json()).toEqual({ faults: ['latency=100ms', 'stall=block_updates', 'duplicate=5%'] });

      const bad = await fetch(url, { method: 'PUT', headers: auth, body: JSON.stringify(['drop=lots']) });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'LSB_USAGE', error: expect.stringContaining('drop=lots') });
      expect((await fetch(url, { method: 'PUT', headers: auth, body: 'nope' })).status).toBe(400);
      expect(sim.faults()).toEqual(['latency=100ms', 'stall=block_updates', 'duplicate=5%']);

      const del = await fetch(url, { method: 'DELETE', headers: auth });
      expect(await del.json()).toEqual({ faults: [] });
      expect(sim.faults()).toEqual([]);

      const stats = await fetch(`${sim.httpUrl}/admin/stats`, { headers: auth });
      expect(await stats.json()).toMatchObject({ connections: 0, faults: [] });
    });
  });

  test('a generated admin token is long and random', async () => {
    await withSimulator({}, async (a) => {
      await withSimulator({}, async (b) => {
        expect(a.adminToken.length).toBeGreaterThanOrEqual(20);
        expect(a.adminToken).not.toBe(b.adminToken);
      });
    });
  });

  test('unknown routes 404, writes to read-only routes 405', async () => {
    await withSimulator({}, async (sim) => {
      expect((await fetch(`${sim.httpUrl}/nothing`)).status).toBe(404);
      expect((await fetch(`${sim.httpUrl}/metrics`, { method: 'POST' })).status).toBe(405);
    });
  });
});
