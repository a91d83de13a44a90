/** `npm run preview`: the Roster app outside Salesforce, on http://127.0.0.1:3100 (PREVIEW_PORT). */
import { join } from 'node:path';
import { repoRoot } from './build.js';
import { startPreview } from './server.js';

const preview = await startPreview({
  port: Number(process.env.PREVIEW_PORT ?? 3100),
  dataDir: join(repoRoot, '.data/preview'),
});
console.log(`Roster preview: ${preview.url}`);
console.log(`Service: ${preview.serviceUrl} (API key: ${preview.apiKey})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => preview.close().then(() => process.exit(0)));
}
