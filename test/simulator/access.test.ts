import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { aurigraphV11 } from '../helpers/profiles.js';
import { startSimulator } from '../../src/simulator/index.js';
import { makeCert, type Cert } from './cert.js';
import { Probe, upgradeStatus, withSimulator } from './probe.js';

/** How clients reach the simulator: TLS, a stream token, several addresses. */

let cert: Cert;
beforeAll(() => {
  cert = makeCert();
});
afterAll(() => cert?.remove());

/** GET over https trusting only `ca`; resolves with status and body. */
function httpsText(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** The error a ws client gets before any upgrade. */
function connectError(url: string, options?: WebSocket.ClientOptions): Promise<Error> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('connected'));
    });
    ws.once('error', resolve);
  });
}

describe.concurrent('access', () => {
  test('tls: wss:// and https:// on one port; a client trusting the certificate streams, others are refused', async () => {
    await withSimulator({ tls: { cert: cert.cert, key: cert.key } }, async (sim) => {
      expect(sim.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/api\/v11\/live\/stream$/);
      expect(sim.httpUrl).toBe(`https://127.0.0.1:${sim.port}`);
      const p = await Probe.open(sim.url, { ca: cert.cert });
      const [tick] = await p.collect('tps_update', 1, 2500);
      expect(p.received[0].msg?.type).toBe('connection_established');
      expect(tick.msg!.payload.currentTPS).toEqual(expect.any(Number));
      // the same certificate, by name
      const byName = await Probe.open(sim.url.replace('127.0.0.1', 'localhost'), { ca: cert.cert });
      await byName.collect('connection_established', 1, 2000);
      byName.close();

      const snap = await httpsText(`${sim.httpUrl}${aurigraphV11.fallbackPath}`, cert.cert);
      expect(snap.status).toBe(200);
      expect(Object.keys(JSON.parse(snap.body))).toContain('tps_updates');

      // without the CA: the client rejects the self-signed certificate
      expect(((await connectError(sim.url)) as NodeJS.ErrnoException).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      // plain ws:// to a TLS port: no upgrade, and the server carries on
      await connectError(sim.url.replace('wss://', 'ws://'));
      const before = p.ofType('tps_update').length;
      await p.until(() => p.ofType('tps_update').length > before, 2000, 'one more tick');
      p.close();
    });
  });

  test('token: the upgrade and the snapshot need it (header or ?token=), health and metrics stay open, admin keeps its own', async () => {
    await withSimulator({ token: 'str3am', adminToken: 'adm1n' }, async (sim) => {
      const snapshot = `${sim.httpUrl}${aurigraphV11.fallbackPath}`;
      expect(await upgradeStatus(sim.url)).toBe(401);
      expect(await upgradeStatus(`${sim.url}?token=wrong`)).toBe(401);
      expect(await upgradeStatus(`${sim.url}?token=str3am`)).toBe(101);
      const withHeader = await Probe.open(sim.url, { headers: { authorization: 'Bearer str3am' } });
      await withHeader.collect('connection_established', 1, 2000);
      withHeader.close();
      const wrongHeader = await connectError(sim.url, { headers: { authorization: 'Bearer nope' } });
      expect(wrongHeader.message).toMatch(/401/);
      expect(sim.stats().refusedUpgrades).toEqual({ token: 3 });

      const denied = await fetch(snapshot);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toBe('Bearer');
      expect((await fetch(snapshot, { headers: { authorization: 'Bearer str3am' } })).status).toBe(200);
      expect((await fetch(`${snapshot}?token=str3am`)).status).toBe(200);
      expect((await fetch(`${sim.httpUrl}/q/health`)).status).toBe(200);
      expect((await fetch(`${sim.httpUrl}/metrics`)).status).toBe(200);
      // the stream token is not the admin token
      const admin = `${sim.httpUrl}/admin/faults`;
      expect((await fetch(admin, { headers: { authorization: 'Bearer str3am' } })).status).toBe(401);
      expect((await fetch(admin, { headers: { authorization: 'Bearer adm1n' } })).status).toBe(200);
    });
  });

  test('several addresses: one listener each on one port; every URL streams', async () => {
    const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
    await withSimulator({ host: hosts }, async (sim) => {
      expect(sim.hosts).toEqual(hosts);
      expect(sim.urls).toEqual(hosts.map((h) => `ws://${h}:${sim.port}/api/v11/live/stream`));
      expect(sim.url).toBe(sim.urls[0]);
      expect(sim.httpUrls).toEqual(hosts.map((h) => `http://${h}:${sim.port}`));
      const probes = await Promise.all(sim.urls.map((u) => Probe.open(u)));
      await Promise.all(probes.map((p) => p.collect('tps_update', 2, 3500)));
      // the same tick, the same bytes, whichever address
      const stamps = probes.map((p) => new Set(p.ofType('tps_update').map((r) => r.msg!.timestamp)));
      const common = [...stamps[0]].find((t) => stamps.every((s) => s.has(t)));
      expect(common).toBeDefined();
      const same = probes.map((p) => p.ofType('tps_update').find((r) => r.msg!.timestamp === common)!.raw);
      expect(new Set(same).size).toBe(1);
      expect(sim.stats().connections).toBe(3);
      for (const p of probes) p.close();
    });
  });

  test('loopback by default; a port taken on one of the addresses is named in the error', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      expect(sim.hosts).toEqual(['127.0.0.1']);
    } finally {
      await sim.close();
    }
    // someone else holds 127.0.0.2:<port>
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.2', resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      await expect(startSimulator({ host: '127.0.0.1,127.0.0.2', port })).rejects.toMatchObject({
        code: 'LSB_HARNESS',
        message: expect.stringContaining(`127.0.0.2:${port}: EADDRINUSE`),
      });
      // and nothing is left listening on the first address
      const again = await startSimulator({ host: '127.0.0.1', port });
      await again.close();
    } finally {
      squatter.close();
    }
  });

  test('bad access options are usage errors', async () => {
    await expect(startSimulator({ port: 0, tls: { cert: 'nope', key: 'nope' } })).rejects.toMatchObject({ code: 'LSB_USAGE' });
    await expect(startSimulator({ port: 0, token: ' ' })).rejects.toMatchObject({ code: 'LSB_USAGE' });
    await expect(startSimulator({ port: 0, host: [] })).rejects.toMatchObject({ code: 'LSB_USAGE' });
    await expect(startSimulator({ port: 0, workers: 0 })).rejects.toMatchObject({ code: 'LSB_USAGE' });
  });

  test('a host that does not resolve, or is not an address of this machine, is a usage error naming it', async () => {
    await expect(startSimulator({ port: 0, host: 'no-such-host.invalid' })).rejects.toMatchObject({
      code: 'LSB_USAGE',
      message: expect.stringContaining('cannot listen on no-such-host.invalid:0: ENOTFOUND'),
    });
    // TEST-NET-1 (RFC 5737), never a local address; a later address of the list counts as the first would
    await expect(startSimulator({ port: 0, host: '127.0.0.1,192.0.2.1' })).rejects.toMatchObject({
      code: 'LSB_USAGE',
      message: expect.stringContaining('cannot listen on 192.0.2.1:'),
    });
  });
});
