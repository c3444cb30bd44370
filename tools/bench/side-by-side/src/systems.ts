// How each system is started: upstream as one out-of-cluster process, ours as one process per app, each as
// its own ServiceAccount with the RBAC deploy/apps ships and leader election on, as a cluster runs them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyYaml,
  kubeRequest,
  parseManifests,
  serviceAccountKubeConfig,
  shippedAppRbac,
  startRegistry,
  writeKubeconfigFile,
  type Registry,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import type { AppName, BenchOptions } from './options.ts';
import { spawnLogged, type Proc } from './processes.ts';

const upstreamName = 'cluster-image-registry-operator';

/** Which client sent a request, from its user agent; undefined: not this system's. */
export function upstreamClient(userAgent: string): string | undefined {
  return userAgent.startsWith(`${upstreamName}/`) ? upstreamName : undefined;
}

export function oursClient(userAgent: string): string | undefined {
  return /^image-registry-operator\/([a-z-]+)/.exec(userAgent)?.[1];
}

/**
 * Upstream out of cluster. Its metrics server reads a hard-coded /etc/secrets/tls.{crt,key} (a service-ca
 * secret on OpenShift): a private mount namespace lays an overlay holding a self-signed pair over /etc, so
 * nothing outside the bench folder is written. Leader election cannot be turned off; it takes a Lease.
 */
export function startUpstream(o: BenchOptions, bin: string, kubeconfig: string, logDir: string): Proc[] {
  const ovl = join(o.work, 'etc-overlay');
  const upper = join(ovl, 'upper');
  if (!existsSync(join(upper, 'secrets/tls.key'))) {
    mkdirSync(join(upper, 'secrets'), { recursive: true });
    mkdirSync(join(ovl, 'work'), { recursive: true });
    spawnSyncChecked('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=metrics.openshift-image-registry.svc',
      '-keyout',
      join(upper, 'secrets/tls.key'),
      '-out',
      join(upper, 'secrets/tls.crt'),
    ]);
  }
  const config = join(o.work, 'operator-config.yaml');
  writeFileSync(
    config,
    'apiVersion: config.openshift.io/v1\nkind: GenericControllerConfig\nservingInfo:\n  bindAddress: "127.0.0.1:60000"\n',
  );
  const mount = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${upper},workdir=${join(ovl, 'work')} /etc && exec "$0" "$@"`;
  // The environment of upstream's manifests/07-operator.yaml, versions matching the stand-in ClusterVersion.
  const env = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    RELEASE_VERSION: o.releaseVersion,
    OPERATOR_IMAGE_VERSION: o.releaseVersion,
    WATCH_NAMESPACE: o.namespace,
    OPERATOR_NAME: upstreamName,
    OPERATOR_IMAGE: 'docker.io/openshift/origin-cluster-image-registry-operator:latest',
    IMAGE: 'docker.io/openshift/origin-docker-registry:latest',
    IMAGE_PRUNER: 'quay.io/openshift/origin-cli:v4.0',
    AZURE_ENVIRONMENT_FILEPATH: join(o.work, 'azurestackcloud.json'),
  };
  const args = [
    '-m',
    '--propagation',
    'private',
    'sh',
    '-c',
    mount,
    bin,
    `--kubeconfig=${kubeconfig}`,
    `--config=${config}`,
  ];
  return [spawnLogged(upstreamName, 'unshare', args, { env, logDir })];
}

function spawnSyncChecked(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr?.toString() ?? r.error}`);
}

/** deploy/Containerfile's node flags (between the node binary and the bundle) and ENV lines. */
export function imageRuntime(containerfile: string): { nodeFlags: string[]; env: Record<string, string> } {
  const entry = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(containerfile)?.[1];
  const argv = entry ? (JSON.parse(entry) as string[]) : [];
  const env: Record<string, string> = {};
  for (const m of containerfile.matchAll(/^ENV\s+(.+)$/gm)) {
    for (const kv of (m[1] ?? '').split(/\s+/)) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
  }
  return {
    nodeFlags: argv.slice(1, -1),
    env: Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'PATH')),
  };
}

interface ContainerSpec {
  env?: { name: string; value?: string }[];
}

/** The literal env values the app's Deployment in deploy/apps sets (NODE_OPTIONS among them). */
function shippedEnv(root: string, app: AppName): Record<string, string> {
  const file = join(root, 'deploy/apps', app, 'deployment.yaml');
  if (!existsSync(file)) return {};
  const d = parseManifests(readFileSync(file, 'utf8')).find((m) => m.kind === 'Deployment') as
    { spec?: { template?: { spec?: { containers?: ContainerSpec[] } } } } | undefined;
  const c = d?.spec?.template?.spec?.containers?.[0];
  return Object.fromEntries(
    (c?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? '']),
  );
}

