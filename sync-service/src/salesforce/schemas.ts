import { z } from 'zod';
import { AUDIENCE_FORMS, audienceProblem } from './audience.js';

const url = z.url({ protocol: /^https?$/ }).transform((v) => v.replace(/\/+$/, ''));

export const ConnectionInput = z.discriminatedUnion('authKind', [
  z.object({
    authKind: z.literal('jwt'),
    loginUrl: url,
    instanceUrl: url.optional(),
    clientId: z.string().min(1),
    username: z.string().min(1),
    privateKey: z.string().min(1),
    audience: z
      .string()
      .max(300)
      .superRefine((text, ctx) => {
        const problem = audienceProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .transform((v) => v.replace(/\/+$/, ''))
      .optional()
      .meta({
        description: `The JWT \`aud\`: ${AUDIENCE_FORMS}; by default derived from the login URL (a My Domain is never the audience).`,
      }),
  }),
  z.object({
    authKind: z.literal('refresh_token'),
    loginUrl: url,
    instanceUrl: url.optional(),
    clientId: z.string().min(1),
    username: z.string().min(1).optional(),
    refreshToken: z.string().min(1),
    clientSecret: z.string().min(1).optional().meta({
      description:
        'The External Client App\'s consumer secret: sent with every refresh ("Require secret for Refresh Token Flow" is on by default).',
    }),
  }),
]);
export type ConnectionInput = z.infer<typeof ConnectionInput>;

export const ConnectionTest = z.object({
  ok: z.boolean(),
  problem: z.string().nullable(),
  message: z.string(),
  apiCalls: z.number().int(),
  limit: z.object({ used: z.number(), max: z.number() }).nullable(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;

/** Never carries the secret: only whether one is stored. */
export const Connection = z.object({
  connected: z.boolean(),
  loginUrl: z.string().nullable(),
  instanceUrl: z.string().nullable(),
  authKind: z.enum(['jwt', 'refresh_token']).nullable(),
  clientId: z.string().nullable(),
  username: z.string().nullable(),
  apiVersion: z.string().nullable(),
  hasSecret: z.boolean(),
  hasClientSecret: z.boolean(),
  /** The JWT audience in use (JWT connections only). */
  audience: z.string().nullable(),
  /** The integration user's Salesforce id, from the token response's identity URL. */
  integrationUserId: z.string().nullable(),
  status: z.string(),
  lastError: z.string().nullable(),
  lastTestedAt: z.string().nullable(),
});
export type Connection = z.infer<typeof Connection>;

export const SavedConnection = z.object({ connection: Connection, test: ConnectionTest });
