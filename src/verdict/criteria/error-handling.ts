import { judgeProbeCriterion, PROBES_THRESHOLD } from '../probes.js';
import { skipped } from './format.js';
import type { Criterion } from './types.js';

/** `error_handling`: every probe of it passed (see engine/probe-steps.ts for the probes). */
export const errorHandling: Criterion = {
  id: 'error_handling',
  title: () => 'Error states handled',
  fixed: PROBES_THRESHOLD,
  judge: ({ probes }) => (probes ? judgeProbeCriterion(probes, 'error_handling') : skipped('error_handling', PROBES_THRESHOLD, 'needs the protocol probe client, not part of this run')),
};
