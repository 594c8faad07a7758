import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Recording } from '../../src/learn/recording.js';
import { inferSse } from '../../src/learn/sse-keys.js';
import { inferUrlChannels, urlChoices } from '../../src/learn/url-channels.js';
import { parseProfile, type ProfileDocument } from '../../src/profile/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';

/**
 * learn over Server-Sent Events: which query parameter chooses the
 * channels and which name is which type (pure, from what each URL probe
 * saw), and the CLI end to end against the simulator serving the built-in
 * SSE profile with one channel chosen in the URL.
 */
const types = (...t: string[]) => new Set(t);

describe('channels chosen in the URL', () => {
  const url = 'http://h.test/live?lines=a,b&token=x';

  it('probes the parameter left out and each name it lists alone', () => {
    expect(urlChoices(url).map((c) => c.url)).toEqual([
      'http://h.test/live?token=x',
      'http://h.test/live?lines=a&token=x',
      'http://h.test/live?lines=b&token=x',
      'http://h.test/live?lines=a%2Cb',
    ]);
    expect(urlChoices('http://h.test/live')).toEqual([]);
  });

  it('names each type by the one name that brought it alone; a type every name brings streams by itself', () => {
    const seen = [
      { choice: { param: 'lines' }, types: types('ta', 'tb', 'tc', 'beat') },
      { choice: { param: 'lines', value: 'a' }, types: types('ta', 'beat') },
      { choice: { param: 'lines', value: 'b' }, types: types('tb', 'beat') },
      // the server refuses a stream without its token: no evidence of anything
      { choice: { param: 'token' }, types: types() },
    ];
    const got = inferUrlChannels(url, ['ta', 'tb', 'beat'], seen);
    expect(got.param).toBe('lines');
    expect([...got.names]).toEqual([['ta', 'a'], ['tb', 'b']]);
    expect(got.why).toContain('a: ta');
  });

  it('one name: the parameter chooses when leaving it out brings more; a silent probe is no evidence', () => {
    const one = 'http://h.test/live?lines=a&token=x';
    const got = inferUrlChannels(one, ['ta'], [{ choice: { param: 'lines' }, types: types('ta', 'tb') }, { choice: { param: 'token' }, types: types() }]);
    expect(got.param).toBe('lines');
    expect([...got.names]).toEqual([['ta', 'a']]);
    const silent = inferUrlChannels(one, ['ta'], [{ choice: { param: 'lines' }, types: types('ta') }, { choice: { param: 'token' }, types: types() }]);
    expect(silent.param).toBeUndefined();
    expect(silent.unknown).toBeUndefined();
  });

  it('a name that brought two types cannot be told apart: the query stays in --target, and the profile says so', () => {
    const got = inferUrlChannels('http://h.test/live?lines=a,b', ['ta', 'tx', 'tb'], [
      { choice: { param: 'lines' }, types: types('ta', 'tx', 'tb') },
      { choice: { param: 'lines', value: 'a' }, types: types('ta', 'tx') },
      { choice: { param: 'lines', value: 'b' }, types: types('tb') },
    ]);
    expect(got.param).toBeUndefined();
    expect(got.unknown).toMatch(/which name is which type could not be told \(tx came with \?lines=a\).*keep that query in --target/);
  });
});

describe('an SSE profile as AsyncAPI', () => {
  it('keeps its transport and sse keys through learn --format asyncapi and back', async () => {
    const doc = parse(readFileSync(join('profiles', 'gridwatch-sse.yaml'), 'utf8')) as ProfileDocument;
    const { asyncApiYaml } = await import('../../src/learn/asyncapi-write.js');
    const { readAsyncApi, profileFromAsyncApi } = await import('../../src/profile/asyncapi.js');
    const back = profileFromAsyncApi(await readAsyncApi(asyncApiYaml(doc, 'written')));
    expect(back.problems).toEqual([]);
    expect(back.document?.transport).toBe('sse');
    expect(back.document?.sse).toEqual(doc.sse);
    expect(parseProfile(JSON.stringify(back.document)).profile?.sse).toEqual({ channelsParam: 'gwLines', heartbeatMs: 2000, retryMs: 1000 });
  });
});

describe('learn --target http://... (the CLI)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    const served = parse(readFileSync(join('profiles', 'gridwatch-sse.yaml'), 'utf8')) as ProfileDocument;
    sim = await startSimulator({ profile: parseProfile(JSON.stringify(served)).profile!, port: 0, seed: 1 });
  });
  afterAll(() => sim?.close());

  it('watches as Server-Sent Events, ignores --send with a note, and writes transport: sse with the channel the URL chose', async () => {
    const u = new URL(sim.url);
    const target = `http://${u.host}${u.pathname}?gwLines=frequency`;
    const r = await runCli(['learn', '--target', target, '--duration', '2500ms', '--send', '{"op":"sub"}', '--out', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^note: --send ignored \(1\): Server-Sent Events have no client messages/m);
    const doc = parse(r.stdout) as ProfileDocument;
    expect(doc.transport).toBe('sse');
    expect(doc.sse).toMatchObject({ channelsParam: 'gwLines', retry: '1s' });
    expect(doc.channels.map((c) => [c.name, c.type, c.autoStart])).toEqual([['frequency', 'freqReading', false]]);
    expect(doc.control).toBeUndefined();
    expect(parseProfile(r.stdout).problems).toEqual([]);
  }, 20_000);
});

describe('the heartbeat learned', () => {
  const rec = (gaps: number[]) => {
    let at = 1000;
    const keepalives = [{ conn: 0, at }, ...gaps.map((g) => ({ conn: 0, at: (at += g) }))];
    return { clients: 1, openedAt: [0], received: [], sent: [], startedAt: 0, endedAt: at, probeOf: [], failures: [], transport: 'sse' as const, keepalives } as unknown as Recording;
  };

  it('is the server\'s period when a gap is only a late read, the longest gap when one is beyond the probe\'s slack', () => {
    // one read 50 ms late on a loaded machine (a fresh clone once learned "2050ms")
    expect(inferSse(rec([2000, 2001, 2050, 1999]), undefined, [], []).sse.heartbeat).toBe('2s');
    // two gaps, one read 60 ms late: the median is 2030, a figure nobody configures (CI once learned "2030ms")
    expect(inferSse(rec([2000, 2060]), undefined, [], []).sse.heartbeat).toBe('2s');
    // a server that really beats at 2.3 s is not rounded to 2 s
    expect(inferSse(rec([2300, 2300, 2310]), undefined, [], []).sse.heartbeat).toBe('2300ms');
    // rounded down only while the longest gap stays within the probe's slack of the rounded period
    expect(inferSse(rec([1980, 2040, 2050, 2520]), undefined, [], []).sse.heartbeat).toBe('2050ms');
    // a gap of 2.8 s: the keepalive probe (2 s + 0.5 s) would fail a heartbeat of 2 s
    const wide = inferSse(rec([2000, 2000, 2800, 2000]), undefined, [], []);
    expect(wide.sse.heartbeat).toBe('2800ms');
    expect(wide.notes.find((n) => n.path.join('.') === 'sse.heartbeat')?.text).toMatch(/longest of 4 gaps/);
  });
});
