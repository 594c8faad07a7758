import { DEFAULT_PROFILE, defaultProfile, findProfile, type TargetProfile } from '../profile/index.js';
import { CRITERIA, criterionById } from './criteria/index.js';

/**
 * Criterion ids are API (`docs/criteria.md`): reports, JUnit test names
 * and scenario thresholds key on them. Never rename one; add beside them.
 * The order here is the order of every report.
 */
export const CRITERION_IDS = [
  'connect',
  'handshake',
  'message_types',
  'cadence',
  'data_consistency',
  'subscriptions',
  'error_handling',
  'keepalive',
  'fallback',
  'latency',
  'bandwidth',
  'server_cpu',
  'server_memory',
  'concurrency',
  'unintended_disconnects',
  'reconnect',
  'data_loss',
  'uptime',
  'page_load',
  'ui_updates',
  'page_fallback',
  'cross_browser',
] as const;

export type CriterionId = (typeof CRITERION_IDS)[number];

/**
 * The Phase 3B line each criterion stands for, for people and JUnit, as
 * the default profile words it. A title that names the stream's figures
 * (cadence: "every 1/2/3/5 s") is the profile's: see `criterionTitle`.
 */
export const CRITERION_TITLES = {} as Readonly<Record<CriterionId, string>>;
// read when asked: the default profile is a file, not worth reading on import
for (const c of CRITERIA) Object.defineProperty(CRITERION_TITLES, c.id, { enumerable: true, get: () => c.title(defaultProfile()) });

/** A criterion's title for the stream of the given profile (the default profile's for an unknown name). */
export function criterionTitle(id: CriterionId, profile: TargetProfile | string = DEFAULT_PROFILE): string {
  return criterionById(id)?.title(typeof profile === 'string' ? profileOrDefault(profile) : profile) ?? id;
}

/** A report re-rendered where its profile file is gone still gets titles: the default profile's. */
function profileOrDefault(ref: string): TargetProfile {
  try {
    return findProfile(ref) ?? defaultProfile();
  } catch {
    return defaultProfile();
  }
}

export type CriterionStatus = 'pass' | 'fail' | 'skipped';

export interface CriterionResult {
  id: CriterionId;
  /** The Phase 3B line as this run's profile words it; absent in reports written before titles were kept. */
  title?: string;
  status: CriterionStatus;
  observed: string;
  threshold: string;
  detail: string;
}

export type Verdict = 'pass' | 'fail' | 'inconclusive';
