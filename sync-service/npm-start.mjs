// `npm start` in one process: dist/ rebuilt first only when a source is newer than it (build.mjs), then the demo
// launcher (dist/demo/start.js). One Node start instead of two before /health answers.
import { buildService } from './build.mjs';

await buildService({ ifStale: true });
await import('./dist/demo/start.js');
