// One system measured on the shared control plane: cold start, Removed → Managed cycles, two series of
// replicas changes, then idle windows. Each figure is what a user would see with kubectl and `ps`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCrds, kubeRequest } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { totalTraffic, trafficByClient, type AuditEvent, type AuditLog, type Traffic } from './audit-log.ts';
import { watchDeployment, type DeploymentWatch } from './deployment-watch.ts';
import type { BenchOptions } from './options.ts';
import { idleWindows } from './idle.ts';
import { alive, peakMiB, privateMiB, rssMiB, type Proc } from './processes.ts';
import type { ChangeSeries, ProcessFigures, SystemResult } from './results.ts';
import { traceLines } from './trace.ts';

export interface Running {
  procs: Proc[];
  /** Starts what needs the Deployment first (registry-auth needs its pair). */
  afterDeployment(): Promise<void>;
  stop(): Promise<void>;
}

export interface PhaseSystem {
  name: string;
  label: string;
  crdDir: string;
  /** The sending client's name, or undefined when the request is not this system's. */
  client(userAgent: string): string | undefined;
  prepare(kc: KubeConfig): Promise<void>;
  start(): Promise<Running>;
}

const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (m: string) => console.error(`${new Date().toISOString().slice(11, 19)} side-by-side: ${m}`);
/** Lease renewals are idle cost, counted there; a change's cost is what the change itself caused. */
const notLease = (e: AuditEvent) => e.objectRef?.resource !== 'leases';

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

interface Ctx {
  kc: KubeConfig;
  o: BenchOptions;
  sys: PhaseSystem;
  watch: DeploymentWatch;
  audit: AuditLog;
  events: AuditEvent[];
  /** Reactions to trace: what happened between a PATCH and the Deployment's event. */
  traces: { name: string; from: number; to: number }[];
}

const patchConfig = (kc: KubeConfig, spec: Record<string, unknown>) =>
  kubeRequest(kc, 'PATCH', configPath, { spec }, 'application/merge-patch+json');

async function ready(c: Ctx, replicas: number): Promise<void> {
  const path = `/apis/apps/v1/namespaces/${c.o.namespace}/deployments/image-registry`;
  await until(`Deployment image-registry ready with ${replicas} replica(s)`, 180_000, async () => {
    const d = await kubeRequest<{
      metadata: { generation: number };
      spec: { replicas: number };
      status?: Record<string, number>;
    }>(c.kc, 'GET', path);
    const s = d.status ?? {};
    return (
      d.spec.replicas === replicas &&
      s['readyReplicas'] === replicas &&
      s['updatedReplicas'] === replicas &&
      s['observedGeneration'] === d.metadata.generation
    );
  });
}

async function removedCycles(c: Ctx): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < c.o.removedCycles; i++) {
    const t0 = Date.now();
    await patchConfig(c.kc, { managementState: 'Removed' });
    await c.watch.next((e) => e.type === 'DELETED', t0, 'the Deployment deleted after Removed');
    await sleep(5_000);
    const sent = Date.now();
    await patchConfig(c.kc, { managementState: 'Managed' });
    const returned = Date.now();
    const added = await c.watch.next(
      (e) => e.type === 'ADDED',
      sent,
      'the Deployment re-created after Managed',
    );
    samples.push(added.at - returned);
    await ready(c, 1);
    await sleep(3_000);
  }
  return samples;
}

async function changeSeries(
  c: Ctx,
  gapMs: number,
): Promise<{ series: ChangeSeries; byClient: Map<string, Traffic> }> {
  const latencies: number[] = [];
  const from = Date.now();
  for (let i = 1; i <= c.o.changes; i++) {
    const target = i % 2 === 1 ? 2 : 1;
    const sent = Date.now();
    await patchConfig(c.kc, { replicas: target });
    const returned = Date.now();
    const ev = await c.watch.next(
      (e) => e.type === 'MODIFIED' && e.replicas === target,
      sent,
      `the Deployment at ${target} replicas`,
    );
    latencies.push(ev.at - returned);
    if (i > c.o.changes - 3)
      c.traces.push({ name: `replicas-${gapMs}ms-${i}`, from: sent, to: ev.at + 2_000 });
    await sleep(gapMs);
  }
  const to = Date.now();
  await ready(c, c.o.changes % 2 === 1 ? 2 : 1);
  await sleep(1_000);
  c.events.push(...c.audit.read());
  const byClient = trafficByClient(c.events, from, to, (e) =>
    notLease(e) ? c.sys.client(e.userAgent ?? '') : undefined,
  );
  const t = totalTraffic(byClient);
  const n = c.o.changes;
  return {
    series: {
      gapMs,
      latenciesMs: latencies,
      readsPerChange: t.reads / n,
      writesPerChange: t.writes / n,
      eventWritesPerChange: t.eventWrites / n,
      detail: t.detail,
    },
    byClient,
  };
}

