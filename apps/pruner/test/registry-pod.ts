import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeRequest, KubeRequestError, startRegistry, type Registry } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface DeploymentView {
  spec: {
    template: {
      spec: {
        volumes?: { name: string; secret?: { secretName: string } }[];
        containers: { name: string; env?: EnvVar[]; volumeMounts?: { name: string; mountPath: string }[] }[];
      };
    };
  };
}

/**
 * What a kubelet and a Service would do for the registry Deployment, on loopback: runs the real
 * registry binary with the `registry` container's environment as rendered (secrets and mounted secret
 * files materialised into a private folder), restarts it whenever that environment changes (the old
 * process is gone before the new one starts, like a Recreate rollout), and keeps one stable address in
 * front of whichever process is current.
 */
export class RegistryPod {
  private current: Registry | undefined;
  private currentEnv = '';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private readonly dir = mkdtempSync(join(tmpdir(), 'iro-registry-pod-'));
  private stopped = false;
  address = '';
  /** How many registry processes were started (one per distinct environment). */
  starts = 0;

  private readonly kc: KubeConfig;
  private readonly namespace: string;

  constructor(kc: KubeConfig, namespace: string) {
    this.kc = kc;
    this.namespace = namespace;
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.once('close', () => this.sockets.delete(client));
      const target = this.current?.address;
      if (!target) {
        client.destroy();
        return;
      }
      const [host, port] = target.split(':');
      const upstream = connect(Number(port), host ?? '127.0.0.1');
      this.sockets.add(upstream);
      upstream.once('close', () => this.sockets.delete(upstream));
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    this.address = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    const tick = () => {
      this.syncing = this.syncing.then(() => this.sync()).catch(() => undefined);
      if (!this.stopped) this.timer = setTimeout(tick, 300);
    };
    tick();
  }

  /** The registry's log so far (all processes). */
  logs(): string {
    return this.current?.logs() ?? '';
  }

  private async sync(): Promise<void> {
    let d: DeploymentView;
    try {
      d = await kubeRequest<DeploymentView>(this.kc, 'GET', `/apis/apps/v1/namespaces/${this.namespace}/deployments/image-registry`);
    } catch (err) {
      if (err instanceof KubeRequestError && err.status === 404) return;
      throw err;
    }
    const env = await this.materialise(d);
    const key = JSON.stringify(env);
    if (key === this.currentEnv) return;
    await this.current?.stop();
    this.current = undefined;
    this.current = await startRegistry({ env, timeoutMs: 60_000 });
    this.currentEnv = key;
    this.starts++;
  }

  private async materialise(d: DeploymentView): Promise<Record<string, string>> {
    const pod = d.spec.template.spec;
    const container = pod.containers.find((c) => c.name === 'registry');
    const secrets = new Map<string, Record<string, string>>();
    const secret = async (name: string) => {
      if (!secrets.has(name)) {
        const s = await kubeRequest<{ data?: Record<string, string> }>(this.kc, 'GET', `/api/v1/namespaces/${this.namespace}/secrets/${name}`);
        secrets.set(name, s.data ?? {});
      }
      return secrets.get(name) ?? {};
    };
    const mounts: { path: string; secretName: string }[] = [];
    for (const m of container?.volumeMounts ?? []) {
      const v = pod.volumes?.find((x) => x.name === m.name);
      if (v?.secret) mounts.push({ path: m.mountPath.replace(/\/$/, ''), secretName: v.secret.secretName });
    }
    const env: Record<string, string> = {};
    for (const e of container?.env ?? []) {
      if (e.valueFrom?.secretKeyRef) {
        const data = await secret(e.valueFrom.secretKeyRef.name);
        const v = data[e.valueFrom.secretKeyRef.key];
        if (v !== undefined) env[e.name] = Buffer.from(v, 'base64').toString('utf8');
      } else if (e.value !== undefined) {
        const mount = mounts.find((m) => e.value?.startsWith(`${m.path}/`));
        if (mount) {
          const key = e.value.slice(mount.path.length + 1);
          const data = await secret(mount.secretName);
          const file = join(this.dir, key);
          writeFileSync(file, Buffer.from(data[key] ?? '', 'base64'), { mode: 0o600 });
          env[e.name] = file;
        } else {
          env[e.name] = e.value;
        }
      }
    }
    return env;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.syncing;
    await this.current?.stop();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
