import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';
import { withProgramDatabase } from './db/program-database.js';
import { issueAnotherApiKey, listApiKeys, revokeApiKey } from './orgs/api-keys.js';
import { AppError } from './shared/errors.js';

const USAGE = `Usage:
  npm run api-key -- list   --org <org id>
  npm run api-key -- issue  --org <org id> [--name <label>]
  npm run api-key -- revoke --org <org id> --prefix <rst_…, as list shows it>`;

/**
 * `npm run api-key`: an org's API keys for its operators (rotation: issue, move the Named Credential to the new key,
 * revoke the old; a leaked key: revoke). Uses DATABASE_URL, or the embedded database (stop `npm start` first).
 */
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { org: { type: 'string' }, name: { type: 'string', default: 'default' }, prefix: { type: 'string' } },
  });
  const command = positionals[0];
  const org = z.uuid().safeParse(values.org);
  if (
    !org.success ||
    !['list', 'issue', 'revoke'].includes(command ?? '') ||
    (command === 'revoke' && !values.prefix)
  ) {
    console.error(USAGE);
    return 64;
  }
  const orgId = org.data;
  return withProgramDatabase(loadConfig(), async (db) => {
    if (command === 'list') {
      for (const k of await listApiKeys(db, orgId))
        console.log(
          `${k.key_prefix}  ${k.name}  created ${k.created_at.toISOString()}  ${k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : 'live'}`,
        );
    } else if (command === 'issue') {
      console.log(`API key: ${await issueAnotherApiKey(db, orgId, values.name!)}`);
    } else {
      const revoked = await revokeApiKey(db, orgId, values.prefix!);
      if (revoked === 0) {
        console.error(`No live API key of this org starts with ${values.prefix}.`);
        return 1;
      }
      console.log(`Revoked ${revoked} key${revoked === 1 ? '' : 's'}: every replica refuses it from now on.`);
    }
    return 0;
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError || err instanceof AppError ? err.message : err);
    process.exit(err instanceof ConfigError ? 78 : 1);
  },
);
