/**
 * The workbench's whole stylesheet. It is adopted by the workbench's shadow root, so host styles
 * cannot reach in (`all: initial` on the root resets what inherits through the shadow boundary)
 * and these rules cannot leak out. Every class carries the `pw-` prefix as a second guard.
 * Adopted stylesheets are CSSOM, allowed under a strict `style-src 'self'` CSP.
 */
export const WORKBENCH_CSS = `
:host { all: initial; display: block; }
.pw-root { all: initial; display: block; box-sizing: border-box; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1f24; background: #f6f7f9; min-height: 100%; padding: 0 0 32px; -webkit-text-size-adjust: 100%; }
.pw-root *, .pw-root *::before, .pw-root *::after { box-sizing: border-box; margin: 0; padding: 0; font: inherit; color: inherit; letter-spacing: normal; text-transform: none; }
.pw-root a { color: #0b57d0; text-decoration: underline; }
.pw-root :focus-visible { outline: 3px solid #a35200; outline-offset: 2px; border-radius: 3px; }
.pw-root button, .pw-root select, .pw-root input, .pw-root textarea { border: 1px solid #5f6b7a; border-radius: 6px; background: #fff; padding: 6px 10px; min-height: 36px; }
.pw-root select, .pw-root input, .pw-root textarea { font-weight: 400; }
.pw-root h1[tabindex="-1"]:focus { outline: none; }
.pw-root button { cursor: pointer; background: #fff; font-weight: 600; }
.pw-root button:disabled { cursor: not-allowed; opacity: .6; }
.pw-root .pw-primary { background: #0b57d0; border-color: #0b57d0; color: #fff; }
.pw-root .pw-danger { background: #a50e0e; border-color: #a50e0e; color: #fff; }
.pw-header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 12px 16px; background: #1b1f24; color: #fff; }
.pw-header .pw-brand { font-weight: 700; font-size: 17px; }
.pw-nav { display: flex; gap: 4px; flex-wrap: wrap; }
.pw-nav a { color: #fff; padding: 6px 10px; border-radius: 6px; text-decoration: none; }
.pw-nav a[aria-current="page"] { background: #3b4350; text-decoration: underline; }
.pw-main { padding: 16px; max-width: 1100px; margin: 0 auto; display: block; }
.pw-h1 { font-size: 22px; font-weight: 700; margin: 0 0 12px; word-break: break-word; }
.pw-h2 { font-size: 17px; font-weight: 700; margin: 0 0 8px; }
.pw-section { background: #fff; border: 1px solid #d0d6de; border-radius: 8px; padding: 14px; margin: 0 0 14px; }
.pw-filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; margin: 0 0 12px; }
.pw-field { display: flex; flex-direction: column; gap: 4px; font-size: 13px; font-weight: 600; }
.pw-field-wide { flex: 1 1 100%; }
.pw-list { list-style: none; display: flex; flex-direction: column; gap: 8px; }
.pw-row { display: grid; grid-template-columns: 120px 1fr auto; gap: 4px 12px; align-items: center; background: #fff; border: 1px solid #d0d6de; border-radius: 8px; padding: 10px 12px; }
.pw-row a { font-weight: 700; word-break: break-word; }
.pw-meta { color: #4a5563; font-size: 13px; }
.pw-badge { display: inline-flex; gap: 4px; align-items: center; border-radius: 999px; padding: 2px 8px; font-size: 12px; font-weight: 700; border: 1px solid currentColor; white-space: nowrap; }
.pw-sev-page { color: #a50e0e; background: #fde8e8; }
.pw-sev-ticket { color: #7a4d00; background: #fff4d6; }
.pw-sev-other { color: #3b4350; background: #eef0f3; }
.pw-state { color: #1b1f24; background: #eef0f3; }
.pw-suspect { color: #7a4d00; background: #fff4d6; }
.pw-banner { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; background: #e8f0fe; border: 1px solid #0b57d0; border-radius: 8px; padding: 10px 12px; margin: 0 0 12px; }
.pw-error { background: #fde8e8; border: 1px solid #a50e0e; color: #5c0707; border-radius: 8px; padding: 10px 12px; margin: 8px 0; }
.pw-ok { background: #e6f4ea; border: 1px solid #137333; color: #0d4f22; border-radius: 8px; padding: 10px 12px; margin: 8px 0; }
.pw-pager { display: flex; gap: 8px; justify-content: space-between; margin: 12px 0 0; }
.pw-dl { display: grid; grid-template-columns: minmax(120px, max-content) 1fr; gap: 6px 14px; }
.pw-dl dt { font-weight: 600; color: #4a5563; }
.pw-dl dd { word-break: break-word; }
.pw-timeline { list-style: none; border-left: 3px solid #d0d6de; margin-left: 6px; }
.pw-entry { position: relative; padding: 6px 0 10px 14px; }
.pw-entry::before { content: ""; position: absolute; left: -8px; top: 12px; width: 11px; height: 11px; border-radius: 50%; background: #5f6b7a; border: 2px solid #fff; }
.pw-entry-operator::before { background: #0b57d0; border-radius: 2px; }
.pw-entry-change::before { background: #7a4d00; border-radius: 0; transform: rotate(45deg); }
.pw-entry-suspect { background: #fff8e6; border-radius: 6px; }
.pw-entry-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.pw-kind { font-weight: 700; }
.pw-who-operator { color: #0b57d0; font-weight: 600; }
.pw-who-system { color: #4a5563; font-style: italic; }
.pw-summary-text { white-space: pre-wrap; word-break: break-word; }
.pw-controls { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 10px; }
.pw-form { display: flex; flex-direction: column; gap: 10px; border-top: 1px solid #d0d6de; padding-top: 10px; }
.pw-form textarea { min-height: 80px; resize: vertical; width: 100%; }
.pw-form-actions { display: flex; gap: 8px; flex-wrap: wrap; }
.pw-links { list-style: none; display: flex; flex-wrap: wrap; gap: 8px 16px; }
.pw-kv { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; }
.pw-kv li { background: #eef0f3; border-radius: 4px; padding: 1px 6px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
.pw-mt { margin-top: 10px; }
.pw-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.pw-steps { list-style: decimal; padding-left: 20px; display: flex; flex-direction: column; gap: 8px; }
.pw-pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; background: #eef0f3; border-radius: 6px; padding: 8px; white-space: pre-wrap; word-break: break-word; }
@media (max-width: 640px) {
  .pw-main { padding: 10px; }
  .pw-row { grid-template-columns: 1fr; }
  .pw-dl { grid-template-columns: 1fr; }
  .pw-dl dd { margin-bottom: 6px; }
  .pw-filters .pw-field { flex: 1 1 100%; }
  .pw-filters select, .pw-filters input { width: 100%; }
}
`;
