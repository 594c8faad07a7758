import type { TargetProfile } from '../profile/index.js';
import { readDuration, readShare, readSize, UnitRefusal } from '../source/units.js';

/**
 * The kinds of value a run option takes, each once: the JSON Schema of its
 * scenario form and the parser of both forms (a flag's text, a scenario
 * file's value). A parser reports problems at `At` and returns undefined,
 * so every problem is found in one pass.
 */

/** Where a value came from, as the user would name it. */
export interface At {
  /** `--clients`, `clients`, `--chaos cut`, `chaos.cut` */
  readonly name: string;
  /** The same value seen from a flag's text or from a scenario file. */
  readonly source: 'flag' | 'scenario';
  /** A part of this value: `chaos` -> `chaos.cut`, `--chaos` -> `--chaos cut`. */
  part(key: string | number): At;
  /** One problem with this value, one line. */
  problem(message: string): void;
  /** The scenario schema refused this value already: say nothing more about it. */
  readonly refused: boolean;
}

/** An `At` for flag text: problems go to `problems`. */
export function flagAt(name: string, problems: string[]): At {
  return { name, source: 'flag', refused: false, part: (key) => flagAt(`${name} ${key}`, problems), problem: (m) => problems.push(m) };
}

/** An `At` for a scenario value at a JSON pointer. */
export function scenarioAt(pointer: string, report: (pointer: string, message: string) => void, refused: ReadonlySet<string>): At {
  const name = pointer
    .split('/')
    .slice(1)
    .reduce((a, s) => (/^\d+$/.test(s) ? `${a}[${s}]` : a ? `${a}.${s}` : s), '');
  return {
    name,
    source: 'scenario',
    refused: refused.has(pointer),
    part: (key) => scenarioAt(`${pointer}/${key}`, report, refused),
    problem: (m) => report(pointer, m),
  };
}

export type Schema = Record<string, unknown>;

/** A kind: the schema of its scenario form, the parser of both forms, and the check of a typed value. */
export interface Kind<T> {
  schema: Schema;
  parse(value: unknown, at: At, ctx: OptionContext): T | undefined;
  /**
   * What is wrong with a value already of the setting's type, as the words
   * after its name (`must be more than 0`); undefined when it is fine. The
   * parser applies it, and settingsProblems() to settings made in code.
   */
  check?(value: T, ctx?: Pick<OptionContext, 'profile'>): string | undefined;
}

/** What a parser may look at besides the value. */
export interface OptionContext {
  /** For `${NAME}` references, `--token-env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The run's profile, when it is known: channels and faults are checked against it. */
  readonly profile?: TargetProfile;
}

const got = (v: unknown) => JSON.stringify(v);

/** A whole number from `min` (and up to `max`): `--clients 10`, `clients: 10`. */
export function whole(min: number, max?: number): Kind<number> {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  const check = (n: number) => (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max) ? `must be a whole number ${range} (got ${n})` : undefined);
  return {
    schema: { type: 'integer', minimum: min, ...(max === undefined ? {} : { maximum: max }) },
    check,
    parse(value, at) {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
      if (check(n)) return void at.problem(`${at.name} must be a whole number ${range} (got ${got(value)})`);
      return n;
    },
  };
}

/** A quantity with a unit (units.ts), then `check` on the number. */
function unit(schema: Schema, read: (v: string | number) => number | UnitRefusal, check: (n: number) => string | undefined): Kind<number> {
  return {
    schema,
    check,
    parse(value, at) {
      if (typeof value !== 'string' && typeof value !== 'number') return void at.problem(`${at.name} must be text or a number (got ${got(value)})`);
      const n = read(value);
      if (n instanceof UnitRefusal) return void at.problem(n.message(at.name));
      const why = check(n);
      return why ? void at.problem(`${at.name} ${why}`) : n;
    },
  };
}

/** A time, in ms; `positive`: more than 0. A bare number is refused (units.ts). */
export function time(opts: { positive?: boolean } = {}): Kind<number> {
  const schema = { type: ['string', 'number'], description: 'a time such as 30s, 5m or 250ms (a bare number needs a unit; 0 is fine)' };
  return unit(schema, readDuration, (ms) => (opts.positive && !(ms > 0) ? 'must be more than 0' : !(ms >= 0) ? 'must be 0 or more' : undefined));
}

