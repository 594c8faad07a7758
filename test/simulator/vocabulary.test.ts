import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

/**
 * No stream's vocabulary in the code: every name a built-in profile file
 * gives (its name, paths, envelope and reply fields, message types,
 * control keys and values, channel names, payload fields at any depth,
 * enum and const strings) is searched for in every file under src/,
 * comments included. A stream is data; code that names one of its parts
 * only works for that stream.
 *
 * - A name with a capital, digit, `_`, `-` or `/` in it (`tps_updates`,
 *   `currentTPS`, `/api/v11/live/stream`) is distinctive: it is found as a
 *   word and also under another spelling of the same identifier
 *   (`aurigraphV11` for `aurigraph-v11`, `tpsUpdates` for `tps_updates`).
 * - A plain lowercase word is found as a word, in any case. The ones below
 *   are ordinary English or programming words that the code uses in their
 *   own sense, never as a profile's name; every other word (price, high,
 *   topic, hello, ...) must not appear at all.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const GENERIC: Readonly<Record<string, string>> = {
  type: 'the envelope part every message has; the code reads it through profile.envelope.typeField',
  payload: 'ditto, the payload part',
  timestamp: 'ditto, the server clock',
  error: 'the reply kind and JavaScript errors, events',
  ping: 'the control kind, and WebSocket ping frames',
  pong: 'the reply kind, and WebSocket pong frames',
  subscribe: 'the control kind (ControlMessage.kind)',
  unsubscribe: 'the control kind (ControlMessage.kind)',
  subscribed: "the profile's own key for the confirmation (replies.subscribed)",
  channel: 'the domain word: a profile has channels',
  latency: 'the criterion, the latency fault',
  status: 'HTTP statuses, criterion status, health status',
  event: 'Node events',
  data: 'data in general, the socket and child-process `data` events',
  time: 'time in general',
  reason: 'close reasons, skip reasons',
  problem: 'problems of a file (validate)',
  open: 'sockets open, a connection opens',
  close: 'sockets close',
  side: 'English (either side, server side), the side measures of a run',
  spread: 'the --spread option, spreads of a ramp',
  session: 'English (a session record), secret parameter names',
  op: 'operators of an expression',
  sub: 'English prefix (sub-millisecond)',
  ask: 'English verb',
  quote: 'HTML quoting',
  ts: 'the .ts file extension in comments',
  symbol: "JavaScript's Symbol",
};

/**
 * Found outside src/simulator/, in files other engineers own: they go as
 * those files are cleaned (delete the entry then). Nothing may be added.
 */
const PENDING: Readonly<Record<string, readonly string[]>> = {
};

function builtinNames(): Map<string, string> {
  const names = new Map<string, string>();
  const add = (value: unknown, where: string): void => {
    if (typeof value === 'string' && value !== '' && value !== '{channel}' && !names.has(value)) names.set(value, where);
  };
  const schemaNames = (schema: unknown, where: string): void => {
    if (!schema || typeof schema !== 'object') return;
    const s = schema as Record<string, unknown>;
    for (const [key, sub] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) {
      add(key, where);
      schemaNames(sub, where);
    }
    if (s.items) schemaNames(s.items, where);
    for (const e of (s.enum ?? []) as unknown[]) add(e, `${where} (enum)`);
    add(s.const, `${where} (const)`);
  };
  for (const file of readdirSync(join(ROOT, 'profiles')).filter((f) => /\.ya?ml$/.test(f))) {
    const doc = parse(readFileSync(join(ROOT, 'profiles', file), 'utf8')) as Record<string, any>;
    const at = (what: string): string => `${file}: ${what}`;
    add(doc.name, at('name'));
    add(doc.path, at('path'));
    add(doc.fallback, at('fallback'));
    // timestampUnit is a unit (ms, s), not a name
    for (const key of ['type', 'payload', 'timestamp']) add(doc.envelope[key], at(`envelope.${key}`));
    // a profile may leave out the welcome, the replies and the control messages (an SSE stream has none)
    add(doc.welcome?.type, at('welcome.type'));
    add(doc.welcome?.idField, at('welcome.idField'));
    add(doc.sse?.channelsParam, at('sse.channelsParam'));
    for (const [kind, reply] of Object.entries((doc.replies ?? {}) as Record<string, Record<string, string>>)) {
      for (const [key, value] of Object.entries(reply)) add(value, at(`replies.${kind}.${key}`));
    }
    for (const [kind, template] of Object.entries((doc.control ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const [key, value] of Object.entries(template)) {
        add(key, at(`control.${kind}`));
        add(value, at(`control.${kind}.${key}`));
      }
    }
    for (const c of doc.channels as Array<Record<string, unknown>>) {
      add(c.name, at('channel name'));
      add(c.type, at('channel type'));
      schemaNames(c.payload, at(`payload of ${String(c.name)}`));
    }
    for (const [type, schema] of Object.entries((doc.messages ?? {}) as Record<string, unknown>)) {
      add(type, at('message type'));
      schemaNames(schema, at(`payload of ${type}`));
    }
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const squash = (text: string): string => text.toLowerCase().replace(/[_\-/]/g, '');
const distinctive = (name: string): boolean => !/^[a-z]+$/.test(name);

interface Hit {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly text: string;
}

function hits(names: Map<string, string>): Hit[] {
  const out: Hit[] = [];
  for (const path of sourceFiles(join(ROOT, 'src'))) {
    const file = relative(ROOT, path).split('\\').join('/');
    const lines = readFileSync(path, 'utf8').split('\n');
    for (const name of names.keys()) {
      if (name in GENERIC) continue;
      // a path is found only as a whole path: not inside ./snapshot.js or /a/snapshot
      const word = name.startsWith('/')
        ? new RegExp(`(?<![\\w./-])${escape(name)}(?![\\w./-])`)
        : new RegExp(`(?<![\\w-])${escape(name)}(?![\\w-])`, distinctive(name) ? '' : 'i');
      const spelled = distinctive(name) && !name.startsWith('/') ? squash(name) : undefined;
      lines.forEach((text, i) => {
        const other = spelled !== undefined && (text.match(/[A-Za-z0-9_$-]+/g) ?? []).some((token) => squash(token) === spelled);
        if (word.test(text) || other) out.push({ file, name, line: i + 1, text: text.trim() });
      });
    }
  }
  return out;
}

describe('no profile vocabulary in src/', () => {
  const names = builtinNames();
  const found = hits(names);

  test('the built-in profiles give names to look for', () => {
    for (const name of ['tps_updates', 'currentTPS', 'connection_established', 'connectionId', '/api/v11/live/stream', 'trades', 'seq', 'topic', 'hello']) {
      expect(names.has(name), name).toBe(true);
    }
  });

  test('src/simulator/ and src/cli/serve.ts name no part of any built-in profile', () => {
    const mine = found.filter((h) => h.file.startsWith('src/simulator/') || h.file === 'src/cli/serve.ts');
    expect(mine.map((h) => `${h.file}:${h.line}: "${h.name}" (${names.get(h.name)}): ${h.text}`)).toEqual([]);
  });

  test('nowhere else in src/ either, but for the files listed as pending', () => {
    const rest = found.filter((h) => !(PENDING[h.file] ?? []).includes(h.name));
    expect(rest.map((h) => `${h.file}:${h.line}: "${h.name}" (${names.get(h.name)}): ${h.text}`)).toEqual([]);
  });
});
