import { DEFAULT_PROFILE, findProfile, type TargetProfile } from '../profile/index.js';
import { CRITERIA, criterionById } from './criteria/index.js';

/**
 * Criterion ids are API (`../shared/criteria.md`): reports, JUnit test names
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
] as const;

export type CriterionId = (typeof CRITERION_IDS)[number];

/**
 * The Phase 3B line each criterion stands for, for people and JUnit, as
 * the default profile words it. A title that names the stream's figures
 * (cadence: "every 1/2/3/5 s") is the profile's: see `criterionTitle`.
 */
export const CRITERION_TITLES: Record<CriterionId, string> = Object.fromEntries(
  CRITERIA.map((c) => [c.id, c.title(defaultProfile())]),
) as Record<CriterionId, string>;

/** A criterion's title for the stream of the given profile (the default profile's for an unknown name). */
export function criterionTitle(id: CriterionId, profile: TargetProfile | string = DEFAULT_PROFILE): string {
  const p = typeof profile === 'string' ? findProfile(profile) ?? defaultProfile() : profile;
  return criterionById(id)?.title(p) ?? id;
}

function defaultProfile(): TargetProfile {
  return findProfile(DEFAULT_PROFILE)!;
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
