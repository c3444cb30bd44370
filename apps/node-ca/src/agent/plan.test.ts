import { describe, expect, it } from 'vitest';
import { containerdConfigAdvice } from './containerd-config.ts';
import { hostsToml, planCerts } from './plan.ts';

const pem = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

describe('planCerts', () => {
  it('maps each valid key to one directory per root and refuses the rest', () => {
    const plan = planCerts(
      [
        { key: 'image-registry.ns.svc..5000', data: pem },
        { key: 'foo.example.com', data: pem },
        { key: 'storage-ca-bundle.pem', data: pem },
        { key: '..', data: pem },
      ],
      '/etc/containerd/certs.d',
    );
    expect([...plan.docker.keys()]).toEqual(['image-registry.ns.svc:5000', 'foo.example.com']);
    expect([...plan.containers.keys()]).toEqual(['image-registry.ns.svc:5000', 'foo.example.com']);
    expect([...(plan.containerd.get('foo.example.com')?.keys() ?? [])]).toEqual(['ca.crt', 'hosts.toml']);
    expect(plan.refused.map((r) => r.key)).toEqual(['storage-ca-bundle.pem', '..']);
  });

  it('writes containerd hosts.toml naming the registry and its CA file', () => {
    expect(hostsToml('image-registry.ns.svc:5000', '/etc/containerd/certs.d/image-registry.ns.svc:5000/ca.crt')).toBe(
      [
        '# Written by the image-registry-operator node-ca agent from ConfigMap image-registry-certificates.',
        '# Changes are overwritten; containerd reads this when its registry config_path names this folder.',
        'server = "https://image-registry.ns.svc:5000"',
        '',
        '[host."https://image-registry.ns.svc:5000"]',
        '  capabilities = ["pull", "resolve", "push"]',
        '  ca = "/etc/containerd/certs.d/image-registry.ns.svc:5000/ca.crt"',
        '',
      ].join('\n'),
    );
  });
});

describe('containerdConfigAdvice', () => {
  const dir = '/etc/containerd/certs.d';
  it('asks for config_path when a version 2 config lacks it', () => {
    expect(containerdConfigAdvice('version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n', dir)).toContain(
      'config_path = "/etc/containerd/certs.d"',
    );
    expect(containerdConfigAdvice('# config_path = "/etc/containerd/certs.d"\n', dir)).toBeDefined();
  });
  it('is silent when config_path names the folder or containerd 2 uses its default', () => {
    expect(containerdConfigAdvice('  config_path = "/etc/containerd/certs.d"\n', dir)).toBeUndefined();
    expect(containerdConfigAdvice("config_path = '/etc/containerd/certs.d:/etc/docker/certs.d'\n", dir)).toBeUndefined();
    expect(containerdConfigAdvice('version = 3\n', dir)).toBeUndefined();
  });
  it('names the configured folders when they are others', () => {
    expect(containerdConfigAdvice('config_path = "/srv/certs"\n', dir)).toContain('/srv/certs, not /etc/containerd/certs.d');
  });
});
