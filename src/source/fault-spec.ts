import { usageError } from '../errors.js';
import type { TargetProfile } from '../profile/index.js';
import { readDuration, readShare, readSize, UnitRefusal } from './units.js';

/**
 * The fault grammar: one spec string per fault, `--fault <spec>` (repeatable)
 * or the admin API. Faults combine; a later spec of the same name replaces an
 * earlier one, except `stall`, which adds a channel each time.
 *
 * | spec                       | effect on the wire                                               |
 * |----------------------------|------------------------------------------------------------------|
 * | `drop=2%`                  | each channel message is withheld from a subscriber, 2% chance    |
 * | `latency=300ms`            | each channel message is stamped at its tick, then sent 300 ms late |
 * | `drift=+10%`               | every channel's period is 10% longer (`-10%`: shorter; -90..+1000) |
 * | `stall=<channel>`          | that channel stops sending (`*`: all of them)                    |
 * | `stall=<channel>@10s`      | ... 10 s after the fault is set                                  |
 * | `disconnect=30s`           | each connection is closed by the server at 30 s of age, code 1012 |
 * | `disconnect=30s:4000`      | ... with close code 4000                                         |
 * | `disconnect=5%[:code]`     | every second, each connection is closed with a 5% chance         |
 * | `socket-down`              | upgrades get HTTP 503, open sockets close 1001; REST stays up    |
 * | `max-connections=100`      | upgrades past 100 open sockets get HTTP 503                      |
 * | `malformed=1%`             | a channel message is replaced by invalid JSON text, 1% chance    |
 * | `duplicate=1%`             | a channel message is sent twice (the same bytes), 1% chance      |
 * | `oversize=1%[:256KiB]`     | a channel message is padded to 256 KiB (the default), 1% chance  |
 * | `legacy`                   | the Phase 3A server, for connections opened while it is set      |
 * | `leak=20`                  | the process keeps 20 MB more memory every minute (`20MB/min` too) |
 * | `cpu=30%`                  | the process burns 30% of one core (a worker thread)              |
 * | `retain=200KB`             | the process keeps 200 KB for each connection ever opened, never freed |
 * | `rest-down`                | the snapshot (REST fallback) answers 503; the socket stays up    |
 * | `rest-stale`               | the snapshot serves the same frozen data and timestamp           |
 * | `snapshot`                 | a subscribe that adds a channel gets its latest data at once (a  |
 * |                            | message stamped then), and so does each self-starting channel    |
 * |                            | right after the welcome: correct, as the real server does        |
 * | `phase=per-client`         | each client's ticks come at its own phase on each channel (one   |
 * |                            | offset each, stamped when sent), for connections opened while set |
 * | `confirm-unknown`          | a subscribe to a channel that does not exist is confirmed        |
 * | `resume=skip`              | SSE: a reconnect with Last-Event-ID loses the first event due    |
 * | `resume=ignore`            | SSE: Last-Event-ID is ignored: nothing is replayed               |
 *
 * Units as everywhere (src/source/units.ts): durations `250ms`, `2s`, `1m`
 * (a bare number is refused: give a unit), sizes `B`, `KB`/`KiB`, `MB`/`MiB`
 * (both 1024-based; a bare number is bytes), chances `2%`. Chances are
 * decided by a hash of the seed, the connection's ordinal, the channel and
 * the tick, so a run is repeatable under `--seed`.
 */

export type Disconnect =
  | { readonly kind: 'age'; readonly afterMs: number; readonly code: number }
  | { readonly kind: 'rate'; readonly chance: number; readonly code: number };

export interface Stall {
  /** A channel of the profile, or `*` for all. */
  readonly channel: string;
  readonly afterMs: number;
}

export interface FaultSet {
  readonly drop?: number;
  readonly latencyMs?: number;
  /** Fraction by which periods stretch: 0.1 for `drift=+10%`. */
  readonly drift?: number;
  readonly stalls: readonly Stall[];
  readonly disconnect?: Disconnect;
  readonly socketDown: boolean;
  readonly maxConnections?: number;
  readonly malformed?: number;
  readonly duplicate?: number;
  readonly oversize?: { readonly chance: number; readonly bytes: number };
  readonly legacy: boolean;
  /** `leak=<MB/min>`: memory kept on purpose, MB (2^20 bytes) per minute. */
  readonly leakMBPerMin?: number;
  /** `cpu=<p>%`: share of one core burnt on purpose. */
  readonly cpuShare?: number;
  /** `retain=<size>`: bytes kept for each connection opened while it is set, never freed. */
  readonly retainBytes?: number;
  readonly restDown: boolean;
  readonly restStale: boolean;
  /** `snapshot`: the latest data at once on subscribe (and after the welcome). */
  readonly snapshot?: boolean;
  /** `phase=per-client`: every client and channel ticks at its own phase. */
  readonly perClientPhase?: boolean;
  /** `confirm-unknown`: unknown channels are confirmed, and nothing follows. */
  readonly confirmUnknown?: boolean;
  /** SSE resume from Last-Event-ID: `skip` loses the first event due, `ignore` replays nothing (absent: replays what is buffered). */
  readonly resume?: 'skip' | 'ignore';
}

