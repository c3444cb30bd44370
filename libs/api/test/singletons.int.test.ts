import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { installCrds, kubeRequest, startControlPlane } from '@image-registry/testing';
import type { ControlPlane } from '@image-registry/testing';
import { statusConditionsApply } from '@image-registry/conditions';
import type { Condition } from '@image-registry/conditions';
import { configConditionTypes } from '../src/condition-types.ts';
import { crdDirectory } from '../src/crd/generate.ts';
import { clusterOperatorName, configGroupVersion, fieldManager } from '../src/names.ts';
import { parseClusterOperator, parseConfig, parseImage, parseImagePruner } from '../src/parse.ts';
import type { ParseResult } from '../src/parse.ts';
import { docsCases, mergePatch } from './fixtures/docs.ts';
import { baseConfigSpec, invalidStatuses, object } from './fixtures/objects.ts';
import type { Kind } from './fixtures/objects.ts';
import { kindPath, refusal } from './support.ts';

/**
 * Tests that store the singletons (Config/cluster, ImagePruner/cluster, …). They get a private control
 * plane so they cannot collide with other projects' tests, which own those objects on the shared one.
 */
let controlPlane: ControlPlane | undefined;
let kc: KubeConfig;

beforeAll(async () => {
  controlPlane = await startControlPlane({ nodes: 0 });
  kc = controlPlane.kubeConfig;
  await installCrds(kc, crdDirectory);
});

afterAll(async () => {
  await controlPlane?.stop();
});

type Stored = {
  metadata: { name: string; managedFields?: ManagedFields[] };
  spec: unknown;
  status?: { conditions?: Condition[] };
};
type ManagedFields = { manager: string; operation: string; subresource?: string; fieldsV1?: unknown };

const parsers: Partial<Record<Kind, (v: unknown) => ParseResult<{ spec: unknown }>>> = {
  Config: parseConfig,
  ImagePruner: parseImagePruner,
  Image: parseImage,
  ClusterOperator: parseClusterOperator,
};

/** Deletes and creates the singleton with this spec, so every case starts from a known object. */
async function recreate(kind: Kind, spec: Record<string, unknown>, name = 'cluster'): Promise<Stored> {
  await refusal(kubeRequest(kc, 'DELETE', kindPath(kind, name)));
  return kubeRequest<Stored>(kc, 'POST', kindPath(kind), object(kind, spec, name));
}

function mergePatchRequest(
  kind: Kind,
  patch: unknown,
  { name = 'cluster', subresource = '', dryRun = false } = {},
) {
  const query = dryRun ? '?dryRun=All' : '';
  return kubeRequest<Stored>(
    kc,
    'PATCH',
    `${kindPath(kind, name)}${subresource}${query}`,
    patch,
    'application/merge-patch+json',
  );
}

describe('configuration from the OpenShift documentation', () => {
  it.each(docsCases)('$name is accepted and reads back unchanged', async ({ kind, base, patch }) => {
    await recreate(kind, base);
    const patched = await mergePatchRequest(kind, patch);

    // The parser applies the schema defaults the API server applies, so it predicts the stored spec exactly.
    const parse = parsers[kind];
    if (parse === undefined) throw new Error(`no parser for ${kind}`);
    const expected = parse(mergePatch(object(kind, base), patch));
    if (!expected.ok) throw expected.error;
    expect(patched.spec).toEqual(expected.value.spec);

    const read = await kubeRequest<Stored>(kc, 'GET', kindPath(kind, 'cluster'));
    expect(read.spec).toEqual(patched.spec);
    const typed = parse(read);
    expect(typed.ok ? typed.value.spec : typed.error.message).toEqual(expected.value.spec);
  });
});

describe('status validation', () => {
  const names: Partial<Record<Kind, string>> = { ClusterOperator: clusterOperatorName };

  it.each(invalidStatuses)('$name is refused, naming $field', async ({ kind, status, before, field }) => {
    const name = names[kind] ?? 'cluster';
    await recreate(kind, kind === 'Config' ? baseConfigSpec : {}, name);
    if (before !== undefined)
      await mergePatchRequest(kind, { status: before }, { name, subresource: '/status' });
    const answer = await refusal(
      mergePatchRequest(kind, { status }, { name, subresource: '/status', dryRun: true }),
    );
    expect(answer?.status).toBe(422);
    expect(answer?.message).toContain(`${field}:`);
  });
});

