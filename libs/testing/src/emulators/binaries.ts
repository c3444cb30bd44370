import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '../workspace.ts';

const run = promisify(execFile);

export interface EmulatorBinaries {
  minio: string;
  fakeGcs: string;
  /** The CNCF distribution registry (`registry serve <config>`). */
  registry: string;
  skopeo: string;
  /** Azurite's blob server: run `node azuriteBlob …` with a Node >= 22 (`node`). */
  azuriteBlob: string;
  /** A Node >= 22 for Azurite: this process's own when new enough, else the workspace's. */
  node: string;
}

export class EmulatorBuildError extends Error {
  override name = 'EmulatorBuildError';
}

/** Set by ensureEmulators() so that vitest workers forked after globalSetup skip the script. */
const envKey = 'IRO_EMULATOR_BINARIES';

let cached: Promise<EmulatorBinaries> | undefined;

/**
 * Builds (first time: several minutes, MinIO dominates) or finds the emulators in the cache outside
 * the clone by running tools/emulators/build.sh once per process, and returns their paths. Call it
 * from a vitest globalSetup: it has no timeout there, and it exports the result to the workers.
 */
export function ensureEmulators(): Promise<EmulatorBinaries> {
  cached ??= locate().catch((err: unknown) => {
    cached = undefined; // a later call may retry (e.g. after the proxy came back)
    throw err;
  });
  return cached;
}

async function locate(): Promise<EmulatorBinaries> {
  const fromEnv = process.env[envKey];
  if (fromEnv) {
    const parsed = JSON.parse(fromEnv) as EmulatorBinaries;
    if (Object.values(parsed).every((p) => typeof p === 'string' && existsSync(p))) return parsed;
  }
  const root = workspaceRoot();
  const script = join(root, 'tools/emulators/build.sh');
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [script, 'all'], { maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new EmulatorBuildError(
      `building the emulators failed (${script}):\n${stderr.trimEnd().split('\n').slice(-15).join('\n')}`,
      { cause: err },
    );
  }
  const paths = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) paths.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const found: EmulatorBinaries = {
    minio: required(paths, 'minio', script),
    fakeGcs: required(paths, 'fake-gcs', script),
    registry: required(paths, 'registry', script),
    skopeo: required(paths, 'skopeo', script),
    azuriteBlob: join(root, 'node_modules/azurite/dist/src/blob/main.js'),
    node: nodeForAzurite(root),
  };
  if (!existsSync(found.azuriteBlob)) {
    throw new EmulatorBuildError(
      `Azurite is missing (${found.azuriteBlob}); run npm ci at the repository root.`,
    );
  }
  process.env[envKey] = JSON.stringify(found);
  return found;
}

function required(paths: Map<string, string>, name: string, script: string): string {
  const path = paths.get(name);
  if (!path) throw new EmulatorBuildError(`${script} printed no path for ${name}`);
  try {
    accessSync(path, constants.X_OK);
  } catch (err) {
    throw new EmulatorBuildError(
      `${name} at ${path} is not executable; delete its cache folder and rerun ${script}`,
      {
        cause: err,
      },
    );
  }
  return path;
}

/** Azurite needs Node >= 22; the machine's node may be older than the workspace's. */
function nodeForAzurite(root: string): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return process.execPath;
  const workspaceNode = join(root, 'node_modules/.bin/node');
  if (existsSync(workspaceNode)) return workspaceNode;
  throw new EmulatorBuildError(
    `Azurite needs Node >= 22 and this is ${process.version}; run through npx (workspace Node 24).`,
  );
}
