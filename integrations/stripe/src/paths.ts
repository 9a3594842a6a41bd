/**
 * Stripe API paths to bounded templates: object ids (`cus_NffrFeUfNV2Hib`, `pi_3Mt…`,
 * `cs_test_a1…`) and other opaque segments become `:id`; the query string is dropped.
 * `/v1/customers/cus_123/sources/card_9` → `/v1/customers/:id/sources/:id`.
 */
export function stripePathTemplate(path: string | undefined): string {
  if (!path) return '_unknown';
  const clean = path.split('?')[0]!.replace(/\/+$/, '');
  const segments = clean.split('/').slice(0, 8).map((s, i) => (i === 0 ? s : isIdentifier(s) ? ':id' : s));
  const template = segments.join('/') || '/';
  return template.length > 96 ? `${template.slice(0, 96)}…` : template;
}

function isIdentifier(segment: string): boolean {
  if (segment === '') return false;
  // Resource names are lower_snake words (`payment_intents`, `checkout`, `sessions`, `line_items`, `v1`).
  if (/^[a-z]+(?:_[a-z]+)*$/.test(segment) || /^v\d+$/.test(segment)) return false;
  return true;
}