describe('condition ownership on Config/cluster /status', () => {
  const apply = (manager: string, body: unknown, force = false) =>
    kubeRequest<Stored>(
      kc,
      'PATCH',
      `${kindPath('Config', 'cluster')}/status?fieldManager=${encodeURIComponent(manager)}&force=${force}`,
      body,
      'application/apply-patch+yaml',
    );
  const conditionsApply = (
    app: 'node-ca' | 'storage',
    current: Condition[] | undefined,
    conditions: Condition[] | Omit<Condition, 'lastTransitionTime'>[],
    now: Date,
  ) =>
    statusConditionsApply({
      apiVersion: configGroupVersion,
      kind: 'Config',
      name: 'cluster',
      current,
      conditions,
      ownedTypes: configConditionTypes[app],
      now,
    });
  const byType = (stored: Stored) =>
    Object.fromEntries((stored.status?.conditions ?? []).map((c) => [c.type, c]));
  const ownedTypes = (stored: Stored, manager: string) =>
    JSON.stringify(
      stored.metadata.managedFields?.find((m) => m.manager === manager && m.subresource === 'status')
        ?.fieldsV1 ?? {},
    )
      .match(/k:\{\\"type\\":\\"(\w+)\\"\}/g)
      ?.map((k) => /"(\w+)\\"\}$/.exec(k)?.[1])
      .sort();

  it('lets two apps apply their own condition types without conflict or touching each other', async () => {
    await recreate('Config', baseConfigSpec);
    const nodeCA = fieldManager('node-ca');
    const storage = fieldManager('storage');
    const t0 = new Date('2024-05-01T10:00:00Z');
    const t1 = new Date('2024-05-01T11:00:00Z');

    await apply(
      nodeCA,
      conditionsApply(
        'node-ca',
        undefined,
        [
          {
            type: 'NodeCADaemonAvailable',
            status: 'True',
            reason: 'AsExpected',
            message: 'The daemon set node-ca has available replicas',
          },
          {
            type: 'NodeCADaemonProgressing',
            status: 'False',
            reason: 'AsExpected',
            message: 'The daemon set node-ca is deployed',
          },
        ],
        t0,
      ),
    );
    const afterStorage = await apply(
      storage,
      conditionsApply(
        'storage',
        undefined,
        [{ type: 'StorageExists', status: 'True', reason: 'S3 Bucket Exists' }],
        t0,
      ),
    );
    expect(Object.keys(byType(afterStorage)).sort()).toEqual([
      'NodeCADaemonAvailable',
      'NodeCADaemonProgressing',
      'StorageExists',
    ]);
    expect(ownedTypes(afterStorage, nodeCA)).toEqual(['NodeCADaemonAvailable', 'NodeCADaemonProgressing']);
    expect(ownedTypes(afterStorage, storage)).toEqual(['StorageExists']);

    // node-ca reports again an hour later: one status changed, one did not.
    const current = afterStorage.status?.conditions;
    const afterUpdate = await apply(
      nodeCA,
      conditionsApply(
        'node-ca',
        current,
        [
          {
            type: 'NodeCADaemonAvailable',
            status: 'True',
            reason: 'AsExpected',
            message: 'The daemon set node-ca has available replicas',
          },
          {
            type: 'NodeCADaemonProgressing',
            status: 'True',
            reason: 'Progressing',
            message: 'The daemon set node-ca is updating node pods',
          },
        ],
        t1,
      ),
    );
    const updated = byType(afterUpdate);
    expect(updated['NodeCADaemonAvailable']?.lastTransitionTime).toBe('2024-05-01T10:00:00Z');
    expect(updated['NodeCADaemonProgressing']).toMatchObject({
      status: 'True',
      lastTransitionTime: '2024-05-01T11:00:00Z',
    });
    expect(updated['StorageExists']).toEqual(byType(afterStorage)['StorageExists']);

    // Dropping a type from node-ca's apply removes only that entry.
    const afterDrop = await apply(
      nodeCA,
      conditionsApply(
        'node-ca',
        afterUpdate.status?.conditions,
        [{ type: 'NodeCADaemonAvailable', status: 'True', reason: 'AsExpected' }],
        t1,
      ),
    );
    expect(Object.keys(byType(afterDrop)).sort()).toEqual(['NodeCADaemonAvailable', 'StorageExists']);
    expect(byType(afterDrop)['StorageExists']).toEqual(byType(afterStorage)['StorageExists']);
  });

  it("refuses an app that applies another app's condition type without force", async () => {
    await recreate('Config', baseConfigSpec);
    const t0 = new Date('2024-05-01T10:00:00Z');
    const condition = {
      type: 'StorageExists',
      status: 'True' as const,
      lastTransitionTime: '2024-05-01T10:00:00Z',
    };
    await apply(fieldManager('storage'), conditionsApply('storage', undefined, [condition], t0));
    const body = {
      apiVersion: configGroupVersion,
      kind: 'Config',
      metadata: { name: 'cluster' },
      status: { conditions: [{ ...condition, status: 'False' }] },
    };
    const answer = await refusal(apply(fieldManager('node-ca'), body));
    expect(answer?.status).toBe(409);
    expect(answer?.message).toContain(fieldManager('storage'));
  });
});
