import { describeConformance } from '@parapet/http-conformance';
import { honoWebTargets } from './standard-app.js';

// The web/node matrix: the standard app through app.fetch alone, served by core's Node bridge.
for (const target of honoWebTargets) describeConformance(target);
