import { PGlite } from '@electric-sql/pglite';
import { writeFileSync, readFileSync } from 'node:fs';
const cpu = () => { const u = process.cpuUsage(); return Math.round((u.user + u.system) / 1000); };
let t = performance.now(), c = cpu();
const lap = (n) => { console.log(n, 'wall', Math.round(performance.now() - t), 'cpu', cpu() - c); t = performance.now(); c = cpu(); };
if (process.argv[2] === 'make') {
  const db = await PGlite.create();
  lap('initdb in memory');
  const blob = await db.dumpDataDir('none');
  writeFileSync('/tmp/speed-tpl.tar', Buffer.from(await blob.arrayBuffer()));
  lap('dump');
  await db.close();
} else {
  const db = await PGlite.create({ loadDataDir: new Blob([readFileSync('/tmp/speed-tpl.tar')]) });
  lap('load from template');
  console.log((await db.query('select count(*) from pg_class')).rows);
  lap('query');
}
