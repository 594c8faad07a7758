import { describe, expect, test } from 'vitest';
import { ConnectionLife } from '../../src/engine/connection-life.js';

/** The reconnect/cut/churn/held state of one client, driven by hand: no socket, no clock. */
describe('ConnectionLife', () => {
  const steady = { startMs: 1000, endMs: 5000 };
  const life = () => new ConnectionLife(() => steady);

  test('a target drop in the steady phase breaks the hold, and the return is timed from it', () => {
    const l = life();
    expect(l.opened(0)).toEqual({ first: true });
    expect(l.closed(3000, true)).toEqual({ ending: 'target', next: 'backoff' });
    expect(l.returning).toBe(true);
    expect(l.opened(4000)).toEqual({ first: false, reconnectedAfterMs: 1000 });
    expect(l.channelMessage(4100)).toEqual({ reconnectFirstMs: 1100 });
    expect(l.returning).toBe(false);
    expect(l.stop(5000).held).toBe(false);
  });

  test('a harness cut does not break the hold; the cut is over at the first message after the reopen', () => {
    const l = life();
    l.opened(0);
    expect(l.requestCut()).toBe(true);
    expect(l.requestCut()).toBe(false);
    expect(l.closed(2000, true)).toEqual({ ending: 'cut', next: 'backoff' });
    expect(l.opened(3000)).toEqual({ first: false, cutReopen: { afterMs: 1000, cutAt: 2000 } });
    expect(l.channelMessage(3050)).toEqual({ cutBackMs: 1050 });
    expect(l.stop(5000)).toEqual({ held: true });
  });

  test('churn reopens at once; a refused reopen becomes a loss of the target', () => {
    const l = life();
    l.opened(0);
    expect(l.requestChurn()).toBe(true);
    expect(l.closed(2000, true)).toEqual({ ending: 'churn', next: 'reopen' });
    expect(l.churned).toBe(true);
    expect(l.connectFailed(2005)).toEqual({ first: false, churnEnded: 2000 });
    expect(l.returning).toBe(true);
    expect(l.stop(5000).held).toBe(false);
  });

  test('no churn of a client coming back from a cut; a cut not back by the stop is reported', () => {
    const l = life();
    l.opened(0);
    l.requestCut();
    l.closed(2000, true);
    expect(l.requestChurn()).toBe(false);
    expect(l.stop(4000)).toEqual({ held: false, cutNotBack: { reopened: false, cutAt: 2000 } });
    expect(l.closed(4001, false).next).toBe('none');
  });

  test('a protocol violation is a loss; the first failed attempt is told apart; opened after the steady start is not held', () => {
    const l = life();
    expect(l.connectFailed(10)).toEqual({ first: true });
    l.opened(1500);
    l.rejected();
    expect(l.unprovoked).toBe(false);
    expect(l.closed(1600, true).ending).toBe('rejected');
    l.opened(1700);
    expect(l.stop(5000).held).toBe(false);
  });
});
