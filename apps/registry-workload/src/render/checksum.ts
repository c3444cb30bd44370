import { createHash } from 'node:crypto';
import type { V1PodSpec } from '@kubernetes/client-node';

export interface PodDependencies {
  configMaps: string[];
  secrets: string[];
}

/** The content of a ConfigMap or Secret that matters to the pod: its data, not its metadata. */
export interface DependencyContent {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  type?: string;
}

/** Every ConfigMap and Secret the pod reads, through volumes (projected too) or environment. */
export function podDependencies(pod: V1PodSpec): PodDependencies {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const v of pod.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
      if (f.secretRef?.name) secrets.add(f.secretRef.name);
    }
  }
  return { configMaps: [...configMaps].sort(), secrets: [...secrets].sort() };
}

/** JSON with object keys sorted, so equal content always hashes equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * `imageregistry.operator.openshift.io/dependencies-checksum` (upstream-inventory §5.9): a digest over
 * the content of every ConfigMap and Secret the pod depends on, so changing any of them (a rotated
 * certificate, new storage credentials) rolls the registry. Missing objects are skipped.
 */
export function dependenciesChecksum(
  deps: PodDependencies,
  lookup: { configMap(name: string): DependencyContent | undefined; secret(name: string): DependencyContent | undefined },
): string {
  const lines: string[] = [];
  for (const name of deps.configMaps) {
    const cm = lookup.configMap(name);
    if (cm) lines.push(`configmap:${name}:sha256:${sha256(canonicalJson({ data: cm.data, binaryData: cm.binaryData }))}`);
  }
  for (const name of deps.secrets) {
    const s = lookup.secret(name);
    if (s) lines.push(`secret:${name}:sha256:${sha256(canonicalJson({ data: s.data, type: s.type }))}`);
  }
  return `sha256:${sha256(JSON.stringify(lines))}`;
}
