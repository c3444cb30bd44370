// The whole system on a control plane: the namespaces deploy/base ships and every app as its own process,
// each with its own ServiceAccount and the RBAC in deploy/apps/<app> (registry-auth in front of the registry).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { applyYaml, freePort, shortLeaseFlags } from '@image-registry/testing';
import {
  appRbac,
  controllerApps,
  forbiddenLines,
  provisionApp,
  startApp,
  type AppProcess,
} from './app-processes.ts';
import { ready } from './faults.ts';
import { startRegistryFront, type RegistryFront } from './registry-front.ts';

export interface System {
  apps: Map<string, AppProcess>;
  front: RegistryFront;
  /** Every log line in which the API server refused an app (403). */
  refused(): string[];
  /** Stops a controller app (SIGTERM) and starts it again with `env` added, as a Deployment rollout would. */
  restart(app: string, env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

function exited(p: AppProcess): Promise<void> {
  return new Promise((resolve) =>
    p.child.exitCode !== null || p.child.signalCode !== null
      ? resolve()
      : p.child.once('exit', () => resolve()),
  );
}

export async function startSystem(o: {
  admin: KubeConfig;
  root: string;
  namespace: string;
  logDir: string;
  args?: Record<string, string[]>;
}): Promise<System> {
  mkdirSync(o.logDir, { recursive: true });
  const namespaces = readFileSync(join(o.root, 'deploy/base/namespace.yaml'), 'utf8').replaceAll(
    'openshift-image-registry',
    o.namespace,
  );
  await applyYaml(o.admin, namespaces, { fieldManager: 'e2e' });
  const apps = new Map<string, AppProcess>();
  for (const app of controllerApps(o.root)) {
    const kubeconfig = await provisionApp(o.admin, o.root, app, o.namespace);
    const p = startApp({
      root: o.root,
      app,
      kubeconfig,
      logDir: o.logDir,
      metricsPort: await freePort(),
      // A short Lease (the shipped one is 137 s): the fault tests SIGKILL apps, and a restarted one takes over at once.
      args: [`--namespace=${o.namespace}`, '--leader-elect=true', ...shortLeaseFlags, ...(o.args?.[app] ?? [])],
    });
    apps.set(app, p);
  }
  let front: RegistryFront;
  try {
    await applyYaml(o.admin, appRbac(o.root, 'registry-auth', o.namespace), { fieldManager: 'e2e' });
    front = await startRegistryFront({
      admin: o.admin,
      root: o.root,
      namespace: o.namespace,
      dir: join(o.logDir, 'registry'),
      metricsPort: await freePort(),
    });
  } catch (err) {
    // No app may outlive a setup that failed.
    for (const p of apps.values()) p.child.kill('SIGKILL');
    throw err;
  }
  apps.set('registry-auth', front.auth);
  return {
    apps,
    front,
    refused: () => [...apps.values()].flatMap((p) => forbiddenLines(p.log).map((l) => `${p.app}: ${l}`)),
    restart: async (app, env) => {
      const p = apps.get(app);
      if (!p || app === 'registry-auth')
        throw new Error(`no controller app ${app}; known: ${[...apps.keys()].join(', ')}`);
      p.child.kill('SIGTERM');
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 30_000);
      await exited(p);
      clearTimeout(timer);
      const next = startApp({ ...p.options, env: { ...env }, append: true });
      apps.set(app, next);
      // As a rollout waits for the new pod's readiness: a test that scrapes the app next finds it listening.
      await ready(next, 120_000);
    },
    stop: async () => {
      front.stop();
      const exits = [...apps.values()].map(exited);
      for (const p of apps.values()) p.child.kill('SIGTERM');
      await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 30_000))]);
      for (const p of apps.values()) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    },
  };
}