/** `trace-<system>.txt`: the requests of each traced reaction, for finding where its time goes. */
function writeTraces(c: Ctx, out: string): void {
  const client = (e: AuditEvent) => c.sys.client(e.userAgent ?? '');
  const text = c.traces
    .map((t) => [`== ${t.name}`, ...traceLines(c.events, t.from, t.to, client)].join('\n'))
    .join('\n\n');
  writeFileSync(join(out, `trace-${c.sys.name}.txt`), text + '\n');
}

/** Measures one system, then stops it and removes what it created. */
export async function measure(
  kc: KubeConfig,
  o: BenchOptions,
  sys: PhaseSystem,
  audit: AuditLog,
  out: string,
): Promise<SystemResult> {
  say(`=== ${sys.name} (${sys.label})`);
  await installCrds(kc, sys.crdDir);
  await sys.prepare(kc);
  const watch = await watchDeployment(kc, o.namespace, 'image-registry');
  const c: Ctx = { kc, o, sys, watch, audit, events: [], traces: [] };
  audit.read();
  const sent = Date.now();
  await kubeRequest(kc, 'POST', '/apis/imageregistry.operator.openshift.io/v1/configs', {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster' },
    spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } },
  });
  const created = Date.now();
  const run = await sys.start();
  try {
    const added = await watch.next(
      (e) => e.type === 'ADDED',
      sent,
      'the Deployment after the Config was created',
      180_000,
    );
    say(`${sys.name}: Config created → Deployment ${added.at - created} ms`);
    await run.afterDeployment();
    await ready(c, 1);
    await sleep(10_000);
    const removed = await removedCycles(c);
    say(`${sys.name}: Removed → Managed → Deployment ${removed.join(', ')} ms`);
    const series: ChangeSeries[] = [];
    const perProcess = new Map<string, { reads: Record<string, number>; writes: Record<string, number> }>();
    for (const gap of o.changeGapsMs) {
      const { series: s, byClient } = await changeSeries(c, gap);
      series.push(s);
      for (const p of run.procs) {
        const t = byClient.get(p.name);
        const acc = perProcess.get(p.name) ?? { reads: {}, writes: {} };
        acc.reads[String(gap)] = (t?.reads ?? 0) / o.changes;
        acc.writes[String(gap)] = (t?.writes ?? 0) / o.changes;
        perProcess.set(p.name, acc);
      }
      say(
        `${sys.name}: ${o.changes} changes ${gap} ms apart: ${s.writesPerChange.toFixed(1)} writes, ${s.readsPerChange.toFixed(1)} reads per change`,
      );
    }
    await sleep(o.settleSeconds * 1000);
    const idle = await idleWindows(c, run.procs);
    writeTraces(c, out);
    const dead = run.procs.filter((p) => !alive(p)).map((p) => p.name);
    if (dead.length) throw new Error(`${dead.join(', ')} exited during the run: see their logs`);
    const processes: ProcessFigures[] = run.procs.map((p) => {
      const i = idle.per.get(p.name);
      const t = perProcess.get(p.name);
      return {
        name: p.name,
        rssMiB: rssMiB(p.pid),
        privateMiB: privateMiB(p.pid),
        peakMiB: peakMiB(p.pid),
        idleCpuPer60s: (i?.cpu ?? NaN) / idle.minutes,
        idleReadsPerMin: (i?.reads ?? NaN) / idle.minutes,
        idleWritesPerMin: (i?.writes ?? NaN) / idle.minutes,
        readsPerChange: t?.reads ?? {},
        writesPerChange: t?.writes ?? {},
      };
    });
    const sum = (f: (p: ProcessFigures) => number) => processes.reduce((a, p) => a + f(p), 0);
    return {
      system: sys.name,
      label: sys.label,
      createToDeploymentMs: added.at - created,
      removedToManagedMs: removed,
      changes: series,
      idle: {
        rssMiB: sum((p) => p.rssMiB),
        privateMiB: sum((p) => p.privateMiB ?? NaN),
        cpuPer60s: idle.cpuTotal / idle.minutes,
        readsPerMin: sum((p) => p.idleReadsPerMin),
        writesPerMin: sum((p) => p.idleWritesPerMin),
        detail: idle.detail,
      },
      processes,
    };
  } finally {
    watch.close();
    await run.stop();
  }
}
