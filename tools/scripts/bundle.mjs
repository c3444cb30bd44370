// Bundles one app (apps/<name>/src/main.ts) into dist/apps/<name>/main.mjs for Node 24.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: node tools/scripts/bundle.mjs apps/<name>');
  process.exit(2);
}
const outfile = join('dist', root, 'main.mjs');
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
  logLevel: 'warning',
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`${outfile}: ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
