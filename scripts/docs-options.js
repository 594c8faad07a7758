#!/usr/bin/env node
// Writes the option tables of README.md and docs/scenarios.md from the one
// option table (src/scenario/options.ts, built into dist/). `npm run docs:options`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED_DOCS, regenerateDoc } from '../dist/scenario/option-docs.js';

for (const path of Object.keys(GENERATED_DOCS)) {
  const file = fileURLToPath(new URL(`../${path}`, import.meta.url));
  const before = readFileSync(file, 'utf8');
  const after = regenerateDoc(path, before);
  if (after !== before) writeFileSync(file, after);
  process.stdout.write(`${path}: ${after === before ? 'up to date' : 'written'}\n`);
}
