import type { AdvisoryRule } from './types.js';

/**
 * `unknown_channel`: the target confirmed a subscribe to a channel that
 * does not exist (the probe marks it). protocol.md says nothing of that
 * case and the real server does it, so it is not an error_handling failure.
 */
export const unknownChannel: AdvisoryRule = {
  id: 'unknown_channel',
  find({ snapshot }) {
    const p = snapshot.probes?.probes.find((r) => r.advisory === 'unknown_channel');
    return p ? `a subscribe to a channel that does not exist was confirmed (${p.detail}); nothing in the spec asks for an error there` : undefined;
  },
};
