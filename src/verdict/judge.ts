import type { ClockEstimate } from '../engine/clock.js';
import { describeConnectKind } from '../engine/connect-errors.js';
import type { HarnessHealth } from '../engine/health.js';
import { CRITERION_IDS, type CriterionId, type CriterionResult, type Verdict } from './criteria.js';
import type { MetricsSummary } from './summary.js';
import type { Thresholds } from './thresholds.js';
import { reconnectP99Ms, uptimeFigure } from './figures.js';

/** What the verdict needs beyond the metrics; all plain data, so judging is pure. */
export interface JudgeInput {
  metrics: MetricsSummary;
  thresholds: Thresholds;
  planned: number;
  minClients: number;
  steadyMs: number;
  connectTimeoutMs: number;
  clock?: ClockEstimate;
  health?: HarnessHealth;
  /** Results measured elsewhere (probes, resources, fallback) by id. */
  extra?: Partial<Record<CriterionId, CriterionResult>>;
}

export interface Judgement {
  verdict: Verdict;
  reason: string;
  criteria: CriterionResult[];
}

const MESSAGE_KINDS = ['binary_frame', 'invalid_utf8', 'invalid_json', 'schema', 'welcome_not_first', 'timestamp_implausible', 'channel_silent', 'oversized_frame', 'protocol_error'];
const CONSISTENCY_KINDS = ['timestamp_went_back', 'value_went_back', 'value_stuck', 'tick_mismatch', 'values_per_client', 'invariant_broken'];

const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const pct = (v: number) => `${(v * 100).toFixed(v === 1 || v === 0 ? 0 : 2)} %`;

function result(id: CriterionId, pass: boolean, observed: string, threshold: string, detail = ''): CriterionResult {
  return { id, status: pass ? 'pass' : 'fail', observed, threshold, detail };
}

function skipped(id: CriterionId, threshold: string, reason: string): CriterionResult {
  return { id, status: 'skipped', observed: '-', threshold, detail: reason };
}

function listKinds(counts: Record<string, number>, kinds: readonly string[]): { total: number; text: string } {
  const parts: string[] = [];
  let total = 0;
  for (const k of kinds) {
    const v = counts[k] ?? 0;
    if (v > 0) {
      total += v;
      parts.push(`${k} ${v}`);
    }
  }
  return { total, text: parts.join(', ') };
}

const STREAM_CRITERIA: CriterionId[] = ['handshake', 'message_types', 'cadence', 'data_consistency', 'latency', 'bandwidth', 'data_loss'];

const NOT_YET = 'needs the protocol probe client, not part of this run';

