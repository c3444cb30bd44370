// Crash faults: every app (the seven controllers and registry-auth) SIGKILLed 20 times at random points
// while an admin changes the configuration, each started again at once. Afterwards the system converges:
// Config and ClusterOperator settled, exactly one bucket, one pull secret per ServiceAccount, only the
// routes the spec names, nothing orphaned, no 403, and the image pushed before the faults pulls back
// byte for byte. Its own control plane and system: the kills must not disturb the shared one.
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyYaml,
  kubeRequest,
  startMinio,
  workspaceRoot,
  type ControlPlane,
  type Minio,
} from '@image-registry/testing';
import { scenario } from '../src/fault-scenario.ts';
import { controllerApps, forbiddenLines } from '../src/system/app-processes.ts';
import { startCluster } from '../src/system/cluster.ts';
import {
  getObject,
  names,
  orphans,
  pullSecrets,
  settled,
  systemConditions,
  type Obj,
} from '../src/system/convergence.ts';
import { faultSeed, injectFaults, prng, type Kill } from '../src/system/faults.ts';
import { refusedByMetrics, restCounts } from '../src/system/metrics.ts';
import { pullImage, pushImage, type Front, type PushedImage } from '../src/system/registry-client.ts';
import { startSystem, type System } from '../src/system/system.ts';

const root = workspaceRoot();
const ns = 'openshift-image-registry';
const imagesNs = 'faults-images';
const seed = faultSeed();
const killsPerApp = 20;
const poll = { timeout: 180_000, interval: 1_000 };
const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';

let cp: ControlPlane | undefined;
let minio: Minio | undefined;
let system: System | undefined;
/** What beforeAll started (a failed start fails the test before it gets here). */
function up<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('the cluster, MinIO or the system did not start');
  return x;
}

beforeAll(async () => {
  console.log(`faults: seed ${seed} (FAULT_SEED=${seed} replays this kill schedule)`);
  [cp, minio] = await Promise.all([startCluster(root), startMinio({ rejectPublicAccessBlock: true })]);
  // One process per app: a restarted one must work at once, not wait out its predecessor's Lease (15 s).
  const args = Object.fromEntries(controllerApps(root).map((a) => [a, ['--leader-elect=false']]));
  system = await startSystem({ admin: cp.kubeConfig, root, namespace: ns, logDir: join(root, 'tmp/e2e-faults'), args });
}, 300_000);

afterAll(async () => {
  await system?.stop();
  await Promise.all([cp?.stop(), minio?.stop()]);
});

/** A ServiceAccount allowed to push and pull in `imagesNs` (system:image-builder), and its token. */
async function pusherToken(): Promise<string> {
  const kc = up(cp).kubeConfig;
  await kubeRequest(kc, 'POST', '/api/v1/namespaces', { metadata: { name: imagesNs } });
  await kubeRequest(kc, 'POST', `/api/v1/namespaces/${imagesNs}/serviceaccounts`, { metadata: { name: 'pusher' } });
  await kubeRequest(kc, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${imagesNs}/rolebindings`, {
    metadata: { name: 'pusher-image-builder' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-builder' },
    subjects: [{ kind: 'ServiceAccount', namespace: imagesNs, name: 'pusher' }],
  });
  const r = await kubeRequest<{ status: { token: string } }>(
    kc,
    'POST',
    `/api/v1/namespaces/${imagesNs}/serviceaccounts/pusher/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  );
  return r.status.token;
}

/** Per app: kills, how long the killed processes had been ready, and how many of its processes logged their start. */
function summary(kills: Kill[], s: System): string {
  const byApp = new Map<string, number[]>();
  for (const k of kills) byApp.set(k.app, [...(byApp.get(k.app) ?? []), k.afterMs]);
  return [...byApp]
    .map(([app, ms]) => {
      const log = readFileSync(s.apps.get(app)?.log ?? '', 'utf8');
      const up = log.split('\n').filter((l) => /"msg":"(manager started|registry-auth listening)"/.test(l)).length;
      return `${app} ${ms.length}× ${Math.min(...ms)}–${Math.max(...ms)} ms after ready, ${up} of ${ms.length + 1} processes logged their start`;
    })
    .join('; ');
}

