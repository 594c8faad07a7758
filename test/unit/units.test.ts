import { describe, expect, it } from 'vitest';
import { settingsFromFlags } from '../../src/cli/run-command.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { parseScenario } from '../../src/scenario/file.js';
import { parseQuantity } from '../../src/scenario/quantity.js';
import { parseThresholdText } from '../../src/verdict/threshold-text.js';
import { parseFaults } from '../../src/source/fault-spec.js';
import { formatDuration, formatSize, readDuration, readShare, readSize, UnitRefusal } from '../../src/source/units.js';

const flags = (f: Record<string, string>) => ({ header: [], simFault: [], tolerance: [], ...f });
const scenarioProblems = (text: string) => parseScenario(text, 's.yaml', {}).problems.map((p) => p.message);
const faultError = (spec: string) => {
  try {
    parseFaults([spec], aurigraphV11);
  } catch (err) {
    return (err as Error).message;
  }
  return '';
};

describe('the units module', () => {
  it('reads times in every unit, and compound ones', () => {
    expect([readDuration('250ms'), readDuration('30s'), readDuration('5m'), readDuration('1h'), readDuration('1m30s'), readDuration('0.5s'), readDuration('0')]).toEqual([250, 30_000, 300_000, 3_600_000, 90_000, 500, 0]);
  });

  it('refuses a bare time, with a hint naming both readings', () => {
    const r = readDuration('300');
    expect(r).toBeInstanceOf(UnitRefusal);
    expect((r as UnitRefusal).bare).toBe(true);
    expect((r as UnitRefusal).message('--duration')).toBe('--duration "300": give a unit, e.g. 300ms or 300s');
    expect((readDuration(300) as UnitRefusal).bare).toBe(true);
    expect((readDuration('soon') as UnitRefusal).message('latency')).toBe('latency must be a time such as 30s, 5m or 500ms (got "soon")');
  });

  it('reads sizes as bytes when bare, 1024-based with a unit', () => {
    expect([readSize('2048'), readSize('512KiB'), readSize('64KB'), readSize('1MiB'), readSize('1mb')]).toEqual([2048, 524_288, 65_536, 1_048_576, 1_048_576]);
    expect(readSize('1GB')).toBeInstanceOf(UnitRefusal);
  });

  it('reads shares as percentages; a bare fraction only where the caller allows one', () => {
    expect(readShare('10%')).toBe(0.1);
    expect(readShare('0.1', { fraction: true })).toBe(0.1);
    expect((readShare('0.1') as UnitRefusal).bare).toBe(true);
    expect((readShare('2', { fraction: true }) as UnitRefusal).hint).toBe('"2": write 2% (a bare number is a fraction from 0 to 1, e.g. 0.02)');
  });

  it('formats back to the shortest exact form', () => {
    expect([formatDuration(90_000), formatDuration(300_000), formatDuration(250), formatSize(1_048_576), formatSize(2048), formatSize(1000)]).toEqual(['90s', '5m', '250ms', '1MiB', '2KiB', '1000B']);
  });
});

describe('a bare number means the same everywhere, or is refused with the hint', () => {
  it('a time: refused by the flag, the scenario, a stage, the chaos spec, the reconnect spec, a fault and a threshold', () => {
    const hint = '"300": give a unit, e.g. 300ms or 300s';
    expect(() => settingsFromFlags(flags({ duration: '300' }))).toThrow(`--duration ${hint}`);
    expect(() => settingsFromFlags(flags({ chaos: 'cut=10%,at=300' }))).toThrow(`--chaos at ${hint}`);
    expect(() => settingsFromFlags(flags({ reconnect: '300,x2,10s,5' }))).toThrow(`--reconnect initial ${hint}`);
    expect(scenarioProblems('duration: 300\n')).toEqual([`duration ${hint}`]);
    expect(scenarioProblems('stages:\n  - { duration: 300, clients: 5 }\n')).toEqual([`stages[0].duration ${hint}`]);
    expect(scenarioProblems('connectTimeout: "300"\n')).toEqual([`connectTimeout ${hint}`]);
    expect(faultError('latency=300')).toContain(`bad fault "latency=300": ${hint}`);
    expect(faultError('disconnect=300')).toContain(hint);
    expect(faultError('stall=tps_updates@300')).toContain(hint);
    expect(parseQuantity('300', 'time')).toBeUndefined();
    expect(parseThresholdText('latency', 'p99 < 300').problems[0]).toContain('"300" is not a time');
  });

  it('a time of 0 needs no unit, wherever it is read', () => {
    expect(settingsFromFlags(flags({ ramp: '0' })).rampMs).toBe(0);
    expect(parseScenario('ramp: 0\n', 's.yaml', {}).scenario?.settings.rampMs).toBe(0);
    expect(parseFaults(['stall=tps_updates@0'], aurigraphV11).stalls[0].afterMs).toBe(0);
  });

  it('the same times mean the same in a flag, a scenario and a fault', () => {
    expect(settingsFromFlags(flags({ duration: '1m30s' })).durationMs).toBe(90_000);
    expect(parseScenario('duration: 1m30s\n', 's.yaml', {}).scenario?.settings.durationMs).toBe(90_000);
    expect(parseFaults(['latency=1m30s'], aurigraphV11).latencyMs).toBe(90_000);
    expect(parseFaults(['latency=1.5s'], aurigraphV11).latencyMs).toBe(1500);
  });

  it('a size: bytes in the flag, the scenario and the fault alike', () => {
    expect(settingsFromFlags(flags({ maxFrame: '2048' })).maxFrameBytes).toBe(2048);
    expect(parseScenario('maxFrame: 2048\n', 's.yaml', {}).scenario?.settings.maxFrameBytes).toBe(2048);
    expect(parseFaults(['oversize=1%:2048'], aurigraphV11).oversize?.bytes).toBe(2048);
    expect(parseFaults(['oversize=1%:2KiB'], aurigraphV11).oversize?.bytes).toBe(2048);
  });

  it('a share: a fraction where one is taken, refused with the hint where a percentage is', () => {
    expect(settingsFromFlags(flags({ checkSample: '0.25' })).checkSample).toBe(0.25);
    expect(settingsFromFlags(flags({ checkSample: '25%' })).checkSample).toBe(0.25);
    expect(settingsFromFlags(flags({ chaos: 'cut=0.25' })).chaos?.cutShare).toBe(0.25);
    expect(faultError('drop=2')).toContain('"2" is not a percentage such as 2%; "2": write 2%');
    expect(parseQuantity('0.5', 'share')).toBeUndefined();
  });
});
