import { judgeProbeCriterion, PROBES_THRESHOLD } from '../probes.js';
import { skipped } from './format.js';
import type { Criterion } from './types.js';

/** `keepalive`: every probe of it passed (see engine/probe-steps.ts for the probes). */
export const keepalive: Criterion = {
  id: 'keepalive',
  title: () => 'Connection health (ping/pong)',
  fixed: PROBES_THRESHOLD,
  judge: ({ probes }) => (probes ? judgeProbeCriterion(probes, 'keepalive') : skipped('keepalive', PROBES_THRESHOLD, 'needs the protocol probe client, not part of this run')),
};
