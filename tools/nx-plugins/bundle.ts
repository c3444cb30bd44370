import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CreateNodesV2 } from '@nx/devkit';

/**
 * Infers a `bundle` target for every app (a project under apps/ with src/main.ts):
 * one tree-shaken ESM file for Node 24 in dist/apps/<app>/main.mjs. Bundling is how an
 * app's resident memory gets close to bare Node's.
 */
export const createNodesV2: CreateNodesV2 = [
  'apps/*/src/main.ts',
  (files) =>
    files.map((file) => {
      const root = dirname(dirname(file));
      const name = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name;
      return [
        file,
        {
          projects: {
            [root]: {
              name,
              targets: {
                bundle: {
                  command: `node tools/scripts/bundle.mjs ${root}`,
                  options: { cwd: '{workspaceRoot}' },
                  inputs: ['production', '^production'],
                  outputs: [`{workspaceRoot}/dist/${root}`],
                  cache: true,
                },
              },
            },
          },
        },
      ];
    }),
];
