import { createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { startRun } from '../../src/engine/run.js';
import { defaultSettings, type RunSettings } from '../../src/scenario/settings.js';
import { buildReport, type Report } from '../../src/verdict/report.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { failing } from '../helpers/run.js';

/**
 * Targets that misbehave in ways no simulator fault covers: the run still
 * ends on time with a report, and the right criterion fails.
 */
const PATH = aurigraphV11.path;

function welcome(ws: WebSocket): void {
  ws.send(JSON.stringify({ type: 'connection_established', payload: { connectionId: '123e4567-e89b-12d3-a456-426614174000', timestamp: Date.now() }, timestamp: Date.now() }));
}

function tps(): string {
  return JSON.stringify({ type: 'tps_update', payload: { currentTPS: 800_000, peakTPS: 810_000, averageTPS: 790_000, latency: 50 }, timestamp: Date.now() });
}

async function wsTarget(onConnection: (ws: WebSocket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: PATH });
  wss.on('connection', onConnection);
  await new Promise((r) => wss.once('listening', r));
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}${PATH}`,
    close: () =>
      new Promise((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

async function timedRun(url: string, s: Partial<RunSettings> = {}): Promise<{ report: Report; wallMs: number }> {
  const started = Date.now();
  const settings = defaultSettings({ target: url, clients: 10, rampMs: 0, durationMs: 3000, chaos: undefined, probes: false, channels: ['tps_updates'], connectTimeoutMs: 1500, closeTimeoutMs: 1000, ...s });
  const report = buildReport(await startRun(settings).result);
  return { report, wallMs: Date.now() - started };
}

describe.concurrent('hostile or broken targets', () => {
  it('a frame over the cap is a violation, the socket is closed by the harness, not counted as a target disconnect', async () => {
    const t = await wsTarget((ws) => {
      welcome(ws);
      const timer = setInterval(() => ws.send(tps()), 1000);
      setTimeout(() => ws.send(JSON.stringify({ type: 'tps_update', payload: { pad: 'x'.repeat(64 * 1024) }, timestamp: Date.now() })), 500);
      ws.on('close', () => clearInterval(timer));
    });
    try {
      const { report } = await timedRun(t.url, { maxFrameBytes: 16 * 1024 });
      expect(report.metrics.violations.oversized_frame).toBeGreaterThan(0);
      expect(failing(report)).toContain('message_types');
      expect(report.metrics.disconnects.unintended).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('binary frames are violations', async () => {
    const t = await wsTarget((ws) => {
      welcome(ws);
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
    });
    try {
      const { report } = await timedRun(t.url);
      expect(report.metrics.violations.binary_frame).toBe(10);
      expect(failing(report)).toContain('message_types');
    } finally {
      await t.close();
    }
  });

  it('text frames that are not UTF-8 are violations, each one, and the connection stays', async () => {
    const t = await wsTarget((ws) => {
      welcome(ws);
      // ws does not check what it sends: a lone continuation byte in a text frame
      ws.send(Buffer.from('{"type":"tps_update","x":"\x80"}', 'latin1'), { binary: false });
      ws.send(Buffer.from('{"type":"tps_update","x":"\x80"}', 'latin1'), { binary: false });
    });
    try {
      const { report } = await timedRun(t.url);
      expect(report.metrics.violations.invalid_utf8).toBe(20);
      expect(report.metrics.violations.invalid_json ?? 0).toBe(0);
      expect(report.metrics.disconnects.unintended).toBe(0);
      expect(failing(report)).toContain('message_types');
    } finally {
      await t.close();
    }
  });

  it('a flood far above the cadence ends on time and fails cadence', async () => {
    const t = await wsTarget((ws) => {
      welcome(ws);
      let n = 0;
      const flood = () => {
        if (ws.readyState !== ws.OPEN) return;
        // distinct timestamps, so these are not duplicates but a stream 1000x too fast
        for (let i = 0; i < 50; i += 1) ws.send(JSON.stringify({ type: 'tps_update', payload: { currentTPS: 800_000, peakTPS: 810_000, averageTPS: 790_000, latency: 50 }, timestamp: Date.now() * 1000 + n++ }));
        setImmediate(flood);
      };
      flood();
    });
    try {
      const { report, wallMs } = await timedRun(t.url, { clients: 3, minClients: 1 });
      expect(wallMs).toBeLessThan(3000 + 1000 + 6000);
      expect(report.metrics.frames).toBeGreaterThan(10_000);
      expect(failing(report)).toContain('cadence');
    } finally {
      await t.close();
    }
  });

  it('a handshake that never completes: connect fails on the timeout, the run ends on time', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((s) => sockets.push(s)); // accepts TCP, never answers HTTP
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const { report, wallMs } = await timedRun(`ws://127.0.0.1:${port}${PATH}`);
      expect(report.criteria.find((c) => c.id === 'connect')?.status).toBe('fail');
      expect(report.metrics.connectErrors.timeout).toBeGreaterThan(0);
      expect(wallMs).toBeLessThan(3000 + 1000 + 8000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it('a server that never answers the close and a half-open connection: the run still ends on time', async () => {
    const t = await wsTarget((ws) => {
      welcome(ws);
      ws.send(tps());
      // then silence: no more data, and the close handshake is never answered
      (ws as unknown as { _socket: Socket })._socket.pause();
    });
    try {
      const { report, wallMs } = await timedRun(t.url, { durationMs: 5000 });
      expect(wallMs).toBeLessThan(5000 + 1000 + 1000 + 5000);
      expect(report.metrics.channels.find((c) => c.channel === 'tps_updates')!.lost).toBeGreaterThan(0);
      expect(failing(report)).toEqual(expect.arrayContaining(['cadence', 'data_loss']));
    } finally {
      await t.close();
    }
  });
});
