import { randomBytes, randomInt } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

/**
 * What the fuzz test throws at a simulator: each attack opens its own
 * connection, does one hostile thing and ends, counting what it sent.
 * Nothing waits longer than ATTACK_TIMEOUT_MS, so a lane never stalls.
 */

export interface FuzzCounts {
  /** TCP connections the attackers opened (every attack opens one). */
  connections: number;
  /** WebSocket frames sent: random JSON, malformed, oversized. */
  frames: number;
  /** Of those, frames that break the protocol or the size cap. */
  badFrames: number;
  /** Raw bytes written outside any valid frame (garbage before or after an upgrade). */
  garbageBytes: number;
  /** Upgrades that completed (101). */
  upgraded: number;
}

export function emptyCounts(): FuzzCounts {
  return { connections: 0, frames: 0, badFrames: 0, garbageBytes: 0, upgraded: 0 };
}

const ATTACK_TIMEOUT_MS = 2000;

/** A masked client frame (RFC 6455 5.2), with knobs to break it. */
export function clientFrame(
  opcode: number,
  payload: Buffer,
  o: { fin?: boolean; rsv?: number; mask?: boolean; declaredLength?: number } = {},
): Buffer {
  const fin = o.fin ?? true;
  const mask = o.mask ?? true;
  const length = o.declaredLength ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (opcode & 0x0f)];
  const m = mask ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (length < 126) head.push(m | length);
  else if (length < 65536) {
    head.push(m | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push(m | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  }
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const body = Buffer.from(payload);
  if (mask) for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

/** Random JSON: sometimes a real control message, mostly junk of every shape. */
export function randomJson(depth = 0): unknown {
  const channels = ['tps_updates', 'block_updates', 'network_status', 'validator_metrics', 'nope', '', '\u0000'];
  switch (randomInt(depth > 2 ? 6 : 9)) {
    case 0:
      return randomInt(-1e9, 1e9) / (randomInt(1, 7) === 1 ? 7 : 1);
    case 1:
      return randomBytes(randomInt(0, 40)).toString('latin1');
    case 2:
      return [true, false, null][randomInt(3)];
    case 3:
      return { type: ['subscribe', 'unsubscribe', 'ping'][randomInt(3)], channel: channels[randomInt(channels.length)] };
    case 4:
      return { type: randomBytes(4).toString('hex') };
    case 5:
      return 'x'.repeat(randomInt(0, 8000));
    case 6:
      return Array.from({ length: randomInt(0, 8) }, () => randomJson(depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = randomInt(0, 6); i > 0; i--) out[randomBytes(3).toString('base64')] = randomJson(depth + 1);
      if (randomInt(2)) out.type = ['subscribe', 'unsubscribe', 'ping', 42, null][randomInt(5)];
      return out;
    }
  }
}

/** Frames that break the protocol, each a different way. */
function malformedFrame(): Buffer {
  const junk = randomBytes(randomInt(1, 64));
  switch (randomInt(12)) {
    case 0:
      return clientFrame([3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf][randomInt(10)], junk); // reserved opcode
    case 1:
      return clientFrame(0x1, Buffer.from('{"type":"ping"}'), { rsv: randomInt(1, 8) }); // RSV bits, no extension
    case 2:
      return clientFrame(0x1, Buffer.from('{"type":"ping"}'), { mask: false }); // clients must mask
    case 3:
      return clientFrame(0x9, randomBytes(200)); // control frame over 125 bytes
    case 4:
      return clientFrame(0x9, junk, { fin: false }); // fragmented control frame
    case 5:
      return clientFrame(0x0, junk); // continuation with nothing to continue
    case 6:
      return clientFrame(0x1, Buffer.from([0xff, 0xfe, 0xc3, 0x28])); // invalid UTF-8
    case 7: {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE([999, 1005, 1006, 1015, 2000, 5000][randomInt(6)]);
      return clientFrame(0x8, randomInt(2) ? payload : Buffer.from([0x03])); // bad close code / 1-byte close
    }
    case 8:
      return clientFrame(0x1, junk, { declaredLength: 2 ** 53 - 1 }); // absurd 64-bit length
    case 9:
      return clientFrame(0x1, junk, { declaredLength: 1000 }).subarray(0, 20); // truncated, then nothing
    case 10:
      return Buffer.concat([clientFrame(0x1, junk, { fin: false }), clientFrame(0x1, junk)]); // new message mid-message
    default:
      return clientFrame(0x2, junk); // binary: not JSON
  }
}

/** An oversized text frame: above the 16 KiB cap, up to 256 KiB. */
function oversizeFrame(): Buffer {
  return clientFrame(0x1, Buffer.alloc(randomInt(17 * 1024, 256 * 1024), 0x61));
}

function rawConnect(port: number, host: string, counts: FuzzCounts): Promise<Socket> {
  counts.connections++;
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    socket.on('error', () => {});
    socket.once('connect', () => resolve(socket));
    socket.once('close', () => reject(new Error('closed')));
  });
}

