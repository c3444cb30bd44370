import { stringify } from 'yaml';
import { layout, type NodePaths } from './layout.ts';

/**
 * containerd 1.6 (Debian) with everything of its own in the run folder: root, state, socket, CNI
 * config; runc with cgroupfs; the local pause image; registries configured from certs.d (`config_path`,
 * the folder node-ca's agent writes); pod OOM scores clamped to containerd's own (this machine kind
 * cannot lower oom_score_adj).
 */
export function containerdToml(paths: NodePaths, pauseImage: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${paths.containerdRoot}"
state = "${paths.containerdState}"
# Snapshotters this machine cannot use, and the /opt plugin (it would create /opt/containerd on the host).
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "${paths.containerdSocket}"

[${cri}]
  sandbox_image = "${pauseImage}"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false

[${cri}.cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = "${paths.cniConf}"

[${cri}.registry]
  config_path = "/etc/containerd/certs.d"
`;
}

/** One bridge with host-local addresses; no masquerade (nothing is meant to leave the namespace). */
export function cniConflist(paths: NodePaths): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'iro-real-node',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: layout.podCidr }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: paths.cniIpam,
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

/**
 * The kubelet's configuration for this machine kind: cgroup v1 (allowed explicitly), cgroupfs below our
 * own cgroup root, no oom_score_adj below 0 and no rlimit above the hard 20000, serving only on the
 * node's veth address (the API server reaches it there for logs and exec).
 */
export function kubeletConfigYaml(paths: NodePaths): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'cgroupfs',
    cgroupRoot: `/${layout.cgroupName}`,
    failSwapOn: false,
    failCgroupV1: false,
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    staticPodPath: paths.staticPods,
    podLogsDir: paths.podLogs,
    address: layout.nodeAddress,
    port: layout.kubeletPort,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    // Reachable only from this machine (the veth); tighten with client certificates if that changes.
    authentication: { anonymous: { enabled: true }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    maxOpenFiles: 20000,
    oomScoreAdj: 0,
    resolvConf: paths.resolvConf,
    serializeImagePulls: false,
    // The imported images have no registry to come back from: never garbage-collect them.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '1Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
  });
}

export function kubeletArgs(paths: NodePaths): string[] {
  return [
    `--config=${paths.kubeletConfig}`,
    `--kubeconfig=${paths.kubeconfig}`,
    `--root-dir=${paths.kubeletRoot}`,
    `--cert-dir=${paths.kubeletRoot}/pki`,
    `--hostname-override=${layout.nodeName}`,
    `--node-ip=${layout.nodeAddress}`,
    `--node-labels=${layout.nodeKey}=true`,
    `--register-with-taints=${layout.nodeKey}=true:NoSchedule`,
    '--v=1',
  ];
}

/** kube-proxy in iptables mode, leaving every host-wide sysctl alone (conntrack limits, route_localnet). */
export function kubeProxyArgs(paths: NodePaths): string[] {
  return [
    `--kubeconfig=${paths.kubeconfig}`,
    '--proxy-mode=iptables',
    `--hostname-override=${layout.nodeName}`,
    `--cluster-cidr=${layout.podCidr}`,
    '--conntrack-max-per-core=0',
    '--conntrack-tcp-timeout-established=0',
    '--conntrack-tcp-timeout-close-wait=0',
    '--iptables-localhost-nodeports=false',
    '--metrics-bind-address=127.0.0.1:10249',
    '--healthz-bind-address=127.0.0.1:10256',
    '--v=1',
  ];
}
