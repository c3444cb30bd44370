import { join } from 'node:path';

/**
 * The fixed shape of the one real node a machine runs (the kubelet insists on a few host paths, so
 * two would collide). Addresses are private, routed nowhere off the machine, and distinct from kwok's
 * (10.244.0.0/16 pods, node IP 10.0.0.1) and podman's 10.88.0.0/16.
 */
export const layout = {
  nodeName: 'iro-real-node',
  /** Label and NoSchedule taint: only pods that select and tolerate it land on the real node. */
  nodeKey: 'image-registry-operator.dev/real-node',
  podCidr: '10.123.0.0/24',
  serviceCidr: '10.96.0.0/16',
  /** The veth between the host and the node's network namespace (host side, node side). */
  hostVeth: 'iro-rn0',
  nodeVeth: 'uplink0',
  /** Inside the namespace: the device the service range routes to until kube-proxy's DNAT applies. */
  serviceBridge: 'svc0',
  hostAddress: '10.200.255.1',
  nodeAddress: '10.200.255.2',
  linkCidr: '10.200.255.0/30',
  kubeletPort: 10250,
  /** Host iptables chain (filter table) that rejects and counts cluster traffic leaving any other way. */
  guardChain: 'IRO-REAL-NODE',
  /** Every cgroup of the node's pods lives below this name in each hierarchy. */
  cgroupName: 'image-registry-operator-real-node',
  /** kwok's ranges, guarded too: nothing on this machine should send there while the node runs. */
  kwokRanges: ['10.244.0.0/16', '10.0.0.1/32'],
} as const;

/** Files and folders of one real node inside its run folder. */
export function nodePaths(runDir: string) {
  const p = (...parts: string[]) => join(runDir, ...parts);
  return {
    runDir,
    /** Private mounts of the node's mount namespace: overlays of /etc and /var, a fresh /run. */
    etcUpper: p('ns/etc-upper'),
    etcWork: p('ns/etc-work'),
    varUpper: p('ns/var-upper'),
    varWork: p('ns/var-work'),
    run: p('ns/run'),
    sysctls: p('ns/sysctl'),
    setupScript: p('ns-setup.sh'),
    cleanupScript: p('cleanup.sh'),
    ready: p('ns/ready'),
    containerdRoot: p('containerd/root'),
    containerdState: p('containerd/state'),
    containerdSocket: p('containerd.sock'),
    containerdConfig: p('containerd.toml'),
    cniConf: p('cni'),
    cniIpam: p('cni-ipam'),
    kubeletRoot: p('kubelet'),
    kubeletConfig: p('kubelet.yaml'),
    kubeconfig: p('node.kubeconfig'),
    podLogs: p('pod-logs'),
    staticPods: p('static-pods'),
    resolvConf: p('resolv.conf'),
    tmp: p('tmp'),
  };
}

export type NodePaths = ReturnType<typeof nodePaths>;
