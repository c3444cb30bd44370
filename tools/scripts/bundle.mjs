// Bundles one app (apps/<name>/src/main.ts) into dist/apps/<name>/main.mjs for Node 24.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: node tools/scripts/bundle.mjs apps/<name>');
  process.exit(2);
}
const outfile = join('dist', root, 'main.mjs');

// @kubernetes/client-node declares no `sideEffects`, so every generated API model it re-exports stays in
// the bundle although the apps use only KubeConfig. Its modules have no import-time effects we rely on:
// marking them side-effect free lets esbuild drop what is never referenced.
const clientNodeSideEffectFree = {
  name: 'client-node-side-effect-free',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.inner) return undefined;
      const resolved = await b.resolve(args.path, {
        importer: args.importer,
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: { inner: true },
      });
      if (resolved.errors.length > 0 || !resolved.path.includes('/node_modules/@kubernetes/client-node/')) {
        return undefined;
      }
      return { ...resolved, sideEffects: false };
    });
  },
};
const result = await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  treeShaking: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  plugins: [clientNodeSideEffectFree],
  logLevel: 'warning',
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`${outfile}: ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
