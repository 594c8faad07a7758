#!/usr/bin/env node
// `npm run bench`: every benchmark at a size that fits a few minutes, each
// printing ratios measured in the same run (machines here are shared and
// noisy; ratios are steadier than absolutes). Larger sizes: see bench/README.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const steps = [
  ['harness vs bare ws client (CPU per message)', [here('./harness.js'), '100,2000', '10']],
  ['simulator vs naive ws server (CPU per message, memory, tick lag)', [here('./simulator.js'), '2000', '15']],
  ['largest client count held with zero loss', [here('./capacity.js'), '1000,2000,5000', '10']],
  ['live view: dashboard + exports on vs off (CPU per message)', [here('./live-cost.js'), '2000', '10', '1']],
];
let failed = 0;
for (const [title, args] of steps) {
  process.stdout.write(`\n## ${title}\n`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exitCode = failed ? 1 : 0;
