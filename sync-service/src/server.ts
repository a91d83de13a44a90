// The service as production runs it: `node sync-service/dist/src/server.js`. No demo org here; `npm start` runs
// demo/start.ts, which adds one.
import { runServiceProcess } from './process.js';

runServiceProcess();
