// Runs the system locally: a real control plane, the CRDs, and every app as its own process, each with a
// token of its own ServiceAccount bound to exactly the RBAC in deploy/apps/<app>; then a live view until
// Ctrl-C. `--control-plane-only` starts just the control plane.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  applyYaml,
  installCrds,
  kubeRequest,
  mapNodeHosts,
  realNodePlacement,
  startControlPlane,
  trustRegistry,
} from '@image-registry/testing';
import {
  appRbac,
  controllerApps,
  forbiddenLines,
  provisionApp,
  startApp,
  type AppProcess,
} from '../../e2e/src/system/app-processes.ts';
import { snapshot, startLiveView, waitForCondition } from './local/live-view.ts';
import { startRegistryFront, type RegistryFront } from '../../e2e/src/system/registry-front.ts';

const root = resolve(import.meta.dirname, '../..');
const localDir = join(root, 'tmp/local');
const controlPlaneOnly = process.argv.includes('--control-plane-only');
// On platform None the operator bootstraps a Removed registry (as upstream). Locally we want a running one,
// so we create the Config first (the operator never overwrites an existing one); --bootstrap skips that.
const letOperatorBootstrap = process.argv.includes('--bootstrap');
// --real-node: one real node (containerd, kubelet, kube-proxy in namespaces of their own; needs root) runs the
// registry from the images built here; the kwok nodes stay for everything else.
const withRealNode = process.argv.includes('--real-node');
// --once: exit 0 once the ClusterOperator is Available and nothing was refused (403), else 1 (a smoke check).
const once = process.argv.includes('--once');
const namespace = process.env['IRO_NAMESPACE'] ?? 'openshift-image-registry';

mkdirSync(localDir, { recursive: true });
const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
console.log(
  'starting the control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)…',
);
if (withRealNode) console.log('…and a real node; the first run builds every image (tools/images/build.sh)');
const cp = await startControlPlane({ nodes: 2, realNode: withRealNode });
const realNode = cp.realNode?.handle;
const kubeconfig = join(localDir, 'kubeconfig');
copyFileSync(cp.kubeconfigPath, kubeconfig);
console.log(`control plane up after ${since()}`);

const crds = join(root, 'deploy/crds');
if (existsSync(crds)) console.log(`CRDs installed: ${(await installCrds(cp.kubeConfig, crds)).length}`);
// The namespaces deploy/base ships (the operand's and openshift-config, which the apps' Roles name).
const namespaces = readFileSync(join(root, 'deploy/base/namespace.yaml'), 'utf8').replaceAll(
  'openshift-image-registry',
  namespace,
);
await applyYaml(cp.kubeConfig, namespaces, { fieldManager: 'local-run' });

if (!controlPlaneOnly && !letOperatorBootstrap) {
  await applyYaml(
    cp.kubeConfig,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: {
        managementState: 'Managed',
        replicas: 1,
        storage: { emptyDir: {} },
        ...(realNode ? realNodePlacement(realNode) : {}),
      },
    },
    { fieldManager: 'local-run' },
  );
  console.log(
    'Config/cluster: Managed, 1 replica, emptyDir storage (pass --bootstrap to let the operator decide)',
  );
}

// The components are detached child processes: keep this one alive until Ctrl-C.
const keepAlive = setInterval(() => undefined, 1 << 30);
const apps = new Map<string, AppProcess>();
let front: RegistryFront | undefined;
const watchExit = (p: AppProcess) => {
  apps.set(p.app, p);
  console.log(`${p.app}: pid ${p.child.pid}, /metrics on 127.0.0.1:${p.metricsPort}, log ${p.log}`);
  p.child.on('exit', (code, signal) => {
    apps.delete(p.app);
    if (!stopping) console.log(`${p.app}: exited with ${code ?? signal} (log: ${p.log})`);
  });
};
let stopping = false;
if (!controlPlaneOnly) {
  let port = 18080;
  for (const app of controllerApps(root)) {
    port += 1;
    // On the real node the registry pod runs the images built here (its default images cannot be pulled).
    const imageFlags: Record<string, string[]> = realNode
      ? {
          'registry-workload': [
            `--registry-image=${realNode.images['registry']}`,
            `--registry-auth-image=${realNode.images['registry-auth']}`,
          ],
          'node-ca': [`--node-ca-image=${realNode.images['node-ca']}`],
        }
      : {};
    const appKubeconfig = await provisionApp(cp.kubeConfig, root, app, namespace);
    watchExit(
      startApp({
        root,
        app,
        kubeconfig: appKubeconfig,
        logDir: localDir,
        metricsPort: port,
        args: [`--namespace=${namespace}`, '--leader-elect=true', ...(imageFlags[app] ?? [])],
      }),
    );
  }
  console.log(
    `${apps.size} apps started after ${since()}, each as its own ServiceAccount (deploy/apps/<app>/rbac.yaml)`,
  );
  if (!realNode) {
    // registry-auth's RBAC binds the registry pod's ServiceAccount, which registry-workload creates.
    await applyYaml(cp.kubeConfig, appRbac(root, 'registry-auth', namespace), { fieldManager: 'local-run' });
    front = await startRegistryFront({
      admin: cp.kubeConfig,
      root,
      namespace,
      dir: join(localDir, 'registry'),
      metricsPort: port + 1,
    });
    watchExit(front.auth);
  }
}

