// Bundles one app (apps/<name>/src/main.ts) into dist/apps/<name>/main.mjs for Node 24, with what it loads
// only on demand (`await import()`: a storage backend's SDK, client-node for an exotic kubeconfig) in
// chunk-*.mjs files beside it. Kept in the same file, such code would cost its source text in memory, and
// esbuild cannot tree-shake a lazily initialised module: client-node's config alone grew main.mjs from
// 5 to 15 MiB (status idle RSS 105 → 111 MB) where its chunk costs nothing until a kubeconfig needs it.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: node tools/scripts/bundle.mjs apps/<name>');
  process.exit(2);
}
const outdir = join('dist', root);
const outfile = join(outdir, 'main.mjs');
// Chunks are named by content hash: drop the previous build's (other files, node-ca's agent among them, stay).
for (const f of (existsSync(outdir) ? readdirSync(outdir, { withFileTypes: true }) : []).filter((e) => /^chunk-.*\.mjs(\.map)?$/.test(e.name))) {
  rmSync(join(outdir, f.name));
}

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
  entryPoints: { main: join(root, 'src/main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunk-[hash]',
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
