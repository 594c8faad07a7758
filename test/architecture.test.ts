import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The shape of the code is kept by dependency-cruiser's rules
 * (.dependency-cruiser.cjs): the pipeline's folder order, no cycles,
 * commander only in cli/, chalk and cli-table3 only in reporters/.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../node_modules/.bin/depcruise', import.meta.url));
const config = fileURLToPath(new URL('../.dependency-cruiser.cjs', import.meta.url));

async function cruise(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(bin, ['src', '--config', config, '--output-type', 'err'], { cwd });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: err.code ?? -1, out: err.stdout ?? '' };
  }
}

describe('architecture', () => {
  it('src/ keeps every dependency rule', async () => {
    const { code, out } = await cruise(root);
    expect(out).not.toMatch(/error /);
    expect(code).toBe(0);
  });

  it('the rules refuse a later stage imported by an earlier one, the simulator reaching into the harness, and core code importing the CLI', async () => {
    const { code, out } = await cruise(fileURLToPath(new URL('fixtures/architecture/', import.meta.url)));
    expect(code).not.toBe(0);
    expect(out).toMatch(/scenario-imports-only-profile: src\/scenario\/thresholds\.ts → src\/verdict\/criteria\.ts/);
    expect(out).toMatch(/simulator-imports-only-profile: src\/simulator\/server\.ts → src\/engine\/run\.ts/);
    expect(out).toMatch(/nothing-imports-the-cli: src\/engine\/uses-cli\.ts → src\/cli\/main\.ts/);
  });
});

/** Small files with names from the domain: none in src/ over 300 lines. */
const MAX_LINES = 300;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('file size', () => {
  it(`no file in src/ is over ${MAX_LINES} lines`, () => {
    const long = sources(join(root, 'src'))
      .map((f) => ({ f: f.slice(root.length), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((x) => x.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
