import { describe, expect, it } from 'vitest';
import { clusterFacts, derivedInfrastructureName } from './cluster.ts';

describe('clusterFacts', () => {
  it('reads name, platform, region, endpoints and tags from Infrastructure/cluster', () => {
    const infra = {
      status: {
        infrastructureName: 'mycluster-x7k2p',
        platformStatus: {
          type: 'AWS',
          aws: {
            region: 'eu-west-1',
            serviceEndpoints: [{ name: 's3', url: 'https://s3.example.com' }],
            resourceTags: [{ key: 'team', value: 'infra' }],
          },
        },
      },
    };
    expect(clusterFacts(infra, 'fallback')).toEqual({
      infrastructureName: 'mycluster-x7k2p',
      platform: 'AWS',
      hasInfrastructure: true,
      aws: {
        region: 'eu-west-1',
        serviceEndpoints: [{ name: 's3', url: 'https://s3.example.com' }],
        resourceTags: [{ key: 'team', value: 'infra' }],
      },
      gcp: { region: undefined, projectID: undefined, resourceLabels: [] },
      azure: { cloudName: undefined, resourceGroupName: undefined, resourceTags: [] },
    });
  });

  it('falls back to the flag name and platform None without an Infrastructure object', () => {
    const facts = clusterFacts(undefined, 'k8s-1a2b3c4d');
    expect(facts.infrastructureName).toBe('k8s-1a2b3c4d');
    expect(facts.platform).toBe('None');
    expect(facts.hasInfrastructure).toBe(false);
  });
});

describe('derivedInfrastructureName', () => {
  it('is k8s- plus the first 8 alphanumerics of the kube-system UID', () => {
    expect(derivedInfrastructureName('0E9B5A1C-77d2-4c4e-9a0b-1234567890ab')).toBe('k8s-0e9b5a1c');
  });
});
