import { CRITERIA, type Thresholds } from './criteria/index.js';

export type { Thresholds } from './criteria/index.js';

/** Default thresholds of the Phase 3B criteria (`docs/criteria.md`): each criterion module's own, together. */
export const DEFAULT_THRESHOLDS: Thresholds = Object.assign({}, ...CRITERIA.map((c) => c.defaults ?? {}));
