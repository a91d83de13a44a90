// `npm start`: the service, plus the demo org (a simulated Salesforce org) while DEMO_ORG is on.
import { runServiceProcess } from '../src/process.js';

// The demo's modules (the Salesforce fake and its SOQL parser, a third of the launcher's load) load once the service
// listens, not before /health answers.
runServiceProcess({ demo: async (app) => (await import('./demo.js')).prepareDemo(app) });
