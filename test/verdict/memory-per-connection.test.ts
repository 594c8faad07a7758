import { describe, expect, it } from 'vitest';
import { withPerConnection } from '../../src/verdict/criteria/memory-per-connection.js';
import type { CriterionResult } from '../../src/verdict/criteria.js';

const skippedTrend: CriterionResult = { id: 'server_memory', status: 'skipped', observed: '-', threshold: 'slope < 1 MB/min and growth < 10.0 %', detail: 'only 1 collection(s) showed a floor' };

describe('server_memory with memory per connection opened', () => {
  it('fails on memory kept per connection even when the trend cannot be judged', () => {
    const r = withPerConnection(skippedTrend, { pass: false, threshold: 'growth per connection opened < 50 KB', observed: '120.3 KB per connection opened', detail: 'RSS fitted against 86 connections opened' });
    expect(r.status).toBe('fail');
    expect(r.observed).toBe('120.3 KB per connection opened');
    expect(r.detail).toContain('the trend itself: only 1 collection');
  });

  it('stays skipped when the trend cannot be judged and per connection passes or was not judged', () => {
    const kept = withPerConnection(skippedTrend, { pass: true, threshold: 't', observed: '0.3 KB per connection opened', detail: 'fine' });
    expect(kept.status).toBe('skipped');
    expect(kept.observed).toBe('0.3 KB per connection opened');
    expect(withPerConnection(skippedTrend, { threshold: 't', observed: '', detail: 'not judged' }).status).toBe('skipped');
  });
});
