// The platform a test runs on (Infrastructure/cluster) and upstream's DeployImageRegistry(te, nil): the
// Config bootstrapped by registry-workload from that platform's defaults rather than written by the test.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { applyYaml, kubeRequest } from '@image-registry/testing';
import { configPath, get, getConfig, kc, timeout } from './helpers.ts';

const infrastructurePath = '/apis/config.openshift.io/v1/infrastructures/cluster';
const bootstrapMessage = 'created Config/cluster from the platform defaults';

/** Infrastructure/cluster with this status, as the installer leaves it (spec empty, status written). */
export async function setInfrastructure(status: Record<string, unknown>): Promise<void> {
  const infrastructure = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Infrastructure',
    metadata: { name: 'cluster' },
  };
  await applyYaml(kc, { ...infrastructure, spec: {} } as never, { fieldManager: 'e2e' });
  await applyYaml(kc, { ...infrastructure, status } as never, {
    fieldManager: 'e2e',
    subresource: 'status',
  });
}

/** An AWS cluster whose S3 service endpoint is the emulator (upstream runs TestAWS* on AWS itself). */
export function awsInfrastructure(infrastructureName: string, s3: { endpoint: string; region: string }) {
  return {
    infrastructureName,
    platform: 'AWS',
    platformStatus: {
      type: 'AWS',
      aws: { region: s3.region, serviceEndpoints: [{ name: 's3', url: s3.endpoint }] },
    },
  };
}

const registryWorkloadLog = () => join(inject('logDir'), 'registry-workload.log');
const logSize = () => statSync(registryWorkloadLog()).size;

/** The platform of registry-workload's first bootstrap logged after byte `offset` of its log. */
function bootstrappedPlatform(offset: number): string | undefined {
  const tail = readFileSync(registryWorkloadLog()).subarray(offset).toString('utf8');
  for (const line of tail.split('\n')) {
    if (!line.includes(bootstrapMessage)) continue;
    const entry = JSON.parse(line) as { platform?: string };
    return entry.platform;
  }
  return undefined;
}

async function deleteConfig(): Promise<string | undefined> {
  const old = await getConfig();
  if (!old) return undefined;
  await kubeRequest(
    kc,
    'PATCH',
    configPath,
    { metadata: { finalizers: null } },
    'application/merge-patch+json',
  );
  await kubeRequest(kc, 'DELETE', configPath).catch(() => undefined);
  return old.metadata.uid;
}

/**
 * Deletes Config/cluster and waits until registry-workload has bootstrapped a new one on `platform`.
 * The Infrastructure was just written, so the app's cache may still hold the previous one when the
 * Config goes: a bootstrap on another platform is deleted and done again (an installed cluster has its
 * Infrastructure long before the operator starts).
 */
export async function bootstrapConfig(platform: string): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    const offset = logSize();
    const oldUid = await deleteConfig();
    let got: string | undefined;
    while (Date.now() < deadline && got === undefined) {
      const current = await get(configPath);
      if (current && current.metadata.uid !== oldUid) got = bootstrappedPlatform(offset);
      if (got === undefined) await new Promise((r) => setTimeout(r, 500));
    }
    if (got === platform) return;
    seen = [...seen, got ?? 'none'];
  }
  throw new Error(
    `registry-workload did not bootstrap Config/cluster on ${platform} within ${timeout / 1000} s ` +
      `(bootstrapped on: ${seen.join(', ') || 'nothing'}); see tmp/e2e/registry-workload.log`,
  );
}

/** Back to plain Kubernetes (no Infrastructure), with a Config bootstrapped there. */
export async function restorePlatformNone(): Promise<void> {
  await kubeRequest(kc, 'DELETE', infrastructurePath).catch(() => undefined);
  await bootstrapConfig('None');
}
