import type { ConfigMapObject } from '../resources.ts';
import { serviceHostKeys } from './service-hosts.ts';

/** The annotation upstream puts on both CA ConfigMaps. */
export const owningComponent = { 'openshift.io/owning-component': 'Image Registry' } as const;
export const storageBundleKey = 'storage-ca-bundle.pem';

export interface CertificatesInput {
  namespace: string;
  /** Where image-registry-ca is published. */
  publishedNamespace: string;
  /** The registry Service's name and first port, when the Service exists. */
  service: { name: string; port: number | undefined } | undefined;
  /** `service-ca.crt` of ConfigMap serviceca, when present. */
  serviceCA: string | undefined;
  /** The additionalTrustedCA ConfigMap's entries, copied verbatim. */
  additional: { data?: Record<string, string>; binaryData?: Record<string, string> } | undefined;
  /** The storage backend's CA bundle, when it has one. */
  storageCA: string | undefined;
  /** `spec.disableRedirect`: clients never follow redirects to storage, so they need not trust it. */
  disableRedirect: boolean;
}

export interface RenderedCertificates {
  /** `image-registry-certificates`: what the registry pods and every node trust. */
  certificates: ConfigMapObject;
  /** `image-registry-ca`: the registry's own CA for other cluster components. */
  published: ConfigMapObject;
}

/**
 * Both CA ConfigMaps (reference/upstream-inventory.md §9.2, §9.3). The service CA goes under both
 * service hostnames; with redirects allowed, the storage CA is appended to them so clients that follow
 * a redirect to storage trust it too. The published copy holds only the registry's own hosts.
 */
export function renderCertificates(input: CertificatesInput): RenderedCertificates {
  const own: Record<string, string> = {};
  if (input.serviceCA && input.service) {
    let pem = input.serviceCA;
    if (input.storageCA && !input.disableRedirect) pem = `${pem}\n${input.storageCA}`;
    for (const key of serviceHostKeys(input.namespace, input.service.name, input.service.port)) own[key] = pem;
  }
  const data: Record<string, string> = { ...(input.additional?.data ?? {}), ...own };
  if (input.storageCA) data[storageBundleKey] = input.storageCA;
  const binaryData = { ...(input.additional?.binaryData ?? {}) };
  const certificates = configMap(input.namespace, 'image-registry-certificates', data, binaryData);
  const published = configMap(input.publishedNamespace, 'image-registry-ca', own, {});
  return { certificates, published };
}

function configMap(namespace: string, name: string, data: Record<string, string>, binaryData: Record<string, string>): ConfigMapObject {
  const cm: ConfigMapObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, annotations: { ...owningComponent } },
  };
  // An empty map is stored as no field at all; sending it would make every later apply look changed.
  if (Object.keys(data).length > 0) cm.data = sorted(data);
  if (Object.keys(binaryData).length > 0) cm.binaryData = sorted(binaryData);
  return cm;
}

const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
