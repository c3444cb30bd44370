import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOnlyWindow } from '@image-registry/api';
import type { KubeClient, Logger } from '@image-registry/controller-runtime';
import { ConfigResource } from '../resources.ts';
import { registryStorageEnv, runGarbageCollect, unreachableStorage } from './gc.ts';
import type { PruneOptions } from './options.ts';
import { planPrune, type PrunePlan } from './plan.ts';
import type { RegistryApi } from './registry-api.ts';
import { mapLimit, scanRegistry } from './scan.ts';
import { deadlineMarginMs, ReadOnlyWindow } from './window.ts';

export interface PruneSummary {
  repositories: number;
  tags: number;
  manifestsDeleted: number;
  /** Manifests that would be deleted (dry run) or that failed to delete. */
  manifestsPlanned: number;
  invalidReferences: number;
  blobsReclaimed: number;
  bytesReclaimed: number;
  /** Why blobs were not collected, when they were not. */
  garbageCollection: 'done' | 'skipped' | 'not needed' | 'dry run' | 'failed';
  garbageCollectionNote?: string;
}

export interface PruneDeps {
  opts: PruneOptions;
  api: RegistryApi;
  /** Needed for garbage collection only. */
  kube: (() => KubeClient) | undefined;
  log: Logger;
  signal?: AbortSignal;
  now?: () => Date;
}

export class PruneFailedError extends Error {
  override name = 'PruneFailedError';
  readonly summary: PruneSummary;
  constructor(message: string, summary: PruneSummary, options?: ErrorOptions) {
    super(message, options);
    this.summary = summary;
  }
}

/** One prune: scan, plan, delete manifests, reclaim blobs in a read-only window. */
export async function prune(deps: PruneDeps): Promise<PruneSummary> {
  const { opts, api, log } = deps;
  const now = deps.now ?? (() => new Date());
  const repos = await scanRegistry({ api, log, concurrency: opts.concurrency });
  const plan = planPrune(repos, { keepTagRevisions: opts.keepTagRevisions, keepYoungerThanMs: opts.keepYoungerThanMs, now: now() });
  const summary: PruneSummary = {
    repositories: repos.length,
    tags: repos.reduce((n, r) => n + r.tags.length, 0),
    manifestsDeleted: 0,
    manifestsPlanned: plan.repositories.reduce((n, r) => n + r.delete.length, 0),
    invalidReferences: plan.invalid.length,
    blobsReclaimed: 0,
    bytesReclaimed: 0,
    garbageCollection: 'not needed',
  };
  for (const bad of plan.invalid) log.warn({ reference: bad.reference, reason: bad.reason }, 'invalid image reference');
  if (plan.invalid.length > 0 && !opts.ignoreInvalidRefs) {
    const first = plan.invalid.slice(0, 3).map((i) => `${i.reference} (${i.reason})`).join('; ');
    throw new PruneFailedError(
      `${plan.invalid.length} invalid image reference(s), nothing deleted: ${first}; fix or remove them, or set spec.ignoreInvalidImageReferences`,
      summary,
    );
  }
  if (!opts.confirm) {
    printPlan(plan, log);
    summary.garbageCollection = 'dry run';
    summary.bytesReclaimed = [...plan.reclaimable.values()].reduce((a, b) => a + b, 0);
    return summary;
  }
  const failures = await deleteManifests(plan, api, log, opts.concurrency, summary);
  if (failures.length > 0) {
    throw new PruneFailedError(`${failures.length} manifest(s) could not be deleted: ${failures.slice(0, 3).join('; ')}`, summary);
  }
  if (opts.skipCollect || (summary.manifestsDeleted === 0 && !opts.alwaysCollect)) return summary;
  await collect(deps, plan, summary, now);
  return summary;
}

function printPlan(plan: PrunePlan, log: Logger): void {
  for (const repo of plan.repositories) {
    for (const d of repo.delete) log.info({ repository: repo.name, digest: d.digest, tags: d.tags }, 'would delete');
    log.debug({ repository: repo.name, keep: repo.keep }, 'would keep');
  }
}

async function deleteManifests(plan: PrunePlan, api: RegistryApi, log: Logger, concurrency: number, summary: PruneSummary): Promise<string[]> {
  const failures: string[] = [];
  await mapLimit(plan.repositories, concurrency, async (repo) => {
    for (const d of repo.delete) {
      try {
        if (await api.deleteManifest(repo.name, d.digest)) summary.manifestsDeleted++;
        log.info({ repository: repo.name, digest: d.digest, tags: d.tags }, 'deleted manifest');
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
  });
  return failures;
}

/** Garbage collection inside the read-only window; the window is released whatever happens. */
async function collect(deps: PruneDeps, plan: PrunePlan, summary: PruneSummary, now: () => Date): Promise<void> {
  const { opts, log, api } = deps;
  if (!deps.kube) throw new PruneFailedError('garbage collection needs the Kubernetes API (--kubeconfig or in-cluster)', summary);
  const client = deps.kube();
  const window = new ReadOnlyWindow({
    client,
    namespace: opts.namespace,
    log,
    now,
    writeProbe: () => api.writeProbe(`${plan.repositories[0]?.name ?? 'image-registry-operator'}/read-only-probe`),
  });
  const config = await client.get(ConfigResource, { name: 'cluster' });
  const unreachable = unreachableStorage(config?.status?.storage);
  if (unreachable) {
    summary.garbageCollection = 'skipped';
    summary.garbageCollectionNote = unreachable;
    log.warn({ reason: unreachable }, 'skipping blob garbage collection');
    await window.release(readOnlyWindow.reasons.skipped, `Blob garbage collection skipped: ${unreachable}`);
    return;
  }
  const fileDir = mkdtempSync(join(tmpdir(), 'iro-prune-'));
  try {
    const { env } = await registryStorageEnv(client, opts.namespace, fileDir);
    const deadline = await window.request();
    const stopAt = new Date(deadline.getTime() - deadlineMarginMs);
    await window.waitOpen(new Date(Math.min(stopAt.getTime(), now().getTime() + opts.windowWaitMs)), deps.signal);
    log.info({ stopAt: stopAt.toISOString() }, 'the registry is read-only; running garbage-collect');
    const result = await runGarbageCollect({ binary: opts.registryBinary, env, stopAt, ...(deps.signal ? { signal: deps.signal } : {}) });
    summary.garbageCollection = 'done';
    summary.blobsReclaimed = result.blobs.size;
    summary.bytesReclaimed = [...result.blobs].reduce((n, d) => n + (plan.reclaimable.get(d) ?? 0), 0);
  } catch (err) {
    summary.garbageCollection = 'failed';
    throw new PruneFailedError(`blob garbage collection failed: ${err instanceof Error ? err.message : String(err)}`, summary, { cause: err });
  } finally {
    rmSync(fileDir, { recursive: true, force: true });
    if (window.isRequested) await window.release();
  }
}

/** The one line a cluster admin reads in the job's log. */
export function summaryLine(s: PruneSummary): string {
  return (
    `prune summary: ${s.repositories} repositories, ${s.tags} tags, ${s.manifestsDeleted} manifests deleted` +
    (s.garbageCollection === 'dry run' ? ` (${s.manifestsPlanned} would be)` : '') +
    `, ${s.blobsReclaimed} blobs and ${s.bytesReclaimed} bytes reclaimed` +
    (s.garbageCollection === 'dry run' ? ' (estimated)' : '') +
    `, ${s.invalidReferences} invalid references, garbage collection ${s.garbageCollection}` +
    (s.garbageCollectionNote ? `: ${s.garbageCollectionNote}` : '')
  );
}
