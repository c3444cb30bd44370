// Real traffic: skopeo pushes and pulls through a real ingress controller (Traefik, watching this
// API server) to the real registry pod (registry binary behind registry-auth), by the hosts the
// routes app published: the default route (the controller's wildcard certificate) and a custom
// route with its own certificate. Every address is on loopback; hosts resolve to Traefik's listener
// through skopeo's `resolve`.
//
// The first run builds Traefik (tools/ingress/build.sh, cached); IRO_TRAFFIC_TESTS=0 skips this file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyYaml,
  createServingCertificate,
  createTestNamespace,
  createTinyImage,
  kubeRequest,
  ociManifestDigest,
  skopeoCopy,
  testKubeConfig,
  testKubeconfigPath,
  writeCaCertDir,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe as vitestDescribe, expect, it } from 'vitest';
import { startRegistryPod, type RegistryPod } from './registry-front.ts';
import { adminManager, applyConfig, createTlsSecret, deleteSingletons, imageStatus, startRoutesApp, type RunningApp } from './support.ts';
import { ensureTraefik, startTraefik, type Traefik } from './traefik.ts';

const enabled = process.env['IRO_TRAFFIC_TESTS'] !== '0';
const describe = vitestDescribe.runIf(enabled);
const domain = 'apps.iro.test';
/** A loopback address of the registry pod's own, so it can listen on the Service port 5000. */
const podHost = '127.0.0.10';
const customHost = 'registry.example.test';
const poll = { timeout: 120_000, interval: 500 };

let kc: KubeConfig;
let ns: string;
let pod: RegistryPod | undefined;
let traefik: Traefik | undefined;
let app: RunningApp | undefined;
let defaultHost: string;
let trust: string;
let token: string;
const tmp = () => mkdtempSync(join(tmpdir(), 'iro-traffic-'));

beforeAll(async () => {
  if (!enabled) return;
  kc = testKubeConfig();
  const bin = await ensureTraefik();
  await deleteSingletons(kc);
  ns = await createTestNamespace(kc, 'traffic');
  defaultHost = `default-route-${ns}.${domain}`;
  pod = await startRegistryPod(kc, ns, { host: podHost, port: 5000 });

  // The registry Service points at the pod's loopback listener. An EndpointSlice may not name a loopback
  // address (the API server refuses it), so the Service is an ExternalName to a loopback IP of its own.
  await applyYaml(
    kc,
    [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'image-registry',
          namespace: ns,
          // Traefik re-encrypts to a backend only when told so (README: Traefik).
          annotations: { 'traefik.ingress.kubernetes.io/service.serversscheme': 'https' },
        },
        spec: { type: 'ExternalName', externalName: podHost, ports: [{ name: '5000-tcp', port: 5000, protocol: 'TCP', targetPort: 5000 }] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: `traefik-${ns}` },
        spec: { controller: 'traefik.io/ingress-controller' },
      },
    ],
    { fieldManager: adminManager },
  );

  // The controller's default certificate (a wildcard for the apps domain) and the custom route's own.
  const wildcard = await createServingCertificate({ dnsNames: [`*.${domain}`], ipAddresses: [] });
  const custom = await createServingCertificate({ dnsNames: [customHost], ipAddresses: [] });
  await createTlsSecret(kc, ns, 'custom-tls', { 'tls.crt': custom.cert, 'tls.key': custom.key });
  const dir = tmp();
  writeCaCertDir(dir, `${wildcard.caCert}\n${custom.caCert}`);
  trust = dir;

  traefik = await startTraefik({ bin, kubeconfig: testKubeconfigPath(), namespace: ns, backendCaFile: pod.caFile, defaultCert: wildcard });
  app = await startRoutesApp(kc, {
    namespace: ns,
    backend: 'Ingress',
    domain,
    ingressClassName: `traefik-${ns}`,
    annotations: {
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      'traefik.ingress.kubernetes.io/router.tls': 'true',
    },
  });

  // A pusher: the namespace's default ServiceAccount with system:image-pusher there.
  await kubeRequest(kc, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    metadata: { name: 'pusher' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-pusher' },
    subjects: [{ kind: 'ServiceAccount', namespace: ns, name: 'default' }],
  });
  const tr = await kubeRequest<{ status: { token: string } }>(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts/default/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  token = tr.status.token;
}, 1_200_000);

afterAll(async () => {
  if (!enabled) return;
  await app?.stop();
  await traefik?.stop();
  await pod?.stop();
  await kubeRequest(kc, 'DELETE', `/apis/networking.k8s.io/v1/ingressclasses/traefik-${ns}`).catch(() => undefined);
  await deleteSingletons(kc);
});

const via = () => ({ [`${defaultHost}:443`]: traefik?.address ?? '', [`${customHost}:443`]: traefik?.address ?? '' });

describe('traffic through a real ingress controller', () => {
  it('publishes both hosts once Traefik serves them, then pushes by the default route and pulls by the custom one', async () => {
    await applyConfig(kc, { defaultRoute: true, routes: [{ name: 'custom', hostname: customHost, secretName: 'custom-tls' }] });
    await expect
      .poll(async () => (await imageStatus(kc))?.externalRegistryHostnames, poll)
      .toEqual([defaultHost, customHost]);

    const image = createTinyImage(tmp(), { tag: 'v1', content: 'through the route\n' });
    await expect
      .poll(
        () =>
          skopeoCopy(image.ref, `docker://${defaultHost}/${ns}/app:v1`, { caCertDir: trust, resolve: via(), creds: { dst: `<token>:${token}` } })
            .then(() => 'pushed')
            .catch((err: Error) => err.message),
        { timeout: 60_000, interval: 1000 },
      )
      .toBe('pushed');

    // The custom host's certificate is its own: the controller's wildcard does not cover it. Traefik loads
    // that Secret on its own schedule (seconds later on a busy machine), so wait until it serves it.
    const out = tmp();
    await expect
      .poll(
        () =>
          skopeoCopy(`docker://${customHost}/${ns}/app:v1`, `oci:${out}:v1`, { caCertDir: trust, resolve: via(), creds: { src: `<token>:${token}` } })
            .then(() => 'pulled')
            .catch((err: Error) => err.message),
        { timeout: 60_000, interval: 1000 },
      )
      .toBe('pulled');
    expect(ociManifestDigest(out, 'v1')).toBe(image.manifestDigest);
  });

  it('applies registry-auth’s credential rules through the route: no anonymous push, no push outside the grant', async () => {
    const image = createTinyImage(tmp(), { tag: 'v2' });
    await expect(
      skopeoCopy(image.ref, `docker://${customHost}/${ns}/anon:v2`, { caCertDir: trust, resolve: via() }),
    ).rejects.toThrow(/unauthorized|authentication required|401/i);
    await expect(
      skopeoCopy(image.ref, `docker://${defaultHost}/kube-system/app:v2`, {
        caCertDir: trust,
        resolve: via(),
        creds: { dst: `<token>:${token}` },
      }),
    ).rejects.toThrow(/denied|forbidden|403/i);
  });
});
