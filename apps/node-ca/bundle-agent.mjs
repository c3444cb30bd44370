// Bundles the node agent alone (src/agent/main.ts) into dist/apps/node-ca/agent.mjs, beside main.mjs.
// The DaemonSet runs it on every node: without the controllers' code (5 MB of Kubernetes client) the
// agent's resident memory is about two thirds. `node main.mjs sync` stays equivalent.
import { build } from 'esbuild';

const outfile = 'dist/apps/node-ca/agent.mjs';
await build({
  entryPoints: ['apps/node-ca/src/agent/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  treeShaking: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
console.log(`${outfile}: built`);