/** Completes an upgrade by hand; resolves with the socket (already past the 101). */
async function rawUpgrade(url: URL, counts: FuzzCounts): Promise<Socket> {
  const socket = await rawConnect(Number(url.port), url.hostname, counts);
  return new Promise((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) {
        counts.upgraded++;
        socket.resume();
        resolve(socket);
      } else {
        socket.destroy();
        reject(new Error(head.split('\r\n')[0]));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before the upgrade')));
    socket.write(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** Ends a socket one of three ways: a FIN, an RST, or after the server closes it (bounded). */
function finish(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, ATTACK_TIMEOUT_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume();
    const how = randomInt(3);
    if (how === 0) socket.end();
    else if (how === 1) socket.resetAndDestroy();
    // else: wait for the server to close it
  });
}

/** Random bytes on raw TCP, sometimes dressed as the start of an HTTP request. */
export async function garbageTcp(url: URL, counts: FuzzCounts): Promise<void> {
  const socket = await rawConnect(Number(url.port), url.hostname, counts);
  const prefix = ['', 'GET / HTTP/1.1\r\n', `GET ${url.pathname} HTTP/1.1\r\nUpgrade: websocket\r\n`, 'POST /admin/faults HTTP/1.1\r\nContent-Length: 99999\r\n\r\n'][randomInt(4)];
  const body = randomInt(10) === 0 ? Buffer.alloc(randomInt(17_000, 70_000), 0x41) : randomBytes(randomInt(1, 4096)); // sometimes headers too large
  const bytes = Buffer.concat([Buffer.from(prefix, 'latin1'), body]);
  counts.garbageBytes += bytes.length;
  socket.write(bytes);
  await finish(socket);
}

/** A valid upgrade, then garbage bytes where frames should be. */
export async function garbageAfterUpgrade(url: URL, counts: FuzzCounts): Promise<void> {
  const socket = await rawUpgrade(url, counts);
  const bytes = randomBytes(randomInt(1, 2048));
  counts.garbageBytes += bytes.length;
  socket.write(bytes);
  await finish(socket);
}

/** A valid upgrade, then one or two protocol-breaking frames. */
export async function malformedFrames(url: URL, counts: FuzzCounts): Promise<void> {
  const socket = await rawUpgrade(url, counts);
  for (let i = randomInt(1, 3); i > 0; i--) {
    socket.write(malformedFrame());
    counts.frames++;
    counts.badFrames++;
  }
  await finish(socket);
}

/** A valid upgrade, then a frame above the size cap (or one that only claims to be). */
export async function oversizedFrame(url: URL, counts: FuzzCounts): Promise<void> {
  const socket = await rawUpgrade(url, counts);
  socket.write(randomInt(4) === 0 ? clientFrame(0x1, Buffer.from('x'), { declaredLength: 1 << 30 }) : oversizeFrame());
  counts.frames++;
  counts.badFrames++;
  await finish(socket);
}

/** A real ws client sending random JSON (and now and then a burst past the rate limit). */
export function randomJsonClient(url: string, counts: FuzzCounts): Promise<void> {
  counts.connections++;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => ws.terminate(), ATTACK_TIMEOUT_MS);
    ws.on('error', () => {});
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('open', () => {
      counts.upgraded++;
      if (randomInt(12) === 0) {
        // a flood: past the burst allowance (200), closed with 1008
        for (let i = 0; i < 300; i++) ws.send('{"type":"ping"}');
        counts.frames += 300;
      }
      for (let i = randomInt(1, 30); i > 0 && ws.readyState === ws.OPEN; i--) {
        const value = randomJson();
        ws.send(randomInt(8) === 0 ? `${JSON.stringify(value)}}{` : JSON.stringify(value));
        counts.frames++;
      }
      if (randomInt(2)) ws.close();
      else setTimeout(() => ws.terminate(), randomInt(0, 50));
    });
  });
}

/** Connect and vanish: before the upgrade (RST), or right after it. */
export async function churn(url: URL, counts: FuzzCounts): Promise<void> {
  if (randomInt(2)) {
    const socket = await rawConnect(Number(url.port), url.hostname, counts);
    socket.resetAndDestroy();
    return;
  }
  counts.connections++;
  await new Promise<void>((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => ws.terminate(), ATTACK_TIMEOUT_MS);
    ws.on('error', () => {});
    ws.once('open', () => {
      counts.upgraded++;
      ws.terminate();
    });
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
