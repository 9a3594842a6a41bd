import { describeConformance, describeOtelSink } from '@parapet/http-conformance';
import { honoInstrumentTarget } from './standard-app.js';

// The same suite, with Parapet installed by instrument(app): no middleware in the app at all.
describeConformance(honoInstrumentTarget);
describeOtelSink(honoInstrumentTarget);