/** Judges every criterion in criteria.md order. Pure. */
export function judge(input: JudgeInput): Judgement {
  const { metrics: m, thresholds: t } = input;
  const out = new Map<CriterionId, CriterionResult>();

  {
    const share = input.planned > 0 ? m.clients.connectedFirstTry / input.planned : 0;
    const errors = Object.entries(m.connectErrors).map(([k, v]) => `${describeConnectKind(k)} x${v}`).join(', ');
    out.set('connect', result('connect', share >= t.connectShare && m.clients.failedFirstTry === 0,
      `${m.clients.connectedFirstTry}/${input.planned} (${pct(share)}), p99 ${ms(m.connectMs.p99)}`,
      `${pct(t.connectShare)} within ${input.connectTimeoutMs / 1000} s`,
      errors ? `failed attempts: ${errors}` : ''));
  }
  {
    const notFirst = m.violations.welcome_not_first ?? 0;
    const missing = Math.max(0, m.connections - m.welcomes);
    const pass = m.connections > 0 && missing === 0 && notFirst === 0 && m.welcomeMs.p99 <= t.welcomeP99Ms;
    out.set('handshake', result('handshake', pass,
      `${m.welcomes}/${m.connections} welcomed, p99 ${ms(m.welcomeMs.p99)}`,
      `every connection, p99 <= ${t.welcomeP99Ms} ms`,
      [missing ? `${missing} connection(s) without a welcome` : '', notFirst ? `${notFirst} connection(s) whose first message was not the welcome` : ''].filter(Boolean).join('; ')));
  }
  {
    const v = listKinds(m.violations, MESSAGE_KINDS);
    const sampled = m.checked.light > 0 ? `; schema checked on ${m.checked.full} of ${m.checked.full + m.checked.light} connections (--check-sample)` : '';
    out.set('message_types', result('message_types', v.total === 0 && m.frames > 0,
      `${v.total} violation(s) in ${m.frames} frames`, '0 violations', v.text + sampled));
  }
  {
    const judged = m.channels.filter((c) => c.gapMs.count > 0);
    if (judged.length === 0) {
      out.set('cadence', skipped('cadence', 'mean within 5 %, p99 <= 1.5x, p1 >= 0.5x', 'no channel delivered two messages on one connection'));
    } else {
      const off = judged.reduce((a, c) => a + c.cadenceOff, 0);
      const streams = judged.reduce((a, c) => a + c.streams, 0);
      const worst = judged.map((c) => `${c.channel} mean ${ms(c.meanGapMs)} p99 ${ms(c.gapMs.p99)}`).join('; ');
      const unjudged = m.channels.filter((c) => c.gapMs.count === 0).map((c) => c.channel);
      out.set('cadence', result('cadence', off === 0,
        `${off}/${streams} channel streams off`, 'mean within 5 %, p99 <= 1.5x, p1 >= 0.5x interval',
        worst + (unjudged.length ? `; too short to judge: ${unjudged.join(', ')}` : '')));
    }
  }
  {
    const v = listKinds(m.violations, CONSISTENCY_KINDS);
    const sampled = m.checked.light > 0 ? `; values checked on ${m.checked.full} of ${m.checked.full + m.checked.light} connections (--check-sample)` : '';
    out.set('data_consistency', result('data_consistency', v.total === 0, `${v.total} violation(s)`, '0 violations', v.text + sampled));
  }
  out.set('subscriptions', skipped('subscriptions', 'all probes pass', NOT_YET));
  out.set('error_handling', skipped('error_handling', 'all probes pass', NOT_YET));
  out.set('keepalive', skipped('keepalive', 'all probes pass', NOT_YET));
  out.set('fallback', skipped('fallback', `>= ${pct(t.fallbackOkShare)} of polls ok, p99 <= ${t.fallbackP99Ms} ms`, 'no fallback URL polled in this run'));
  {
    const clock = input.clock
      ? `clock offset ${input.clock.offsetMs.toFixed(1)} ± ${input.clock.errorMs.toFixed(1)} ms from ${input.clock.samples} pings`
      : 'clock offset unknown (no pong): raw clocks';
    if (m.latencyMs.count === 0) out.set('latency', skipped('latency', `p99 < ${t.latencyP99Ms} ms`, 'no channel message received'));
    else out.set('latency', result('latency', m.latencyMs.p99 < t.latencyP99Ms, `p99 ${ms(m.latencyMs.p99)} (p50 ${ms(m.latencyMs.p50)}, max ${ms(m.latencyMs.max)})`, `p99 < ${t.latencyP99Ms} ms`, clock));
  }
  {
    const b = m.bandwidthBps;
    if (b.count === 0) out.set('bandwidth', skipped('bandwidth', `mean and p99 < ${t.bandwidthBps} B/s`, 'no connection was open for a second of the steady phase'));
    else out.set('bandwidth', result('bandwidth', b.mean < t.bandwidthBps && b.p99 < t.bandwidthBps,
      `mean ${b.mean.toFixed(0)} B/s, p99 ${b.p99.toFixed(0)} B/s`, `mean and p99 < ${t.bandwidthBps} B/s`, `${b.count} connection(s) measured`));
  }
  out.set('server_cpu', skipped('server_cpu', `mean < ${pct(t.serverCpuShare)} of one core`, 'no server process or metrics URL sampled'));
  out.set('server_memory', skipped('server_memory', `slope < ${t.memorySlopeMBPerMin} MB/min and growth < ${pct(t.memoryGrowthShare)}`, 'no server process or metrics URL sampled'));
  {
    const pass = m.clients.held >= input.planned && input.planned >= input.minClients;
    out.set('concurrency', result('concurrency', pass, `${m.clients.held}/${input.planned} held (peak ${m.clients.peakOpen} open)`,
      `all N held, N >= ${input.minClients}`, input.planned < input.minClients ? `only ${input.planned} client(s) planned` : ''));
  }
  {
    const codes = Object.entries(m.disconnects.byCode).map(([k, v]) => `code ${k} x${v}`).join(', ');
    out.set('unintended_disconnects', result('unintended_disconnects', m.disconnects.unintended === 0, `${m.disconnects.unintended}`, '0', codes));
  }
  {
    const r = m.reconnect;
    const threshold = `100 % back, p99 time to first message <= ${t.reconnectP99Ms / 1000} s`;
    if (r.cuts === 0) {
      out.set('reconnect', skipped('reconnect', threshold, r.cutRoundsPlanned > 0 ? 'no connection was open to cut' : 'no connection was cut on purpose (no chaos, or the steady phase is too short for a cut and a return)'));
    } else {
      const share = r.cutBack / r.cuts;
      const p99 = reconnectP99Ms(m) ?? 0;
      const modes = Object.entries(r.cutsByMode).map(([k, v]) => `${k} ${v}`).join(', ');
      out.set('reconnect', result('reconnect', r.cutBack === r.cuts && p99 <= t.reconnectP99Ms,
        `${r.cutBack}/${r.cuts} back (${pct(share)}), p99 ${ms(p99)} to first message`, threshold,
        `cuts: ${modes}; reopen p50 ${ms(r.cutReopenMs.p50)}, p99 ${ms(r.cutReopenMs.p99)}; ${r.cutMissed} message(s) missed while away`));
    }
  }
  {
    const lost = m.channels.reduce((a, c) => a + c.lost, 0);
    const dup = m.channels.reduce((a, c) => a + c.duplicates, 0);
    const expected = m.channels.reduce((a, c) => a + c.expected, 0);
    const per = m.channels.filter((c) => c.lost || c.duplicates).map((c) => `${c.channel}: ${c.lost} lost, ${c.duplicates} dup`).join('; ');
    const skipped = m.simulatorTicksSkipped > 0 ? `the embedded simulator itself skipped ${m.simulatorTicksSkipped} tick(s): its event loop was blocked past them (overloaded machine)` : '';
    out.set('data_loss', result('data_loss', lost === 0 && dup === 0 && expected > 0, `${lost} lost of ${expected} expected, ${dup} duplicate(s)`,
      '0 lost beyond edge tolerance, 0 duplicates', [per, skipped].filter(Boolean).join('; ')));
  }
  {
    const up = uptimeFigure(m, input.planned, input.steadyMs);
    if (!up) out.set('uptime', skipped('uptime', `>= ${pct(t.uptimeShare)} of client-seconds`, 'the run had no steady phase'));
    else out.set('uptime', result('uptime', up.share >= t.uptimeShare - 1e-9, pct(up.share), `>= ${pct(t.uptimeShare)} of client-seconds`,
      `${(m.streamMs / 1000).toFixed(0)} of ${(up.expectedMs / 1000).toFixed(0)} client-seconds streaming${m.reconnect.cutAwayMs ? `, ${(m.reconnect.cutAwayMs / 1000).toFixed(0)} away after harness cuts left out` : ''}`));
  }
  if (m.connections === 0) {
    // Nothing opened: criteria about what a connection carries have nothing
    // to judge, and saying "pass" or "fail" for them would mislead.
    for (const id of STREAM_CRITERIA) {
      const r = out.get(id)!;
      out.set(id, skipped(id, r.threshold, 'no connection opened'));
    }
  }
  for (const [id, r] of Object.entries(input.extra ?? {})) if (r) out.set(id as CriterionId, r);

  const criteria = CRITERION_IDS.map((id) => out.get(id)!);
  const failed = criteria.filter((c) => c.status === 'fail').map((c) => c.id);
  if (input.health?.saturated) {
    return { verdict: 'inconclusive', reason: `the load generator was saturated (${input.health.reason}): figures describe the harness, not the target`, criteria };
  }
  if (failed.length > 0) return { verdict: 'fail', reason: `failed: ${failed.join(', ')}`, criteria };
  return { verdict: 'pass', reason: 'every measured criterion passed', criteria };
}
