import { z } from 'zod';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

const proxyValues = {
  httpProxy: z.string().optional().describe('Proxy URL for HTTP requests; empty means none.'),
  httpsProxy: z.string().optional().describe('Proxy URL for HTTPS requests; empty means none.'),
  noProxy: z
    .string()
    .optional()
    .describe('Comma-separated hosts, domains, IPs and CIDRs reached without the proxy.'),
};

export const proxySpec = z
  .object({
    ...proxyValues,
    readinessEndpoints: z.array(z.string()).optional().describe('URLs used to check that the proxy works.'),
    trustedCA: z
      .object({ name: z.string().describe('The ConfigMap name.') })
      .optional()
      .describe(
        'A ConfigMap in openshift-config whose key ca-bundle.crt holds extra CAs to trust for proxied connections.',
      ),
  })
  .describe('The proxy the administrator configured.');

export const proxyStatus = z
  .object({
    httpProxy: proxyValues.httpProxy.describe('The effective HTTP proxy.'),
    httpsProxy: proxyValues.httpsProxy.describe('The effective HTTPS proxy.'),
    noProxy: proxyValues.noProxy.describe(
      'The effective list of hosts reached without the proxy, including cluster-internal ones.',
    ),
  })
  .describe('The proxy settings in effect.');

export const proxy = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Proxy',
  spec: proxySpec,
  status: proxyStatus,
});
export type Proxy = z.infer<typeof proxy>;
