#!/usr/bin/env node
// The browser phase's cost: the same load with no page, with one page and
// with ten pages per browser (`--page --page-count n`), same machine, same
// script. Prints the harness's event-loop p99 against its bound (is it still
// the load generator, not a saturated one?), the browsers' CPU and memory,
// and the cost of one page: (ten pages - one page) / 9, beside the ratios.
//
//   node bench/pages.js [clients=1000] [duration=30s] [browser=chromium]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/livestream-bench.js', import.meta.url));
const clients = process.argv[2] ?? '1000';
const duration = process.argv[3] ?? '30s';
const browser = process.argv[4] ?? 'chromium';
const BOUND_MS = 100; // metrics/harness-health.ts EVENT_LOOP_P99_BOUND_MS

function run(pages) {
  const out = mkdtempSync(join(tmpdir(), 'lsb-bench-pages-'));
  const args = [BIN, '--clients', clients, '--duration', duration, '--ramp', '5s', '--min-clients', '1', '--out', out, '--format', 'json'];
  if (pages > 0) args.push('--page', '--browser', browser, '--page-count', String(pages));
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status === 2 || r.status === null) throw new Error(`run with ${pages} page(s) could not run (exit ${r.status})`);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  const b = report.browsers?.[0];
  return {
    pages,
    eventLoopP99Ms: report.harness.eventLoopP99Ms,
    harnessCpu: report.harness.cpuShare,
    saturated: report.harness.saturated,
    cpuMean: b?.footprint?.cpuMeanShare ?? 0,
    rssMean: b?.footprint?.rssMeanBytes ?? 0,
    rssPeak: b?.footprint?.rssPeakBytes ?? 0,
    criteria: Object.fromEntries(report.criteria.filter((c) => ['page_load', 'ui_updates', 'page_fallback', 'cross_browser'].includes(c.id)).map((c) => [c.id, c.status])),
  };
}

const mib = (v) => `${(v / 1048576).toFixed(0)} MiB`;
const rows = [0, 1, 10].map(run);
console.log(`${clients} load clients, ${duration} steady, ${browser}`);
console.log('pages  loop p99 (bound)   harness CPU  browser CPU  browser RSS mean/peak  browser criteria');
for (const r of rows) {
  console.log(`${String(r.pages).padEnd(6)} ${`${r.eventLoopP99Ms.toFixed(1)} ms (${BOUND_MS})`.padEnd(18)} ${`${(r.harnessCpu * 100).toFixed(0)} %`.padEnd(12)} ${`${(r.cpuMean * 100).toFixed(0)} %`.padEnd(12)} ${`${mib(r.rssMean)} / ${mib(r.rssPeak)}`.padEnd(22)} ${JSON.stringify(r.criteria)}${r.saturated ? '  SATURATED' : ''}`);
}
const [none, one, ten] = rows;
console.log(`event-loop p99, ten pages vs none: ${(ten.eventLoopP99Ms / Math.max(0.1, none.eventLoopP99Ms)).toFixed(2)}x; harness CPU ${(ten.harnessCpu / Math.max(0.001, none.harnessCpu)).toFixed(2)}x`);
console.log(`one page costs: CPU ${(((ten.cpuMean - one.cpuMean) / 9) * 100).toFixed(1)} % of a core, memory ${mib((ten.rssMean - one.rssMean) / 9)} (ten pages - one page, / 9)`);
process.exitCode = ten.saturated ? 1 : 0;
