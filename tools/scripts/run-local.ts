// Runs the system locally: a real control plane, the CRDs, and every implemented app as a plain
// process against it. `--control-plane-only` starts just the control plane. Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { installCrds, kubeRequest, startControlPlane } from '@image-registry/testing';

const root = resolve(import.meta.dirname, '../..');
const localDir = join(root, 'tmp/local');
const controlPlaneOnly = process.argv.includes('--control-plane-only');
const namespace = process.env['IRO_NAMESPACE'] ?? 'openshift-image-registry';

mkdirSync(localDir, { recursive: true });
console.log('starting the control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)…');
const cp = await startControlPlane({ nodes: 2 });
const kubeconfig = join(localDir, 'kubeconfig');
copyFileSync(cp.kubeconfigPath, kubeconfig);

const crds = join(root, 'deploy/crds');
if (existsSync(crds)) console.log(`CRDs installed: ${(await installCrds(cp.kubeConfig, crds)).length}`);
await kubeRequest(cp.kubeConfig, 'POST', '/api/v1/namespaces', {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: namespace },
}).catch(() => undefined);

const apps = new Map<string, ChildProcess>();
if (!controlPlaneOnly) {
  let port = 18080;
  for (const app of readdirSync(join(root, 'apps')).sort()) {
    port += 1;
    const main = join(root, 'apps', app, 'src/main.ts');
    if (!existsSync(main)) continue;
    const log = join(localDir, `${app}.log`);
    const fd = openSync(log, 'w');
    const child = spawn(process.execPath, [main, `--kubeconfig=${kubeconfig}`, `--namespace=${namespace}`, '--leader-elect=false', `--metrics-bind-address=127.0.0.1:${port}`], {
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
