import randexpModule from 'randexp';
import type { JsonSchema } from '../profile/index.js';
import { mulberry32 } from './prng.js';
import type { Draw } from './smooth-noise.js';

/**
 * Payload values drawn from a JSON Schema, as pure functions of a noise
 * source and a tick index: `minimum`/`maximum` (and the exclusive ones),
 * `multipleOf`, `enum`, `const`, string `pattern` (randexp, fed by the
 * seeded PRNG), `minLength`/`maxLength`, `format: uuid | date-time`,
 * integer vs number, booleans, nested objects and arrays. The annotation
 * `examples` gives the centre a number wanders around (two or more: the
 * band between the least and the greatest), or the strings to use:
 *
 *   { type: integer, minimum: 0, examples: [801000] }
 *     -> 801000 +- 3 %: 777000 .. 825000, moving a little every tick
 *   { type: number, minimum: 90, maximum: 110 }  -> anywhere in 90 .. 110
 *   { type: integer, minimum: 0 }                -> 0 .. 1000
 *   { type: string, examples: [up, down] }       -> up or down, for 16 ticks at a time
 *
 * Numbers move smoothly (smooth-noise.ts), plus a fifth of fresh jitter.
 * Strings cannot move smoothly, so they hold still between two knots.
 */

/**
 * randexp (CommonJS) sets `module.exports` to its class, so Node's ESM
 * default import is the class itself; its typings declare an ES `default`
 * export instead, which TypeScript under NodeNext reads as `.default` of
 * that import. Either way round, this is the class.
 */
type RandExpClass = typeof randexpModule.default;
const RandExp: RandExpClass = (randexpModule as unknown as { default?: RandExpClass }).default ?? (randexpModule as unknown as RandExpClass);

/** Share of the wander that is fresh each tick. */
const JITTER = 0.2;
/** One example: wander this share of it either side. */
const EXAMPLE_SPREAD = 0.03;
/** A range open on a side spans this much. */
const OPEN_SPAN = 1000;
/** Rising counters count ticks from 2024-01-01, so they look like a young counter. */
const GENESIS_MS = Date.UTC(2024, 0, 1);
/** Longest repetition randexp draws for `*` and `+`. */
const PATTERN_MAX_REPEAT = 8;

/** What the invariant repair needs to know of a number field. */
export interface NumberField {
  readonly lo: number;
  readonly hi: number;
  /** The smallest move that keeps the value valid: 1 for integers. */
  readonly step: number;
  readonly centre: number;
  /** How far either side of the centre it wanders. */
  readonly half: number;
  readonly rising: boolean;
}

export type Generate = (draw: Draw) => unknown;

export interface CompiledSchema {
  readonly generate: Generate;
  /** Number fields by dotted path (`a`, `a.b`). */
  readonly numbers: ReadonlyMap<string, NumberField>;
}

export interface CompileOptions {
  /** Top-level fields that rise tick by tick. */
  readonly rising?: readonly string[];
  /** Nominal gap between ticks, for rising counters and date-times. */
  readonly intervalMs?: number;
}

type Schema = Record<string, unknown>;

class Compiler {
  private streams = 0;
  readonly numbers = new Map<string, NumberField>();

  constructor(private readonly options: CompileOptions) {}

  compile(raw: Schema, path: string): Generate {
    const schema = flatten(raw);
    if ('const' in schema) return () => structuredClone(schema.const);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return this.enumeration(schema.enum);
    switch (typeOf(schema)) {
      case 'object':
        return this.object(schema, path);
      case 'array':
        return this.array(schema, path);
      case 'integer':
        return this.number(schema, path, true);
      case 'number':
        return this.number(schema, path, false);
      case 'boolean': {
        const s = this.streams++;
        return (d) => d.smooth(s) < 0.5;
      }
      case 'string':
        return this.string(schema, path);
      default:
        return () => null;
    }
  }

  private enumeration(values: unknown[]): Generate {
    const s = this.streams++;
    return (d) => structuredClone(values[Math.min(values.length - 1, Math.floor((0.7 * d.smooth(s) + 0.3 * d.jitter(s)) * values.length))]);
  }

  private object(schema: Schema, path: string): Generate {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const fields = Object.entries(properties).map(([name, sub]) => [name, this.compile(sub, path ? `${path}.${name}` : name)] as const);
    return (d) => {
      const out: Record<string, unknown> = {};
      for (const [name, gen] of fields) out[name] = gen(d);
      return out;
    };
  }

  private array(schema: Schema, path: string): Generate {
    const item = this.compile((schema.items as Schema | undefined) ?? {}, `${path}[]`);
    const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
    const length = Math.min(min, typeof schema.maxItems === 'number' ? schema.maxItems : min);
    return (d) => Array.from({ length }, () => item(d));
  }

  private number(schema: Schema, path: string, integer: boolean): Generate {
    const s = this.streams++;
    const rising = !path.includes('.') && (this.options.rising ?? []).includes(path);
    const multipleOf = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
    const field = numberField(schema, integer, multipleOf, rising);
    this.numbers.set(path, field);
    const { lo, hi, step } = field;
    const fit = (v: number): number => {
      const snapped = multipleOf ? Math.round(v / multipleOf) * multipleOf : integer ? Math.round(v) : Number(v.toFixed(decimals(step)));
      return Math.min(hi, Math.max(lo, snapped));
    };
    if (rising) {
      const interval = this.options.intervalMs ?? 1000;
      const genesis = Math.floor(GENESIS_MS / interval);
      const from = Number.isFinite(lo) ? lo : 0;
      const span = Number.isFinite(hi) ? Math.floor((hi - from) / step) + 1 : Infinity;
      // Wraps only when the schema's maximum leaves no room to rise further.
      return (d) => fit(from + (Math.max(0, d.index - genesis) % span) * step);
    }
    const half = field.half;
    return (d) => fit(field.centre + half * ((1 - JITTER) * (2 * d.smooth(s) - 1) + JITTER * (2 * d.jitter(s) - 1)));
  }

