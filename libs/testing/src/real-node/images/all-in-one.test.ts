import { describe, expect, it } from 'vitest';
import { imageDefinitions, type ImageInputs } from './definitions.ts';

const inputs: ImageInputs = {
  node: '/n/node',
  sharedLibraries: [{ path: '/lib64/ld-linux-x86-64.so.2', source: '/l/ld' }],
  bundles: [
    { app: 'status', files: [{ path: 'main.mjs', source: '/d/status/main.mjs' }] },
    { app: 'storage', files: [{ path: 'main.mjs', source: '/d/storage/main.mjs' }] },
  ],
  registry: '/b/registry',
  pause: '/b/pause',
  client: '/b/client',
};

describe('the all-in-one image', () => {
  it('holds the launcher as /app/main.mjs and every bundle under /app/apps, on the app images’ Node layer and runtime', () => {
    const defs = imageDefinitions({ ...inputs, launcher: [{ path: 'main.mjs', source: '/d/launcher/main.mjs' }] });
    const aio = defs.find((d) => d.name === 'all-in-one');
    const status = defs.find((d) => d.name === 'status');
    expect(aio?.layers[0]).toBe(status?.layers[0]);
    expect(aio?.layers.slice(1).flatMap((l) => l.files.map((f) => f.path))).toEqual(['/app/apps/status/main.mjs', '/app/apps/storage/main.mjs', '/app/main.mjs']);
    expect({ ...aio?.config, Labels: undefined }).toEqual({ ...status?.config, Labels: undefined });
  });

  it('is not defined without the launcher bundle', () => {
    expect(imageDefinitions(inputs).map((d) => d.name)).not.toContain('all-in-one');
  });
});
