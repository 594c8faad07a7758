/**
 * The library API: everything the CLI does is callable from code.
 */
export { startRun, Run, type RunResult, type RunProgress, type TargetInfo } from './engine/run.js';
export { defaultSettings, settingsProblems, type RunSettings } from './scenario/settings.js';
export { rampPlan } from './scenario/ramp.js';
export { parseDuration } from './scenario/duration.js';
export { buildReport, type Report } from './verdict/report.js';
export { judge, type JudgeInput, type Judgement } from './verdict/judge.js';
export { CRITERION_IDS, type CriterionId, type CriterionResult, type Verdict } from './verdict/criteria.js';
export { DEFAULT_THRESHOLDS, type Thresholds } from './verdict/thresholds.js';
export { mergeSnapshots, mergeAll, type MetricsSnapshot } from './metrics/snapshot.js';
export { startSimulator, type RunningSimulator, type SimulatorOptions } from './simulator/index.js';
export { defaultProfile, findProfile, loadProfile, parseProfile, profileNames, type ProfileDocument, type TargetProfile } from './profile/index.js';
export { BenchError, type BenchErrorCode } from './errors.js';
export { mergeReports } from './verdict/merge.js';
export { parseScenario, loadScenario } from './scenario/file.js';
export { compareBaseline, withBaseline } from './baseline/compare.js';
export { toBaseline, parseBaseline, parseReport } from './baseline/file.js';
export { renderReportFiles } from './reporters/formats.js';
