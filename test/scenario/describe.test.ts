import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/file.js';
import { reshapeNotes, startLine } from '../../src/scenario/describe.js';
import { settingsFromFlags } from '../../src/scenario/flags.js';
import { SCENARIO_CHECKS } from '../../src/verdict/threshold-text.js';
import { aurigraphV11 } from '../helpers/profiles.js';

/**
 * A flag that reshapes a scenario says what it changed (the CLI prints each
 * note on stderr), and the start line shows the run as it will be: a
 * shard's own clients, the reconnect policy and chaos.
 */
const scenarioFile = (name: string) => loadScenario(fileURLToPath(new URL(`../../scenarios/${name}`, import.meta.url)), {}, SCENARIO_CHECKS);

function notesFor(name: string | undefined, flags: Record<string, string>) {
  const scenario = name ? scenarioFile(name) : undefined;
  const settings = settingsFromFlags(flags, scenario, {});
  return { settings, notes: reshapeNotes(flags, scenario?.settings, settings, aurigraphV11) };
}

describe('notes on what a flag changed', () => {
  it('--duration over a staged scenario names the stages it replaces', () => {
    const { notes, settings } = notesFor('load-100.yaml', { duration: '20s' });
    expect(settings.stages).toBeUndefined();
    expect(notes).toContain("--duration 20s replaces the scenario's 3 stage(s) (ramp-up, hold, ramp-down) with one steady phase: ramp 5s to 100 client(s), steady 20s");
  });

  it('a shortened storm says it cuts fewer times than the scenario does', () => {
    // 90 s steady, a round at 20 s and every 40 s after, each needing 6 s (portal backoff 3 s, two ticks, 1 s) -> 20, 60
    const { notes } = notesFor('reconnect-storm.yaml', { duration: '40s' });
    expect(notes).toEqual(['--duration 40s leaves room for 1 of the 2 chaos round(s) the scenario makes (cut 50%, every 40s; a round needs 6s left for the cut clients to come back)']);
  });

  it('a steady phase too short for any round says reconnect will be skipped: in the start line without a scenario', () => {
    const { notes, settings } = notesFor(undefined, { duration: '3s' });
    expect(notes).toEqual([]);
    expect(startLine(settings, aurigraphV11, 'x')).toMatch(/; chaos cut 10% \(both\), 0 round\(s\) \(no round fits: a cut client needs 4s to come back before the steady end; reconnect will be skipped\)$/);
  });

  it('says nothing when the flags change nothing the person cannot see', () => {
    expect(notesFor('reconnect-storm.yaml', {}).notes).toEqual([]);
    expect(notesFor('reconnect-storm.yaml', { clients: '20' }).notes).toEqual([]);
    expect(notesFor(undefined, { duration: '20s' }).notes).toEqual([]);
  });
});

describe('the start line', () => {
  it("gives a shard's own clients beside the whole run's", () => {
    const { settings } = notesFor(undefined, { clients: '20', shard: '1/2' });
    expect(startLine(settings, aurigraphV11, 'the target')).toMatch(/^livestream-bench: 10 of 20 client\(s\) \(shard 1\/2\) against the target; /);
  });

  it('shows the reconnect policy and the chaos rounds', () => {
    const { settings } = notesFor('reconnect-storm.yaml', {});
    expect(startLine(settings, aurigraphV11, 'the embedded simulator')).toBe(
      'livestream-bench: 100 client(s) against the embedded simulator; ramp 10s, steady 90s; reconnect portal (3s,x2,48s,5); chaos cut 50% (drop) at 20s, 1m into the steady phase, 2 round(s)',
    );
    expect(startLine(notesFor(undefined, { chaos: 'off' }).settings, aurigraphV11, 'x')).toMatch(/; reconnect default \(1s,x2,10s,5\); chaos off$/);
  });

  it('shows the stages of a staged run', () => {
    expect(startLine(notesFor('load-100.yaml', {}).settings, aurigraphV11, 'x')).toContain('; stages ramp-up 20s to 100, hold 2m to 100, ramp-down 10s to 0; ');
  });
});
