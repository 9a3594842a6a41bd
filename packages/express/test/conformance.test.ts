import { describeConformance, describeOtelSink } from '@parapet/http-conformance';
import express5 from 'express';
import { expressTarget } from './standard-app.js';

const target = expressTarget('express 5', express5);
describeConformance(target);
describeOtelSink(target);