/** A size in bytes, at least `min`. */
export function size(min: number): Kind<number> {
  const schema = { type: ['string', 'number'], description: 'a size such as 1MiB, 512KiB or 2048 (bytes)' };
  return unit(schema, readSize, (n) => (Number.isInteger(n) && n >= min ? undefined : `must be at least ${min / 1024} KiB (got ${n} bytes)`));
}

/** A share in (0, 1]: `10%`, or a fraction `0.1`. */
export function share(): Kind<number> {
  const schema = { type: ['string', 'number'], description: 'a share such as 10% (or a fraction 0..1)' };
  return unit(schema, (v) => readShare(v, { fraction: true }), (n) => (n > 0 && n <= 1 ? undefined : `must be more than 0% and at most 100% (got ${got(n > 1 ? `${n * 100}%` : n)})`));
}

/** Text, not empty. */
export function text(): Kind<string> {
  return {
    schema: { type: 'string', minLength: 1 },
    parse(value, at) {
      if (typeof value !== 'string' || value.trim() === '') return void at.problem(`${at.name} must not be empty`);
      return value;
    },
  };
}

/** A switch: a flag without a value, `true`/`false` in a file. */
export function bool(): Kind<boolean> {
  return {
    schema: { type: 'boolean' },
    parse(value, at) {
      if (typeof value !== 'boolean') return void at.problem(`${at.name} must be true or false (got ${got(value)})`);
      return value;
    },
  };
}

/** A list: `a,b,c` as a flag, `[a, b, c]` in a file. */
export function list(items: Schema = { type: 'string' }): Kind<string[]> {
  return {
    schema: { type: 'array', items, uniqueItems: true },
    parse(value, at) {
      if (typeof value === 'string') return value.split(',').map((c) => c.trim()).filter(Boolean);
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
      return void at.problem(`${at.name} must be a list (got ${got(value)})`);
    },
  };
}

/**
 * An http(s):// or ws(s):// URL, by scheme. `want` names what is asked for
 * when it is not simply the schemes (`an http:// or https:// URL for an SSE
 * profile`); a stream's URL that is no URL at all gets the first two schemes as the example.
 */
export function url(schemes: readonly string[], want = `${schemes[0].startsWith('h') ? 'an' : 'a'} ${schemes.map((p) => `${p}//`).join(' or ')} URL`): Kind<string> {
  const check = (value: string) => {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      return schemes.includes('ws:') ? `${got(value)} is not a URL (expected ${schemes[0]}//host:port/path or ${schemes[1]}//...)` : `must be ${want} (got ${got(value)})`;
    }
    return schemes.includes(u.protocol) ? undefined : `must be ${want} (got ${u.protocol}//)`;
  };
  return {
    schema: { type: 'string', minLength: 1 },
    check,
    parse(value, at) {
      const why = typeof value === 'string' ? check(value) : `must be ${want} (got ${got(value)})`;
      return why ? void at.problem(`${at.name} ${why}`) : (value as string);
    },
  };
}

/** A number from `min` to `max` (either may be left open). */
export function num(min?: number, max?: number): Kind<number> {
  const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
  const check = (n: number) => (!Number.isFinite(n) || (min !== undefined && n < min) || (max !== undefined && n > max) ? `must be a number${range} (got ${n})` : undefined);
  return {
    schema: { type: 'number', ...(min === undefined ? {} : { minimum: min }), ...(max === undefined ? {} : { maximum: max }) },
    check,
    parse(value, at) {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
      if (check(n)) return void at.problem(`${at.name} must be a number${range} (got ${got(value)})`);
      return n;
    },
  };
}

/** One of a few words. */
export function oneOf<W extends string>(words: readonly W[]): Kind<W> {
  return {
    schema: { enum: [...words] },
    parse(value, at) {
      if (!(words as readonly unknown[]).includes(value)) return void at.problem(`${at.name} must be one of ${words.join(', ')} (got ${got(value)})`);
      return value as W;
    },
  };
}
