// `npm start`: the service, plus the demo org (a simulated Salesforce org) while DEMO_ORG is on.
import { runServiceProcess } from '../src/process.js';
import { prepareDemo } from './demo.js';

runServiceProcess({ demo: prepareDemo });
