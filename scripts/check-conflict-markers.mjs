// Fails on a merge-conflict marker in any tracked file: a rebase resolved in a hurry once committed one to the README.
import { execFileSync } from 'node:child_process';

let hits = '';
try {
  hits = execFileSync('git', ['grep', '-nE', '^(<<<<<<<|>>>>>>>)( |$)', '--', '.', ':!*.png'], { encoding: 'utf8' });
} catch (err) {
  if (err.status !== 1) throw err; // 1: nothing found
}
if (hits) {
  console.error(`Merge-conflict markers:\n${hits}`);
  process.exit(1);
}
