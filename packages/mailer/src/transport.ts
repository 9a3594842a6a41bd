import { publishDeliveryOutbound } from '@parapet/core';
import { ParapetError, parseOptions } from '@parapet/core/integration';
import * as z from 'zod';
import { classifySendError } from './classify.js';
import { reportError } from './report.js';

/** The part of a Nodemailer transporter (or anything shaped like it) the wrapper uses. */
export interface SendMailTransport<Mail = unknown, Info = unknown> {
  sendMail(mail: Mail): Promise<Info>;
}

export interface InstrumentTransportOptions {
  /** Provider label (`smtp`, `ses`, `postmark`, ...): lower case, `[a-z0-9_-]`, at most 32 characters. Default `smtp`. */
  provider?: string;
  /** Channel label. Default `email`. */
  channel?: string;
  /** Called with errors Parapet caught while recording (never with the send's own error). */
  onError?: (error: unknown) => void;
}

const label = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a lower-case name of at most 32 characters ([a-z0-9_-])');
const schema = z.strictObject({
  provider: label.default('smtp'),
  channel: label.default('email'),
  onError: z.function().optional(),
});

interface InfoLike {
  messageId?: unknown;
  serverMessageId?: unknown;
  accepted?: unknown;
  rejected?: unknown;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/**
 * Wrap a Nodemailer transporter: every `sendMail` publishes `delivery.outbound` with outcome
 * `attempted` *before* the send, then one outcome from its result or error: `provider_accepted`
 * (at least one recipient accepted), `bounced` (every recipient permanently refused), or `failed`
 * with the fault plane from the error's permanent/transient class. The send itself is unchanged:
 * its result and errors reach the caller as they are. The transporter is not modified; the
 * returned proxy forwards everything else to it.
 */
export function instrumentTransport<T extends SendMailTransport>(transporter: T, options: InstrumentTransportOptions = {}): T {
  if (typeof transporter?.sendMail !== 'function') {
    throw new ParapetError('INVALID_OPTIONS', 'instrumentTransport(): pass a Nodemailer transporter (the object nodemailer.createTransport() returns).');
  }
  const opts = parseOptions(schema, options, 'instrumentTransport()');
  const onError = opts.onError as ((error: unknown) => void) | undefined;
  const base = { integration: 'mailer', provider: opts.provider, channel: opts.channel } as const;

  const publish = (event: Parameters<typeof publishDeliveryOutbound>[0]) => {
    try {
      publishDeliveryOutbound(event);
    } catch (error) {
      reportError('mailer.transport', error, onError);
    }
  };

  const sendMail = async (mail: unknown, ...rest: unknown[]): Promise<unknown> => {
    if (rest.length > 0 && typeof rest[0] === 'function') {
      throw new ParapetError('INVALID_OPTIONS', 'instrumentTransport(): the instrumented sendMail() returns a promise; callbacks are not supported. Use `await transport.sendMail(mail)`.');
    }
    publish({ ...base, outcome: 'attempted' });
    const start = process.hrtime.bigint();
    let info: InfoLike;
    try {
      info = (await transporter.sendMail(mail)) as InfoLike;
    } catch (error) {
      const cls = classifySendError(error);
      publish({ ...base, outcome: cls.outcome, faultPlane: cls.faultPlane, durationSeconds: seconds(start) });
      throw error;
    }
    const accepted = Array.isArray(info?.accepted) ? info.accepted.length : undefined;
    const rejected = Array.isArray(info?.rejected) ? info.rejected.length : 0;
    const refs: Record<string, string> = {};
    if (typeof info?.messageId === 'string') refs.message_id = info.messageId;
    if (typeof info?.serverMessageId === 'string') refs.server_message_id = info.serverMessageId;
    // SMTP results list accepted recipients; other transports (SES, JSON) do not, and a result means accepted.
    const ok = accepted === undefined || accepted > 0 || rejected === 0;
    publish({
      ...base,
      outcome: ok ? 'provider_accepted' : 'bounced',
      faultPlane: ok ? 'none' : 'provider',
      durationSeconds: seconds(start),
      ...(Object.keys(refs).length > 0 && { refs }),
    });
    return info;
  };

  return new Proxy(transporter, {
    get(target, prop, receiver) {
      if (prop === 'sendMail') return sendMail;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface TrackSendOptions<R> {
  /** Provider label (`resend`, `postmark`, `sendgrid`, `ses`, ...). */
  provider: string;
  /** Channel label. Default `email`. */
  channel?: string;
  /**
   * Reads a result that did not throw. Default: Resend-style `{ error }` and Postmark-style
   * `{ ErrorCode }` results are failures (classified like thrown errors), anything else accepted.
   */
  interpret?: (result: R) => { ok: true; messageId?: string } | { ok: false; error: unknown };
  onError?: (error: unknown) => void;
}

const trackSchema = z.strictObject({
  provider: label,
  channel: label.optional(),
  interpret: z.function().optional(),
  onError: z.function().optional(),
});

/** How provider SDKs report a send that did not throw. */
export function interpretSendResult(result: unknown): { ok: true; messageId?: string } | { ok: false; error: unknown } {
  const r = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  // Resend: { data: { id } | null, error: { name, statusCode, message } | null } — it never throws.
  if ('error' in r && r.error) return { ok: false, error: r.error };
  // Postmark: { MessageID, ErrorCode, Message }; ErrorCode 0 is success.
  if (typeof r.ErrorCode === 'number' && r.ErrorCode !== 0) return { ok: false, error: { name: `postmark_${r.ErrorCode}`, statusCode: 422, message: r.Message } };
  const data = r.data as { id?: unknown } | undefined;
  const sg = Array.isArray(result) ? (result[0] as { headers?: Record<string, unknown> } | undefined)?.headers?.['x-message-id'] : undefined;
  const id = [data?.id, r.MessageID, r.MessageId, r.messageId, sg].find((v): v is string => typeof v === 'string');
  return id ? { ok: true, messageId: id } : { ok: true };
}

/**
 * Count one send through any provider SDK: `delivery.outbound` `attempted` before calling
 * `send`, then `provider_accepted`, `bounced` or `failed` from its result or error (Resend never
 * throws: its `{ error }` result is read too). Returns the result and rethrows the error unchanged.
 *
 * ```ts
 * await trackSend(() => resend.emails.send(mail), { provider: 'resend' });
 * ```
 */
export async function trackSend<R>(send: () => Promise<R>, options: TrackSendOptions<R>): Promise<R> {
  const opts = parseOptions(trackSchema, options, 'trackSend()');
  const onError = opts.onError as ((error: unknown) => void) | undefined;
  const interpret = (opts.interpret as TrackSendOptions<R>['interpret']) ?? interpretSendResult;
  const base = { integration: 'mailer', provider: opts.provider, channel: opts.channel ?? 'email' } as const;
  const publish = (event: Parameters<typeof publishDeliveryOutbound>[0]) => {
    try {
      publishDeliveryOutbound(event);
    } catch (error) {
      reportError('mailer.transport', error, onError);
    }
  };
  publish({ ...base, outcome: 'attempted' });
  const start = process.hrtime.bigint();
  let result: R;
  try {
    result = await send();
  } catch (error) {
    const cls = classifySendError(error);
    publish({ ...base, outcome: cls.outcome, faultPlane: cls.faultPlane, durationSeconds: seconds(start) });
    throw error;
  }
  let read: ReturnType<NonNullable<TrackSendOptions<R>['interpret']>>;
  try {
    read = interpret(result);
  } catch (error) {
    reportError('mailer.transport', error, onError);
    read = { ok: true };
  }
  if (read.ok) {
    publish({ ...base, outcome: 'provider_accepted', faultPlane: 'none', durationSeconds: seconds(start), ...(read.messageId && { refs: { message_id: read.messageId } }) });
  } else {
    const cls = classifySendError(read.error);
    publish({ ...base, outcome: cls.outcome, faultPlane: cls.faultPlane, durationSeconds: seconds(start) });
  }
  return result;
}
