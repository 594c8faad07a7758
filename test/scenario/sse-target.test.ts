import { describe, expect, it } from 'vitest';
import { settingsFromFlags, type RunFlags } from '../../src/cli/run-command.js';
import { parseScenario } from '../../src/scenario/file.js';
import { targetProblem } from '../../src/scenario/option-parsers.js';
import { defaultSettings, settingsProblems } from '../../src/scenario/settings.js';

/**
 * The target's scheme follows the profile's transport: a WebSocket stream
 * is ws:// or wss://, an SSE stream an http:// or https:// GET (its ws
 * spellings name the same target). The check sees the profile from the
 * flags, the scenario file and settings made in code alike.
 */
const flags = (f: Record<string, string | string[] | boolean> = {}): RunFlags => ({ header: [], simFault: [], tolerance: [], ...f });
const SSE = 'gridwatch-sse';
const problems = (text: string) => parseScenario(text, 't.yaml', {}).problems.map((p) => `${p.line}:${p.col}: ${p.message}`);

describe('--target by transport', () => {
  it('an SSE profile takes http:// and https:// (and the ws spellings); a WebSocket one keeps refusing http://', () => {
    for (const t of ['http://127.0.0.1:8090/gridwatch/live', 'https://h.test/live?gwLines=frequency', 'ws://127.0.0.1:8090/gridwatch/live', 'wss://h.test/live']) {
      expect(settingsFromFlags(flags({ profile: SSE, target: t })).target).toBe(t);
    }
    expect(() => settingsFromFlags(flags({ target: 'http://h.test/live' }))).toThrow('--target must be a ws:// or wss:// URL (got http://)');
  });

  it('a bad scheme for an SSE profile is one line naming what it takes', () => {
    expect(() => settingsFromFlags(flags({ profile: SSE, target: 'ftp://h.test/live' }))).toThrow(/^--target must be an http:\/\/ or https:\/\/ URL for an SSE profile \(got ftp:\/\/\)$/);
    expect(() => settingsFromFlags(flags({ profile: SSE, target: 'garbage' }))).toThrow('--target "garbage" is not a URL (expected http://host:port/path or https://...)');
    expect(targetProblem('ftp://x/y', 'sse')).toBe('must be an http:// or https:// URL for an SSE profile (got ftp://)');
    expect(targetProblem('http://x/y', 'websocket')).toBe('must be a ws:// or wss:// URL (got http://)');
  });

  it('a scenario file checks its target against its own profile, at the position', () => {
    expect(problems(`profile: ${SSE}\ntarget: http://h.test/live\n`)).toEqual([]);
    expect(problems(`profile: ${SSE}\ntarget: ftp://h.test/live\n`)).toEqual(['2:9: target must be an http:// or https:// URL for an SSE profile (got ftp://)']);
    expect(problems('target: http://h.test/live\n')).toEqual(['1:9: target must be a ws:// or wss:// URL (got http://)']);
  });

  it("settings made in code are checked against their profile's transport", () => {
    expect(settingsProblems(defaultSettings({ profile: SSE, target: 'https://h.test/live' }))).toEqual([]);
    expect(settingsProblems(defaultSettings({ profile: SSE, target: 'ftp://h.test/live' }))).toEqual(['target must be an http:// or https:// URL for an SSE profile (got ftp://)']);
    expect(settingsProblems(defaultSettings({ target: 'https://h.test/live' }))).toEqual(['target must be a ws:// or wss:// URL (got https://)']);
  });

  it('--fallback-url beside an SSE target is an http(s) URL as for any stream', () => {
    const s = settingsFromFlags(flags({ profile: SSE, target: 'http://h.test/live', fallbackUrl: 'http://h.test/latest' }));
    expect(s.fallbackUrl).toBe('http://h.test/latest');
  });
});
