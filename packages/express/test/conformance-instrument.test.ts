import { describeConformance, describeOtelSink } from '@parapet/http-conformance';
import express4 from 'express4';
import express5 from 'express';
import { expressTarget } from './standard-app.js';

// instrument(app): the same conformance suite, with no middleware layer at all.
for (const [name, e] of [['express 5', express5], ['express 4', express4]] as const) {
  const target = expressTarget(name, e as never, 'instrument');
  describeConformance(target);
  describeOtelSink(target);
}
