/** The stylesheet of report.html (beside uPlot's own), inlined into the page. */
export const HTML_STYLE = `
:root { --pass: #15803d; --fail: #b91c1c; --skip: #6b7280; --warn: #b45309; --line: #e5e7eb; --muted: #6b7280; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; background: #f9fafb; }
header.verdict { display: flex; gap: 20px; align-items: center; padding: 18px 28px; color: #fff; }
.verdict-pass { background: var(--pass); } .verdict-fail { background: var(--fail); } .verdict-inconclusive { background: var(--warn); }
.verdict-running { background: #1e40af; }
header .badge { font-size: 28px; font-weight: 700; letter-spacing: .04em; padding: 6px 16px; border: 2px solid rgba(255,255,255,.8); border-radius: 8px; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header .reason { margin: 4px 0 0; opacity: .95; }
main { padding: 8px 28px 28px; max-width: 1400px; }
h2 { font-size: 17px; margin: 26px 0 10px; display: flex; gap: 10px; align-items: center; }
h3 { font-size: 15px; margin: 18px 0 8px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 16px 0 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { background: #f3f4f6; font-weight: 600; font-size: 13px; }
table.criteria td:first-child { width: 230px; } table.criteria td:nth-child(2) { width: 90px; }
table.criteria tr.row-fail td { background: #fef2f2; } table.criteria tr.row-fail td:first-child { box-shadow: inset 4px 0 0 var(--fail); }
p.failed-list { margin: 0 0 8px; color: var(--fail); font-weight: 600; } p.failed-list a { color: inherit; }
td .title { color: var(--muted); font-size: 12px; }
td { overflow-wrap: anywhere; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.status { white-space: nowrap; display: inline-block; min-width: 56px; text-align: center; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.status-pass { background: var(--pass); } .status-fail { background: var(--fail); } .status-skipped { background: var(--skip); }
.status-pending { background: #64748b; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
.plot { overflow: hidden; min-height: 60px; }
.plot.empty { color: var(--muted); padding: 24px 0; }
.detail { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; }
ul.notes { color: var(--warn); }
footer { color: var(--muted); font-size: 12px; padding: 0 28px 24px; }
`;
