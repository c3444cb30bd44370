import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { allInOneImageName, launcherBundle } from './all-in-one.ts';
import type { ImageInputs } from './definitions.ts';
import { runNx } from '../../nx.ts';

const run = promisify(execFile);

export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

/** `${IRO_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/image-registry-operator}`, as the build scripts use. */
export function cacheRoot(): string {
  return process.env['IRO_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'image-registry-operator');
}

async function tool(what: string, fix: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024, ...opts });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    throw new ImageBuildError(`${what} failed; ${fix}\n${stderr.trimEnd().split('\n').slice(-15).join('\n')}`, { cause: err });
  }
}

/** The loader and libraries `ldd` lists for `binary`, at the path the loader opens each by. */
export async function sharedLibraries(binary: string): Promise<{ path: string; source: string }[]> {
  const out = await tool(`ldd ${binary}`, 'install libc-bin (ldd)', 'ldd', [binary]);
  const libs: { path: string; source: string }[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.push({ path: m[1], source: realpathSync(m[1]) });
  }
  if (!libs.some((l) => l.path.includes('ld-linux'))) throw new ImageBuildError(`ldd ${binary} listed no dynamic loader:\n${out}`);
  return libs;
}

/** The static pause and test-client binaries of tools/images/go, built once per content of the module. */
export async function goBinaries(root: string): Promise<{ pause: string; client: string }> {
  const dir = join(root, 'tools/images/go');
  const hash = createHash('sha256');
  const goVersion = await tool('go version', 'install Go >= 1.26', 'go', ['env', 'GOVERSION']);
  hash.update(goVersion);
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const f of walk(dir).sort()) hash.update(relative(dir, f)).update(readFileSync(f));
  const out = join(cacheRoot(), 'images/go', hash.digest('hex').slice(0, 12));
  const found = { pause: join(out, 'pause'), client: join(out, 'client') };
  if (existsSync(join(out, '.complete'))) return found;
  const tmp = `${out}.tmp.${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -trimpath -buildvcs=false' };
  const fix = 'check that the Go module proxy is reachable (GOPROXY) and tools/images/go builds';
  await tool('go mod download (tools/images/go)', fix, 'go', ['mod', 'download'], { cwd: dir, env });
  for (const name of ['pause', 'client']) {
    await tool(`go build ./cmd/${name}`, fix, 'go', ['build', '-ldflags=-s -w', '-o', join(tmp, name), `./cmd/${name}`], { cwd: dir, env });
  }
  writeFileSync(join(tmp, '.complete'), '');
  rmSync(out, { recursive: true, force: true });
  renameSync(tmp, out);
  return found;
}

/** The CNCF distribution registry binary tools/emulators builds (cached there). */
export async function registryBinary(root: string): Promise<string> {
  const out = await tool('tools/emulators/build.sh registry', 'see its output above', 'bash', [join(root, 'tools/emulators/build.sh'), 'registry']);
  const line = out.split('\n').find((l) => l.startsWith('registry='));
  if (!line) throw new ImageBuildError('tools/emulators/build.sh registry printed no registry=<path> line');
  return line.slice('registry='.length);
}

/**
 * Apps with a `bundle` target: the projects tools/nx-plugins/bundle.ts infers it for (apps/<app>/src/main.ts).
 * Runs the (Nx-cached) bundles, then lists each app's dist folder.
 */
export async function appBundles(root: string, opts: { bundle: boolean; only?: string[] }): Promise<ImageInputs['bundles']> {
  const apps = readdirSync(join(root, 'apps'))
    .filter((a) => existsSync(join(root, 'apps', a, 'src/main.ts')))
    .filter((a) => !opts.only || opts.only.includes(a))
    .sort();
  const projects = apps.map((a) => (JSON.parse(readFileSync(join(root, 'apps', a, 'package.json'), 'utf8')) as { name: string }).name);
  if (opts.bundle && apps.length > 0) {
    try {
      await runNx(['run-many', '-t', 'bundle', `--projects=${projects.join(',')}`], root);
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? String(err);
      throw new ImageBuildError(`nx run-many -t bundle failed; fix the bundle error below\n${stderr.trimEnd().split('\n').slice(-15).join('\n')}`, { cause: err });
    }
  }
  return apps.map((app) => {
    const dist = join(root, 'dist/apps', app);
    if (!existsSync(join(dist, 'main.mjs'))) {
      throw new ImageBuildError(`no bundle for ${app} in ${dist}; run npx nx run-many -t bundle`);
    }
    const files = readdirSync(dist)
      .filter((f) => statSync(join(dist, f)).isFile())
      .sort()
      .map((f) => ({ path: f, source: join(dist, f) }));
    return { app, files };
  });
}

/** Everything imageDefinitions() needs, found or built on this machine. */
export async function imageInputs(root: string, opts: { bundle: boolean; only?: string[] }): Promise<ImageInputs> {
  const node = realpathSync(join(root, 'node_modules/node/bin/node'));
  // The all-in-one image holds every app's bundle and the launcher's (bundled after them: one nx at a time).
  const allInOne = !opts.only || opts.only.includes(allInOneImageName);
  const [sharedLibs, go, registry, [bundles, launcher]] = await Promise.all([
    sharedLibraries(node),
    goBinaries(root),
    registryBinary(root),
    appBundles(root, allInOne ? { bundle: opts.bundle } : opts).then(async (b) => [b, allInOne ? await launcherBundle(root, opts.bundle) : undefined] as const),
  ]);
  return { node, sharedLibraries: sharedLibs, bundles, ...(launcher ? { launcher } : {}), registry, pause: go.pause, client: go.client };
}
