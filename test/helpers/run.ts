import { startRun } from '../../src/engine/run.js';
import { defaultSettings, type RunSettings } from '../../src/scenario/settings.js';
import { startSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { buildReport, type Report } from '../../src/verdict/report.js';

/**
 * A short load run against an in-process simulator: 10 clients, a quick
 * ramp, a few seconds steady, no chaos cuts and no protocol probes unless
 * asked (so each fault is judged alone). Returns the judged report.
 */
export async function runAgainstSimulator(sim: SimulatorOptions, settings: Partial<RunSettings> = {}): Promise<Report> {
  const server = await startSimulator({ port: 0, seed: 7, ...sim });
  try {
    const run = startRun(defaultSettings({ target: server.url, clients: 10, rampMs: 300, durationMs: 6000, chaos: undefined, probes: false, ...settings }));
    return buildReport(await run.result);
  } finally {
    await server.close();
  }
}

export function statusOf(report: Report): Record<string, string> {
  return Object.fromEntries(report.criteria.map((c) => [c.id, c.status]));
}

export function failing(report: Report): string[] {
  return report.criteria.filter((c) => c.status === 'fail').map((c) => c.id);
}

/** Every criterion that did not pass, with its status, what it observed and why: the message of an assertion on `failing`. */
export function why(report: Report): string {
  return report.criteria.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${c.status}: ${c.observed} (${c.detail})`).join('; ') || 'every criterion passed';
}
