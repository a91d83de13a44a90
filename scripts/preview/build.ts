/**
 * Compiles the real force-app LWCs for a browser outside Salesforce: the LWC compiler (@lwc/rollup-plugin),
 * lightning-base-components (exactly pinned) and synthetic shadow, with `c/*` resolved to force-app and each
 * `@salesforce/apex/Class.method` import replaced by a module that calls the local service (see apexBridge).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import lwcPlugin from '@lwc/rollup-plugin';
import replacePlugin from '@rollup/plugin-replace';
import { rollup, type Plugin } from 'rollup';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
const forceAppLwc = join(repoRoot, 'force-app/main/default/lwc');

// Platform modules the base components package does not ship (or ships otherwise than the platform behaves),
// stood in by files in ./stubs and ./modules.
const platformStubs: Record<string, string> = {
  'lightning/platformShowToastEvent': join(here, 'stubs/platformShowToastEvent.js'),
  'lightning/uiRecordApi': join(here, 'stubs/uiRecordApi.js'),
  '@salesforce/apex': join(here, 'stubs/apex.js'),
  '@salesforce/user/Id': join(here, 'stubs/userId.js'),
  // Uploads to the simulated org's Salesforce Files through the preview server, as the platform's component does.
  'lightning/fileUpload': join(here, 'modules/preview/fileUpload/fileUpload.js'),
  // ElementInternals cannot be attached under synthetic shadow; the platform keeps this gate closed there too.
  '@salesforce/gate/bc.260.enableComboboxElementInternals': join(here, 'stubs/gateClosed.js'),
  // The platform's dialog frame with its background inert as well as aria-hidden (it extends the original).
  'lightning/modalBase': join(here, 'modules/preview/modalBase/modalBase.js'),
};

const baseComponentsImporter = join(repoRoot, 'node_modules/lightning-base-components/src/lightning/modal/modal.js');

// Both packages ship CommonJS typed as ES modules: under NodeNext the default export sits on `.default`.
const lwc = ((lwcPlugin as unknown as { default?: typeof lwcPlugin }).default ??
  lwcPlugin) as unknown as typeof lwcPlugin.default;
const replace = ((replacePlugin as unknown as { default?: typeof replacePlugin }).default ??
  replacePlugin) as unknown as typeof replacePlugin.default;

/** Generated modules for imports that only exist inside Salesforce. */
function salesforceModules(): Plugin {
  const prefix = '\0sf:';
  return {
    name: 'roster-salesforce-modules',
    resolveId(id, importer) {
      const stub = platformStubs[id];
      if (stub && importer !== stub) return stub;
      // A stand-in that extends a base component imports the original by its name, resolved as the base components'
      // own modules resolve it (their private modules are not exposed to other namespaces).
      if (stub) return this.resolve(id, baseComponentsImporter, { skipSelf: true });
      if (/^@salesforce\/(apex\/|label\/c\.|customPermission\/|schema\/)/.test(id)) return prefix + id;
      return null;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const name = id.slice(prefix.length);
      const apex = /^@salesforce\/apex\/(\w+\.\w+)$/.exec(name);
      if (apex)
        return `import { apexMethod } from 'preview/apexBridge';\nexport default apexMethod(${JSON.stringify(apex[1])});`;
      const label = /^@salesforce\/label\/c\.(\w+)$/.exec(name);
      if (label) return `export default ${JSON.stringify(label[1]!.replace(/_/g, ' '))};`;
      if (name.startsWith('@salesforce/customPermission/')) return 'export default true;';
      const [objectApiName, fieldApiName] = name.replace('@salesforce/schema/', '').split('.');
      return `export default ${JSON.stringify(fieldApiName ? { objectApiName, fieldApiName } : { objectApiName })};`;
    },
  };
}

/** Every force-app component as `c/<name>`, the way the platform resolves them. */
const forceAppModules = () =>
  readdirSync(forceAppLwc, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => ({ name: `c/${d.name}`, path: join(forceAppLwc, d.name, `${d.name}.js`) }))
    .filter((m) => existsSync(m.path));

export async function buildPreview(outDir: string): Promise<void> {
  const bundle = await rollup({
    input: join(here, 'main.js'),
    plugins: [
      salesforceModules(),
      replace({
        'process.env.NODE_ENV': JSON.stringify('development'),
        'import.meta.env.SSR': 'false',
        preventAssignment: true,
      }),
      lwc({
        rootDir: repoRoot,
        enableDynamicComponents: true, // the base components' datatable renders cells with lwc:is
        modules: [...forceAppModules(), { dir: join(here, 'modules') }, { npm: 'lightning-base-components' }],
      }),
    ],
    onwarn(warning, warn) {
      // The base components' own templates and circular imports warn on every build; they are not ours to fix.
      if (['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED', 'PLUGIN_WARNING'].includes(warning.code ?? '')) return;
      warn(warning);
    },
  });
  await bundle.write({
    dir: outDir,
    format: 'esm',
    entryFileNames: 'main.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  });
  await bundle.close();
}
