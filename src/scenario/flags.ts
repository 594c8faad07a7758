import { usageError } from '../errors.js';
import { findProfile } from '../profile/index.js';
import { flagAt, type OptionContext } from './option-kinds.js';
import { applyOption, flagAttribute, OPTIONS, type OptionValues } from './options.js';
import { overrideStages } from './override.js';
import { REPORT_FIELDS, type Scenario } from './semantics.js';
import { assertValid, defaultSettings, type RunSettings } from './settings.js';

/** Flag values as commander hands them over, by attribute name (`maxFrame`, `simFault`). */
export type RunFlags = Readonly<Record<string, string | string[] | boolean | undefined>>;

/** The flag's value as its parser takes it, or undefined when the flag was not given. */
function given(flags: RunFlags, o: (typeof OPTIONS)[number]): unknown {
  const raw = flags[flagAttribute(o.flag!)];
  if (o.negate) return raw === false ? false : undefined;
  if (o.repeatable && Array.isArray(raw) && raw.length === 0) return undefined;
  return raw;
}

/**
 * Turns flags into settings: the defaults, then the scenario file, then
 * each flag by its option's parser (options.ts). Collects every problem
 * before failing, in one usage error. `report` receives what the report
 * options (--out, --format, ...) resolved to.
 */
export function settingsFromFlags(flags: RunFlags, scenario?: Scenario, env: Readonly<Record<string, string | undefined>> = process.env, report: Partial<OptionValues> = {}): RunSettings {
  const problems: string[] = [];
  const profileOption = OPTIONS.find((o) => o.field === 'profile')!;
  const profileFlag = flags.profile === undefined ? undefined : profileOption.kind.parse(flags.profile, flagAt('--profile', problems), { env });
  const s = defaultSettings({ ...scenario?.settings, ...(profileFlag !== undefined ? { profile: profileFlag as string } : {}) });
  const ctx: OptionContext = { env, profile: findProfile(s.profile) };
  for (const o of OPTIONS) {
    if (!o.flag || o === profileOption) continue;
    const raw = given(flags, o);
    if (raw === undefined) continue;
    const value = o.kind.parse(raw, flagAt(o.flag, problems), ctx);
    if (value !== undefined) applyOption(o, value, REPORT_FIELDS.includes(o.field) ? report : (s as Partial<OptionValues>));
  }
  const simFaultFlag = given(flags, OPTIONS.find((o) => o.field === 'simulatorFaults')!) !== undefined;
  if (s.simulatorFaults.length > 0 && s.target) problems.push(`${simFaultFlag ? '--sim-fault' : "the scenario's simulator faults"} apply to the embedded simulator only; drop them or drop the target`);
  overrideStages(s, flags as { clients?: string; duration?: string; ramp?: string });
  try {
    assertValid(s);
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0) throw usageError(problems.join('; '));
  return s;
}
