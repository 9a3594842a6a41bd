import type { DeliveryOutcome, FaultPlane } from '@parapet/core';

/** How one failed send is classified. */
export interface SendFailureClass {
  /** `bounced` when the provider permanently refused every recipient, else `failed`. */
  outcome: Extract<DeliveryOutcome, 'failed' | 'bounced'>;
  /** `provider` for network and provider-side trouble, `app` for configuration and message errors. */
  faultPlane: FaultPlane;
  /** True when retrying the same message will fail again. */
  permanent: boolean;
}

/** Nodemailer error codes caused by the app's own configuration or message, not by the provider. */
const APP_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EMESSAGE', 'ESTREAM', 'EFILEACCESS', 'EURLACCESS', 'EREQUIRETLS', 'EMAXRECIPIENTS']);
/** Codes that end the connection: always transient. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

interface ErrorLike {
  code?: unknown;
  responseCode?: unknown;
  permanent?: unknown;
  statusCode?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  name?: unknown;
}

/** SES v2 / SES v1 error names that mean the app or account is misconfigured. */
const SES_APP_ERRORS = new Set(['MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'SendingPausedException', 'AccountSendingPausedException', 'ConfigurationSetSendingPausedException', 'NotFoundException', 'BadRequestException']);

/**
 * Classify a send error by Nodemailer's taxonomy: `err.permanent` (Nodemailer >= 10.2), else the
 * SMTP `responseCode` (5xx except 503 is permanent), else the error `code`. Errors from HTTP
 * providers (`statusCode`, SES `$metadata.httpStatusCode`) follow the same rule: 4xx other than
 * 408/429 is permanent.
 */
export function classifySendError(error: unknown): SendFailureClass {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const smtp = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const http = typeof e.statusCode === 'number' ? e.statusCode : typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;

  let permanent: boolean;
  if (typeof e.permanent === 'boolean') permanent = e.permanent;
  else if (smtp !== undefined) permanent = smtp >= 500 && smtp !== 503;
  else if (code && CONNECTION_CODES.has(code)) permanent = false;
  else if (http !== undefined) permanent = http >= 400 && http < 500 && http !== 408 && http !== 429;
  else permanent = code !== undefined && APP_CODES.has(code);

  if (code && CONNECTION_CODES.has(code)) return { outcome: 'failed', faultPlane: 'provider', permanent: false };
  // Every recipient permanently refused: the address is the problem, like a declined card.
  if (code === 'EENVELOPE' && permanent) return { outcome: 'bounced', faultPlane: 'provider', permanent };
  if (e.name === 'MessageRejected') return { outcome: 'bounced', faultPlane: 'provider', permanent: true };
  if ((code && APP_CODES.has(code)) || (typeof e.name === 'string' && SES_APP_ERRORS.has(e.name))) return { outcome: 'failed', faultPlane: 'app', permanent };
  // HTTP providers: bad credentials, invalid requests and exhausted quotas are the app's to fix.
  if (http !== undefined && [400, 401, 403, 404, 413, 422].includes(http)) return { outcome: 'failed', faultPlane: 'app', permanent: true };
  if (typeof e.name === 'string' && /quota|invalid_api_key|missing_api_key|invalid_from_address|validation_error/.test(e.name)) return { outcome: 'failed', faultPlane: 'app', permanent: true };
  return { outcome: 'failed', faultPlane: 'provider', permanent };
}
