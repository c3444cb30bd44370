import { describe, expect, it } from 'vitest';
import { configConditionOwner, configConditionTypes } from './condition-types.ts';
import { apps, fieldManager, resources } from './names.ts';

describe('names', () => {
  it('gives every app its own field manager under image-registry-operator/', () => {
    expect(fieldManager('node-ca')).toBe('image-registry-operator/node-ca');
    expect(new Set(apps.map(fieldManager)).size).toBe(apps.length);
  });

  it('gives every Config condition type exactly one owner', () => {
    const all = Object.values(configConditionTypes).flat();
    expect(new Set(all).size).toBe(all.length);
    expect(configConditionOwner('StorageExists')).toBe('storage');
    expect(configConditionOwner('Available')).toBe('registry-workload');
    expect(configConditionOwner('SomethingElse')).toBeUndefined();
  });

  it('knows the plural of each resource', () => {
    expect(resources.config).toMatchObject({
      group: 'imageregistry.operator.openshift.io',
      plural: 'configs',
      namespaced: false,
    });
    expect(resources.route).toMatchObject({ plural: 'routes', namespaced: true });
  });
});
