import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findProfile, parseProfile, profileFromDocument, profileNames } from '../../src/profile/index.js';

const ticker = readFileSync(new URL('../../profiles/ticker-demo.yaml', import.meta.url), 'utf8');

describe('profile files', () => {
  it('ships two built-ins of different shapes, both valid', () => {
    expect(profileNames()).toEqual(expect.arrayContaining(['aurigraph-v11', 'ticker-demo']));
    const a = findProfile('aurigraph-v11')!;
    const t = findProfile('ticker-demo')!;
    expect(a.envelope.typeField).not.toBe(t.envelope.typeField);
    expect(t.envelope.timestampUnit).toBe('s');
    expect(t.channels.find((c) => c.channel === 'trades')!.intervalMs).toBe(500);
    expect(a.channels[0].invariants.map((i) => i.text)).toContain('currentTPS <= peakTPS');
  });

  it('fills control templates with the channel', () => {
    const t = findProfile('ticker-demo')!;
    expect(t.control.subscribe!('trades')).toEqual({ op: 'sub', topic: 'trades' });
    expect(t.control.unsubscribe!('quotes')).toEqual({ op: 'unsub', topic: 'quotes' });
    expect(t.control.ping!()).toEqual({ op: 'ping' });
  });

  it('builds the same profile again from its document (what crosses a process boundary)', () => {
    const t = findProfile('ticker-demo')!;
    const again = profileFromDocument(JSON.parse(JSON.stringify(t.document)));
    expect(again.channels.map((c) => [c.channel, c.intervalMs, c.invariants.map((i) => i.text)])).toEqual(
      t.channels.map((c) => [c.channel, c.intervalMs, c.invariants.map((i) => i.text)]),
    );
  });

  it('lists every problem with its line and column', () => {
    const broken = ticker
      .replace('interval: 500ms', 'interval: 500')
      .replace('"high >= low"', '"high >= "')
      .replace('rising: [seq]', 'rising: [sequence]')
      .replace('  subscribe: { op: sub, topic: "{channel}" }', '  subscribe: { op: sub }')
      .replace('    autoStart: true', '    autoStart: true\n    snapshotOnSubscrib: true');
    const { profile, problems } = parseProfile(broken);
    expect(profile).toBeUndefined();
    const lineOf = (needle: string) => broken.split('\n').findIndex((l) => l.includes(needle)) + 1;
    // the schema's problems come first and stop the semantic ones, so an unknown key alone first
    expect(problems).toEqual([expect.objectContaining({ line: lineOf('snapshotOnSubscrib'), message: expect.stringContaining('did you mean') })]);
    const second = broken.replace('    snapshotOnSubscrib: true\n', '');
    const semantic = parseProfile(second).problems;
    const lineIn = (needle: string) => second.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(semantic.map((p) => p.line)).toEqual([lineIn('subscribe: { op: sub }'), lineIn('interval: 500'), lineIn('rising: [sequence]'), lineIn('"high >= "')].sort((x, y) => x - y));
    expect(semantic.find((p) => p.line === lineIn('interval: 500'))!.message).toContain('give a unit');
    expect(semantic.every((p) => p.col > 0)).toBe(true);
  });

  it('refuses YAML that does not parse, at its position', () => {
    const { problems } = parseProfile('name: [unclosed\npath: /x\n');
    expect(problems[0].message).toMatch(/^YAML/);
    expect(problems[0].line).toBeGreaterThan(0);
  });
});
