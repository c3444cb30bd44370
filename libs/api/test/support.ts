import type { KubeConfig } from '@kubernetes/client-node';
import { KubeRequestError, kubeRequest } from '@image-registry/testing';
import { resources } from '../src/names.ts';
import type { Kind } from './fixtures/objects.ts';

const byKind = Object.fromEntries(Object.values(resources).map((r) => [r.kind, r])) as Record<
  Kind,
  (typeof resources)[keyof typeof resources]
>;

/** The REST path of a kind's collection, or of one object. Namespaced kinds live in `default`. */
export function kindPath(kind: Kind, name?: string): string {
  const r = byKind[kind];
  const ns = r.namespaced ? '/namespaces/default' : '';
  return `/apis/${r.group}/${r.version}${ns}/${r.plural}${name === undefined ? '' : `/${name}`}`;
}

/** The API server's answer to a request it refused, or undefined when it accepted it. */
export async function refusal(
  request: Promise<unknown>,
): Promise<{ status: number; message: string } | undefined> {
  try {
    await request;
    return undefined;
  } catch (err) {
    if (!(err instanceof KubeRequestError)) throw err;
    const body = err.body as { message?: unknown } | undefined;
    return { status: err.status, message: typeof body?.message === 'string' ? body.message : err.message };
  }
}

/** Validates an object with the API server without storing it. */
export function dryRunCreate(kc: KubeConfig, value: Record<string, unknown>): Promise<unknown> {
  return kubeRequest(
    kc,
    'POST',
    `${kindPath(value['kind'] as Kind)}?dryRun=All&fieldValidation=Strict`,
    value,
  );
}
