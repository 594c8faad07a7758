/**
 * The little a browser session needs of a browser, over either protocol:
 * Chromium over CDP (playwright-core), Firefox over WebDriver BiDi
 * (puppeteer-core). The page agent (page-agent.ts) does the observing inside
 * the page, the same script in both, so the drivers stay this small.
 */
export interface PageDriver {
  /** Installs the agent for every document of the page and the binding its reports arrive on. */
  prepare(script: string, binding: string, onBatch: (json: string) => void): Promise<void>;
  /** Navigates and waits for the load event; the main document's HTTP status when known. */
  goto(url: string, timeoutMs: number): Promise<{ status?: number }>;
  onPageError(cb: (message: string) => void): void;
  onConsoleError(cb: (text: string) => void): void;
  onResponse(cb: (r: { url: string; method: string; status: number }) => void): void;
  /** A PNG of the viewport, base64. */
  screenshot(): Promise<string>;
  close(): Promise<void>;
}

export interface BrowserDriver {
  /** The browser's own process (the root of its tree), for its CPU and memory. */
  readonly pid?: number;
  newPage(): Promise<PageDriver>;
  /** Name and version, as the browser tells it (`HeadlessChrome/143.0.7499.0`, `firefox/140.0`). */
  version(): Promise<string>;
  close(): Promise<void>;
}

export const VIEWPORT = { width: 960, height: 600 };

/** Flags for a Chromium on a closed network: no updater, sync or QUIC trying to reach out, no first-run dialogs. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
