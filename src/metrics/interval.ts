import type { Counters, EncodedHistograms } from './names.js';
import type { Sample, SeriesPoint } from './snapshot.js';

/**
 * What one client process adds to the run's metrics in one second, sent
 * with its tick: the one source of the live view, the exports and the
 * progress line. Counters and histograms are the process's totals so far
 * (a histogram only when it changed since the last interval); the series
 * points are the seconds that closed since the last interval, each as the
 * final snapshot will hold it (nothing writes to a second once it is past);
 * the samples are the violations kept since then.
 *   tick at 12.3 s after 10 s: closed = 12 (seconds < 12 are final), series
 *   = the points of seconds 10 and 11
 */
export interface IntervalSnapshot {
  /** Epoch second: every second before it is closed and sent. */
  closed: number;
  counters: Counters;
  histograms: EncodedHistograms;
  series: SeriesPoint[];
  samples: Sample[];
}
