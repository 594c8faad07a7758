/**
 * Quantities as people write them in a scenario file: `500ms`, `2s`,
 * `99.5%`, `1KiB/s`, `1MB/min`, `10`. Threshold lines, chaos shares and
 * baseline tolerances all read them through here. Pure.
 */
export type Unit = 'time' | 'share' | 'rate' | 'slope' | 'count';

export const UNIT_EXAMPLE: Record<Unit, string> = {
  time: '500ms, 2s',
  share: '99.5%',
  rate: '1024B/s, 1KiB/s',
  slope: '1MB/min',
  count: '10',
};

const TIME: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
// KB and KiB are both 1024 here, as in the Phase 3 design ("1 KB/s" = 1024 B/s).
const BYTES: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 * 1024, mib: 1024 * 1024 };

/** Parses `500ms`, `99.5%`, `1KiB/s`, `1MB/min` or `10` in the given unit; undefined when it does not fit. */
export function parseQuantity(text: string, unit: Unit | 'any-time'): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z%/]*)$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = m[2].toLowerCase();
  switch (unit) {
    case 'time':
    case 'any-time':
      return u in TIME ? n * TIME[u] : undefined;
    case 'share':
      return u === '%' ? n / 100 : undefined;
    case 'rate': {
      const r = /^([a-z]+)\/s$/.exec(u);
      return r && r[1] in BYTES ? n * BYTES[r[1]] : undefined;
    }
    case 'slope': {
      const r = /^([a-z]+)\/min$/.exec(u);
      return r && r[1] in BYTES ? (n * BYTES[r[1]]) / BYTES.mb : undefined;
    }
    case 'count':
      return u === '' && Number.isInteger(n) ? n : undefined;
  }
}
