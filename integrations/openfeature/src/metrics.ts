import { defineMetric } from '@parapet/core/integration';

/** OpenFeature's error codes (the spec's closed set). */
export const EVALUATION_ERROR_CODES = ['PROVIDER_NOT_READY', 'PROVIDER_FATAL', 'FLAG_NOT_FOUND', 'PARSE_ERROR', 'TYPE_MISMATCH', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'GENERAL'] as const;

export const flagEvaluationErrors = defineMetric({
  name: 'parapet_flag_evaluation_errors_total',
  type: 'counter',
  help: 'Feature flag evaluations that failed and returned the default value, by flag and OpenFeature error code. Successful evaluations are not counted.',
  labels: ['flag', 'error_code'],
  labelValues: { error_code: EVALUATION_ERROR_CODES },
  maxSeries: 200,
});
