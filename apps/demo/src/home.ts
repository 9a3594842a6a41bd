/** The demo's home page: what to try, and the failure switch of the login journey. */
export function homePage(args: { failures: { on: boolean; ratio: number }; user: { email: string; password: string }; redis: boolean }): string {
  const { failures, user } = args;
  const state = failures.on ? `<strong style="color:#b00">ON</strong> (${Math.round(failures.ratio * 100)}% of logins fail)` : '<strong>off</strong>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parapet demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2rem}button{font-size:1rem;padding:.4rem .8rem}</style>
</head><body>
<h1>Parapet demo</h1>
<p>A small SaaS: <code>POST /login</code> (demo user <code>${user.email}</code> / <code>${user.password}</code>),
<code>POST /checkout</code> (enqueues a receipt email on ${args.redis ? 'BullMQ' : 'the in-process queue'}), <code>GET /orgs/:org/users/:id</code>.
Built-in traffic keeps every SLO fed.</p>
<h2>Failure switch: login journey</h2>
<form method="post" action="/demo/failures"><p>Failures are ${state}.
<button type="submit" name="on" value="${failures.on ? 'false' : 'true'}">${failures.on ? 'Stop failures' : 'Inject failures into login'}</button></p></form>
<p>With Prometheus and Alertmanager running the generated config, the page <code>WebSaasLoginJourneyBudgetBurnPage</code> fires
and becomes an incident in the <a href="/parapet/">workbench</a> and <a href="/parapet/api/incidents">/parapet/api/incidents</a> (send an operator token as <code>Authorization: Bearer</code>);
its runbook offers "Turn off the failure switch" (preview, then confirm).</p>
<h2>Where to look</h2>
<ul>
<li><a href="/parapet/">/parapet/</a>: the workbench — incidents, timelines, runbook steps (<a href="/demo/login">sign in</a> with the operator token printed at start-up)</li>
<li><code>/parapet/mcp</code>: the read-only MCP endpoint for assistants (operator token as Bearer)</li>
<li><code>/metrics</code>: the signals (bearer token printed at start-up)</li>
<li><code>/parapet/api/incidents</code>: incidents, with their timeline and audits</li>
<li><code>/parapet/api/health</code>: is the alert path alive</li>
<li><code>POST /parapet/alertmanager</code>: Alertmanager's webhook</li>
</ul>
</body></html>
`;
}
