import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { BenchError } from '../errors.js';
import { fileProblem } from '../read-input.js';
import { findProfile, profileNames, type TargetProfile } from '../profile/index.js';
import { parseFormats, REPORT_FORMATS, type ReportFormat } from './format-names.js';
import { parseFaults } from '../source/fault-spec.js';
import { list, text, time, url, whole, type At, type Kind } from './option-kinds.js';
import { parseSlice, type Slice } from './slice.js';
import type { Stage } from './stages.js';
import { didYouMean } from '../source/suggest.js';
import type { ThresholdTexts } from './settings.js';
import { BASELINE_METRIC_IDS, parseTolerance, parseToleranceFlag, type BaselineMetricId, type Tolerances } from './tolerances.js';

/** The kinds only one option takes: what a value means beyond its shape. */

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const HAS_ENV_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
const SECRET_NAME = /authorization|cookie|token|secret|pass|key|auth|sig|credential|session/i;
const strict = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, additionalProperties: false, ...extra });

/** `${NAME}` replaced from the environment, in a scenario file only; an unset one is a problem. */
function expand(value: string, at: At, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (at.source !== 'scenario') return value;
  let unset = false;
  const out = value.replace(ENV_REF, (_, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') {
      unset = true;
      at.problem(`${at.name} refers to \${${name}}, which is not set in the environment`);
    }
    return v ?? '';
  });
  return unset ? undefined : out;
}

/** A URL that, in a scenario file, holds no literal credential and may refer to `${NAME}`. */
export function secretUrl(schemes: readonly string[], want?: string): Kind<string> {
  const plain = url(schemes, want);
  return {
    schema: plain.schema,
    check: plain.check,
    parse(value, at, ctx) {
      if (typeof value === 'string' && at.source === 'scenario') literalSecretInUrl(value, at);
      const v = typeof value === 'string' ? expand(value, at, ctx.env) : value;
      return v === undefined ? undefined : plain.parse(v, at, ctx);
    },
  };
}

/** The schemes a stream's URL may have, by the profile's transport. */
const WEBSOCKET_TARGET = secretUrl(['ws:', 'wss:']);
// an SSE stream is an HTTP GET; ws:// and wss:// name the same http:// and https:// targets (engine/stream-url.ts)
const SSE_TARGET = secretUrl(['http:', 'https:', 'ws:', 'wss:'], 'an http:// or https:// URL for an SSE profile');

/** Problems with a stream's URL for a stream of this transport, or undefined: `learn` and the run share it. */
export function targetProblem(value: string, transport: TargetProfile['transport']): string | undefined {
  return (transport === 'sse' ? SSE_TARGET : WEBSOCKET_TARGET).check!(value);
}

/**
 * `--target`: the stream's URL, by the run's profile: ws:// or wss:// for
 * a WebSocket stream, http:// or https:// (or the ws spellings) for an SSE
 * one. The profile is read before the target in a scenario and from the
 * flags alike (semantics.ts, flags.ts), and settings made in code are
 * checked against theirs (settings.ts).
 */
export const target: Kind<string> = {
  schema: WEBSOCKET_TARGET.schema,
  check: (value, ctx) => targetProblem(value, ctx?.profile?.transport ?? 'websocket'),
  parse: (value, at, ctx) => (ctx.profile?.transport === 'sse' ? SSE_TARGET : WEBSOCKET_TARGET).parse(value, at, ctx),
};

