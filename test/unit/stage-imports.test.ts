import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** The folders of src/ a folder's files import from (`../x/...`), other than its own. */
function importedFolders(folder: string): string[] {
  const out = new Set<string>();
  for (const f of readdirSync(join(SRC, folder)).filter((n) => n.endsWith('.ts'))) {
    for (const m of readFileSync(join(SRC, folder, f), 'utf8').matchAll(/from '\.\.\/([a-z-]+)\//g)) out.add(m[1]);
  }
  return [...out].sort();
}

/**
 * The stages this part of the code settled: metrics (what crosses a process
 * or machine boundary) depends on no other stage, and the baseline
 * comparison comes after the scenario and the verdict, never before them.
 */
describe('stage imports', () => {
  it('metrics imports no other folder: its snapshot is plain data', () => {
    expect(importedFolders('metrics')).toEqual([]);
  });

  it('neither the scenario nor the verdict imports the baseline comparison, a later stage', () => {
    expect(importedFolders('scenario')).not.toContain('baseline');
    expect(importedFolders('verdict')).not.toContain('baseline');
  });
});
