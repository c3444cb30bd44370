// The app as a process, as a Deployment runs it: API discovery picks Routes or Ingresses, and when
// the Route API appears or goes away the app drains and exits 0 for the Deployment to restart it.
import { join } from 'node:path';
import {
  createTestNamespace,
  installCrds,
  kubeRequest,
  testKubeConfig,
  testKubeconfigPath,
  workspaceRoot,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnRoutesApp, type AppProcess } from './process.ts';
import { applyConfig, deleteSingletons, imageStatus, ingressesPath, listNames, reportIngressAddress, routesPath } from './support.ts';

const poll = { timeout: 90_000, interval: 250 };
const routeCrd = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/routes.route.openshift.io';

let kc: KubeConfig;
let proc: AppProcess | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

afterEach(async () => {
  await proc?.stop();
  proc = undefined;
  await installCrds(kc, join(workspaceRoot(), 'deploy/crds'));
  await deleteSingletons(kc);
});

describe('the routes app process', () => {
  it('uses Routes while the Route API is served, then restarts itself to use Ingresses when it goes away', async () => {
    await deleteSingletons(kc);
    const ns = await createTestNamespace(kc, 'routes-proc');
    await applyConfig(kc, { defaultRoute: true });
    proc = spawnRoutesApp(testKubeconfigPath(), [
      `--namespace=${ns}`,
      '--metrics-bind-address=0',
      '--api-discovery-interval=1s',
      '--default-route-domain=apps.example.test',
    ]);
    await expect.poll(() => proc?.output() ?? '', poll).toContain('exposing the registry with Routes');
    await expect.poll(() => listNames(kc, routesPath(ns)), poll).toEqual(['default-route']);

    await kubeRequest(kc, 'DELETE', routeCrd);
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain('switching to Ingresses');

    // What the Deployment does next: start it again.
    proc = spawnRoutesApp(testKubeconfigPath(), [
      `--namespace=${ns}`,
      '--metrics-bind-address=0',
      '--api-discovery-interval=1s',
      '--default-route-domain=apps.example.test',
    ]);
    await expect.poll(() => proc?.output() ?? '', poll).toContain('exposing the registry with Ingresses');
    await expect.poll(() => listNames(kc, ingressesPath(ns)), poll).toEqual(['default-route']);
    await reportIngressAddress(kc, ns, 'default-route');
    await expect
      .poll(async () => (await imageStatus(kc))?.externalRegistryHostnames, poll)
      .toEqual([`default-route-${ns}.apps.example.test`]);

    // And back when the Route API is installed again.
    await installCrds(kc, join(workspaceRoot(), 'deploy/crds'));
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain('switching to Routes');
  });

  it('refuses a bad flag with a message naming it', async () => {
    proc = spawnRoutesApp(testKubeconfigPath(), ['--route-api=gateway', '--metrics-bind-address=0']);
    expect(await proc.exited).not.toBe(0);
    expect(proc.output()).toContain('--route-api must be auto, route or ingress');
  });
});
