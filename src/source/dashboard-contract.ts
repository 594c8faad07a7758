/**
 * What the harness and the simulator agree on about the simulator's own
 * dashboard page (`--page` without a URL): where it is and which element
 * holds the live figure. Shared base, since the two may not import each other.
 */
export const DASHBOARD_PATH = '/';
/** The element whose text is the live figure: `--watch`'s default for the dashboard. */
export const DASHBOARD_WATCH = '#live-figure';
