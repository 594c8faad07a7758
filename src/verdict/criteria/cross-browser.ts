import { skipped } from './format.js';
import { NO_PAGE } from './page-criterion.js';
import { browserLabel, judgePageLoad, judgeUiUpdates } from './page-figures.js';
import type { Criterion } from './types.js';

/** `cross_browser`: page_load and ui_updates pass in every browser asked for. */
export const crossBrowser: Criterion = {
  id: 'cross_browser',
  title: () => 'Cross-browser',
  fixed: 'every browser passes page_load and ui_updates',
  judge({ browsers }) {
    const threshold = 'every browser passes page_load and ui_updates';
    if (!browsers?.length) return skipped('cross_browser', threshold, NO_PAGE);
    const rows = browsers.map((b) => {
      const failed = [['page_load', judgePageLoad(b)], ['ui_updates', judgeUiUpdates(b)]].filter(([, v]) => (v as { status: string }).status === 'fail').map(([id]) => id as string);
      return { b, failed };
    });
    const pass = rows.every((r) => r.failed.length === 0);
    return {
      id: 'cross_browser',
      status: pass ? 'pass' : 'fail',
      observed: rows.map((r) => `${r.b.kind} ${r.failed.length ? 'fail' : 'pass'}`).join(', '),
      threshold,
      detail: [rows.filter((r) => r.failed.length).map((r) => `${browserLabel(r.b)}: ${r.failed.join(', ')} failed`).join('; '), browsers.length === 1 ? `only ${browsers[0].kind} asked for (--browser chromium,firefox for more)` : ''].filter(Boolean).join('; '),
    };
  },
};