/** A URL with a password or a secret-named query parameter typed into the file. */
function literalSecretInUrl(raw: string, at: At): void {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return;
  }
  const literal = (v: string) => v !== '' && !HAS_ENV_REF.test(safeDecode(v));
  const secretParams = [...u.searchParams.entries()].filter(([k, v]) => SECRET_NAME.test(k) && literal(v)).map(([k]) => k);
  if (literal(u.password) || secretParams.length > 0) {
    at.problem(`${at.name} holds a literal credential (${u.password ? 'a password' : secretParams.join(', ')}); refer to the environment instead, e.g. ?token=\${LSB_TOKEN}`);
  }
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** `--header "Name: value"` (repeatable), or `headers: { Name: value }` with secrets by `${NAME}` only. */
export const headers: Kind<Record<string, string>> = {
  schema: { type: 'object', additionalProperties: { type: 'string' } },
  parse(value, at, ctx) {
    const out: Record<string, string> = {};
    if (Array.isArray(value)) {
      for (const h of value as string[]) {
        const i = h.indexOf(':');
        if (i <= 0) at.problem(`${at.name} must look like "Name: value" (got a value without a name)`);
        else out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
      }
      return out;
    }
    for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
      const hat = at.part(name);
      if (typeof raw !== 'string' || hat.refused) continue;
      if (SECRET_NAME.test(name) && !HAS_ENV_REF.test(raw)) hat.problem(`${hat.name} holds a literal secret; scenario files are shared, so refer to the environment instead, e.g. ${name}: "Bearer \${LSB_TOKEN}"`);
      out[name] = expand(raw, hat, ctx.env) ?? '';
    }
    return out;
  },
};

/** `--token-env VAR`: the Authorization header from the environment. */
export const tokenEnv: Kind<Record<string, string>> = {
  schema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  parse(value, at, ctx) {
    const name = String(value);
    const token = ctx.env[name];
    if (!token) return void at.problem(`${at.name} names ${name}, which is not set in the environment`);
    return { Authorization: `Bearer ${token}` };
  },
};