export const NO_FAULTS: FaultSet = { stalls: [], socketDown: false, legacy: false, restDown: false, restStale: false };

/** Largest `leak` rate; the memory kept is capped anyway (see resource-faults.ts). */
export const MAX_LEAK_MB_PER_MIN = 10_240;

export const DEFAULT_DISCONNECT_CODE = 1012; // "service restart": a client should reconnect
export const DEFAULT_OVERSIZE_BYTES = 256 * 1024;

const VALID =
  'drop=<p>%, latency=<ms>ms, drift=<+|-p>%, stall=<channel|*>[@<delay>], disconnect=<age|p%>[:<code>], ' +
  'socket-down, max-connections=<n>, malformed=<p>%, duplicate=<p>%, oversize=<p>%[:<size>], legacy, ' +
  'leak=<MB/min>, cpu=<p>%, retain=<size>, rest-down, rest-stale, snapshot, phase=<global|per-client>, confirm-unknown, resume=<replay|skip|ignore>';

/** A spec that does not parse; `parseFaults` gathers them all. */
class BadSpec extends Error {}

/**
 * Parses specs into one set. Every bad spec is named, in one line:
 * `bad fault "drop=x": "x" is not a percentage such as 2%; bad fault "..."; valid: ...`
 */
export function parseFaults(specs: readonly string[], profile: TargetProfile): FaultSet {
  let set: FaultSet = NO_FAULTS;
  const problems: string[] = [];
  for (const spec of specs) {
    try {
      set = applySpec(set, spec, profile);
    } catch (err) {
      if (!(err instanceof BadSpec)) throw err;
      problems.push(`bad fault "${spec}": ${err.message}`);
    }
  }
  if (problems.length > 0) throw usageError(`${problems.join('; ')}; valid: ${VALID}`);
  return set;
}

function applySpec(set: FaultSet, rawSpec: string, profile: TargetProfile): FaultSet {
  const spec = rawSpec.trim();
  const eq = spec.indexOf('=');
  const name = (eq < 0 ? spec : spec.slice(0, eq)).toLowerCase();
  const value = eq < 0 ? undefined : spec.slice(eq + 1).trim();
  const bad = (why: string): never => {
    throw new BadSpec(why.replace(/\s+/g, ' '));
  };
  const need = (): string => (value === undefined || value === '' ? bad(`${name} needs a value`) : value);
  const flag = (): void => {
    if (value !== undefined) bad(`${name} takes no value`);
  };

  switch (name) {
    case 'drop':
      return { ...set, drop: chance(need(), bad) };
    case 'malformed':
      return { ...set, malformed: chance(need(), bad) };
    case 'duplicate':
      return { ...set, duplicate: chance(need(), bad) };
    case 'latency': {
      const ms = duration(need(), bad);
      if (ms > 600_000) bad('latency is at most 10m');
      return { ...set, latencyMs: ms };
    }
    case 'drift': {
      const m = /^([+-]?\d+(?:\.\d+)?)%$/.exec(need());
      if (!m) return bad('drift is a signed percentage such as +10% or -5%');
      const pct = Number(m[1]);
      if (pct <= -90 || pct > 1000) bad('drift must lie in (-90%, +1000%]');
      return { ...set, drift: pct / 100 };
    }
    case 'stall': {
      const [channel, delay] = need().split('@') as [string, string | undefined];
      if (channel !== '*' && !profile.channels.some((c) => c.channel === channel)) {
        bad(`unknown channel "${channel}" (channels: ${profile.channels.map((c) => c.channel).join(', ')}, or *)`);
      }
      const afterMs = delay === undefined ? 0 : duration(delay, bad);
      const stalls = [...set.stalls.filter((s) => s.channel !== channel), { channel, afterMs }];
      return { ...set, stalls };
    }
    case 'disconnect': {
      const [what, codeText] = need().split(':') as [string, string | undefined];
      const code = codeText === undefined ? DEFAULT_DISCONNECT_CODE : closeCode(codeText, bad);
      if (what.endsWith('%')) return { ...set, disconnect: { kind: 'rate', chance: chance(what, bad), code } };
      const afterMs = duration(what, bad);
      if (afterMs < 1) bad('disconnect age must be at least 1ms');
      return { ...set, disconnect: { kind: 'age', afterMs, code } };
    }
    case 'socket-down':
      flag();
      return { ...set, socketDown: true };
    case 'max-connections': {
      const text = need();
      if (!/^\d+$/.test(text)) bad('max-connections is a whole number');
      return { ...set, maxConnections: Number(text) };
    }
    case 'oversize': {
      const [what, sizeText] = need().split(':') as [string, string | undefined];
      const bytes = sizeText === undefined ? DEFAULT_OVERSIZE_BYTES : size(sizeText, bad);
      if (bytes > 64 * 1024 * 1024) bad('oversize is at most 64MiB');
      return { ...set, oversize: { chance: chance(what, bad), bytes } };
    }
    case 'legacy':
      flag();
      return { ...set, legacy: true };
    case 'leak': {
      const m = /^(\d+(?:\.\d+)?)\s*(?:mi?b\/min)?$/i.exec(need());
      if (!m) return bad(`"${value}" is not a rate such as 20 or 20MB/min`);
      const rate = Number(m[1]);
      if (rate <= 0 || rate > MAX_LEAK_MB_PER_MIN) bad(`leak must lie in (0, ${MAX_LEAK_MB_PER_MIN}] MB/min`);
      return { ...set, leakMBPerMin: rate };
    }
    case 'cpu': {
      const share = chance(need(), bad);
      if (share < 0.01) bad('cpu is at least 1%');
      return { ...set, cpuShare: share };
    }
    case 'retain': {
      const bytes = size(need(), bad);
      if (bytes < 1 || bytes > 64 * 1024 * 1024) bad('retain must lie in [1B, 64MiB] per connection');
      return { ...set, retainBytes: bytes };
    }
    case 'rest-down':
      flag();
      return { ...set, restDown: true };
    case 'rest-stale':
      flag();
      return { ...set, restStale: true };
    case 'snapshot':
      flag();
      return { ...set, snapshot: true };
    case 'confirm-unknown':
      flag();
      return { ...set, confirmUnknown: true };
    case 'resume': {
      const v = need().toLowerCase();
      if (v !== 'replay' && v !== 'skip' && v !== 'ignore') bad('resume is replay, skip or ignore');
      const { resume: _, ...rest } = set;
      return v === 'replay' ? rest : { ...rest, resume: v as 'skip' | 'ignore' };
    }
    case 'phase': {
      const v = need().toLowerCase();
      if (v !== 'per-client' && v !== 'global') bad('phase is per-client or global');
      return { ...set, perClientPhase: v === 'per-client' };
    }
    default:
      return bad(`unknown fault "${name}"`);
  }
}

