import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '../../workspace.ts';
import { appRuntime, imageDefinitions, nonRootUser, type ImageInputs } from './definitions.ts';

const inputs: ImageInputs = {
  node: '/n/node',
  sharedLibraries: [
    { path: '/lib64/ld-linux-x86-64.so.2', source: '/l/ld' },
    { path: '/lib/x86_64-linux-gnu/libc.so.6', source: '/l/libc' },
  ],
  bundles: [
    { app: 'status', files: [{ path: 'main.mjs', source: '/d/status/main.mjs' }] },
    { app: 'routes', files: [{ path: 'main.mjs', source: '/d/routes/main.mjs' }, { path: 'main.mjs.map', source: '/d/routes/main.mjs.map' }] },
  ],
  registry: '/b/registry',
  pause: '/b/pause',
  client: '/b/client',
};

/** The instructions of deploy/Containerfile that shape the runtime, as the image config names them. */
function containerfileConfig(text: string) {
  const lines = text.split('\n').filter((l) => !l.startsWith('#') && l.trim());
  const arg = (k: string) => lines.find((l) => l.startsWith(`${k} `))?.slice(k.length + 1);
  const env = (arg('ENV') ?? '').split(' ').filter(Boolean);
  return { User: arg('USER'), Entrypoint: JSON.parse(arg('ENTRYPOINT') ?? '[]') as string[], Env: env, WorkingDir: arg('WORKDIR'), from: arg('FROM') };
}

describe('image definitions', () => {
  const defs = imageDefinitions(inputs);
  const byName = new Map(defs.map((d) => [d.name, d]));

  it('define the pause, registry and test-client images and one per app bundle, all non-root', () => {
    expect(defs.map((d) => d.name)).toEqual(['pause', 'registry', 'test-client', 'routes', 'status']);
    for (const d of defs) expect(d.config.User).not.toMatch(/^(0|root)(:|$)/);
  });

  it('share one Node layer across every app image', () => {
    const [routes, status] = [byName.get('routes'), byName.get('status')];
    expect(routes?.layers[0]).toBe(status?.layers[0]);
    const paths = routes?.layers[0]?.files.map((f) => f.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining([appRuntime.nodePath, '/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/libc.so.6', '/bin/sleep', '/tmp']));
    expect(routes?.layers[1]?.files.map((f) => f.path)).toEqual(['/app/main.mjs', '/app/main.mjs.map']);
  });

  it("give the registry image what registry-workload runs: /bin/registry, its config file and a preStop sleep; the pruner's cp", () => {
    const files = byName.get('registry')?.layers.flatMap((l) => l.files.map((f) => f.path)) ?? [];
    expect(files).toEqual(expect.arrayContaining(['/bin/registry', '/etc/distribution/config.yml', '/bin/sleep', '/bin/cp']));
    expect(byName.get('registry')?.config.User).toBe('1001:1001');
  });

  it('match deploy/Containerfile: the same user, environment, working folder and entrypoint, from scratch', () => {
    const file = containerfileConfig(readFileSync(join(workspaceRoot(), 'deploy/Containerfile'), 'utf8'));
    const app = byName.get('status')?.config;
    expect(file.from).toBe('scratch');
    expect(file.User).toBe(nonRootUser);
    expect({ User: file.User, Entrypoint: file.Entrypoint, Env: file.Env, WorkingDir: file.WorkingDir }).toEqual({
      User: app?.User,
      Entrypoint: app?.Entrypoint,
      Env: app?.Env,
      WorkingDir: app?.WorkingDir,
    });
  });
});
