import type { Tolerances } from './tolerances.js';
import { DEFAULT_PROFILE, findProfile } from '../profile/index.js';
import type { ReportFormat } from './format-names.js';
import { scenarioAt, type OptionContext } from './option-kinds.js';
import { applyOption, OPTIONS, type OptionValues } from './options.js';
import type { RunSettings } from './settings.js';
import type { DashboardAddress, ExportSpec } from './live-specs.js';
import { peakClients, stageProblems, stagesTotalMs } from './stages.js';

/** A scenario file, resolved: run settings, report options and baseline use. */
export interface Scenario {
  file: string;
  description?: string;
  /** Settings the file sets; the defaults fill the rest and flags override both. */
  settings: Partial<RunSettings>;
  out?: string;
  json?: boolean;
  formats?: ReportFormat[];
  baseline?: { compare?: string; save?: string; tolerances: Tolerances };
  dashboard?: DashboardAddress;
  exports?: ExportSpec[];
}

type Env = Readonly<Record<string, string | undefined>>;
type Report = (pointer: string, message: string) => void;

/** Fields of the table that are not run settings. */
export const REPORT_FIELDS: readonly (keyof OptionValues)[] = ['scenario', 'description', 'out', 'json', 'formats', 'baseline', 'saveBaseline', 'tolerances', 'dashboard', 'exports'];

function valueAt(data: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[k] : undefined), data);
}

/**
 * The checks a JSON Schema cannot make, on data that passed (or partly
 * passed) it: each key by its option's parser (options.ts), then the rules
 * between keys. `bad` holds pointers the schema already rejected, which are
 * skipped so one mistake is reported once. Returns the resolved scenario;
 * it is only used when no problem was reported.
 */
export function checkScenario(data: Record<string, unknown>, file: string, env: Env, bad: ReadonlySet<string>, report: Report): Scenario {
  // profile first: channels and faults are checked against it
  const profile = knownProfile(typeof data.profile === 'string' ? data.profile : DEFAULT_PROFILE);
  const ctx: OptionContext = { env, profile };
  const values: Partial<OptionValues> = {};
  for (const o of OPTIONS) {
    if (!o.key) continue;
    const raw = valueAt(data, o.key);
    const pointer = `/${o.key.split('.').join('/')}`;
    const refused = [...bad].some((b) => pointer === b || pointer.startsWith(`${b}/`));
    if (raw === undefined || refused) continue;
    const value = o.kind.parse(raw, scenarioAt(pointer, report, bad), ctx);
    if (value !== undefined) applyOption(o, value, values);
  }
  crossRules(data, values, bad, report);
  return toScenario(file, values);
}

/** The profile a reference names, or undefined when it names none (the profile option says why). */
function knownProfile(ref: string) {
  try {
    return findProfile(ref);
  } catch {
    return undefined;
  }
}

/** The few rules between keys. */
function crossRules(data: Record<string, unknown>, v: Partial<OptionValues>, bad: ReadonlySet<string>, report: Report): void {
  if (Array.isArray(data.stages) && !bad.has('/stages')) {
    if (v.stages) {
      for (const p of stageProblems(v.stages)) report('/stages', p);
      // A staged run's length is its stages; the ramp is part of them.
      v.durationMs = stagesTotalMs(v.stages);
      v.rampMs = 0;
      const peak = peakClients(v.stages);
      if (v.clients !== undefined && v.clients !== peak) report('/clients', `clients ${v.clients} differs from the stages' peak of ${peak}; drop clients (the stages set it) or make them agree`);
      v.clients = peak;
    }
    for (const k of ['duration', 'ramp']) if (data[k] !== undefined) report(`/${k}`, `${k} and stages both shape the run; stages replace ramp and duration, so drop ${k}`);
  }
  // a `concurrency` line against `minClients` is checked with the thresholds (file.ts, the verdict's checks)
  const faults = (data.simulator as Record<string, unknown> | undefined)?.faults;
  if (data.target !== undefined && Array.isArray(faults) && faults.length > 0) report('/simulator/faults', 'simulator faults apply to the embedded simulator only; drop them or drop target');
}

function toScenario(file: string, v: Partial<OptionValues>): Scenario {
  const settings: Record<string, unknown> = { ...v };
  for (const f of REPORT_FIELDS) delete settings[f];
  const scenario: Scenario = { file, settings: settings as Partial<RunSettings> };
  if (v.description !== undefined) scenario.description = v.description;
  if (v.out !== undefined) scenario.out = v.out;
  if (v.json !== undefined) scenario.json = v.json;
  if (v.formats !== undefined) scenario.formats = v.formats;
  if (v.dashboard !== undefined) scenario.dashboard = v.dashboard;
  if (v.exports !== undefined) scenario.exports = v.exports;
  if (v.baseline !== undefined || v.saveBaseline !== undefined || v.tolerances !== undefined) {
    scenario.baseline = { tolerances: v.tolerances ?? {} };
    if (v.baseline !== undefined) scenario.baseline.compare = v.baseline;
    if (v.saveBaseline !== undefined) scenario.baseline.save = v.saveBaseline;
  }
  return scenario;
}