/** Canonical spec strings of a set: what the admin API reports back. */
export function formatFaults(set: FaultSet): string[] {
  const out: string[] = [];
  const pct = (p: number): string => `${+(p * 100).toFixed(6)}%`;
  if (set.drop !== undefined) out.push(`drop=${pct(set.drop)}`);
  if (set.latencyMs !== undefined) out.push(`latency=${set.latencyMs}ms`);
  if (set.drift !== undefined) out.push(`drift=${set.drift >= 0 ? '+' : ''}${pct(set.drift)}`);
  for (const s of set.stalls) out.push(`stall=${s.channel}${s.afterMs ? `@${s.afterMs}ms` : ''}`);
  const d = set.disconnect;
  if (d) out.push(`disconnect=${d.kind === 'age' ? `${d.afterMs}ms` : pct(d.chance)}:${d.code}`);
  if (set.socketDown) out.push('socket-down');
  if (set.maxConnections !== undefined) out.push(`max-connections=${set.maxConnections}`);
  if (set.malformed !== undefined) out.push(`malformed=${pct(set.malformed)}`);
  if (set.duplicate !== undefined) out.push(`duplicate=${pct(set.duplicate)}`);
  if (set.oversize) out.push(`oversize=${pct(set.oversize.chance)}:${set.oversize.bytes}B`);
  if (set.legacy) out.push('legacy');
  if (set.leakMBPerMin !== undefined) out.push(`leak=${+set.leakMBPerMin.toFixed(6)}MB/min`);
  if (set.cpuShare !== undefined) out.push(`cpu=${pct(set.cpuShare)}`);
  if (set.retainBytes !== undefined) out.push(`retain=${set.retainBytes}B`);
  if (set.restDown) out.push('rest-down');
  if (set.restStale) out.push('rest-stale');
  if (set.snapshot) out.push('snapshot');
  if (set.perClientPhase) out.push('phase=per-client');
  if (set.confirmUnknown) out.push('confirm-unknown');
  if (set.resume) out.push(`resume=${set.resume}`);
  return out;
}

type Bad = (why: string) => never;

function chance(text: string, bad: Bad): number {
  const share = readShare(text);
  if (share instanceof UnitRefusal) return bad(`"${text}" is not a percentage such as 2%${share.bare ? `; ${share.hint}` : ''}`);
  if (share > 1) bad(`"${text}" is over 100%`);
  return share;
}

export function duration(text: string, bad: Bad): number {
  const ms = readDuration(text);
  if (ms instanceof UnitRefusal) return bad(ms.bare ? ms.hint : `"${text}" is not a duration such as 300ms, 2s or 1m`);
  return ms;
}

function size(text: string, bad: Bad): number {
  const bytes = readSize(text);
  if (bytes instanceof UnitRefusal) return bad(`"${text}" is not a size such as 300KiB or 1MiB`);
  return bytes;
}

/** Close codes a server may send (RFC 6455 7.4; the ones ws accepts). */
function closeCode(text: string, bad: Bad): number {
  const code = /^\d+$/.test(text) ? Number(text) : NaN;
  const ok = (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
  if (!ok) bad(`"${text}" is not a close code a server may send (1000-1003, 1007-1014, 3000-4999)`);
  return code;
}
