import type { DaemonSetObject } from '../resources.ts';

export interface DaemonSetInput {
  namespace: string;
  image: string;
  /** Mount the node's /etc/hosts and let the agent keep its block there. */
  hostMappings: boolean;
  /** Privileged container (SELinux nodes); otherwise root with no capabilities. */
  privileged: boolean;
}

/** Where the agent sees its inputs inside the container (flags of `node-ca sync`). */
export const agentPaths = {
  certificates: '/etc/node-ca/certificates',
  hosts: '/etc/node-ca/hosts',
  /** The node's /etc/hosts: the container's own /etc/hosts belongs to the kubelet. */
  hostsFile: '/host/etc/hosts',
} as const;

/** The host folders the agent writes, mounted at the same paths so its defaults are the real ones. */
const certsDirs = [
  ['docker-certs', '/etc/docker/certs.d'],
  ['containers-certs', '/etc/containers/certs.d'],
  ['containerd-certs', '/etc/containerd/certs.d'],
] as const;

/**
 * DaemonSet node-ca (upstream's bindata/nodecadaemon.yaml, §9.4): on every Linux node, tolerating
 * every taint, 10 % unavailable at a time, tiny requests. It runs this app's image with `sync`, the
 * node agent. Differences, each for least privilege or for containerd: no API token (the agent reads
 * only its two mounted ConfigMaps), root without capabilities unless `privileged`, one hostPath per
 * certs.d folder, containerd's folder read-only (only to check config_path), and the node's
 * /etc/hosts only when host mappings are on. hostNetwork stays, as upstream: trust must reach a node
 * before its pod network is up.
 */
export function renderDaemonSet(input: DaemonSetInput): DaemonSetObject {
  const volumes: Record<string, unknown>[] = [
    { name: 'certificates', configMap: { name: 'image-registry-certificates', optional: true } },
    { name: 'hosts', configMap: { name: 'node-ca-hosts', optional: true } },
    { name: 'containerd-config', hostPath: { path: '/etc/containerd', type: 'DirectoryOrCreate' } },
    ...certsDirs.map(([name, path]) => ({ name, hostPath: { path, type: 'DirectoryOrCreate' } })),
  ];
  const mounts: Record<string, unknown>[] = [
    { name: 'certificates', mountPath: agentPaths.certificates, readOnly: true },
    { name: 'hosts', mountPath: agentPaths.hosts, readOnly: true },
    { name: 'containerd-config', mountPath: '/etc/containerd', readOnly: true },
    ...certsDirs.map(([name, path]) => ({ name, mountPath: path })),
  ];
  if (input.hostMappings) {
    volumes.push({ name: 'etc-hosts', hostPath: { path: '/etc/hosts', type: 'File' } });
    mounts.push({ name: 'etc-hosts', mountPath: agentPaths.hostsFile });
  }
  const securityContext: Record<string, unknown> = input.privileged
    ? { privileged: true, runAsUser: 0, runAsGroup: 0, readOnlyRootFilesystem: true }
    : {
        runAsUser: 0,
        runAsGroup: 0,
        runAsNonRoot: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      };
  const labels = { name: 'node-ca' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-ca', namespace: input.namespace, labels: { 'app.kubernetes.io/name': 'image-registry-operator', 'app.kubernetes.io/component': 'node-ca' } },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: {
          labels,
          annotations: {
            'target.workload.openshift.io/management': '{"effect": "PreferredDuringScheduling"}',
            'openshift.io/required-scc': 'privileged',
          },
        },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-cluster-critical',
          tolerations: [{ operator: 'Exists' }],
          hostNetwork: true,
          serviceAccountName: 'node-ca',
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'node-ca',
              image: input.image,
              // The agent's own bundle: `main.mjs sync` is the same, at a third more memory per node.
              command: ['node', '/app/agent.mjs'],
              args: [
                'sync',
                `--certificates-dir=${agentPaths.certificates}`,
                `--hosts-source=${agentPaths.hosts}/hosts`,
                `--hosts-file=${input.hostMappings ? agentPaths.hostsFile : ''}`,
              ],
              securityContext,
              resources: { requests: { cpu: '10m', memory: '10Mi' } },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
}
