import { DEFAULTS, type RunSettings } from './settings.js';

/**
 * A flag that shapes the run (--clients, --duration, --ramp) replaces a
 * scenario's stages: the run becomes a plain ramp and hold, with the
 * defaults for whatever the flags leave out.
 */
export function overrideStages(s: RunSettings, flags: { clients?: string; duration?: string; ramp?: string }): void {
  if (!s.stages || (flags.clients === undefined && flags.duration === undefined && flags.ramp === undefined)) return;
  const peak = s.clients;
  delete s.stages;
  if (flags.clients === undefined) s.clients = peak;
  if (flags.duration === undefined) s.durationMs = DEFAULTS.durationMs;
  if (flags.ramp === undefined) s.rampMs = DEFAULTS.rampMs;
}
