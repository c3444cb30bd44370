// Prints the storage app's idle RSS per backend; never asserts. Runs the app as production does (the
// bundle from the `bundle` target, one process per backend) against a fresh control plane and the
// emulators: the Config names the backend, the app provisions it, and once StorageExists is True and a
// quiet period has passed, its RSS is read from /metrics. Only the configured backend's SDK is loaded
// (dynamic import), so the figures differ by backend.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  applyYaml,
  freePort,
  installCrds,
  kubeRequest,
  startAzurite,
  startControlPlane,
  startFakeGcs,
  startMinio,
  workspaceRoot,
} from '@image-registry/testing';

const namespace = 'openshift-image-registry';
const idleMs = Number(process.env['IRO_BENCH_IDLE_MS'] ?? 20_000);
const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cp = await startControlPlane();
const kc = cp.kubeConfig;
await installCrds(kc, join(workspaceRoot(), 'deploy/crds'));
await kubeRequest(kc, 'POST', '/api/v1/namespaces', {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: namespace },
});
const [minio, gcs, azurite] = await Promise.all([
  startMinio({ kmsKey: true }),
  startFakeGcs(),
  startAzurite(),
]);

const keyfile = JSON.stringify({
  type: 'service_account',
  project_id: gcs.projectId,
  client_email: 'bench@example.invalid',
});
const backends: { name: string; storage: Record<string, unknown>; secret?: Record<string, string> }[] = [
  { name: 'emptyDir', storage: { emptyDir: {} } },
  { name: 'pvc', storage: { pvc: {} } },
  {
    name: 's3',
    storage: { s3: { regionEndpoint: minio.endpoint, region: 'us-east-1' } },
    secret: {
      REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
      REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
    },
  },
  {
    name: 'gcs',
    storage: { gcs: { projectID: gcs.projectId } },
    secret: { REGISTRY_STORAGE_GCS_KEYFILE: keyfile },
  },
  {
    name: 'azure',
    storage: { azure: { accountName: azurite.accountName, container: 'bench' } },
    secret: { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: azurite.accountKey },
  },
];

async function storageExists(): Promise<string | undefined> {
  const c = await kubeRequest<{ status?: { conditions?: { type: string; status: string }[] } }>(
    kc,
    'GET',
    configPath,
  ).catch(() => undefined);
  return c?.status?.conditions?.find((x) => x.type === 'StorageExists')?.status;
}

async function rssMB(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? 0) / 1024 / 1024;
}

async function removeConfig(): Promise<void> {
  await kubeRequest(
    kc,
    'PATCH',
    configPath,
    { metadata: { finalizers: null } },
    'application/merge-patch+json',
  ).catch(() => undefined);
  await kubeRequest(kc, 'DELETE', configPath).catch(() => undefined);
  while (
    await kubeRequest(kc, 'GET', configPath).then(
      () => true,
      () => false,
    )
  )
    await sleep(200);
}

const secretPath = `/api/v1/namespaces/${namespace}/secrets/image-registry-private-configuration-user`;
const rows: string[] = [];
for (const b of backends) {
  await kubeRequest(kc, 'DELETE', secretPath).catch(() => undefined);
  if (b.secret) {
    await applyYaml(kc, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'image-registry-private-configuration-user', namespace },
      data: Object.fromEntries(
        Object.entries(b.secret).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
    } as never);
  }
  await applyYaml(kc, {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster' },
    spec: { managementState: 'Managed', replicas: 1, storage: b.storage },
  } as never);
  const port = await freePort();
  const app: ChildProcess = spawn(
    process.execPath,
    [
      join(workspaceRoot(), 'dist/apps/storage/main.mjs'),
      `--kubeconfig=${cp.kubeconfigPath}`,
      `--namespace=${namespace}`,
      '--leader-elect=false',
      `--metrics-bind-address=127.0.0.1:${port}`,
      `--infrastructure-name=bench-${b.name.toLowerCase()}`,
      `--gcs-endpoint=${gcs.endpoint}`,
      `--azure-blob-endpoint=${azurite.endpoint.replace(azurite.accountName, '{account}')}`,
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { PATH: process.env['PATH'] ?? '' } },
  );
  const started = Date.now();
  while ((await storageExists()) !== 'True' && Date.now() - started < 120_000) await sleep(250);
  const provisioned = (await storageExists()) === 'True';
  await sleep(idleMs);
  const rss = await rssMB(`http://127.0.0.1:${port}/metrics`).catch(() => NaN);
  rows.push(
    `${b.name.padEnd(8)} ${rss.toFixed(0).padStart(4)} MB${provisioned ? '' : '  (StorageExists never True)'}`,
  );
  console.log(`storage app idle RSS, ${rows.at(-1)}`);
  app.kill('SIGTERM');
  await new Promise((r) => app.once('exit', r));
  await removeConfig();
}
console.log(`\nstorage app idle RSS per backend (after ${idleMs / 1000} s idle):\n${rows.join('\n')}`);

await Promise.all([minio.stop(), gcs.stop(), azurite.stop()]);
await cp.stop();
