import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { get, type Json } from './support.ts';

interface KeyToPath {
  key: string;
  path: string;
}

interface Volume {
  name: string;
  emptyDir?: Json;
  persistentVolumeClaim?: Json;
  secret?: { secretName: string; items?: KeyToPath[]; optional?: boolean };
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  projected?: {
    sources: {
      secret?: { name: string; items?: KeyToPath[] };
      configMap?: { name: string; items?: KeyToPath[] };
      serviceAccountToken?: { path: string };
      downwardAPI?: { items: { path: string; fieldRef: { fieldPath: string } }[] };
    }[];
  };
}

interface Container {
  name?: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface DeploymentSpec {
  spec: { template: { spec: { containers: Container[]; volumes?: Volume[] } } };
}

export interface Materialized {
  /** The container's environment with every mounted path moved under `root`. */
  env: Record<string, string>;
  command: string[];
  root: string;
}

interface DataObject {
  data?: Record<string, string>;
}

function writeData(dir: string, data: Record<string, Buffer>, items: KeyToPath[] | undefined): void {
  mkdirSync(dir, { recursive: true });
  const pairs = items ?? Object.keys(data).map((key) => ({ key, path: key }));
  for (const { key, path } of pairs) {
    const content = data[key];
    if (content === undefined) throw new Error(`key ${key} is missing from a volume source; the kubelet would not start the pod`);
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/**
 * Does what the kubelet does for the registry container, in a folder: writes each mounted Secret,
 * ConfigMap and emptyDir under `root` + mountPath, and resolves the environment (secretKeyRef
 * included). Every value that names a mounted path is moved under `root`; nothing else changes, so
 * a variable or path the Deployment gets wrong stays wrong for the real binary.
 */
export async function materialize(
  kc: KubeConfig,
  namespace: string,
  deployment: DeploymentSpec,
  root: string,
  containerName?: string,
): Promise<Materialized> {
  const pod = deployment.spec.template.spec;
  const container = containerName ? pod.containers.find((c) => c.name === containerName) : pod.containers[0];
  if (!container) throw new Error(`the Deployment has no container ${containerName ?? ''}`);
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const secret = async (name: string): Promise<Record<string, Buffer> | undefined> => {
    const s = await get<DataObject>(kc, `/api/v1/namespaces/${namespace}/secrets/${name}`);
    return s ? Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])) : undefined;
  };
  const configMap = async (name: string): Promise<Record<string, Buffer> | undefined> => {
    const c = await get<DataObject>(kc, `/api/v1/namespaces/${namespace}/configmaps/${name}`);
    return c ? Object.fromEntries(Object.entries(c.data ?? {}).map(([k, v]) => [k, Buffer.from(v)])) : undefined;
  };

  for (const mount of container.volumeMounts ?? []) {
    const v = volumes.get(mount.name);
    if (!v) throw new Error(`volume ${mount.name} is mounted but not declared`);
    const dir = join(root, mount.mountPath);
    if (v.emptyDir || v.persistentVolumeClaim) {
      mkdirSync(dir, { recursive: true });
    } else if (v.secret) {
      const data = await secret(v.secret.secretName);
      if (!data && !v.secret.optional) throw new Error(`secret ${v.secret.secretName} does not exist; the kubelet would not start the pod`);
      writeData(dir, data ?? {}, data ? v.secret.items : []);
    } else if (v.configMap) {
      const data = await configMap(v.configMap.name);
      if (!data && !v.configMap.optional) throw new Error(`configmap ${v.configMap.name} does not exist; the kubelet would not start the pod`);
      writeData(dir, data ?? {}, data ? v.configMap.items : []);
    } else if (v.projected) {
      mkdirSync(dir, { recursive: true });
      for (const source of v.projected.sources) {
        if (source.secret) writeData(dir, (await secret(source.secret.name)) ?? {}, source.secret.items);
        if (source.configMap) writeData(dir, (await configMap(source.configMap.name)) ?? {}, source.configMap.items);
        if (source.serviceAccountToken) writeFileSync(join(dir, source.serviceAccountToken.path), 'not-a-real-token');
        for (const item of source.downwardAPI?.items ?? []) {
          if (item.fieldRef.fieldPath === 'metadata.namespace') writeFileSync(join(dir, item.path), namespace);
        }
      }
    } else {
      throw new Error(`volume ${v.name} has a source this test does not materialise`);
    }
  }

  // Longest first, so /etc/pki/ca-trust/source/anchors wins over a shorter prefix.
  const mountPaths = (container.volumeMounts ?? []).map((m) => m.mountPath.replace(/\/$/, '')).sort((a, b) => b.length - a.length);
  const relocate = (value: string): string =>
    value
      .split(':')
      .map((part) => {
        const hit = mountPaths.find((p) => part === p || part.startsWith(`${p}/`));
        return hit ? join(root, part) : part;
      })
      .join(':');

  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.valueFrom?.secretKeyRef) {
      const data = await secret(e.valueFrom.secretKeyRef.name);
      const v = data?.[e.valueFrom.secretKeyRef.key];
      if (v === undefined) throw new Error(`${e.name} refers to a missing secret key; the kubelet would not start the pod`);
      env[e.name] = v.toString('utf8');
    } else {
      env[e.name] = relocate(e.value ?? '');
    }
  }
  return { env, command: container.command ?? [], root };
}
