import { findProfile, type TargetProfile } from '../../src/profile/index.js';

/** The built-in profiles, read from their files as a run reads them. */
export const aurigraphV11: TargetProfile = findProfile('aurigraph-v11')!;
export const tickerDemo: TargetProfile = findProfile('ticker-demo')!;