/** MinIO keeps one folder per bucket in its data folder (besides its own `.minio.sys`). */
const buckets = () =>
  readdirSync(join(up(minio).runDir, 'data'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();

describe('faults', () => {
  it('SIGKILL of every app 20 times during configuration changes: the system converges, images survive', async () => {
    const kc = up(cp).kubeConfig;
    const s = up(system);
    await expect.poll(() => systemConditions(kc), poll).toEqual(settled);

    const token = await pusherToken();
    const front: Front = { address: s.front.address, caFile: s.front.caFile, serverName: `image-registry.${ns}.svc` };
    const pushed: PushedImage[] = [];
    await expect.poll(async () => (pushed.push(await pushImage(front, token, `${imagesNs}/app`, 'v1')), true), poll).toBe(true);
    pushed.push(await pushImage(front, token, `${imagesNs}/tools`, 'latest'));
    await applyYaml(kc, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'image-registry-private-configuration-user', namespace: ns },
      stringData: { REGISTRY_STORAGE_S3_ACCESSKEY: up(minio).accessKeyId, REGISTRY_STORAGE_S3_SECRETKEY: up(minio).secretAccessKey },
    });

    const started = Date.now();
    const total = killsPerApp * s.apps.size;
    const faults = injectFaults(s, { seed, kills: killsPerApp, minMs: 100, maxMs: 2_500 });
    let failed: unknown;
    faults.done.catch((err: unknown) => (failed = err ?? new Error('the kill schedule failed')));
    const { steps, end } = scenario(kc, { s3Endpoint: up(minio).endpoint });
    const pause = prng(seed + 1000);
    try {
      for (const [i, step] of steps.entries()) {
        // Paced by the kills (a restart takes seconds), so that they fall among all the steps.
        while (faults.count() < (total * i) / steps.length) {
          if (failed) throw failed;
          await new Promise((r) => setTimeout(r, 200));
        }
        await new Promise((r) => setTimeout(r, pause() * 1_500));
        await step.run();
      }
    } catch (err) {
      faults.abort();
      throw err;
    }
    const kills = await faults.done;
    console.log(`faults: ${kills.length} kills in ${Math.round((Date.now() - started) / 1000)} s: ${summary(kills, s)}`);
    expect(kills).toHaveLength(total);

    await expect.poll(() => systemConditions(kc), poll).toEqual(settled);
    const config = (await getObject(kc, configPath)) as Obj & { spec: { storage?: { s3?: { bucket?: string } } } };
    const bucket = config.spec.storage?.s3?.bucket;
    expect(bucket, 'the storage app names the bucket in spec.storage.s3.bucket').toBeTruthy();
    expect(buckets()).toEqual([bucket]);
    expect((config.status?.['storage'] as { s3?: { bucket?: string } } | undefined)?.s3?.bucket).toBe(bucket);

    const deployment = await getObject<Obj & { spec: { replicas: number } }>(kc, `/apis/apps/v1/namespaces/${ns}/deployments/image-registry`);
    expect(deployment?.spec.replicas).toBe(end.replicas);
    expect(await names(kc, `/apis/apps/v1/namespaces/${ns}/deployments`)).toEqual(['image-registry']);
    await expect.poll(() => names(kc, `/apis/route.openshift.io/v1/namespaces/${ns}/routes`), poll).toEqual(end.routes);
    expect(await names(kc, `/apis/batch/v1/namespaces/${ns}/cronjobs`)).toEqual(['image-pruner']);
    const cron = await getObject<Obj & { spec: { schedule: string } }>(kc, `/apis/batch/v1/namespaces/${ns}/cronjobs/image-pruner`);
    expect(cron?.spec.schedule).toBe(end.prunerSchedule);
    expect(
      (await names(kc, `/api/v1/namespaces/${ns}/secrets`)).filter((n) => n.startsWith('image-registry-private-configuration')),
    ).toEqual(['image-registry-private-configuration', 'image-registry-private-configuration-user']);

    const namespaces = [ns, imagesNs, ...end.namespaces];
    await expect.poll(() => pullSecrets(kc, namespaces), poll).toEqual({ notExactlyOne: [], orphaned: [] });
    await expect.poll(() => orphans(kc, namespaces), poll).toEqual([]);

    for (const image of pushed) {
      await expect
        .poll(() => pullImage(front, token, image.repo, image.tag), poll)
        .toEqual({ manifestDigest: image.manifestDigest, blobDigests: image.blobDigests });
    }

    expect([...s.apps.values()].filter((p) => p.child.exitCode !== null).map((p) => p.app)).toEqual([]);
    expect([...s.apps.values()].flatMap((p) => forbiddenLines(p.log).map((l) => `${p.app}: ${l}`))).toEqual([]);
    const ports = Object.fromEntries([...s.apps].map(([a, p]) => [a, p.metricsPort]));
    expect(await refusedByMetrics(ports)).toEqual([]);
    // The metrics check above can fail: every app counted answers from the API server since its restart.
    expect((await restCounts(ports)).filter((c) => !(c.byCode['200'] ?? c.byCode['201'])).map((c) => c.app)).toEqual([]);
  }, 600_000);
});
