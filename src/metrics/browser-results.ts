/**
 * What the real browsers saw of the frontend page while the load ran
 * (`--page`, src/browser/): plain data, so it travels in the metrics
 * snapshot and the report; the verdict judges the browser criteria from it.
 * Times are epoch ms of the harness clock; gaps are measured over the steady
 * phase by the browser session, so judging is a comparison with a limit.
 */

export interface PageSocket {
  /** The URL the page passed to its WebSocket (query left out: it may hold a token). */
  url: string;
  /** Whether it is the stream the load clients test (same host, port and path). */
  isTarget: boolean;
  attemptAt: number;
  openedAt?: number;
  firstFrameAt?: number;
  closedAt?: number;
  closeCode?: number;
  /** Frames received, by message type (`?` for frames that are not the profile's JSON). */
  frames: Record<string, number>;
  /** The harness cut this socket on purpose (chaos in the page). */
  cut?: boolean;
  /** Refused by the harness (the refused-socket page). */
  refused?: boolean;
}

export interface PageRequest {
  url: string;
  method: string;
  status: number;
  /** fetch or XMLHttpRequest made by the page's script (what a poll is). */
  script: boolean;
}

/** Changes of the watched element's text (`--watch`). */
export interface WatchFigures {
  selector: string;
  /** The element was in the page at some point. */
  found: boolean;
  /** Changes within the steady phase. */
  changes: number;
  /** Longest time without a change over the steady phase, the reconnect after a cut left out. */
  maxGapMs: number;
  /** Epoch ms the longest gap began. */
  maxGapAt?: number;
  /** The last text seen (shortened), for the report. */
  lastText?: string;
}

/** The refused-socket page's REST polling (`page_fallback`). */
export interface PollFigures {
  /** When the page's socket first failed (epoch ms); absent when it never tried one. */
  failedAt?: number;
  /** Script requests (fetch, XHR) made after the failure. */
  polls: number;
  /** Longest time without a poll from the failure to the end of the observation. */
  maxGapMs: number;
  /** The URL polled most. */
  url?: string;
  /** Length of the observation after the failure. */
  observedMs: number;
}

/** The cut of one of the page's sockets and its reconnection. */
export interface PageCut {
  at: number;
  /** First frame on a socket the page opened after the cut. */
  reconnectedAt?: number;
}

export interface PageRun {
  role: 'main' | 'refused';
  url: string;
  /** Navigation (goto to the load event) succeeded. */
  loaded: boolean;
  status?: number;
  loadMs?: number;
  loadError?: string;
  /** Uncaught errors (the first few kept; `pageErrorCount` has them all). */
  pageErrors: string[];
  pageErrorCount: number;
  consoleErrors: string[];
  consoleErrorCount: number;
  /** The first sockets the page opened (`socketCount` has them all). */
  sockets: PageSocket[];
  socketCount: number;
  /** From navigation start to the first frame on the target's stream. */
  streamingMs?: number;
  /** The first requests seen (`requestCount` has them all). */
  requests: PageRequest[];
  requestCount: number;
  watch?: WatchFigures;
  polls?: PollFigures;
  cut?: PageCut;
}

/** The page's stream frames, through the load clients' checks (src/checks), per browser. */
export interface PageStreamChecks {
  frames: number;
  /** Violations by kind (schema, invalid_json, cadence ...). */
  violations: Record<string, number>;
  /** The first violation texts. */
  examples: string[];
  received: number;
  lost: number;
}

export interface BrowserFootprint {
  /** Mean and peak CPU of the browser's processes, in shares of one core. */
  cpuMeanShare: number;
  cpuPeakShare: number;
  rssMeanBytes: number;
  rssPeakBytes: number;
  samples: number;
}

export interface BrowserRun {
  /** `chromium`, `firefox`. */
  kind: string;
  /** What was asked for (`chromium`, or a path). */
  asked: string;
  version?: string;
  /** Where the binary came from: `system`, `path`, `packaged` (@sparticuz/chromium). */
  origin?: string;
  /** The browser could not be started or driven. */
  error?: string;
  /** The fastest channel's interval, the ui_updates yardstick. */
  fastestIntervalMs: number;
  pages: PageRun[];
  checks?: PageStreamChecks;
  footprint?: BrowserFootprint;
  /** base64 PNGs of the first main page at the start and end of the steady phase. */
  screenshots?: { start?: string; end?: string };
}

export const KEPT_PER_PAGE = 10;

/** Browsers of two shards side by side (only one shard opens pages: this is the union). */
export function mergeBrowserRuns(a: readonly BrowserRun[], b: readonly BrowserRun[]): BrowserRun[] {
  return [...a, ...b];
}
