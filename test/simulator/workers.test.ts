import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { aurigraphV11 } from '../helpers/profiles.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { BACKLOG } from '../../src/simulator/listeners.js';
import { Probe, upgradeStatus, until } from './probe.js';
import { isAlive, serve } from './serve-child.js';

/**
 * A simulator over several processes: the workers share the listening
 * sockets and accept from them, every worker sends the same bytes for the same tick, and
 * stats, /metrics and faults cover all of them. Forks the built worker
 * (dist/), so `pretest` must have built it.
 */

const channels = aurigraphV11.channels.map((c) => c.channel);

function metric(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}


/**
 * Opens probes until both workers hold at least one. Which worker takes a
 * connection is the kernel's choice (any idle one), so a few may land on
 * the same one first; 40 on one worker alone would mean sharing is broken.
 */
const workerOf = (p: Probe): string => String(p.upgradeHeaders['x-simulator-worker']);

async function probesOnBoth(url: string, atLeast: number): Promise<{ probes: Probe[]; byWorker: Map<string, Probe> }> {
  const probes: Probe[] = [];
  const byWorker = new Map<string, Probe>();
  while (probes.length < atLeast || (byWorker.size < 2 && probes.length < 40)) {
    const p = await Probe.open(url);
    probes.push(p);
    byWorker.set(workerOf(p), p);
  }
  return { probes, byWorker };
}

async function withCluster(body: (sim: RunningSimulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ port: 0, workers: 2, seed: 11, adminToken: 'adm' });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

describe('simulator workers', () => {
  test('clients on different worker processes get byte-identical frames for the same tick; stats and /metrics cover both', async () => {
    await withCluster(async (sim) => {
      expect(sim.workers).toBe(2);
      expect(sim.pids).toHaveLength(2);
      const { probes, byWorker } = await probesOnBoth(sim.url, 4);
      const n = probes.length;
      // both workers took connections from the shared sockets
      expect([...byWorker.keys()].sort()).toEqual(['1', '2']);
      const [a, b] = [byWorker.get('1')!, byWorker.get('2')!];
      for (const p of [a, b]) p.subscribe(...channels.slice(1));
      await Promise.all([a, b].map((p) => p.collect('tps_update', 3, 4500)));
      await Promise.all([a, b].map((p) => p.collect('block_update', 1, 3000)));

      for (const type of ['tps_update', 'block_update']) {
        const fromA = new Map(a.ofType(type).map((r) => [r.msg!.timestamp, r.raw]));
        const shared = b.ofType(type).filter((r) => fromA.has(r.msg!.timestamp));
        expect(shared.length, type).toBeGreaterThanOrEqual(1);
        for (const r of shared) expect(r.raw, type).toBe(fromA.get(r.msg!.timestamp));
      }

      // stats: pushed by each worker, merged here
      await until(() => sim.stats().connections === n, 3000, 'stats of both workers');
      const stats = sim.stats();
      const perWorker = probes.reduce((m, p) => m.set(workerOf(p), (m.get(workerOf(p)) ?? 0) + 1), new Map<string, number>());
      expect(stats.workers?.map((w) => [w.index, w.alive, w.connections])).toEqual([[1, true, perWorker.get('1')], [2, true, perWorker.get('2')]]);
      expect(stats.connectionsTotal).toBe(n);
      expect(stats.messagesSent.connection_established).toBe(n);
      // a tick is counted once, not once per worker
      expect(stats.ticksByType.tps_update).toBeLessThanOrEqual(8);

      const text = await (await fetch(`${sim.httpUrl}/metrics`)).text();
      expect(metric(text, 'livestream_sim_connections')).toBe(n);
      expect(metric(text, 'livestream_sim_messages_sent_total\\{type="connection_established"\\}')).toBe(n);
      // the RSS of three processes (the primary and two workers)
      expect(metric(text, 'process_resident_memory_bytes')).toBeGreaterThan(3 * 20 * 1024 * 1024);
      const viaAdmin = (await (await fetch(`${sim.httpUrl}/admin/stats`, { headers: { authorization: 'Bearer adm' } })).json()) as { connections: number; workers: unknown[] };
      expect(viaAdmin.connections).toBe(n);
      expect(viaAdmin.workers).toHaveLength(2);
      for (const p of probes) p.close();
    });
  });

  test('the shared listening sockets keep their full backlog in the workers (Node re-listens them at 511)', async () => {
    const sim = await startSimulator({ port: 0, workers: 2, host: '127.0.0.1,127.0.0.2' });
    try {
      const port = new URL(sim.url).port;
      // ss prints a listener's backlog in Send-Q: State Recv-Q Send-Q Local Peer
      const rows = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).trim().split('\n');
      expect(rows.map((r) => r.trim().split(/\s+/)[2])).toEqual([String(BACKLOG), String(BACKLOG)]);
    } finally {
      await sim.close();
    }
  });

  test('a fault set through any worker\'s admin API applies in every worker; a bad one in none', async () => {
    await withCluster(async (sim) => {
      const { probes, byWorker } = await probesOnBoth(sim.url, 2);
      expect(byWorker.size).toBe(2);
      const admin = `${sim.httpUrl}/admin/faults`;
      const auth = { authorization: 'Bearer adm' };
      const bad = await fetch(admin, { method: 'PUT', headers: auth, body: '["socket-down","drop=x"]' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'LSB_USAGE' });
      expect(sim.faults()).toEqual([]);

      const put = await fetch(admin, { method: 'PUT', headers: auth, body: '["socket-down"]' });
      expect(await put.json()).toEqual({ faults: ['socket-down'] });
      const closes = await Promise.all(probes.map((p) => p.closed));
      expect(closes.map((c) => c.code)).toEqual(probes.map(() => 1001));
      // either worker refuses now
      expect([await upgradeStatus(sim.url), await upgradeStatus(sim.url)]).toEqual([503, 503]);
      await sim.setFaults([]);
      expect(await upgradeStatus(sim.url)).toBe(101);
    });
  });

  test('serve --workers 2: prints the URL and the worker pids; SIGTERM closes every client with 1001 and ends every process', async () => {
    const s = serve(['--port', '0', '--workers', '2', '--host', '127.0.0.1,127.0.0.2']);
    const [, streams] = await s.lines(2);
    const url = await s.url();
    expect(streams).toBe(`  streams ${url} ${url.replace('127.0.0.1', '127.0.0.2')}`);
    await until(() => /^workers: 2 \(pids \d+ \d+\)$/m.test(s.stderr()), 3000, 'the worker pids on stderr');
    const pids = /pids (\d+) (\d+)/.exec(s.stderr())!.slice(1).map(Number);
    const probes = await Promise.all([url, url.replace('127.0.0.1', '127.0.0.2')].map((u) => Probe.open(u)));
    await Promise.all(probes.map((p) => p.collect('connection_established', 1, 2000)));
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect((await Promise.all(probes.map((p) => p.closed))).map((c) => c.code)).toEqual([1001, 1001]);
    await until(() => pids.every((pid) => !isAlive(pid)), 3000, 'the workers to end');
  });
});
