import { usageError } from '../errors.js';

/**
 * Durations, sizes and shares as people write them, for every place that
 * reads one: run flags, scenario keys, threshold lines, baseline
 * tolerances, simulator faults. One rule for a bare number in each kind:
 *
 *   time   a unit is required: `300` could mean 300 ms or 300 s, so it is
 *          refused with the hint "give a unit, e.g. 300ms or 300s"; only `0`,
 *          the same in every unit, may go without one
 *          30s, 5m, 1h, 250ms, 1m30s, 0.5s -> ms
 *   size   a bare number is bytes; units are 1024-based (KB = KiB)
 *          2048, 512KiB, 1MiB, 64KB -> bytes
 *   share  a percentage: 10% -> 0.1; a bare fraction (0.1) only where a
 *          caller allows it (`fraction`), and then never above 1: a bare
 *          20 is refused with the hint "write 20%" (it is no fraction, and
 *          reading it as 20 % would make 1 mean 100 % and 2 mean 2 %)
 *
 * The readers return the number or a `UnitRefusal`; the parsers throw a
 * usage error naming the value (`--duration`, `chaos.at`).
 */

export type UnitKind = 'time' | 'size' | 'share';

const EXAMPLES: Record<UnitKind, string> = {
  time: 'a time such as 30s, 5m or 500ms',
  size: 'a size such as 1MiB, 512KiB or 2048',
  share: 'a share such as 10%',
};

/** Why a text is not a quantity of its kind; `message(name)` is the one line. */
export class UnitRefusal {
  constructor(
    readonly kind: UnitKind,
    readonly got: string,
    /** A plain number where a unit is required. */
    readonly bare: boolean,
    readonly example = EXAMPLES[kind],
    /** A share where a bare fraction is taken too (`0.1`). */
    readonly fraction = false,
  ) {}

  /** For a bare number: `"300": give a unit, e.g. 300ms or 300s`; `"20": write 20%`. */
  get hint(): string {
    if (this.kind === 'time') return `"${this.got}": give a unit, e.g. ${this.got}ms or ${this.got}s`;
    return `"${this.got}": write ${this.got}%${this.fraction ? ` (a bare number is a fraction from 0 to 1, e.g. ${Number(this.got) / 100})` : ''}`;
  }

  /** `--duration must be a time such as 30s, 5m or 500ms (got "x")`, or `--duration "300": give a unit, e.g. 300ms or 300s`. */
  message(name: string): string {
    return this.bare ? `${name} ${this.hint}` : `${name} must be ${this.example} (got ${JSON.stringify(this.got)})`;
  }
}

const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const NUMBER = /^\d+(?:\.\d+)?$/;

/** Milliseconds of `30s`, `5m`, `1h`, `250ms`, `1m30s` or `0`; a refusal otherwise. */
export function readDuration(value: string | number): number | UnitRefusal {
  const text = String(value).trim();
  if (NUMBER.test(text)) return Number(text) === 0 ? 0 : new UnitRefusal('time', text, true);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * TIME_UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (text.length === 0 || matched !== text.length) return new UnitRefusal('time', String(value), false);
  return Math.round(total);
}

// KB and KiB are both 1024, as in the Phase 3 design ("1 KB/s" = 1024 B/s).
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2 };

/** Bytes of `2048`, `512KiB`, `1MiB`, `64KB`; a refusal otherwise. */
export function readSize(value: string | number): number | UnitRefusal {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(String(value).trim());
  const unit = SIZE_UNITS[(m?.[2] || 'b').toLowerCase()];
  if (!m || unit === undefined) return new UnitRefusal('size', String(value), false);
  return Math.round(Number(m[1]) * unit);
}

/**
 * The share of `10%` (0.1), or with `fraction` also of `0.1`. Not range
 * checked beyond "a number >= 0": callers say what their limits are.
 */
export function readShare(value: string | number, opts: { fraction?: boolean } = {}): number | UnitRefusal {
  const text = String(value).trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (pct) return Number(pct[1]) / 100;
  if (NUMBER.test(text)) {
    if (opts.fraction && Number(text) <= 1) return Number(text);
    return new UnitRefusal('share', text, true, opts.fraction ? 'a share such as 10% or 0.1' : EXAMPLES.share, opts.fraction === true);
  }
  return new UnitRefusal('share', String(value), false, opts.fraction ? 'a share such as 10% or 0.1' : EXAMPLES.share);
}

function orThrow(v: number | UnitRefusal, what: string): number {
  if (v instanceof UnitRefusal) throw usageError(v.message(what));
  return v;
}

/** `readDuration`, throwing a usage error that names `what`. */
export function parseDuration(value: string | number, what: string): number {
  return orThrow(readDuration(value), what);
}

/** `readSize`, throwing a usage error that names `what`. */
export function parseSize(value: string | number, what: string): number {
  return orThrow(readSize(value), what);
}

/** `readShare`, throwing a usage error that names `what`. */
export function parseShare(value: string | number, what: string, opts: { fraction?: boolean } = {}): number {
  return orThrow(readShare(value, opts), what);
}

/** The shortest exact form: 90000 -> `90s`, 300000 -> `5m`, 250 -> `250ms`. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The shortest exact form: 1048576 -> `1MiB`, 2048 -> `2KiB`, 1000 -> `1000B`. */
export function formatSize(bytes: number): string {
  if (bytes % 1024 ** 2 === 0 && bytes > 0) return `${bytes / 1024 ** 2}MiB`;
  if (bytes % 1024 === 0 && bytes > 0) return `${bytes / 1024}KiB`;
  return `${bytes}B`;
}
