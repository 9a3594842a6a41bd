import { describeConformance, describeOtelSink } from '@parapet/http-conformance';
import express4 from 'express4';
import { expressTarget } from './standard-app.js';

// Its own file so Express 4 and 5 run in parallel workers.
const target = expressTarget('express 4', express4);
describeConformance(target);
describeOtelSink(target);
