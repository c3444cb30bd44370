// Every app as its own process, each authenticated as its own ServiceAccount with exactly the RBAC shipped in
// deploy/apps/<app> (never the admin), so a local run exercises least privilege as a cluster would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  applyYaml,
  parseManifests,
  serviceAccountKubeConfig,
  shippedAppRbac,
  writeKubeconfigFile,
  type Manifest,
} from '@image-registry/testing';

/** Long enough for a working day; the kubeconfig is private to this run. */
const tokenSeconds = 24 * 3600;

export interface AppProcess {
  app: string;
  child: ChildProcess;
  log: string;
  metricsPort: number;
  /** How it was started: a restart (the fault tests) starts it again the same way. */
  options: StartAppOptions;
}

/** The ServiceAccount name in deploy/apps/<app>/serviceaccount.yaml. */
export function shippedServiceAccount(root: string, app: string): string | undefined {
  const file = join(root, 'deploy/apps', app, 'serviceaccount.yaml');
  if (!existsSync(file)) return undefined;
  return parseManifests(readFileSync(file, 'utf8')).find((m) => m.kind === 'ServiceAccount')?.metadata.name;
}

/** Every manifest of deploy/apps/<app> that grants or names permissions (RBAC, ServiceAccount, image roles). */
export function appRbac(root: string, app: string, namespace: string): Manifest[] {
  const dir = join(root, 'deploy/apps', app);
  if (existsSync(join(dir, 'serviceaccount.yaml'))) return shippedAppRbac(app, namespace);
  // registry-auth runs as the registry pod's ServiceAccount (registry-workload creates it): RBAC only.
  const files = [join(dir, 'rbac.yaml'), join(dir, 'image-roles/image-roles.yaml')].filter((f) =>
    existsSync(f),
  );
  return parseManifests(
    files
      .map((f) => readFileSync(f, 'utf8').replaceAll('openshift-image-registry', namespace))
      .join('\n---\n'),
  );
}

/** Apps with a main.ts, sorted; registry-auth is started separately (it needs the registry in front of it). */
export function controllerApps(root: string): string[] {
  return readdirSync(join(root, 'apps'))
    .filter((a) => existsSync(join(root, 'apps', a, 'src/main.ts')) && a !== 'registry-auth')
    .sort();
}

/** A kubeconfig file holding a bound token of `namespace/serviceAccount`. */
export async function serviceAccountKubeconfigFile(
  admin: KubeConfig,
  namespace: string,
  serviceAccount: string,
): Promise<string> {
  return writeKubeconfigFile(await serviceAccountKubeConfig(admin, namespace, serviceAccount, tokenSeconds));
}

export interface StartAppOptions {
  root: string;
  app: string;
  kubeconfig: string;
  logDir: string;
  metricsPort: number;
  args: string[];
  /** Extra environment (a restart with RELEASE_VERSION, say); the log is appended to, not replaced. */
  env?: Record<string, string>;
  append?: boolean;
}

/** Spawns apps/<app>/src/main.ts with its log in logDir/<app>.log. */
export function startApp(o: StartAppOptions): AppProcess {
  const log = join(o.logDir, `${o.app}.log`);
  const fd = openSync(log, o.append ? 'a' : 'w');
  const main = join(o.root, 'apps', o.app, 'src/main.ts');
  const child = spawn(
    process.execPath,
    [main, `--kubeconfig=${o.kubeconfig}`, `--metrics-bind-address=127.0.0.1:${o.metricsPort}`, ...o.args],
    {
      stdio: ['ignore', fd, fd],
      // No KUBECONFIG of the admin may leak into an app: it has its own ServiceAccount's only.
      env: { ...process.env, ...o.env, KUBECONFIG: o.kubeconfig },
    },
  );
  return { app: o.app, child, log, metricsPort: o.metricsPort, options: o };
}

/** Applies the app's shipped RBAC and returns a kubeconfig with its ServiceAccount's token. */
export async function provisionApp(
  admin: KubeConfig,
  root: string,
  app: string,
  namespace: string,
): Promise<string> {
  await applyYaml(admin, appRbac(root, app, namespace), { fieldManager: 'local-run' });
  const sa = shippedServiceAccount(root, app);
  if (!sa) throw new Error(`deploy/apps/${app}/serviceaccount.yaml names no ServiceAccount`);
  return serviceAccountKubeconfigFile(admin, namespace, sa);
}

/** Lines of an app's log that show the API server refused it (403), for the least-privilege check. */
export function forbiddenLines(log: string): string[] {
  if (!existsSync(log)) return [];
  return (
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => /\b403\b|forbidden/i.test(l))
      // A cloud store refusing keys (S3 InvalidAccessKeyId is a 403) is the storage backend, not the API server.
      .filter((l) => !l.includes('"type":"StorageError"'))
  );
}
