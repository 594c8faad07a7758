import { usageError } from '../errors.js';

const UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2 };

/** Parses `1MiB`, `512KiB`, `2048` (bytes); 1024-based. Throws a usage error naming `what`. */
export function parseSize(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(String(text).trim());
  const unit = (m?.[2] || 'b').toLowerCase();
  if (!m || !(unit in UNITS)) throw usageError(`${what} must be a size such as 1MiB, 512KiB or 2048 (got ${JSON.stringify(text)})`);
  return Math.round(Number(m[1]) * UNITS[unit]);
}
