import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { kubeRequest } from './request.ts';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/** Maps apiVersion+kind to the REST path, by discovery (not cached: CRDs appear during tests). */
export async function resourcePath(
  kc: KubeConfig,
  apiVersion: string,
  kind: string,
  name?: string,
  namespace?: string,
): Promise<string> {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const list = await kubeRequest<ApiResourceList>(kc, 'GET', base);
  const res = list.resources.find((r) => r.kind === kind && !r.name.includes('/'));
  if (!res) throw new Error(`the API server has no ${kind} in ${apiVersion}`);
  const ns = res.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
  return `${base}${ns}/${res.name}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export function parseManifests(input: string | Manifest | Manifest[]): Manifest[] {
  if (typeof input !== 'string') return Array.isArray(input) ? input : [input];
  return parseAllDocuments(input)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null && typeof m === 'object');
}

/** Server-side applies raw manifests (force: tests own what they write). */
export async function applyYaml(
  kc: KubeConfig,
  input: string | Manifest | Manifest[],
  opts: { fieldManager?: string; namespace?: string; subresource?: 'status' } = {},
): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const m of parseManifests(input)) {
    const ns = m.metadata.namespace ?? opts.namespace;
    const path = await resourcePath(kc, m.apiVersion, m.kind, m.metadata.name, ns);
    const body = ns && !m.metadata.namespace ? { ...m, metadata: { ...m.metadata, namespace: ns } } : m;
    const query = `?fieldManager=${encodeURIComponent(opts.fieldManager ?? 'image-registry-operator-tests')}&force=true`;
    const sub = opts.subresource ? `/${opts.subresource}` : '';
    out.push(await kubeRequest<Manifest>(kc, 'PATCH', `${path}${sub}${query}`, body, 'application/apply-patch+yaml'));
  }
  return out;
}

interface Crd {
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Applies every CRD manifest in `dir` (*.yaml) and waits until each is Established. */
export async function installCrds(kc: KubeConfig, dir: string, timeoutMs = 60_000): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  // Only CRDs: the folder also holds its kustomization.yaml.
  const crds = files
    .flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8')))
    .filter((m) => m.kind === 'CustomResourceDefinition');
  const applied = await applyYaml(kc, crds, { fieldManager: 'crd-install' });
  const names = applied.filter((m) => m.kind === 'CustomResourceDefinition').map((m) => m.metadata.name);
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await kubeRequest<Crd>(kc, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not Established within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return names;
}
