// @parapet/mailer — email delivery signals: instrumented Nodemailer transports and verified,
// normalized provider webhooks (Resend, SendGrid, Postmark, Amazon SES via SNS).

export { mailer, type MailerOptions } from './integration.js';
export { instrumentTransport, trackSend, interpretSendResult, type InstrumentTransportOptions, type TrackSendOptions, type SendMailTransport } from './transport.js';
export { classifySendError, type SendFailureClass } from './classify.js';
export {
  FEEDBACK_KINDS, MAIL_PROVIDERS, outcomeOf, failureClassOf, faultPlaneOf,
  type FeedbackKind, type BounceType, type MailProvider, type DeliveryFeedback,
} from './vocabulary.js';
export { memoryDedupe, type DedupeStore } from './dedupe.js';
export { mailerWebhookRejections, WEBHOOK_REJECTION_REASONS, type WebhookRejectionReason } from './metrics.js';
export { type WebhookHandler, type WebhookHandlerOptions } from './webhooks/handler.js';
export { resendWebhook, type ResendWebhookOptions } from './webhooks/resend.js';
export { sendgridWebhook, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER, type SendGridWebhookOptions } from './webhooks/sendgrid.js';
export { postmarkWebhook, type PostmarkWebhookOptions } from './webhooks/postmark.js';
export { sesWebhook, snsStringToSign, type SesWebhookOptions } from './webhooks/ses.js';
export { signStandardWebhook, verifyStandardWebhook } from './webhooks/standard-webhooks.js';
