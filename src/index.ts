import { loadScenario as loadScenarioFile, parseScenario as parseScenarioText, readScenario as readScenarioFile, type ParsedScenario, type Scenario, type ScenarioChecks } from './scenario/file.js';
import { SCENARIO_CHECKS } from './verdict/threshold-text.js';

type Env = Readonly<Record<string, string | undefined>>;

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
export { type ScenarioChecks, type ParsedScenario } from './scenario/file.js';
export { SCENARIO_CHECKS, parseThresholdText, resolveThresholds } from './verdict/threshold-text.js';
export { CRITERIA } from './verdict/criteria/index.js';
export { COUNTERS, COUNTER_FAMILIES, HISTOGRAMS, HISTOGRAM_FAMILIES, VIOLATIONS, type CounterKey, type HistogramKey, type ViolationKind } from './metrics/names.js';
export { compareBaseline, withBaseline } from './baseline/compare.js';
export { toBaseline, parseBaseline, parseReport } from './baseline/file.js';
export { renderReportFiles } from './reporters/formats.js';
export { startLive, type Live, type LiveOptions } from './live/start.js';
export { LiveView, type LiveSink } from './live/live-view.js';
export type { LiveFrame, LiveViolation } from './live/frame.js';
export type { LiveTick } from './engine/run.js';
export { LIVE_METRICS, LIVE_LABELS } from './metrics/live-names.js';
export { learn, LearnFailure, type LearnOptions } from './learn/learn.js';
export { inferProfile, type LearnedProfile, type LearnHints } from './learn/infer.js';
export { streamRecorder, webSocketRecorder } from './learn/stream-recorder.js';
export { profileYaml } from './learn/profile-yaml.js';
export type { Recording, Received, Sent, StreamRecorder } from './learn/recording.js';

/** A scenario's text, checked as `validate` checks it: the verdict reads its thresholds. */
export function parseScenario(text: string, file: string, env: Env = process.env, checks: ScenarioChecks = SCENARIO_CHECKS): ParsedScenario {
  return parseScenarioText(text, file, env, checks);
}

/** Reads and checks a scenario file as `run --scenario` does; throws one usage error listing every problem. */
export function loadScenario(path: string, env: Env = process.env, checks: ScenarioChecks = SCENARIO_CHECKS): Scenario {
  return loadScenarioFile(path, env, checks);
}

/** loadScenario for a scenario whose `profile:` may be an AsyncAPI document (read by an asynchronous parser), as `run --scenario` reads it. */
export function readScenario(path: string, env: Env = process.env, checks: ScenarioChecks = SCENARIO_CHECKS): Promise<Scenario> {
  return readScenarioFile(path, env, checks);
}
