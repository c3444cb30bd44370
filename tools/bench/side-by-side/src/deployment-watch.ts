// A watch on Deployment image-registry recording each event with its arrival time: the reaction figures
// are "request returned → the watch shows the result", as a user's `kubectl get -w` would see it.
import { request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface DeploymentEvent {
  at: number;
  type: string;
  replicas: number | undefined;
}

export interface DeploymentWatch {
  /** The first event at or after `since` matching `pred`. */
  next(
    pred: (e: DeploymentEvent) => boolean,
    since: number,
    what: string,
    timeoutMs?: number,
  ): Promise<DeploymentEvent>;
  close(): void;
}

export async function watchDeployment(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<DeploymentWatch> {
  const events: DeploymentEvent[] = [];
  const waiters = new Set<{ pred: (e: DeploymentEvent) => boolean; resolve: (e: DeploymentEvent) => void }>();
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  let closed = false;
  let current: ReturnType<typeof request> | undefined;
  const path = `/apis/apps/v1/namespaces/${namespace}/deployments?fieldSelector=metadata.name%3D${name}&watch=1`;
  const open = async () => {
    const opts: RequestOptions = {
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': 'side-by-side-bench' },
    };
    await kc.applyToHTTPSOptions(opts);
    const reopen = () => {
      if (!closed) setTimeout(() => void open(), 200);
    };
    current = request(new URL(path, server), opts, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = Date.now();
        buf += chunk;
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (!line.trim()) continue;
          const ev = JSON.parse(line) as { type: string; object?: { spec?: { replicas?: number } } };
          const e = { at, type: ev.type, replicas: ev.object?.spec?.replicas };
          events.push(e);
          for (const w of waiters) {
            if (w.pred(e)) {
              waiters.delete(w);
              w.resolve(e);
            }
          }
        }
      });
      res.on('end', reopen);
    });
    current.on('error', reopen);
    current.end();
  };
  await open();
  return {
    next(pred, since, what, timeoutMs = 120_000) {
      const seen = events.find((e) => e.at >= since && pred(e));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const w = {
          pred: (e: DeploymentEvent) => e.at >= since && pred(e),
          resolve: (e: DeploymentEvent) => {
            clearTimeout(t);
            resolve(e);
          },
        };
        const t = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    close() {
      closed = true;
      current?.destroy();
    },
  };
}
