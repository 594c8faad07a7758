import type { TargetProfile } from '../profile/index.js';
import { formatDuration } from '../source/units.js';
import { POLICY_PRESETS, type ReconnectPolicy } from './backoff.js';
import { chaosPlan, cutReturnMs } from './chaos-plan.js';
import { loadPlan } from './plan.js';
import { defaultSettings, type RunSettings } from './settings.js';
import { sliceCount, WHOLE } from './slice.js';
import { peakClients, type Stage } from './stages.js';

/**
 * The run in words, for the start line and for the notes that say what a
 * flag changed in a scenario. Pure: the CLI prints what these return.
 */

const t = formatDuration;

/** `default (1s,x2,10s,5)`, `portal (5s,x2,160s,10)` or `2s,x3,30s,4,jitter=0.2`: the --reconnect grammar. */
export function policyText(p: ReconnectPolicy): string {
  const text = `${t(p.initialMs)},x${p.factor},${t(p.maxMs)},${p.maxAttempts}${p.jitter > 0 ? `,jitter=${p.jitter}` : ''}`;
  const preset = Object.entries(POLICY_PRESETS).find(([, q]) => JSON.stringify(q) === JSON.stringify(p))?.[0];
  return preset ? `${preset} (${text})` : text;
}

/** `cut 10% (both) at 10s into the steady phase, 1 round(s)` or `off`: the rounds as the run will make them. */
export function chaosText(s: RunSettings, profile: TargetProfile): string {
  if (!s.chaos) return 'off';
  const c = s.chaos;
  const rounds = chaosRounds(s, profile);
  const steadyStart = loadPlan(s).steadyStartMs;
  const at = rounds.length > 0 ? ` at ${rounds.map((r) => t(r.atMs - steadyStart)).join(', ')} into the steady phase` : '';
  const none = rounds.length === 0 ? ` (no round fits: a cut client needs ${t(cutReturnMs(s, profile))} to come back before the steady end; reconnect will be skipped)` : '';
  return `cut ${pct(c.cutShare)} (${c.mode})${at}, ${rounds.length} round(s)${none}`;
}

const pct = (share: number) => `${Number((share * 100).toFixed(2))}%`;

function chaosRounds(s: RunSettings, profile: TargetProfile) {
  return s.chaos ? chaosPlan(s.chaos, loadPlan(s), cutReturnMs(s, profile)) : [];
}

/** A stage's role: `ramp-up`, `hold` or `ramp-down`, by the clients it moves to from the stage before. */
function stageRole(st: Stage, prev: number): string {
  return st.clients > prev ? 'ramp-up' : st.clients < prev ? 'ramp-down' : 'hold';
}

function stagesText(stages: readonly Stage[]): string {
  return stages.map((st, i) => `${stageRole(st, i > 0 ? stages[i - 1].clients : 0)} ${t(st.durationMs)} to ${st.clients}`).join(', ');
}

/**
 * The start line: clients (a shard's own share of them), target, the load
 * shape, the reconnect policy and chaos.
 *   10 client(s) against the embedded simulator; ramp 5s, steady 30s; reconnect default (1s,x2,10s,5); chaos cut 10% (both) at 10s into the steady phase, 1 round(s)
 *   10 of 20 client(s) (shard 1/2) against the target; ...
 */
export function startLine(s: RunSettings, profile: TargetProfile, against: string): string {
  const total = s.stages ? peakClients(s.stages) : s.clients;
  const shard = s.shard ?? WHOLE;
  const clients = shard.count > 1 ? `${sliceCount(total, shard)} of ${total} client(s) (shard ${shard.index + 1}/${shard.count})` : `${total} client(s)`;
  const shape = s.stages ? `stages ${stagesText(s.stages)}` : `ramp ${t(s.rampMs)}, steady ${t(s.durationMs)}`;
  return `livestream-bench: ${clients} against ${against}; ${shape}; reconnect ${policyText(s.policy)}; chaos ${chaosText(s, profile)}`;
}

/** What the shaping flags were given as: `--duration 20s`, `--clients 50 and --ramp 0`. */
export interface ShapeFlags {
  clients?: string;
  duration?: string;
  ramp?: string;
  chaos?: string;
}

function flagsText(flags: ShapeFlags): string {
  const given = (['clients', 'duration', 'ramp'] as const).filter((k) => flags[k] !== undefined).map((k) => `--${k} ${flags[k]}`);
  return given.length > 1 ? `${given.slice(0, -1).join(', ')} and ${given.at(-1)}` : (given[0] ?? '');
}

/**
 * What the flags changed in the run the scenario describes, that a person
 * would not see from the flags themselves: one line each, for stderr.
 *   load-100.yaml -d 20s        -> "--duration 20s replaces the scenario's 3 stages (ramp-up, hold, ramp-down) with one steady phase: ramp 5s to 100 client(s), steady 20s"
 *   reconnect-storm.yaml -d 40s -> "--duration 40s leaves room for 1 of the 2 chaos round(s) the scenario makes ..."
 */
export function reshapeNotes(flags: ShapeFlags, scenario: Partial<RunSettings> | undefined, s: RunSettings, profile: TargetProfile): string[] {
  const notes: string[] = [];
  const by = flagsText(flags);
  if (!by) return notes;
  const stages = scenario?.stages;
  if (stages && !s.stages) {
    const roles = stages.map((st, i) => stageRole(st, i > 0 ? stages[i - 1].clients : 0));
    notes.push(`${by} replaces the scenario's ${stages.length} stage(s) (${roles.join(', ')}) with one steady phase: ramp ${t(s.rampMs)} to ${s.clients} client(s), steady ${t(s.durationMs)}`);
  }
  // the same chaos over the shape the scenario gave: how many rounds the flags' shape leaves
  const before = defaultSettings({ ...scenario, chaos: s.chaos, policy: s.policy, channels: s.channels, profile: s.profile });
  // without a scenario the start line shows the rounds the flags leave (chaosText)
  if (scenario && s.chaos && flags.chaos === undefined) {
    const had = chaosRounds(before, profile).length;
    const has = chaosRounds(s, profile).length;
    if (has !== had) {
      const every = s.chaos.everyMs !== undefined ? `, every ${t(s.chaos.everyMs)}` : '';
      notes.push(`${by} leaves room for ${has} of the ${had} chaos round(s) the scenario makes (cut ${pct(s.chaos.cutShare)}${every}; a round needs ${t(cutReturnMs(s, profile))} left for the cut clients to come back)${has === 0 ? ': reconnect will be skipped' : ''}`);
    }
  }
  return notes;
}
