import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { validateCommand } from '../../src/cli/validate-command.js';
import { readScenario } from '../../src/index.js';
import { findProfile } from '../../src/profile/index.js';

/**
 * A scenario whose `profile:` is an AsyncAPI document: the document is read
 * by an asynchronous parser before the scenario's synchronous check looks
 * the profile up, so its channels and transport are what the scenario is
 * checked against (run --scenario, compare, validate and the library alike).
 */
const dir = mkdtempSync(join(tmpdir(), 'lsb-asyncapi-scenario-'));
const spec = (extra: Record<string, unknown> = {}) => ({
  asyncapi: '3.0.0',
  info: { title: 'meter feed', version: '1.0.0' },
  channels: {
    meters: {
      address: '/meters',
      messages: { meterTick: { name: 'meterTick', payload: { type: 'object', required: ['watts'], properties: { watts: { type: 'number', minimum: 0, maximum: 10 } } }, 'x-livestream-interval': '500ms' } },
    },
  },
  operations: { on_meters: { action: 'receive', channel: { $ref: '#/channels/meters' } } },
  'x-livestream-envelope': { type: 'kind', payload: 'body', timestamp: 'at' },
  ...extra,
});
const file = (name: string, data: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, stringify(data));
  return path;
};

afterEach(() => vi.restoreAllMocks());

async function validate(path: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(((t: string) => ((stdout += t), true)) as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation((() => true) as typeof process.stderr.write);
  const code = await validateCommand([path], undefined);
  vi.restoreAllMocks();
  return { code, stdout };
}

describe('a scenario naming an AsyncAPI profile', () => {
  it('is read, its channels and target checked against the converted profile', async () => {
    const profile = file('meters.asyncapi.yaml', spec());
    const scenario = await readScenario(file('ok.yaml', { profile, channels: ['meters'], target: 'ws://127.0.0.1:9/meters', clients: 3 }), {});
    expect(scenario.settings).toMatchObject({ profile, channels: ['meters'], clients: 3 });
    expect(findProfile(profile)?.channels.map((c) => c.messageType)).toEqual(['meterTick']);
    await expect(readScenario(file('bad-channel.yaml', { profile, channels: ['nope'] }), {})).rejects.toThrow(/bad-channel\.yaml:3:5: channel "nope" is unknown \(known: meters\)/);
  });

  it("an SSE one's target may be http://, and validate says ok", async () => {
    const profile = file('meters-sse.asyncapi.yaml', spec({ 'x-livestream-transport': 'sse', 'x-livestream-sse': { retry: '1s' } }));
    const scenarioFile = file('sse.yaml', { profile, target: 'http://127.0.0.1:9/meters' });
    expect((await readScenario(scenarioFile, {})).settings.target).toBe('http://127.0.0.1:9/meters');
    expect(findProfile(profile)?.sse?.retryMs).toBe(1000);
    const v = await validate(scenarioFile);
    expect(v.stdout).toContain(`${scenarioFile}: ok`);
    expect(v.code).toBe(0);
  });

  it('an AsyncAPI document with problems is refused with its own lines, exit 2 from validate', async () => {
    const profile = file('no-envelope.asyncapi.yaml', { ...spec(), 'x-livestream-envelope': undefined });
    const scenarioFile = file('broken-profile.yaml', { profile });
    await expect(readScenario(scenarioFile, {})).rejects.toThrow('x-livestream-envelope is missing');
    const v = await validate(scenarioFile);
    expect(v.stdout).toContain(`${profile}: x-livestream-envelope is missing`);
    expect(v.code).toBe(2);
  });
});