const footer = () => `
In another shell:

  export KUBECONFIG=${kubeconfig}
  export PATH=${cp.binDir}:$PATH
  kubectl get clusteroperator image-registry
  kubectl get configs.imageregistry.operator.openshift.io cluster -o yaml
  kubectl -n ${namespace} get pods
${front ? `  # the registry through registry-auth (a ServiceAccount token as the password):\n  skopeo copy --dest-cert-dir=${join(localDir, 'registry')} --dest-creds=x:$(kubectl -n ${namespace} create token default) oci-archive:IMAGE docker://${front.address}/${namespace}/name:tag\n` : ''}
apps: ${[...apps.keys()].join(', ') || 'none'}; logs in ${localDir}/<app>.log. Ctrl-C stops everything.`;

if (!controlPlaneOnly) {
  const kubectl = join(cp.binDir, 'kubectl');
  const available = await waitForCondition({ kubectl, kubeconfig }, 'Available', 'True', 180_000);
  console.log(
    available
      ? `ClusterOperator image-registry Available after ${since()}`
      : "ClusterOperator image-registry is not Available after 180 s: see the view below and the apps' logs",
  );
  if (realNode) await trustOnRealNode(realNode);
  if (once) {
    // The steady state an admin expects: Available, not Progressing, not Degraded.
    const settled =
      available &&
      (await waitForCondition({ kubectl, kubeconfig }, 'Progressing', 'False', 120_000)) &&
      (await waitForCondition({ kubectl, kubeconfig }, 'Degraded', 'False', 60_000));
    console.log(`\n${await snapshot({ kubectl, kubeconfig, namespace })}\n`);
    const refused = [...apps.values()].flatMap((p) => forbiddenLines(p.log).map((l) => `${p.app}: ${l}`));
    for (const l of refused) console.log(`refused: ${l}`);
    console.log(`${apps.size} apps running, ${refused.length} refused (403) log lines`);
    await stop(
      settled && refused.length === 0 && apps.size === controllerApps(root).length + (front ? 1 : 0) ? 0 : 1,
    );
  }
  startLiveView({ kubectl, kubeconfig, namespace, footer });
} else {
  console.log(footer());
}

/**
 * What node-ca's agent does on a real cluster, done by the harness until its DaemonSet runs here: the node
 * resolves the registry's Service name and trusts its CA for pulls.
 */
async function trustOnRealNode(node: NonNullable<typeof realNode>): Promise<void> {
  try {
    const svc = await kubeRequest<{ spec: { clusterIP: string } }>(
      cp.kubeConfig,
      'GET',
      `/api/v1/namespaces/${namespace}/services/image-registry`,
    );
    const cm = await kubeRequest<{ data?: Record<string, string> }>(
      cp.kubeConfig,
      'GET',
      `/api/v1/namespaces/${namespace}/configmaps/serviceca`,
    );
    const host = `image-registry.${namespace}.svc`;
    await mapNodeHosts(node, { [svc.spec.clusterIP]: [host, `${host}.cluster.local`] });
    await trustRegistry(node, `${host}:5000`, cm.data?.['service-ca.crt'] ?? '');
    console.log(
      `\nreal node ${node.name}: pulls from ${host}:5000 trust the registry CA; enter its namespaces with\n  ${node.enter.join(' ')} sh`,
    );
  } catch (err) {
    console.log(
      `\nreal node ${node.name}: could not set up registry trust yet (${(err as Error).message.split('\n')[0]})`,
    );
  }
}

async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(keepAlive);
  console.log('\nstopping…');
  front?.stop();
  for (const p of apps.values()) p.child.kill('SIGTERM');
  await cp.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
