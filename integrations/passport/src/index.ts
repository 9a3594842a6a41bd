// @parapet/passport — login journey outcomes for any Passport strategy.
export { parapetPassport, type ParapetPassport, type ParapetPassportOptions, type PassportLike, type Middleware, type AuthenticateCallback } from './passport.js';
