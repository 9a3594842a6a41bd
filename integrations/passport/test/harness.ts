import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { JourneyStepEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';
import { afterAll, beforeAll } from 'vitest';

export interface ServedApp {
  /** Base URL of the running app (set once `beforeAll` has run). */
  readonly base: string;
  /** Every `journey.step` event published while the file runs. */
  readonly steps: JourneyStepEvent[];
  /** Outcomes published on 'finish' can land just after the client has the response: waits (up to 10 s) for `count` of them. */
  waitForSteps(count: number): Promise<JourneyStepEvent[]>;
}

/** Serves the app `build` returns on a free port for this test file, recording journey steps; closes both after the file. */
export function serveForFile(build: () => Express): ServedApp {
  let server: Server;
  let base = '';
  const steps: JourneyStepEvent[] = [];
  let stop: () => void;
  beforeAll(async () => {
    server = build().listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = subscribe('journey.step', (e) => void steps.push(e));
  });
  afterAll(async () => {
    stop();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return {
    get base() {
      return base;
    },
    steps,
    async waitForSteps(count) {
      const deadline = Date.now() + 10_000;
      while (steps.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      return steps;
    },
  };
}
