import type { ViolationKind } from '../../metrics/names.js';
import { listKinds, result, sampledNote } from './format.js';
import type { Criterion } from './types.js';

/** The violations that say values did not move as they must, or differed between clients. */
export const CONSISTENCY_KINDS: readonly ViolationKind[] = ['timestamp_went_back', 'value_went_back', 'value_stuck', 'tick_mismatch', 'values_per_client', 'invariant_broken'];

/** `data_consistency`: values that must move do, clients that receive one tick see the same values, and the profile's invariants hold. */
export const dataConsistency: Criterion = {
  id: 'data_consistency',
  title: () => 'Data consistency',
  fixed: '0 violations',
  needsStream: true,
  judge({ metrics: m, samples = [] }) {
    const v = listKinds(m.violations, CONSISTENCY_KINDS);
    // an invariant is the profile's own rule: show the first one broken, with the values it read
    const broken = samples.find((x) => x.kind === 'invariant_broken');
    const example = broken ? `; first: ${broken.detail}` : '';
    return result('data_consistency', v.total === 0, `${v.total} violation(s)`, '0 violations', v.text + example + sampledNote(m.checked, 'values'));
  },
};