/** `--ca <file>`: the PEM text, checked, since Node silently ignores a CA that is not PEM. */
export const caFile: Kind<string> = {
  schema: { type: 'string', minLength: 1 },
  parse(value, at) {
    const path = String(value);
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch (err) {
      return void at.problem(`${at.name} ${path}: ${fileProblem(err)}`);
    }
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (!blocks) return void at.problem(`${at.name} ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch {
        return void at.problem(`${at.name} ${path} holds a certificate that cannot be parsed`);
      }
    }
    return pem;
  },
};

/** A profile: a built-in by name, or a YAML/JSON file (checked when it is read). */
export const profileName: Kind<string> = {
  schema: text().schema,
  check(ref) {
    try {
      if (findProfile(ref)) return undefined;
    } catch (err) {
      if (!(err instanceof BenchError)) throw err;
      // a file that cannot be read names itself already: `profile x.yaml: no such file` -> `--profile x.yaml: no such file`
      const own = `profile ${ref}: `;
      return err.message.startsWith(own) ? `${ref}: ${err.message.slice(own.length)}` : `${JSON.stringify(ref)}: ${err.message}`;
    }
    return `${JSON.stringify(ref)} is unknown (known: ${profileNames().join(', ')}, or a profile file)${didYouMean(ref, profileNames())}`;
  },
  parse(value, at) {
    const why = profileName.check!(String(value));
    return why ? void at.problem(`${at.name} ${why}`) : String(value);
  },
};

/** Channels of the run's profile. */
export const channels: Kind<string[]> = {
  schema: list().schema,
  parse(value, at, ctx) {
    const names = list().parse(value, at, ctx);
    if (!names || !ctx.profile) return names;
    const known = ctx.profile.channels.map((c) => c.channel);
    let ok = true;
    names.forEach((c, i) => {
      if (known.includes(c)) return;
      ok = false;
      (at.source === 'scenario' ? at.part(i) : at).problem(`channel "${c}" is unknown (known: ${known.join(', ')})${didYouMean(c, known)}`);
    });
    return ok ? names : undefined;
  },
};

/** A local process id, which must exist. */
export const processId: Kind<number> = {
  schema: whole(1).schema,
  parse(value, at, ctx) {
    const pid = whole(1).parse(value, at, ctx);
    if (pid !== undefined && !existsSync(`/proc/${pid}/stat`)) return void at.problem(`${at.name} ${pid}: no such process on this machine`);
    return pid;
  },
};

/** `--shard i/n`. */
export const shard: Kind<Slice> = {
  schema: { type: 'string', pattern: '^\\d+/\\d+$' },
  check: (s) => (Number.isInteger(s.index) && Number.isInteger(s.count) && s.index >= 0 && s.index < s.count ? undefined : 'must be i/n with 1 <= i <= n'),
  parse(value, at) {
    const s = parseSlice(String(value));
    if (!s) return void at.problem(`${at.name} must be i/n with 1 <= i <= n, e.g. 2/4 (got ${JSON.stringify(value)})`);
    return s;
  },
};

/** Simulator faults, as `serve --fault`, checked against the run's profile. */
export const faults: Kind<string[]> = {
  schema: { type: 'array', items: { type: 'string' } },
  parse(value, at, ctx) {
    const specs = (Array.isArray(value) ? value : [value]).map(String);
    if (!ctx.profile) return specs;
    const tries = at.source === 'scenario' ? specs.map((f, i) => [[f], at.part(i)] as const) : [[specs, at] as const];
    let ok = true;
    for (const [some, where] of tries) {
      try {
        parseFaults(some, ctx.profile);
      } catch (err) {
        if (!(err instanceof BenchError)) throw err;
        ok = false;
        where.problem(err.message);
      }
    }
    return ok ? specs : undefined;
  },
};

/** `stages: [{ duration, clients }]` (scenario files only). */
export const stages: Kind<Stage[]> = {
  schema: { type: 'array', minItems: 1, items: strict({ duration: time().schema, clients: { type: 'integer', minimum: 0 } }, { required: ['duration', 'clients'] }) },
  parse(value, at, ctx) {
    const out: Stage[] = [];
    (value as Array<Record<string, unknown>>).forEach((st, i) => {
      const dat = at.part(i).part('duration');
      if (at.part(i).refused || dat.refused) return;
      const durationMs = time().parse(st?.duration, dat, ctx);
      if (durationMs !== undefined && Number.isInteger(st.clients)) out.push({ durationMs, clients: st.clients as number });
    });
    return out.length === (value as unknown[]).length ? out : undefined;
  },
};

/**
 * `thresholds: { latency: p99 < 500ms, ... }` (scenario files only), kept
 * as their text keyed by criterion id: the verdict knows the ids and reads
 * the lines (file.ts hands them to its checks), so the scenario never
 * imports it.
 */
export const thresholds: Kind<ThresholdTexts> = {
  schema: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
  parse(value, at) {
    const out: Record<string, string> = {};
    for (const [id, line] of Object.entries(value as Record<string, unknown>)) {
      if (at.part(id).refused || (typeof line !== 'string' && typeof line !== 'number')) continue;
      out[id] = String(line);
    }
    return out;
  },
};

/** `--format json,md` or `formats: [json, md]`. */
export const formats: Kind<ReportFormat[]> = {
  schema: { type: 'array', items: { enum: [...REPORT_FORMATS] }, uniqueItems: true, minItems: 1 },
  parse(value, at) {
    if (Array.isArray(value)) return value as ReportFormat[];
    try {
      return parseFormats(String(value), at.name);
    } catch (err) {
      if (!(err instanceof BenchError)) throw err;
      return void at.problem(err.message);
    }
  },
};

/** `--tolerance metric=tol` (repeatable) or `baseline.tolerances: { metric: tol }`. */
export const tolerances: Kind<Tolerances> = {
  schema: strict(Object.fromEntries(BASELINE_METRIC_IDS.map((id) => [id, { type: ['string', 'number'] }]))),
  parse(value, at) {
    const out: Tolerances = {};
    const pairs: Array<[string, string | number, At]> = Array.isArray(value)
      ? (value as string[]).map((f) => [f, '', at])
      : Object.entries(value as Record<string, string | number>).map(([m, t]) => [m, t, at.part(m)]);
    for (const [metric, tol, where] of pairs) {
      if (where.refused) continue;
      const t = Array.isArray(value) ? parseToleranceFlag(metric) : parseTolerance(metric, tol);
      if (typeof t === 'string') where.problem(t);
      else if ('metric' in t) out[t.metric] = t.tolerance;
      else out[metric as BaselineMetricId] = t;
    }
    return out;
  },
};
