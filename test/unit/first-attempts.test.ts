import { describe, expect, it } from 'vitest';
import { FirstAttempts, HOPELESS_AFTER_MS } from '../../src/engine/first-attempts.js';

const refused = { kind: 'refused', text: 'connection refused' };
const notHttp = { kind: 'not_http', text: 'the target does not answer in HTTP' };

describe('a run that cannot connect stops early (FirstAttempts)', () => {
  it('stops once the first 10 first opens failed the same way and the first seconds are over', () => {
    const f = new FirstAttempts(100);
    for (let i = 0; i < 9; i++) f.failure(notHttp);
    expect(f.hopeless(HOPELESS_AFTER_MS)).toBeUndefined();
    f.failure(notHttp);
    expect(f.hopeless(HOPELESS_AFTER_MS - 1)).toBeUndefined();
    expect(f.hopeless(HOPELESS_AFTER_MS)).toEqual(notHttp);
  });

  it('needs only as many as are planned', () => {
    const f = new FirstAttempts(2);
    f.failure(refused);
    expect(f.hopeless(60_000)).toBeUndefined();
    f.failure(refused);
    expect(f.hopeless(60_000)).toEqual(refused);
  });

  it('goes on when the causes differ, or any connection opened', () => {
    const mixed = new FirstAttempts(2);
    mixed.failure(refused);
    mixed.failure(notHttp);
    expect(mixed.hopeless(60_000)).toBeUndefined();
    const opened = new FirstAttempts(2);
    opened.failure(refused);
    opened.failure(refused);
    opened.open();
    expect(opened.hopeless(60_000)).toBeUndefined();
  });
});
