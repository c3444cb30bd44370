import { describe, expect, it } from 'vitest';
import { privateConfigurationSecret } from './private-configuration.ts';

describe('privateConfigurationSecret', () => {
  it('holds the backend keys base64-encoded, owned by the Config', () => {
    const owner = {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      name: 'cluster',
      uid: 'u',
    };
    const secret = privateConfigurationSecret('ns', { credentials: '[default]\n' }, owner);
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'image-registry-private-configuration',
        namespace: 'ns',
        labels: {
          'app.kubernetes.io/managed-by': 'image-registry-operator',
          'app.kubernetes.io/component': 'storage',
        },
        ownerReferences: [owner],
      },
      type: 'Opaque',
      data: { credentials: Buffer.from('[default]\n').toString('base64') },
    });
  });

  it('exists with no data for PVC and emptyDir (the API server would drop an empty map)', () => {
    expect(privateConfigurationSecret('ns', {}, undefined)).not.toHaveProperty('data');
  });
});
