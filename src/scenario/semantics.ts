import { BenchError } from '../errors.js';
import { POLICY_PRESETS, type ReconnectPolicy } from './backoff.js';
import { parseFaults } from '../simulator/fault-spec.js';
import { DEFAULT_PROFILE, findProfile, profileNames } from '../profile/index.js';
import type { ReportFormat } from '../reporters/format-names.js';
import { parseTolerance, type BaselineMetricId, type Tolerances } from './tolerances.js';
import { parseDuration } from './duration.js';
import type { RunSettings } from './settings.js';
import { peakClients, stageProblems, stagesTotalMs, type ChaosSettings, type Stage } from './stages.js';
import { didYouMean } from '../source/suggest.js';
import { parseQuantity } from './quantity.js';

/** A scenario file, resolved: run settings, report options and baseline use. */
export interface Scenario {
  file: string;
  description?: string;
  /** Settings the file sets; the defaults fill the rest and flags override both. */
  settings: Partial<RunSettings>;
  out?: string;
  formats?: ReportFormat[];
  baseline?: { compare?: string; save?: string; tolerances: Tolerances };
}

type Env = Readonly<Record<string, string | undefined>>;
type Report = (pointer: string, message: string) => void;

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const HAS_ENV_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
const SECRET_NAME = /authorization|cookie|token|secret|pass|key|auth|sig|credential|session/i;

/**
 * The checks a JSON Schema cannot make, on data that passed (or partly
 * passed) it; `bad` holds pointers the schema already rejected, which are
 * skipped so one mistake is reported once. Returns the resolved scenario;
 * it is only used when no problem was reported.
 */
