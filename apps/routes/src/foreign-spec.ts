import type { KubeClient, KubeObject, ResourceType } from '@image-registry/controller-runtime';

/**
 * Server-side apply takes back the fields this app sets, but leaves what another manager added
 * beside them (an extra rule or TLS entry that would expose the registry under another host). When
 * anyone else owns part of `spec`, replace the spec with ours and drop their claims, so the next
 * apply is a no-op again. A concurrent change makes the PUT conflict and the reconcile retry.
 * Returns whether it wrote.
 */
export async function repairForeignSpec<T extends KubeObject>(
  client: Pick<KubeClient, 'update' | 'fieldManager'>,
  res: ResourceType<T>,
  live: T,
  desired: T,
): Promise<boolean> {
  const entries = live.metadata?.managedFields ?? [];
  const keep = entries.filter(
    (e) => e.manager === client.fieldManager || e.subresource === 'status' || !('f:spec' in (e.fieldsV1 ?? {})),
  );
  if (keep.length === entries.length) return false;
  const body = {
    ...(live as Record<string, unknown>),
    spec: (desired as Record<string, unknown>)['spec'],
    metadata: { ...live.metadata, managedFields: keep },
  } as unknown as T;
  await client.update(res, body);
  return true;
}
