import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = new URL('./mirror-app.ts', import.meta.url).pathname;

/** The mirror app as a real process (Node runs the .ts directly), with its logs and metrics at hand. */
export class AppProcess {
  readonly child: ChildProcess;
  readonly logs: Record<string, unknown>[] = [];
  address: string | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  private constructor(child: ChildProcess) {
    this.child = child;
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        this.logs.push(entry);
        if (entry['msg'] === 'manager started') this.address = String(entry['address']);
      } catch {
        this.logs.push({ raw: line });
      }
    });
    child.stderr?.on('data', (d: Buffer) => this.logs.push({ stderr: d.toString() }));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  }

  static async start(kc: KubeConfig, namespace: string): Promise<AppProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'mirror-app-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kc.exportConfig(), { mode: 0o600 });
    const child = spawn(
      process.execPath,
      [script, `--kubeconfig=${kubeconfig}`, `--namespace=${namespace}`, '--metrics-bind-address=127.0.0.1:0', '--log-level=debug'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const app = new AppProcess(child);
    const deadline = Date.now() + 30_000;
    while (!app.address) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mirror app did not start:\n${JSON.stringify(app.logs.slice(-20), null, 1)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return app;
  }

  /** The sum of one metric's samples whose labels match, scraped from /metrics. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`http://${this.address}/metrics`)).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      const m = /^([a-z_]+)(?:\{(.*)\})? ([0-9.e+-]+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
    }
    return sum;
  }

  isLeader(): Promise<boolean> {
    return this.metric('leader_election_master_status').then((v) => v === 1);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}
