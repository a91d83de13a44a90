/**
 * Creates an org with its first admin and prints its API key (shown once; only a hash is stored).
 * Usage: npm run create-org -- --name "Acme" --admin-email ada@acme.com --first Ada --last Lovelace [--sf-user-id 005...]
 * Uses DATABASE_URL, or the embedded database in DATA_DIR (stop `npm start` first: PGlite has one owner).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../sync-service/src/config.js';
import { withProgramDatabase } from '../sync-service/src/db/program-database.js';
import { migrateLatest } from '../sync-service/src/db/migrate.js';
import { createOrg } from '../sync-service/src/orgs/service.js';

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    'admin-email': { type: 'string' },
    first: { type: 'string', default: '' },
    last: { type: 'string', default: '' },
    'sf-user-id': { type: 'string' },
  },
});
if (!values.name || !values['admin-email']) {
  console.error(
    'Usage: npm run create-org -- --name <org name> --admin-email <email> [--first F --last L --sf-user-id 005...]',
  );
  process.exit(64);
}

await withProgramDatabase(loadConfig(), async (db) => {
  await migrateLatest(db);
  const org = await createOrg(db, {
    name: values.name!,
    admin: {
      email: values['admin-email']!,
      firstName: values.first ?? '',
      lastName: values.last ?? '',
      sfUserId: values['sf-user-id'],
    },
  });
  console.log(`Org: ${values.name} (${org.orgId})`);
  console.log(`Admin: ${values['admin-email']}`);
  console.log(`API key: ${org.apiKey}`);
});
