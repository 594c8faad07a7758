import { readDuration, readShare, readSize, UnitRefusal } from '../source/units.js';

/**
 * Quantities as people write them in a scenario file: `500ms`, `2s`,
 * `99.5%`, `1KiB/s`, `1MB/min`, `50KB`, `10`. Threshold lines, chaos shares and
 * baseline tolerances all read them through here. Pure.
 */
export type Unit = 'time' | 'share' | 'rate' | 'slope' | 'size' | 'count';

export const UNIT_EXAMPLE: Record<Unit, string> = {
  time: '500ms, 2s',
  share: '99.5%',
  rate: '1024B/s, 1KiB/s',
  slope: '1MB/min',
  size: '50KB, 51200',
  count: '10',
};

/** Parses `500ms`, `99.5%`, `1KiB/s`, `1MB/min` or `10` in the given unit (src/source/units.ts); undefined when it does not fit. */
export function parseQuantity(text: string, unit: Unit | 'any-time'): number | undefined {
  const t = text.trim();
  const value = (v: number | UnitRefusal): number | undefined => (v instanceof UnitRefusal ? undefined : v);
  switch (unit) {
    case 'time':
    case 'any-time':
      return value(readDuration(t));
    case 'share':
      return value(readShare(t));
    case 'rate': {
      const r = /^(.+?)\s*\/\s*s$/i.exec(t);
      // a rate needs its unit: 1024B/s, not 1024/s
      return r && /[a-z]$/i.test(r[1]) ? value(readSize(r[1])) : undefined;
    }
    case 'slope': {
      const r = /^(.+?)\s*\/\s*min$/i.exec(t);
      const bytes = r && /[a-z]$/i.test(r[1]) ? value(readSize(r[1])) : undefined;
      return bytes === undefined ? undefined : bytes / 1024 ** 2;
    }
    case 'size':
      return value(readSize(t));
    case 'count':
      return /^\d+$/.test(t) ? Number(t) : undefined;
  }
}
