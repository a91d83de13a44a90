import { z } from 'zod';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

// The README's configuration table mirrors these variables.
const Variables = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROSTER_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  MIGRATE_ON_START: booleanish.default(true),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(), // Prometheus /metrics on its own port; off when unset
  QUEUE_ENABLED: booleanish.default(true),
  DEMO_ORG: booleanish.default(true),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  MAILBOX_PROBES_ENABLED: booleanish.default(true),
  MAILBOX_TICK_SECONDS: z.coerce.number().positive().default(60),
  MAILBOX_INTERVAL_SECONDS: z.coerce.number().int().positive().optional(), // overrides orgs.mailbox_probe_minutes (tests, benchmarks)
  MAILBOX_RECHECK_SECONDS: z.coerce.number().positive().default(150),
  MAILBOX_BACKFILL_DAYS: z.coerce.number().int().positive().default(30),
  MAILBOX_CUSTOM_ENDPOINTS: booleanish.default(false), // lets provider settings point at other token/API URLs (the fakes)
  MAILBOX_TEST_ACCESS_PER_MINUTE: z.coerce.number().int().positive().default(10),
});

/** Every environment variable the service reads, and the rules between them. */
export const ConfigSchema = Variables.superRefine((c, ctx) => {
  // Replicas on one server must share the key; a key generated into one replica's DATA_DIR would lock the others out.
  if (c.DATABASE_URL && !c.ROSTER_ENCRYPTION_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['ROSTER_ENCRYPTION_KEY'],
      message:
        'is required with DATABASE_URL (every replica must use the same key): generate one with `openssl rand -base64 32`',
    });
  }
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; reports every bad variable by name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(Variables.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })),
    );
  }
  return parsed.data;
}
