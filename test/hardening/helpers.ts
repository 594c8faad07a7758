import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { WebSocketServer } from 'ws';
import { aurigraphV11 } from '../helpers/profiles.js';
import type { CliResult } from '../helpers/cli.js';

/**
 * Shared pieces of the hardening tests: the short run every target test
 * uses, what "one clear line, no stack trace" means, and small loopback
 * servers that fail the upgrade in one particular way each.
 */
export const PATH = aurigraphV11.path;

/** A run as short as a judged run can be: 2 clients, 1 s steady, one quick retry. */
export const SHORT = ['--clients', '2', '--min-clients', '1', '--duration', '1s', '--ramp', '0', '--no-probes', '--chaos', 'off', '--connect-timeout', '1s', '--reconnect', '100ms,x1,100ms,1'];

export const tmpOut = (): string => mkdtempSync(join(tmpdir(), 'lsb-hard-'));

/** No stack trace anywhere: Node prints its frames as "\n    at fn (file:line)". */
export function expectNoStack(r: CliResult): void {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toContain('internal error');
}

/** Non-empty lines of a stream. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

export interface ReportJson {
  verdict: string;
  interrupted?: boolean;
  criteria: { id: string; status: string; detail?: string }[];
  metrics: { connectErrors: Record<string, number>; clients: { connectedFirstTry: number; planned: number } };
}

export function readReport(dir: string): ReportJson {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson;
}

export const statusOf = (report: ReportJson, id: string): string | undefined => report.criteria.find((c) => c.id === id)?.status;

/** Report files are renamed into place: no `*.tmp` may ever be left behind. */
export function expectNoTmp(dir: string): void {
  if (!existsSync(dir)) return;
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

export interface Target {
  url: string;
  close(): Promise<void>;
}

function closer(server: HttpServer | TcpServer, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: HttpServer | TcpServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

async function listen(server: HttpServer | TcpServer): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

/** A WebSocket endpoint that answers every upgrade with this HTTP status. */
export async function rejectingTarget(status: number): Promise<Target> {
  const server = createHttpServer();
  const sockets = track(server);
  const wss = new WebSocketServer({ server, verifyClient: (_info: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) => done(false, status) });
  const port = await listen(server);
  return { url: `ws://127.0.0.1:${port}${PATH}`, close: async () => (wss.close(), closer(server, sockets)()) };
}

/** An HTTP server that is no WebSocket endpoint: it answers the upgrade request with a plain response. */
export async function plainHttpTarget(status: number): Promise<Target> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(status, { location: '/elsewhere', 'content-type': 'text/html' });
    res.end('<html>not a stream</html>');
  });
  const sockets = track(server);
  const port = await listen(server);
  return { url: `ws://127.0.0.1:${port}${PATH}`, close: closer(server, sockets) };
}

/** Accepts TCP and then never says a word: the upgrade times out. */
export async function silentTarget(): Promise<Target> {
  const server = createTcpServer(() => undefined);
  const sockets = track(server);
  const port = await listen(server);
  return { url: `ws://127.0.0.1:${port}${PATH}`, close: closer(server, sockets) };
}

/** A TCP server of another protocol: it greets every connection with a banner (as SSH or SMTP do), never HTTP. */
export async function bannerTarget(): Promise<Target> {
  const server = createTcpServer((s) => {
    s.on('error', () => undefined);
    s.write('SSH-2.0-OpenSSH_9.6\r\n');
  });
  const sockets = track(server);
  const port = await listen(server);
  return { url: `ws://127.0.0.1:${port}${PATH}`, close: closer(server, sockets) };
}

/** Accepts TCP and resets it at once. */
export async function resettingTarget(): Promise<Target> {
  const server = createTcpServer((s) => s.resetAndDestroy());
  const sockets = track(server);
  const port = await listen(server);
  return { url: `ws://127.0.0.1:${port}${PATH}`, close: closer(server, sockets) };
}

/** A plain ws:// WebSocket server (accepts the upgrade, sends nothing). */
export async function plainWsTarget(): Promise<Target> {
  const server = createHttpServer();
  const sockets = track(server);
  const wss = new WebSocketServer({ server });
  const port = await listen(server);
  return { url: `ws://127.0.0.1:${port}${PATH}`, close: async () => (wss.close(), closer(server, sockets)()) };
}

/** A wss:// WebSocket server with this certificate and key (accepts the upgrade, sends nothing). */
export async function tlsWsTarget(cert: string, key: string, host = '127.0.0.1'): Promise<Target> {
  const server = createHttpsServer({ cert, key });
  const sockets = track(server);
  const wss = new WebSocketServer({ server });
  const port = await listen(server);
  return { url: `wss://${host}:${port}${PATH}`, close: async () => (wss.close(), closer(server, sockets)()) };
}

/** A port nothing listens on: bound once, then closed. */
export async function refusedUrl(): Promise<string> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  return `ws://127.0.0.1:${port}${PATH}`;
}