export function checkScenario(data: Record<string, unknown>, file: string, env: Env, bad: ReadonlySet<string>, report: Report): Scenario {
  const s: Partial<RunSettings> = {};
  const ok = (pointer: string) => !bad.has(pointer);
  const str = (k: string) => (typeof data[k] === 'string' && ok(`/${k}`) ? (data[k] as string) : undefined);
  const int = (k: string) => (Number.isInteger(data[k]) && ok(`/${k}`) ? (data[k] as number) : undefined);

  const time = (value: unknown, pointer: string): number | undefined => {
    if ((typeof value !== 'string' && typeof value !== 'number') || !ok(pointer)) return undefined;
    try {
      return parseDuration(String(value), pointer.split('/').pop()!);
    } catch (err) {
      if (!(err instanceof BenchError)) throw err;
      report(pointer, `${displayName(pointer)} must be a time such as 30s, 5m or 500ms (got ${JSON.stringify(value)})`);
      return undefined;
    }
  };
  /** `${NAME}` references replaced from the environment; an unset one is a problem. */
  const expand = (value: string, pointer: string): string =>
    value.replace(ENV_REF, (_, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') report(pointer, `${displayName(pointer)} refers to \${${name}}, which is not set in the environment`);
      return v ?? '';
    });

  // profile first: channels and faults are checked against it
  const profileName = str('profile') ?? DEFAULT_PROFILE;
  const profile = findProfile(profileName);
  if (str('profile') !== undefined) {
    if (profile) s.profile = profileName;
    else report('/profile', `profile "${profileName}" is unknown (known: ${profileNames().join(', ')})${didYouMean(profileName, profileNames())}`);
  }

  const url = (k: string, schemes: string[]): string | undefined => {
    const raw = str(k);
    if (raw === undefined) return undefined;
    literalSecretInUrl(raw, `/${k}`, report);
    const value = expand(raw, `/${k}`);
    // an unset ${NAME} is already reported; "is not a URL" would only repeat it
    if ([...raw.matchAll(ENV_REF)].some(([, name]) => !env[name])) return undefined;
    let u: URL | undefined;
    try {
      u = new URL(value);
    } catch {
      report(`/${k}`, `${k} ${JSON.stringify(raw)} is not a URL`);
      return undefined;
    }
    if (!schemes.includes(u.protocol)) report(`/${k}`, `${k} must be a ${schemes.map((p) => `${p}//`).join(' or ')} URL (got ${u.protocol}//)`);
    return value;
  };
  s.target = url('target', ['ws:', 'wss:']);
  s.fallbackUrl = url('fallbackUrl', ['http:', 'https:']);
  s.metricsUrl = url('metricsUrl', ['http:', 'https:']);
  s.serverPid = int('serverPid');
  s.clients = int('clients');
  s.minClients = int('minClients');
  s.durationMs = time(data.duration, '/duration');
  s.rampMs = time(data.ramp, '/ramp');
  s.connectTimeoutMs = time(data.connectTimeout, '/connectTimeout');
  if (typeof data.insecure === 'boolean') s.insecure = data.insecure;

  if (Array.isArray(data.stages) && ok('/stages')) {
    const stages: Stage[] = [];
    data.stages.forEach((st: Record<string, unknown>, i: number) => {
      const durationMs = time(st?.duration, `/stages/${i}/duration`);
      if (durationMs !== undefined && Number.isInteger(st.clients)) stages.push({ durationMs, clients: st.clients as number });
    });
    if (stages.length === data.stages.length) {
      for (const p of stageProblems(stages)) report('/stages', p);
      s.stages = stages;
      // A staged run's length is its stages; the ramp is part of them.
      s.durationMs = stagesTotalMs(stages);
      s.rampMs = 0;
      const peak = peakClients(stages);
      if (s.clients !== undefined && s.clients !== peak) report('/clients', `clients ${s.clients} differs from the stages' peak of ${peak}; drop clients (the stages set it) or make them agree`);
      s.clients = peak;
    }
    for (const k of ['duration', 'ramp']) if (data[k] !== undefined) report(`/${k}`, `${k} and stages both shape the run; stages replace ramp and duration, so drop ${k}`);
  }

  if (Array.isArray(data.channels) && ok('/channels') && profile) {
    const known = profile.channels.map((c) => c.channel);
    data.channels.forEach((c: unknown, i: number) => {
      if (typeof c === 'string' && !known.includes(c)) report(`/channels/${i}`, `channel "${c}" is unknown to profile ${profile.name} (known: ${known.join(', ')})${didYouMean(c, known)}`);
    });
    s.channels = data.channels.filter((c): c is string => typeof c === 'string');
  }

  if (data.headers && typeof data.headers === 'object' && ok('/headers')) {
    const headers: Record<string, string> = {};
    for (const [name, raw] of Object.entries(data.headers as Record<string, unknown>)) {
      if (typeof raw !== 'string') continue;
      const pointer = `/headers/${name}`;
      if (SECRET_NAME.test(name) && !HAS_ENV_REF.test(raw)) {
        report(pointer, `headers.${name} holds a literal secret; scenario files are shared, so refer to the environment instead, e.g. ${name}: "Bearer \${LSB_TOKEN}"`);
      }
      headers[name] = expand(raw, pointer);
    }
    s.headers = headers;
  }

  if (data.reconnect !== undefined && ok('/reconnect')) s.policy = policy(data.reconnect, time, report);

  const sim = data.simulator as { faults?: unknown; seed?: unknown } | undefined;
  if (sim && typeof sim === 'object' && ok('/simulator')) {
    if (Number.isInteger(sim.seed) && ok('/simulator/seed')) s.seed = sim.seed as number;
    if (Array.isArray(sim.faults) && ok('/simulator/faults')) {
      const faults = sim.faults.filter((f): f is string => typeof f === 'string');
      if (data.target !== undefined && faults.length > 0) report('/simulator/faults', 'simulator faults apply to the embedded simulator only; drop them or drop target');
      if (profile) {
        faults.forEach((f, i) => {
          try {
            parseFaults([f], profile);
          } catch (err) {
            if (!(err instanceof BenchError)) throw err;
            report(`/simulator/faults/${i}`, err.message);
          }
        });
      }
      s.simulatorFaults = faults;
    }
  }

  // Kept as their text, keyed by criterion id: the verdict reads them (file.ts hands them to its checks).
  if (data.thresholds && typeof data.thresholds === 'object' && ok('/thresholds')) {
    const texts: Record<string, string> = {};
    for (const [id, text] of Object.entries(data.thresholds as Record<string, unknown>)) {
      if (ok(`/thresholds/${id}`) && (typeof text === 'string' || typeof text === 'number')) texts[id] = String(text);
    }
    s.thresholds = texts;
  }

  const chaos = data.chaos as Record<string, unknown> | undefined;
  if (chaos && typeof chaos === 'object' && ok('/chaos')) {
    const cut = typeof chaos.cut === 'number' ? chaos.cut : typeof chaos.cut === 'string' ? parseQuantity(chaos.cut, 'share') : undefined;
    if (cut === undefined && chaos.cut !== undefined && ok('/chaos/cut')) report('/chaos/cut', `chaos.cut must be a share such as 10% (got ${JSON.stringify(chaos.cut)})`);
    else if (cut !== undefined && !(cut > 0 && cut <= 1)) report('/chaos/cut', `chaos.cut must be more than 0% and at most 100% (got ${JSON.stringify(chaos.cut)})`);
    const c: ChaosSettings = { cutShare: cut ?? 0, mode: (chaos.mode as ChaosSettings['mode']) ?? 'both' };
    const atMs = time(chaos.at, '/chaos/at');
    const everyMs = time(chaos.every, '/chaos/every');
    if (atMs !== undefined) c.atMs = atMs;
    if (everyMs !== undefined) c.everyMs = everyMs;
    if (everyMs === 0) report('/chaos/every', 'chaos.every must be more than 0');
    s.chaos = c;
  }

  const scenario: Scenario = { file, settings: dropUndefined(s) };
  if (typeof data.description === 'string') scenario.description = data.description;
  if (str('out') !== undefined) scenario.out = str('out');
  if (Array.isArray(data.formats) && ok('/formats')) scenario.formats = data.formats as ReportFormat[];

  const b = data.baseline as Record<string, unknown> | undefined;
  if (b && typeof b === 'object' && ok('/baseline')) {
    const tolerances: Tolerances = {};
    const tol = b.tolerances as Record<string, unknown> | undefined;
    if (tol && typeof tol === 'object' && ok('/baseline/tolerances')) {
      for (const [metric, text] of Object.entries(tol)) {
        if (!ok(`/baseline/tolerances/${metric}`) || (typeof text !== 'string' && typeof text !== 'number')) continue;
        const t = parseTolerance(metric, text);
        if (typeof t === 'string') report(`/baseline/tolerances/${metric}`, t);
        else tolerances[metric as BaselineMetricId] = t;
      }
    }
    scenario.baseline = { tolerances };
    if (typeof b.compare === 'string') scenario.baseline.compare = b.compare;
    if (typeof b.save === 'string') scenario.baseline.save = b.save;
  }
  return scenario;
}

function policy(value: unknown, time: (v: unknown, p: string) => number | undefined, report: Report): ReconnectPolicy | undefined {
  if (typeof value === 'string') {
    const preset = POLICY_PRESETS[value];
    if (!preset) report('/reconnect', `reconnect "${value}" is not a preset (${Object.keys(POLICY_PRESETS).join(', ')}); for your own, write {initial: 1s, factor: 2, cap: 10s, attempts: 5}${didYouMean(value, Object.keys(POLICY_PRESETS))}`);
    return preset;
  }
  const o = value as Record<string, unknown>;
  const initialMs = time(o.initial, '/reconnect/initial');
  const maxMs = time(o.cap, '/reconnect/cap');
  if (initialMs === undefined || maxMs === undefined || typeof o.factor !== 'number' || !Number.isInteger(o.attempts)) return undefined;
  if (maxMs < initialMs) report('/reconnect/cap', 'reconnect.cap must be at least reconnect.initial');
  return { initialMs, factor: o.factor, maxMs, maxAttempts: o.attempts as number, jitter: typeof o.jitter === 'number' ? o.jitter : 0 };
}

/** A URL with a password or a secret-named query parameter typed into the file. */
function literalSecretInUrl(raw: string, pointer: string, report: Report): void {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return;
  }
  const literal = (v: string) => v !== '' && !HAS_ENV_REF.test(safeDecode(v));
  const secretParams = [...u.searchParams.entries()].filter(([k, v]) => SECRET_NAME.test(k) && literal(v)).map(([k]) => k);
  if (literal(u.password) || secretParams.length > 0) {
    report(pointer, `${displayName(pointer)} holds a literal credential (${u.password ? 'a password' : secretParams.join(', ')}); refer to the environment instead, e.g. ?token=\${LSB_TOKEN}`);
  }
}

function displayName(pointer: string): string {
  return pointer.split('/').slice(1).reduce((a, s) => (/^\d+$/.test(s) ? `${a}[${s}]` : a ? `${a}.${s}` : s), '');
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
