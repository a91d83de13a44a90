import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import { createSecretBox, type SecretBox } from '../shared/secrets.js';

declare module 'fastify' {
  interface FastifyInstance {
    secrets: SecretBox;
  }
}

/**
 * Encrypts secrets at rest. The key is ROSTER_ENCRYPTION_KEY; on a developer machine without one, a key is
 * generated once into DATA_DIR (beside the embedded database it protects), never into the repo.
 */
export default fp(
  async (app) => {
    app.decorate('secrets', createSecretBox(app.config.ROSTER_ENCRYPTION_KEY ?? localKey(app.config.DATA_DIR)));
  },
  { name: 'secrets' },
);

function localKey(dataDir: string): string {
  const file = join(dataDir, 'encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}
