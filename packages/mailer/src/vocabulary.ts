import type { DeliveryOutcome, FaultPlane } from '@parapet/core';

/**
 * One vocabulary for what every provider says about an email after it left the app. Public API:
 * additions are minor releases.
 */
export const FEEDBACK_KINDS = ['accepted', 'delivered', 'deferred', 'bounced', 'complained', 'suppressed', 'failed'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** Hard bounces will fail again (unknown mailbox); soft bounces may succeed later (mailbox full). */
export type BounceType = 'hard' | 'soft';

/** The providers whose webhooks @parapet/mailer verifies and normalizes. */
export const MAIL_PROVIDERS = ['resend', 'sendgrid', 'postmark', 'ses'] as const;
export type MailProvider = (typeof MAIL_PROVIDERS)[number];

/** One normalized feedback event, handed to your `onEvent` hook after verification and dedupe. */
export interface DeliveryFeedback {
  provider: MailProvider;
  kind: FeedbackKind;
  /** Set when `kind` is `bounced`. */
  bounce?: BounceType;
  /** The provider's event id: the dedupe key (`svix-id`, `sg_event_id`, Postmark record id, SNS MessageId). */
  eventId: string;
  /** The provider's message id, to join with the send (`email_id`, `sg_message_id`, `MessageID`, SES `mail.messageId`). */
  messageId?: string;
  /** Recipients the event is about. Exact identifiers: never labels. */
  recipients: string[];
  /** When the provider says it happened. Missing when the payload has no usable time. */
  occurredAt?: Date;
  /** The provider's own event type (`email.bounced`, `bounce`, `Bounce`, ...). */
  providerType: string;
  /** Human-readable reason from the provider (bounce diagnostic, drop reason), when there is one. */
  reason?: string;
  /** The provider's event object as received. */
  raw: unknown;
}

/** Core delivery outcome for a feedback kind (`accepted` is `provider_accepted` in metrics). */
export function outcomeOf(kind: FeedbackKind): DeliveryOutcome {
  return kind === 'accepted' ? 'provider_accepted' : kind;
}

/** Low-cardinality failure class for metrics: `hard_bounce`, `soft_bounce`, `complaint`, ... or undefined. */
export function failureClassOf(feedback: Pick<DeliveryFeedback, 'kind' | 'bounce'>): string | undefined {
  switch (feedback.kind) {
    case 'bounced':
      return feedback.bounce === 'hard' ? 'hard_bounce' : 'soft_bounce';
    case 'complained':
      return 'complaint';
    case 'suppressed':
      return 'suppressed';
    case 'failed':
      return 'provider_failed';
    case 'deferred':
      return 'deferred';
    default:
      return undefined;
  }
}

/** Where the problem sits, for the `fault_plane` label. */
export function faultPlaneOf(kind: FeedbackKind): FaultPlane {
  switch (kind) {
    case 'suppressed':
      return 'suppression';
    case 'bounced':
    case 'deferred':
    case 'failed':
      return 'provider';
    default:
      return 'none';
  }
}
