/** Small number formats shared by the human reporters. */
export function fmtMs(v: number): string {
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  return `${v.toFixed(1)} ms`;
}

export function fmtCount(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

export function fmtBytes(v: number): string {
  if (v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MiB`;
  if (v >= 1024) return `${(v / 1024).toFixed(1)} KiB`;
  return `${v.toFixed(0)} B`;
}

/** How the embedded simulator's priority reads beside its name (nothing at equal priority). */
export function niced(nice: unknown): string {
  // a report.json read back may come from anywhere: only a number is shown
  return typeof nice === 'number' && Number.isFinite(nice) && nice > 0 ? `, niced +${nice} to leave the harness the cores` : '';
}
