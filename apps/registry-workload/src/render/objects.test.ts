import { describe, expect, it } from 'vitest';
import { renderClusterRoleBinding } from './cluster-role-binding.ts';
import { renderClusterRole } from './cluster-role.ts';
import { renderNetworkPolicy } from './network-policy.ts';
import { renderPodDisruptionBudget } from './pod-disruption-budget.ts';
import { renderServiceAccount } from './service-account.ts';
import { renderServiceCAConfigMap } from './serviceca-config-map.ts';
import { renderService, serviceHostnames } from './service.ts';

const owner = [{ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster', uid: 'u', controller: true, blockOwnerDeletion: true }];

describe('registry objects', () => {
  it('exposes the registry on Service port 5000 named 5000-tcp', () => {
    const s = renderService('ns', 'u', false);
    expect(s.metadata).toEqual({ name: 'image-registry', namespace: 'ns', labels: { 'docker-registry': 'default' }, ownerReferences: owner });
    expect(s.spec).toEqual({
      selector: { 'docker-registry': 'default' },
      ports: [{ name: '5000-tcp', port: 5000, protocol: 'TCP', targetPort: 5000 }],
    });
  });

  it('asks service-ca for the serving certificate only where service-ca exists', () => {
    expect(renderService('ns', 'u', true).metadata?.annotations).toEqual({
      'service.alpha.openshift.io/serving-cert-secret-name': 'image-registry-tls',
    });
  });

  it('names the Service DNS names a client uses', () => {
    expect(serviceHostnames('ns')).toEqual(['image-registry.ns.svc', 'image-registry.ns.svc.cluster.local']);
  });

  it('renders ServiceAccount registry and binds system:registry to it', () => {
    expect(renderServiceAccount('ns', 'u').metadata).toEqual({ name: 'registry', namespace: 'ns', ownerReferences: owner });
    const b = renderClusterRoleBinding('ns', 'u');
    expect(b.metadata?.name).toBe('registry-registry-role');
    expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:registry' });
    expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'registry', namespace: 'ns' }]);
  });

  it('grants system:registry the image API verbs of upstream', () => {
    const rules = renderClusterRole('u').rules ?? [];
    expect(rules).toContainEqual({ apiGroups: ['image.openshift.io'], resources: ['images'], verbs: ['get', 'update', 'create'] });
    expect(rules).toContainEqual({ apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] });
    expect(rules).toHaveLength(9);
  });

  it('keeps one pod through disruptions only when there are several', () => {
    expect(renderPodDisruptionBudget('ns', 'u', 1).spec?.minAvailable).toBe(0);
    expect(renderPodDisruptionBudget('ns', 'u', 2).spec).toEqual({
      minAvailable: 1,
      selector: { matchLabels: { 'docker-registry': 'default' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  it('opens port 5000 to everyone and allows all egress', () => {
    const np = renderNetworkPolicy('ns', 'u');
    expect(np.metadata?.name).toBe('image-registry-networkpolicy');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toContainEqual({ ports: [{ protocol: 'TCP', port: 5000 }] });
    expect(np.spec.egress?.[0]).toEqual({});
  });

  it('publishes the CA bundle in serviceca, or only the injection annotation under service-ca', () => {
    expect(renderServiceCAConfigMap('ns', 'u', 'PEM').data).toEqual({ 'service-ca.crt': 'PEM' });
    const injected = renderServiceCAConfigMap('ns', 'u', undefined);
    expect(injected.data).toBeUndefined();
    expect(injected.metadata?.annotations).toEqual({ 'service.beta.openshift.io/inject-cabundle': 'true' });
  });
});
