import { didYouMean } from '../source/suggest.js';
import type { Kind } from './option-kinds.js';

/**
 * Advisory ids (docs/criteria.md, "Advisories"): findings the Phase 3B
 * lines do not make failures but a person should see. Ids are API, as
 * criterion ids are: reports list them, a scenario's `failOn` names them.
 * Kept here, apart from the verdict that finds them, so a scenario can name
 * them without loading it.
 */
export const ADVISORY_IDS = ['unknown_channel', 'late_welcome', 'late_first_message', 'frame_size', 'thread_growth'] as const;
export type AdvisoryId = (typeof ADVISORY_IDS)[number];

const KNOWN: readonly string[] = ADVISORY_IDS;

/** `--fail-on unknown_channel` (repeatable, or a comma list) or `failOn: [unknown_channel]`. */
export const advisoryIds: Kind<AdvisoryId[]> = {
  schema: { type: 'array', items: { enum: [...ADVISORY_IDS] }, uniqueItems: true },
  check: (ids) => {
    const unknown = ids.filter((id) => !KNOWN.includes(id));
    return unknown.length ? `names no advisory: ${unknown.join(', ')} (advisories: ${KNOWN.join(', ')})` : undefined;
  },
  parse(value, at) {
    const items = Array.isArray(value) ? value : [value];
    const ids: string[] = [];
    let ok = true;
    items.forEach((item, i) => {
      const where = at.source === 'scenario' && Array.isArray(value) ? at.part(i) : at;
      for (const id of String(item).split(',').map((s) => s.trim()).filter(Boolean)) {
        ids.push(id);
        if (KNOWN.includes(id)) continue;
        ok = false;
        // the scenario schema's enum has said it already, with the position
        if (!where.refused) where.problem(`${where.name}: "${id}" is not an advisory (advisories: ${KNOWN.join(', ')})${didYouMean(id, KNOWN)}`);
      }
    });
    return ok ? [...new Set(ids)] as AdvisoryId[] : undefined;
  },
};
