import * as z from 'zod/mini';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

const proxyValues = {
  httpProxy: z.optional(z.string()).check(z.describe('Proxy URL for HTTP requests; empty means none.')),
  httpsProxy: z.optional(z.string()).check(z.describe('Proxy URL for HTTPS requests; empty means none.')),
  noProxy: z
    .optional(z.string())
    .check(z.describe('Comma-separated hosts, domains, IPs and CIDRs reached without the proxy.')),
};

export const proxySpec = z
  .object({
    ...proxyValues,
    readinessEndpoints: z
      .optional(z.array(z.string()))
      .check(z.describe('URLs used to check that the proxy works.')),
    trustedCA: z
      .optional(z.object({ name: z.string().check(z.describe('The ConfigMap name.')) }))
      .check(
        z.describe(
          'A ConfigMap in openshift-config whose key ca-bundle.crt holds extra CAs to trust for proxied connections.',
        ),
      ),
  })
  .check(z.describe('The proxy the administrator configured.'));

export const proxyStatus = z
  .object({
    httpProxy: proxyValues.httpProxy.check(z.describe('The effective HTTP proxy.')),
    httpsProxy: proxyValues.httpsProxy.check(z.describe('The effective HTTPS proxy.')),
    noProxy: proxyValues.noProxy.check(
      z.describe('The effective list of hosts reached without the proxy, including cluster-internal ones.'),
    ),
  })
  .check(z.describe('The proxy settings in effect.'));

export const proxy = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Proxy',
  spec: proxySpec,
  status: proxyStatus,
});
export type Proxy = z.infer<typeof proxy>;
