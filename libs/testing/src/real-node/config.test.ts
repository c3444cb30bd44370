import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cniConflist, containerdToml, kubeletConfigYaml } from './config.ts';
import { countGuarded, guardRules } from './guard.ts';
import { layout, nodePaths } from './layout.ts';

const paths = nodePaths('/tmp/run');

describe('real node configuration', () => {
  it('runs the kubelet as this machine kind allows: cgroup v1, cgroupfs under our root, no oom score below 0, 20000 files', () => {
    const cfg = parse(kubeletConfigYaml(paths)) as Record<string, unknown>;
    expect(cfg).toMatchObject({
      cgroupDriver: 'cgroupfs',
      cgroupRoot: `/${layout.cgroupName}`,
      failCgroupV1: false,
      oomScoreAdj: 0,
      maxOpenFiles: 20000,
      address: layout.nodeAddress,
      containerRuntimeEndpoint: 'unix:///tmp/run/containerd.sock',
    });
  });

  it('keeps containerd in the run folder, clamps pod OOM scores and reads registries from certs.d', () => {
    const toml = containerdToml(paths, 'localhost/p:1');
    expect(toml).toContain('root = "/tmp/run/containerd/root"');
    expect(toml).toContain('restrict_oom_score_adj = true');
    expect(toml).toContain('config_path = "/etc/containerd/certs.d"');
    expect(toml).toContain('sandbox_image = "localhost/p:1"');
    expect(toml).toContain('"io.containerd.internal.v1.opt"');
  });

  it('gives pods a bridge without masquerade in the pod range', () => {
    const [bridge] = (JSON.parse(cniConflist(paths)) as { plugins: Record<string, unknown>[] }).plugins;
    expect(bridge).toMatchObject({ type: 'bridge', ipMasq: false, hairpinMode: true, ipam: { ranges: [[{ subnet: layout.podCidr }]] } });
  });

  it('guards every cluster range on the host: rejected unless it goes through the node veth', () => {
    const rules = guardRules();
    for (const cidr of [layout.serviceCidr, layout.podCidr, ...layout.kwokRanges]) {
      expect(rules).toContain(`-A ${layout.guardChain} -d ${cidr} ! -o ${layout.hostVeth} -j REJECT`);
    }
    expect(rules).toContain(`-I OUTPUT 1 -j ${layout.guardChain}`);
    expect(rules.indexOf('-o lo -j RETURN')).toBeLessThan(rules.indexOf('REJECT'));
  });

  it('counts what the guard stopped for the node ranges, not the kwok ones and not loopback', () => {
    const listing = `Chain IRO-REAL-NODE (2 references)
    pkts      bytes target     prot opt in     out     source               destination
   44614 18814921 RETURN     0    --  *      lo      0.0.0.0/0            0.0.0.0/0
       3      180 REJECT     0    --  *      !iro-rn0  0.0.0.0/0            10.96.0.0/16         reject-with icmp-port-unreachable
       0        0 REJECT     0    --  *      !iro-rn0  0.0.0.0/0            10.123.0.0/24        reject-with icmp-port-unreachable
       7      420 REJECT     0    --  *      !iro-rn0  0.0.0.0/0            10.244.0.0/16        reject-with icmp-port-unreachable
       2      120 DROP       0    --  *      !iro-rn0  10.123.0.0/24        0.0.0.0/0`;
    expect(countGuarded(listing)).toBe(5);
  });
});
