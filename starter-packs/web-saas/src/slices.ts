import type { SliceSpec } from '@parapet/core/slo';

const requests = 'parapet_http_server_requests_total';
/** Requests that got an answer. Aborted requests (client went away) are not judged. */
const answered = { status_class: ['1xx', '2xx', '3xx', '4xx', '5xx'] } as const;

/** The web-saas slices with their defaults, given a runbook base URL. */
export function webSaasSlices(runbookBaseUrl: string): SliceSpec[] {
  return [
    {
      name: 'web_saas_http_availability',
      description: 'HTTP availability',
      objective: 99.9,
      alert: 'page',
      runbookUrl: `${runbookBaseUrl}/http-availability`,
      sli: {
        kind: 'event-ratio',
        total: { metric: requests, matchers: answered },
        // Server errors burn the budget; client errors do not, except 429 (we refused a user).
        bad: { metric: requests, matchers: { ...answered, status_code: { regex: '5..|429' } } },
      },
    },
    {
      name: 'web_saas_http_latency',
      description: 'HTTP latency under 500ms',
      objective: 99,
      alert: 'ticket',
      runbookUrl: `${runbookBaseUrl}/http-latency`,
      // Errors belong to availability; a fast 500 is not a good request.
      sli: { kind: 'latency', metric: 'parapet_http_server_request_duration_seconds', matchers: { status_class: ['1xx', '2xx', '3xx', '4xx'] }, threshold: 0.5 },
    },
    {
      name: 'web_saas_login_journey',
      description: 'Login journey',
      objective: 99.9,
      alert: 'page',
      runbookUrl: `${runbookBaseUrl}/login-journey`,
      sli: {
        kind: 'event-ratio',
        total: { metric: 'parapet_journey_steps_total', matchers: { journey: 'login', outcome: ['success', 'failure'] } },
        bad: { metric: 'parapet_journey_steps_total', matchers: { journey: 'login', outcome: 'failure' } },
      },
    },
    {
      name: 'web_saas_job_success',
      description: 'Background job success',
      objective: 99,
      alert: 'ticket',
      runbookUrl: `${runbookBaseUrl}/job-success`,
      groupBy: ['queue'],
      // Jobs, not attempts: a retried attempt ("retrying") is not a failure until the job gives up.
      sli: {
        kind: 'event-ratio',
        total: { metric: 'parapet_job_runs_total', matchers: { outcome: ['completed', 'failed', 'discarded'] } },
        bad: { metric: 'parapet_job_runs_total', matchers: { outcome: ['failed', 'discarded'] } },
      },
    },
  ];
}
