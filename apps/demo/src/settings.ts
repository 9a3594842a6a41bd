import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { DemoSettings } from './app.js';

/** Tokens the demo made up because their setting was absent; main.ts prints them. */
export interface GeneratedTokens {
  [setting: string]: string;
}

const generate = (kind: string) => `demo_${kind}_${randomBytes(8).toString('hex')}`;

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((t) => t.trim()).filter(Boolean);
}

/** `actor:token` pairs; a token alone acts as `operator`. */
function operators(value: string | undefined): { actor: string; token: string }[] {
  return list(value).map((pair) => {
    const at = pair.indexOf(':');
    return at > 0 ? { actor: pair.slice(0, at), token: pair.slice(at + 1) } : { actor: 'operator', token: pair };
  });
}

/** The command-line flags (`npm run demo -- --fail`), documented in README.md. */
export const FLAGS = {
  fail: { type: 'boolean', default: false },
  'fail-ratio': { type: 'string', default: '1' },
  'traffic-rate': { type: 'string', default: '2' },
  'no-seed': { type: 'boolean', default: false },
  'no-monitor': { type: 'boolean', default: false },
} as const;

/** Settings from the environment and the flags; absent tokens are generated and returned. */
export function readSettings(argv: string[], env: NodeJS.ProcessEnv): { settings: DemoSettings; port: number; generated: GeneratedTokens } {
  const { values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false });
  const failRatio = Number(values['fail-ratio']);
  if (!(failRatio > 0 && failRatio <= 1)) throw new Error(`--fail-ratio must be a number in (0, 1], got ${values['fail-ratio']}`);
  const trafficRate = Number(values['traffic-rate']);
  if (!(trafficRate >= 0)) throw new Error(`--traffic-rate must be a number >= 0 (logins per second), got ${values['traffic-rate']}`);

  const generated: GeneratedTokens = {};
  const tokens = (setting: string, kind: string) => {
    const given = list(env[setting]);
    if (given.length > 0) return given;
    generated[setting] = generate(kind);
    return [generated[setting]];
  };
  const metricsTokens = tokens('PARAPET_METRICS_TOKENS', 'metrics');
  const webhookTokens = tokens('PARAPET_WEBHOOK_TOKENS', 'webhook');
  const deployTokens = tokens('PARAPET_DEPLOY_TOKENS', 'deploy');
  let ops = operators(env.PARAPET_OPERATOR_TOKENS);
  if (ops.length === 0) {
    const token = generate('operator');
    generated.PARAPET_OPERATOR_TOKENS = `demo:${token}`;
    ops = [{ actor: 'demo', token }];
  }
  const settings: DemoSettings = {
    metricsTokens, webhookTokens, deployTokens, operators: ops,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.DATABASE_URL_DIRECT ? { databaseUrlDirect: env.DATABASE_URL_DIRECT } : {}),
    ...(env.PARAPET_DATA_DIR ? { dataDir: env.PARAPET_DATA_DIR } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(env.PARAPET_PUBLIC_URL ? { publicUrl: env.PARAPET_PUBLIC_URL } : {}),
    ...(env.PARAPET_NOTIFY_WEBHOOK_URL ? { notifyWebhookUrl: env.PARAPET_NOTIFY_WEBHOOK_URL } : {}),
    ...(env.PARAPET_NOTIFY_WEBHOOK_SECRET ? { notifyWebhookSecret: env.PARAPET_NOTIFY_WEBHOOK_SECRET } : {}),
    ...(env.PARAPET_WORKBENCH_DIR ? { workbenchDir: env.PARAPET_WORKBENCH_DIR } : {}),
    seed: !values['no-seed'],
    monitor: !values['no-monitor'],
    trafficRate,
    fail: values.fail,
    failRatio,
  };
  const port = Number(env.PORT ?? 3000);
  if (port > 0) settings.port = port;
  return { settings, port, generated };
}
