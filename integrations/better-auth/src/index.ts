// @parapet/better-auth — login and signup journey steps from better-auth's own hooks.
export { parapetBetterAuth, type ParapetBetterAuthOptions } from './plugin.js';
export { KNOWN_OAUTH_PROVIDERS, SIGN_IN_METHODS, classifyPath, classifyResult, type Classified, type Journey, type Outcome } from './classify.js';