async function appKubeconfig(admin: KubeConfig, o: BenchOptions, app: AppName): Promise<string> {
  if (app === 'registry-auth') {
    // It runs as the registry pod's ServiceAccount, which registry-workload creates.
    const dir = join(o.root, 'deploy/apps/registry-auth');
    const text = ['rbac.yaml', 'image-roles/image-roles.yaml']
      .filter((f) => existsSync(join(dir, f)))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    await applyYaml(admin, text.join('\n---\n').replaceAll('openshift-image-registry', o.namespace), {
      fieldManager: 'side-by-side-bench',
    });
    return writeKubeconfigFile(await serviceAccountKubeConfig(admin, o.namespace, 'registry', 24 * 3600));
  }
  const rbac = shippedAppRbac(app, o.namespace);
  await applyYaml(admin, rbac, { fieldManager: 'side-by-side-bench' });
  const sa = rbac.find((m) => m.kind === 'ServiceAccount')?.metadata.name;
  if (!sa) throw new Error(`deploy/apps/${app}/serviceaccount.yaml names no ServiceAccount`);
  return writeKubeconfigFile(await serviceAccountKubeConfig(admin, o.namespace, sa, 24 * 3600));
}

export function startOurApp(
  o: BenchOptions,
  app: AppName,
  kubeconfig: string,
  logDir: string,
  port: number,
  extraArgs: string[] = [],
): Proc {
  const image = imageRuntime(readFileSync(join(o.root, 'deploy/Containerfile'), 'utf8'));
  const entry =
    o.form === 'source'
      ? [join(o.root, 'apps', app, 'src/main.ts')]
      : [...image.nodeFlags, join(o.root, 'dist/apps', app, 'main.mjs')];
  if (o.form === 'bundle' && !existsSync(entry.at(-1) ?? ''))
    throw new Error(`${entry.at(-1)} is missing: run \`npx nx run @image-registry/${app}:bundle\``);
  const env = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    ...(o.form === 'bundle' ? image.env : {}),
    ...shippedEnv(o.root, app),
    KUBECONFIG: kubeconfig,
  };
  const args = [
    ...entry,
    `--kubeconfig=${kubeconfig}`,
    `--metrics-bind-address=127.0.0.1:${port}`,
    // What deploy/ ships (a non-loopback bind): TLS with a self-signed pair and token-checked scrapes.
    '--metrics-auth=kubernetes',
    ...extraArgs,
  ];
  return spawnLogged(app, process.execPath, args, { env, logDir, cwd: o.root });
}

/** registry-auth in front of a real registry binary, with the serving pair registry-workload issued. */
async function startRegistryAuth(
  admin: KubeConfig,
  o: BenchOptions,
  logDir: string,
  port: number,
): Promise<{ proc: Proc; registry: Registry }> {
  const ns = `/api/v1/namespaces/${o.namespace}`;
  const deadline = Date.now() + 120_000;
  let tls: { data?: Record<string, string> } | undefined;
  while (!tls) {
    try {
      await kubeRequest(admin, 'GET', `${ns}/serviceaccounts/registry`);
      tls = await kubeRequest<{ data?: Record<string, string> }>(
        admin,
        'GET',
        `${ns}/secrets/image-registry-tls`,
      );
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(
          'registry-workload created no ServiceAccount registry and Secret image-registry-tls in 120 s',
          { cause: err },
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const file = (name: string) => {
    const path = join(logDir, `registry-auth-${name}`);
    writeFileSync(path, Buffer.from(tls.data?.[name] ?? '', 'base64'), { mode: 0o600 });
    return path;
  };
  const registry = await startRegistry({ env: {} });
  const kubeconfig = await appKubeconfig(admin, o, 'registry-auth');
  const listen = `127.0.0.1:${port + 100}`;
  const args = [
    `--listen-address=${listen}`,
    `--upstream=${registry.url}`,
    `--tls-cert-file=${file('tls.crt')}`,
    `--tls-key-file=${file('tls.key')}`,
  ];
  return { proc: startOurApp(o, 'registry-auth', kubeconfig, logDir, port, args), registry };
}

export interface OursRun {
  procs: Proc[];
  /** Starts what waits for objects the controllers create (registry-auth); call once the Deployment exists. */
  startLate(): Promise<void>;
  stopExtras(): Promise<void>;
}

/** Every chosen app as its own process; ports 18081.. in `allApps` order. */
export async function startOurs(admin: KubeConfig, o: BenchOptions, logDir: string): Promise<OursRun> {
  const procs: Proc[] = [];
  const kubeconfigs = new Map<AppName, string>();
  for (const app of o.apps)
    if (app !== 'registry-auth') kubeconfigs.set(app, await appKubeconfig(admin, o, app));
  o.apps.forEach((app, i) => {
    const kubeconfig = kubeconfigs.get(app);
    if (kubeconfig)
      procs.push(
        startOurApp(o, app, kubeconfig, logDir, 18081 + i, [
          `--namespace=${o.namespace}`,
          '--leader-elect=true',
        ]),
      );
  });
  let registry: Registry | undefined;
  return {
    procs,
    async startLate() {
      if (!o.apps.includes('registry-auth')) return;
      const r = await startRegistryAuth(admin, o, logDir, 18081 + o.apps.indexOf('registry-auth'));
      registry = r.registry;
      procs.push(r.proc);
    },
    async stopExtras() {
      await registry?.stop();
    },
  };
}
