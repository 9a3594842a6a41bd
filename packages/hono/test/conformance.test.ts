import { describeConformance, describeOtelSink } from '@parapet/http-conformance';
import { honoTarget } from './standard-app.js';

describeConformance(honoTarget);
describeOtelSink(honoTarget);
