import { describe, expect, it } from 'vitest';
import { ApiParseError, formatPath, parseConfig, parseInfrastructure } from './parse.ts';

const valid = {
  apiVersion: 'imageregistry.operator.openshift.io/v1',
  kind: 'Config',
  metadata: { name: 'cluster', resourceVersion: '7', annotations: { a: 'b' } },
  spec: {
    replicas: 2,
    storage: { s3: { bucket: 'b' } },
    resources: { requests: { cpu: 1, memory: '256Mi' } },
  },
};

describe('parseConfig', () => {
  it('returns a typed Config with the defaults the API server applies', () => {
    const result = parseConfig(valid);
    if (!result.ok) throw result.error;
    expect(result.value.spec.logLevel).toBe('Normal');
    expect(result.value.spec.operatorLogLevel).toBe('Normal');
    expect(result.value.spec.storage?.s3?.bucket).toBe('b');
    expect(result.value.metadata.resourceVersion).toBe('7');
  });

  it('normalises quantities to the strings client-node models use', () => {
    const result = parseConfig(valid);
    expect(result.ok && result.value.spec.resources?.requests).toEqual({ cpu: '1', memory: '256Mi' });
  });

  it('defaults the Azure network access to External, as the API server does', () => {
    const result = parseConfig({ ...valid, spec: { replicas: 1, storage: { azure: {} } } });
    expect(result.ok && result.value.spec.storage?.azure?.networkAccess).toEqual({ type: 'External' });
  });

  it('reports every invalid field by path in an error that says what to fix', () => {
    const result = parseConfig({
      ...valid,
      spec: { replicas: -1, routes: [{ name: 'ok' }, { name: 'default-route' }] },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(ApiParseError);
    expect(result.error.issues.map((i) => i.path).sort()).toEqual(['spec.replicas', 'spec.routes[1].name']);
    expect(result.error.message).toMatch(/^Config cluster is invalid: /);
    expect(result.error.message).toContain('spec.replicas: ');
    expect(result.error.message).toContain('spec.routes[1].name: default-route is reserved');
    expect(result.error.cause).toBeDefined();
  });

  it('refuses an object of another kind', () => {
    const result = parseConfig({ ...valid, kind: 'ImagePruner' });
    expect(result.ok ? [] : result.error.issues.map((i) => i.path)).toEqual(['kind']);
  });

  it('refuses something that is not an object at all', () => {
    const result = parseConfig('cluster');
    expect(result.ok ? '' : result.error.message).toMatch(/^Config is invalid: /);
  });
});

describe('parseInfrastructure', () => {
  it('keeps platform fields it does not model, so nothing read from OpenShift is lost', () => {
    const result = parseInfrastructure({
      metadata: { name: 'cluster' },
      spec: {},
      status: {
        platformStatus: { type: 'VSphere', vsphere: { apiServerInternalIPs: ['10.0.0.1'] } },
        infrastructureName: 'c-1',
      },
    });
    if (!result.ok) throw result.error;
    expect(result.value.status?.platformStatus?.type).toBe('VSphere');
    expect(result.value.status?.platformStatus?.['vsphere']).toEqual({ apiServerInternalIPs: ['10.0.0.1'] });
  });
});

describe('formatPath', () => {
  it('writes paths the way kubectl and the API server do', () => {
    expect(formatPath(['spec', 'routes', 1, 'name'])).toBe('spec.routes[1].name');
    expect(formatPath([])).toBe('');
  });
});
