import { describe, expect, it } from 'vitest';
import { isSampled } from '../../src/engine/client.js';
import { defaultSpread, spreadUrls } from '../../src/engine/spread.js';

describe('spreading clients over loopback addresses', () => {
  it('uses one address per 10,000 clients', () => {
    expect([1, 10_000, 10_001, 20_000, 50_000].map(defaultSpread)).toEqual([1, 1, 2, 2, 5]);
  });
  it('rewrites a 127.x target onto 127.0.0.1..n, keeping port, path and query', () => {
    expect(spreadUrls('ws://127.0.0.1:9003/api/v11/live/stream?x=1', 3)).toEqual([
      'ws://127.0.0.1:9003/api/v11/live/stream?x=1',
      'ws://127.0.0.2:9003/api/v11/live/stream?x=1',
      'ws://127.0.0.3:9003/api/v11/live/stream?x=1',
    ]);
  });
  it('leaves a remote target alone', () => {
    expect(spreadUrls('wss://stream.example.com/x', 4)).toEqual(['wss://stream.example.com/x']);
  });
});

describe('check sample', () => {
  it('checks every client by default', () => {
    expect(Array.from({ length: 10 }, (_, i) => isSampled(i, 1)).every(Boolean)).toBe(true);
  });
  it('spreads the sampled clients evenly, so any prefix holds about the share', () => {
    const picked = Array.from({ length: 1000 }, (_, i) => isSampled(i, 0.1));
    expect(picked.filter(Boolean)).toHaveLength(100);
    expect(picked.slice(0, 50).filter(Boolean)).toHaveLength(5);
    expect(Array.from({ length: 8 }, (_, i) => i).filter((i) => isSampled(i, 0.25))).toEqual([3, 7]);
  });
});