  private string(schema: Schema, path: string): Generate {
    const s = this.streams++;
    const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
    const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
    const sized = (text: string, rng: () => number): string => {
      let out = text;
      while (out.length < min) out += String(Math.floor(rng() * 10));
      return out.length > max ? out.slice(0, max) : out;
    };
    // String examples are the values to use, held between knots (unless a pattern says otherwise).
    const examples = (Array.isArray(schema.examples) ? schema.examples : []).filter((e): e is string => typeof e === 'string' && e.length >= min && e.length <= max);
    if (examples.length > 0 && typeof schema.pattern !== 'string') return (d) => examples[d.held(s) % examples.length];
    if (schema.format === 'uuid') return (d) => uuid(mulberry32(d.held(s)));
    if (schema.format === 'date-time') return (d) => new Date(d.index * (this.options.intervalMs ?? 1000)).toISOString();
    if (typeof schema.pattern === 'string') {
      const pattern = new RandExp(schema.pattern);
      pattern.max = PATTERN_MAX_REPEAT;
      return (d) => {
        const rng = mulberry32(d.held(s));
        pattern.randInt = (a: number, b: number) => a + Math.floor(rng() * (b - a + 1));
        // A length bound the pattern does not say itself: draw again a few times.
        let text = pattern.gen();
        for (let i = 0; i < 8 && (text.length < min || text.length > max); i++) text = pattern.gen();
        return text;
      };
    }
    const word = path.split('.').pop()!.replace(/\W+/g, '') || 'value';
    return (d) => {
      const rng = mulberry32(d.held(s));
      return sized(`${word}-${1 + Math.floor(rng() * 99)}`, rng);
    };
  }
}

/** allOf merged in, the first branch of anyOf / oneOf taken. */
function flatten(schema: Schema): Schema {
  let out: Schema = { ...schema };
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = out[key];
    if (!Array.isArray(list) || list.length === 0) continue;
    delete out[key];
    const parts = (key === 'allOf' ? list : [list[0]]) as Schema[];
    for (const part of parts) out = { ...out, ...flatten(part) };
  }
  return out;
}

function typeOf(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t.find((x) => x !== 'null') as string | undefined) ?? 'null';
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  if ('minimum' in schema || 'maximum' in schema) return 'number';
  if ('pattern' in schema || 'minLength' in schema || 'format' in schema) return 'string';
  return undefined;
}

function decimals(step: number): number {
  return Math.max(0, Math.round(-Math.log10(step)));
}

function numberField(schema: Schema, integer: boolean, multipleOf: number | undefined, rising: boolean): NumberField {
  const num = (k: string): number | undefined => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  const min = num('minimum');
  const max = num('maximum');
  const xmin = num('exclusiveMinimum');
  const xmax = num('exclusiveMaximum');
  const examples = (Array.isArray(schema.examples) ? schema.examples : []).filter((e): e is number => typeof e === 'number' && Number.isFinite(e));
  // The band first: the step of a number follows its width (3 decimals of a 0..1 range).
  let centre: number;
  let half: number;
  const loRaw = Math.max(min ?? -Infinity, xmin ?? -Infinity);
  const hiRaw = Math.min(max ?? Infinity, xmax ?? Infinity);
  if (examples.length >= 2) {
    const a = Math.min(...examples);
    const b = Math.max(...examples);
    centre = (a + b) / 2;
    half = (b - a) / 2;
  } else if (examples.length === 1) {
    centre = examples[0];
    half = Math.abs(centre) * EXAMPLE_SPREAD || 1;
  } else if (Number.isFinite(loRaw) && Number.isFinite(hiRaw)) {
    centre = (loRaw + hiRaw) / 2;
    half = (hiRaw - loRaw) / 2;
  } else if (Number.isFinite(loRaw)) {
    centre = loRaw + OPEN_SPAN / 2;
    half = OPEN_SPAN / 2;
  } else if (Number.isFinite(hiRaw)) {
    centre = hiRaw - OPEN_SPAN / 2;
    half = OPEN_SPAN / 2;
  } else {
    centre = OPEN_SPAN / 2;
    half = OPEN_SPAN / 2;
  }
  const step = multipleOf ?? (integer ? 1 : 10 ** Math.min(-2, Math.floor(Math.log10(Math.max(half, 1e-9))) - 2));
  // Exclusive bounds and multiples become inclusive bounds on the grid.
  const grid = multipleOf ?? (integer ? 1 : undefined);
  let lo = loRaw;
  let hi = hiRaw;
  if (grid) {
    if (Number.isFinite(lo)) lo = Math.ceil(lo / grid) * grid + (xmin !== undefined && Math.ceil(lo / grid) * grid === xmin ? grid : 0);
    if (Number.isFinite(hi)) hi = Math.floor(hi / grid) * grid - (xmax !== undefined && Math.floor(hi / grid) * grid === xmax ? grid : 0);
  } else {
    if (xmin !== undefined && lo === xmin) lo += step;
    if (xmax !== undefined && hi === xmax) hi -= step;
  }
  return { lo, hi, step, centre: Math.min(hi, Math.max(lo, centre)), half, rising };
}

function uuid(rng: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(rng() * 4) + 8) as number).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Compiles a payload schema once; `generate` is then a pure function of the draw. */
export function compileSchema(schema: JsonSchema, options: CompileOptions = {}): CompiledSchema {
  const compiler = new Compiler(options);
  const generate = compiler.compile(schema, '');
  return { generate, numbers: compiler.numbers };
}
