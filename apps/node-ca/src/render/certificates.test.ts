import { describe, expect, it } from 'vitest';
import { renderCertificates, type CertificatesInput } from './certificates.ts';
import { storageCASource } from './storage-ca.ts';

const base: CertificatesInput = {
  namespace: 'openshift-image-registry',
  publishedNamespace: 'openshift-config-managed',
  service: { name: 'image-registry', port: 5000 },
  serviceCA: 'SERVICE-CA',
  additional: undefined,
  storageCA: undefined,
  disableRedirect: false,
};
const svc = 'image-registry.openshift-image-registry.svc..5000';
const local = 'image-registry.openshift-image-registry.svc.cluster.local..5000';

describe('renderCertificates', () => {
  it('puts the service CA under both service hostnames, in both ConfigMaps', () => {
    const r = renderCertificates(base);
    expect(r.certificates.data).toEqual({ [svc]: 'SERVICE-CA', [local]: 'SERVICE-CA' });
    expect(r.certificates.metadata).toEqual({
      name: 'image-registry-certificates',
      namespace: 'openshift-image-registry',
      annotations: { 'openshift.io/owning-component': 'Image Registry' },
    });
    expect(r.published.metadata?.namespace).toBe('openshift-config-managed');
    expect(r.published.data).toEqual(r.certificates.data);
  });

  it('copies additionalTrustedCA verbatim into the bundle only', () => {
    const r = renderCertificates({
      ...base,
      additional: { data: { 'foo.example.com': 'FOO', 'bar.example.com..5000': 'BAR' }, binaryData: { 'bin.example.com': 'QklO' } },
    });
    expect(r.certificates.data).toEqual({ 'bar.example.com..5000': 'BAR', 'foo.example.com': 'FOO', [svc]: 'SERVICE-CA', [local]: 'SERVICE-CA' });
    expect(r.certificates.binaryData).toEqual({ 'bin.example.com': 'QklO' });
    expect(r.published.data).toEqual({ [svc]: 'SERVICE-CA', [local]: 'SERVICE-CA' });
    expect(r.published.binaryData).toBeUndefined();
  });

  it('appends the storage CA to the service keys unless redirects are disabled', () => {
    const r = renderCertificates({ ...base, storageCA: 'STORAGE' });
    expect(r.certificates.data).toEqual({ [svc]: 'SERVICE-CA\nSTORAGE', [local]: 'SERVICE-CA\nSTORAGE', 'storage-ca-bundle.pem': 'STORAGE' });
    expect(r.published.data).toEqual({ [svc]: 'SERVICE-CA\nSTORAGE', [local]: 'SERVICE-CA\nSTORAGE' });
    const noRedirect = renderCertificates({ ...base, storageCA: 'STORAGE', disableRedirect: true });
    expect(noRedirect.certificates.data?.[svc]).toBe('SERVICE-CA');
    expect(noRedirect.certificates.data?.['storage-ca-bundle.pem']).toBe('STORAGE');
  });

  it('has no service keys without the Service or its CA, and no port for 443', () => {
    expect(renderCertificates({ ...base, service: undefined }).certificates.data).toBeUndefined();
    expect(renderCertificates({ ...base, serviceCA: undefined }).certificates.data).toBeUndefined();
    expect(Object.keys(renderCertificates({ ...base, service: { name: 'image-registry', port: 443 } }).certificates.data ?? {})).toEqual([
      'image-registry.openshift-image-registry.svc',
      'image-registry.openshift-image-registry.svc.cluster.local',
    ]);
  });
});

describe('storageCASource', () => {
  const ns = { config: 'openshift-config', managed: 'openshift-config-managed' };
  it('reads the S3 trustedCA, else the cloud CA', () => {
    expect(storageCASource({ spec: { managementState: 'Managed', storage: { s3: { trustedCA: { name: 'minio-ca' } } } } } as never, ns)).toEqual({
      namespace: 'openshift-config',
      name: 'minio-ca',
      key: 'ca-bundle.crt',
      required: true,
      field: 'spec.storage.s3.trustedCA.name',
    });
    expect(storageCASource({ spec: { managementState: 'Managed', storage: { s3: {} } } } as never, ns)?.name).toBe('kube-cloud-config');
  });
  it('has none when Removed, for other backends, or with two backends', () => {
    expect(storageCASource({ spec: { managementState: 'Removed', storage: { s3: {} } } } as never, ns)).toBeUndefined();
    expect(storageCASource({ spec: { managementState: 'Managed', storage: { emptyDir: {} } } } as never, ns)).toBeUndefined();
    expect(storageCASource({ spec: { managementState: 'Managed', storage: { s3: {}, gcs: {} } } } as never, ns)).toBeUndefined();
    expect(storageCASource(undefined, ns)).toBeUndefined();
  });
});
