import { judgeProbeCriterion, PROBES_THRESHOLD } from '../probes.js';
import { skipped } from './format.js';
import type { Criterion } from './types.js';

/** `subscriptions`: every probe of it passed (see engine/probe-steps.ts for the probes). */
export const subscriptions: Criterion = {
  id: 'subscriptions',
  title: () => 'Data flows to the components that asked for it',
  fixed: PROBES_THRESHOLD,
  judge: ({ probes }) => (probes ? judgeProbeCriterion(probes, 'subscriptions') : skipped('subscriptions', PROBES_THRESHOLD, 'needs the protocol probe client, not part of this run')),
};
