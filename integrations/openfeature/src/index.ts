// @parapet/openfeature — feature flag changes and evaluation errors, from OpenFeature's own events and hooks.
export { parapetOpenFeature, type ParapetOpenFeatureOptions, type OpenFeatureEventsLike } from './openfeature.js';
export { flagEvaluationErrors, EVALUATION_ERROR_CODES } from './metrics.js';
export { flagLabel, sourceLabel } from './normalize.js';
