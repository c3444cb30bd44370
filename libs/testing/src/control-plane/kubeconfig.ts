import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { Pem } from './pki.ts';

/** A kubeconfig for one server and one client-certificate user, as YAML. */
export function kubeconfigYaml(server: string, caPem: string, user: Pem, userName = 'admin'): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: userName, user: { 'client-certificate-data': b64(user.cert), 'client-key-data': b64(user.key) } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: userName } }],
    'current-context': 'local',
  });
}

export function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}
