// Runs the system locally: a real control plane, the CRDs, and every implemented app as a plain
// process against it. `--control-plane-only` starts just the control plane. Ctrl-C stops everything.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyYaml, installCrds, kubeRequest, mapNodeHosts, realNodePlacement, startControlPlane, trustRegistry } from '@image-registry/testing';

const root = resolve(import.meta.dirname, '../..');
const localDir = join(root, 'tmp/local');
const controlPlaneOnly = process.argv.includes('--control-plane-only');
// On platform None the operator bootstraps a Removed registry (as upstream). Locally we want a running one,
// so we create the Config first (the operator never overwrites an existing one); --bootstrap skips that.
const letOperatorBootstrap = process.argv.includes('--bootstrap');
// --real-node: one real node (containerd, kubelet, kube-proxy in namespaces of their own; needs root) runs the
// registry from the images built here; the kwok nodes stay for everything else.
const withRealNode = process.argv.includes('--real-node');
const namespace = process.env['IRO_NAMESPACE'] ?? 'openshift-image-registry';

mkdirSync(localDir, { recursive: true });
console.log('starting the control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)…');
if (withRealNode) console.log('…and a real node; the first run builds every image (tools/images/build.sh)');
const cp = await startControlPlane({ nodes: 2, realNode: withRealNode });
const realNode = cp.realNode?.handle;
const kubeconfig = join(localDir, 'kubeconfig');
copyFileSync(cp.kubeconfigPath, kubeconfig);

const crds = join(root, 'deploy/crds');
if (existsSync(crds)) console.log(`CRDs installed: ${(await installCrds(cp.kubeConfig, crds)).length}`);
await kubeRequest(cp.kubeConfig, 'POST', '/api/v1/namespaces', {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: namespace },
}).catch(() => undefined);

if (!controlPlaneOnly && !letOperatorBootstrap) {
  await applyYaml(
    cp.kubeConfig,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} }, ...(realNode ? realNodePlacement(realNode) : {}) },
    },
    { fieldManager: 'local-run' },
  );
  console.log('Config/cluster: Managed, 1 replica, emptyDir storage (pass --bootstrap to let the operator decide)');
}

const apps = new Map<string, ChildProcess>();
if (!controlPlaneOnly) {
  let port = 18080;
  for (const app of readdirSync(join(root, 'apps')).sort()) {
    port += 1;
    const main = join(root, 'apps', app, 'src/main.ts');
    if (!existsSync(main)) continue;
    const log = join(localDir, `${app}.log`);
    const fd = openSync(log, 'w');
    // On the real node the registry pod runs the images built here (its default images cannot be pulled).
    const imageFlags: Record<string, string[]> = realNode
      ? {
          'registry-workload': [`--registry-image=${realNode.images['registry']}`, `--registry-auth-image=${realNode.images['registry-auth']}`],
          'node-ca': [`--node-ca-image=${realNode.images['node-ca']}`],
        }
      : {};
    const extra = imageFlags[app] ?? [];
    const child = spawn(process.execPath, [main, `--kubeconfig=${kubeconfig}`, `--namespace=${namespace}`, '--leader-elect=false', `--metrics-bind-address=127.0.0.1:${port}`, ...extra], {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
    apps.set(app, child);
    console.log(`${app}: pid ${child.pid}, /metrics on 127.0.0.1:${port}, log ${log}`);
    child.on('exit', (code) => {
      apps.delete(app);
      console.log(`${app}: exited with ${code} (log: ${log})`);
    });
  }
}

// Once the apps have had a chance to converge, show what an admin would look at first.
if (!controlPlaneOnly) {
  const kubectl = (...args: string[]) =>
    execFileSync(join(cp.binDir, 'kubectl'), [`--kubeconfig=${kubeconfig}`, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const deadline = Date.now() + 120_000;
  let available = '';
  while (Date.now() < deadline && available !== 'True') {
    await new Promise((r) => setTimeout(r, 2_000));
    try {
      available = kubectl('get', 'clusteroperator', 'image-registry', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}');
    } catch {
      available = '';
    }
  }
  const show = (title: string, ...args: string[]) => {
    try {
      console.log(`\n$ kubectl ${args.join(' ')}   # ${title}\n${kubectl(...args).trimEnd()}`);
    } catch (err) {
      console.log(`\n${title}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  show('the one-line health', 'get', 'clusteroperator', 'image-registry');
  show(
    'what each app reports',
    'get', 'configs.imageregistry.operator.openshift.io', 'cluster',
    '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\\n"}{end}',
  );
  show('the registry', '-n', namespace, 'get', 'deployments,pods,services');
  if (realNode) await trustOnRealNode(realNode);
}

/**
 * What node-ca's agent does on a real cluster, done by the harness until its DaemonSet runs here: the node
 * resolves the registry's Service name and trusts its CA for pulls.
 */
async function trustOnRealNode(node: NonNullable<typeof realNode>): Promise<void> {
  try {
    const svc = await kubeRequest<{ spec: { clusterIP: string } }>(cp.kubeConfig, 'GET', `/api/v1/namespaces/${namespace}/services/image-registry`);
    const cm = await kubeRequest<{ data?: Record<string, string> }>(cp.kubeConfig, 'GET', `/api/v1/namespaces/${namespace}/configmaps/serviceca`);
    const host = `image-registry.${namespace}.svc`;
    await mapNodeHosts(node, { [svc.spec.clusterIP]: [host, `${host}.cluster.local`] });
    await trustRegistry(node, `${host}:5000`, cm.data?.['service-ca.crt'] ?? '');
    console.log(`\nreal node ${node.name}: pulls from ${host}:5000 trust the registry CA; enter its namespaces with\n  ${node.enter.join(' ')} sh`);
  } catch (err) {
    console.log(`\nreal node ${node.name}: could not set up registry trust yet (${(err as Error).message.split('\n')[0]})`);
  }
}

console.log(`
The control plane is up. In another shell:

  export KUBECONFIG=${kubeconfig}
  export PATH=${cp.binDir}:$PATH
  kubectl get nodes
  kubectl get clusteroperator image-registry
  kubectl get configs.imageregistry.operator.openshift.io cluster -o yaml
  kubectl -n ${namespace} get pods

Ctrl-C stops everything.`);

// The components are detached child processes: keep this one alive until Ctrl-C.
const keepAlive = setInterval(() => undefined, 1 << 30);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(keepAlive);
  console.log('\nstopping…');
  for (const child of apps.values()) child.kill('SIGTERM');
  await cp.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
