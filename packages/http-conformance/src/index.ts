// Shared conformance suite for Parapet HTTP adapters (private, test-only).
export * from './app-spec.js';
export { describeConformance, withSession, eventually, type Session } from './suite.js';
export { describeOtelSink } from './otel.js';
export { describeMountOptions, MOUNT_BUCKETS, type MountMode, type MountOptions, type MountOptionsTarget } from './mount-options.js';
export { installContextManager, withTraceId, TRACE_HEADER } from './context-manager.js';
export * from './exposition.js';
export * from './traffic.js';
export * from './client.js';
