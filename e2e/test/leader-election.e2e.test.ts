// leaderelection_test.go's TestLeaderElection: upstream scales the operator Deployment to 3 and expects at
// most one pod to log that it acquired the lease. Here an app runs as 3 processes (the system's own and two
// more this test starts, same ServiceAccount, same flags): exactly one holds `<app>-leader` and says so, the
// other two stay standby; killing the leader (SIGKILL: no release, the lease must expire) hands the lease
// to exactly one of the other two, which then does the app's work.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it, onTestFinished } from 'vitest';
import { freePort, kubeRequest, workspaceRoot } from '@image-registry/testing';
import {
  ensureAvailable,
  ensureClusterOperatorNormal,
  freshConfig,
  get,
  kc,
  namespace,
  restartApp,
  teardown,
  timeout,
} from '../src/helpers.ts';
import { forbiddenLines, provisionApp, startApp, type AppProcess } from '../src/system/app-processes.ts';
import { scrape } from '../src/system/metrics.ts';

interface Replica {
  log: string;
  metricsPort: number;
  /** Only for the replicas this test started; the system's own is the global setup's child. */
  child?: AppProcess['child'];
}
interface LogLine {
  msg?: string;
  pid?: number;
  identity?: string;
  previous?: string;
}
interface Lease {
  metadata: { resourceVersion: string };
  spec?: { holderIdentity?: string | null; renewTime?: string };
}

const leasePath = (app: string) =>
  `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${app}-leader`;
const interval = 500;

function logLines(r: Replica): LogLine[] {
  return readFileSync(r.log, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    });
}
/** The identities under which a replica started leading ('became leader', logged with the elector's identity). */
const leaderIdentities = (r: Replica) =>
  logLines(r).flatMap((l) => (l.msg === 'became leader' && l.identity ? [l.identity] : []));

/** leader_election_master_status of a replica: 1 leading, 0 standby. */
async function leading(app: string, r: Replica): Promise<number> {
  const m = new RegExp(`^leader_election_master_status\\{name="${app}-leader"\\}\\s+(\\S+)`, 'm').exec(
    await scrape(app, r.metricsPort),
  );
  return Number(m?.[1] ?? NaN);
}

/** Starts process number `n` of `app`, as one more pod of its Deployment would be (a log of its own). */
async function startReplica(app: string, n: number): Promise<Replica> {
  const logDir = join(inject('logDir'), 'leader-election', `${app}-${n}`);
  mkdirSync(logDir, { recursive: true });
  const kubeconfig = await provisionApp(kc, workspaceRoot(), app, namespace);
  const p = startApp({
    root: workspaceRoot(),
    app,
    kubeconfig,
    logDir,
    metricsPort: await freePort(),
    args: [`--namespace=${namespace}`, '--leader-elect=true'],
  });
  const replica: Replica = { log: p.log, metricsPort: p.metricsPort, child: p.child };
  onTestFinished(() => stopReplica(replica));
  return replica;
}

async function stopReplica(r: Replica): Promise<void> {
  const child = r.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Waits until exactly one replica leads and the Lease names it; returns its index and identity. */
async function theLeader(app: string, replicas: Replica[]): Promise<{ index: number; identity: string }> {
  let found = { index: -1, identity: '' };
  await expect
    .poll(
      async () => {
        const holder = (await get<Lease>(leasePath(app)))?.spec?.holderIdentity ?? '';
        const statuses = await Promise.all(replicas.map((r) => leading(app, r).catch(() => NaN)));
        const index = replicas.findIndex((r) => leaderIdentities(r).includes(holder));
        found = { index, identity: holder };
        return {
          holderIsOneOfThem: index >= 0,
          holderLeads: statuses[index] === 1,
          othersStandby: statuses.every((s, i) => i === index || s === 0),
        };
      },
      { timeout, interval },
    )
    .toEqual({ holderIsOneOfThem: true, holderLeads: true, othersStandby: true });
  return found;
}

/** Sentinel for "every standby has campaigned": the leader renewed the Lease twice (each standby tries every retry period). */
async function leaseRenewedTwice(app: string): Promise<void> {
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        seen.add((await get<Lease>(leasePath(app)))?.spec?.renewTime ?? '');
        return seen.size;
      },
      { timeout, interval },
    )
    .toBeGreaterThanOrEqual(3);
}

/** The pid of the process that logged `identity` as its leader identity. */
function pidOf(r: Replica, identity: string): number {
  const pid = logLines(r).find((l) => l.msg === 'became leader' && l.identity === identity)?.pid;
  if (!pid) throw new Error(`no 'became leader' line of ${identity} in ${r.log}`);
  return pid;
}

/** An object the app writes, deleted: it comes back with a new UID when the app's leader works. */
async function expectRecreated(path: string): Promise<void> {
  const uid = (await get(path))?.metadata.uid;
  expect(uid).toBeDefined();
  await kubeRequest(kc, 'DELETE', path);
  await expect
    .poll(
      async () => {
        const now = (await get(path))?.metadata.uid;
        return now !== undefined && now !== uid;
      },
      { timeout, interval },
    )
    .toBe(true);
}

async function leaderElection(app: string, owned: string): Promise<void> {
  await freshConfig({});
  await ensureAvailable();
  const system: Replica = {
    log: join(inject('logDir'), `${app}.log`),
    metricsPort: inject('metricsPorts')[app] ?? 0,
  };
  const replicas = [system, await startReplica(app, 2), await startReplica(app, 3)];
  // The system's own process is started again as it was (it may be the one killed), also on failure.
  let restarted = false;
  onTestFinished(async () => {
    if (!restarted) await restartApp(app);
  });
  await expect
    .poll(() => replicas.map((r) => logLines(r).some((l) => l.msg === 'manager started')), {
      timeout,
      interval,
    })
    .toEqual([true, true, true]);
  await leaseRenewedTwice(app);

  const first = await theLeader(app, replicas);
  const standbys = replicas.filter((_, i) => i !== first.index);
  for (const s of standbys) expect(leaderIdentities(s)).toEqual([]);

  const leader = replicas[first.index] as Replica;
  process.kill(pidOf(leader, first.identity), 'SIGKILL');
  const second = await theLeader(app, standbys);
  expect(second.identity).not.toBe(first.identity);
  const successor = standbys[second.index] as Replica;
  const other = standbys.find((s) => s !== successor) as Replica;
  expect(
    logLines(successor)
      .filter((l) => l.msg === 'acquired the lease')
      .map((l) => l.previous),
  ).toEqual([first.identity]);
  expect(leaderIdentities(other)).toEqual([]);
  for (const r of replicas) expect(forbiddenLines(r.log)).toEqual([]);

  // The successor does the app's work.
  await expectRecreated(owned);
  await ensureAvailable();
  await ensureClusterOperatorNormal();
  await restartApp(app);
  restarted = true;
  for (const r of standbys) await stopReplica(r);
}

describe('leader election', () => {
  afterEach(teardown);

  it('TestLeaderElection (registry-workload)', async () => {
    await leaderElection('registry-workload', `/api/v1/namespaces/${namespace}/services/image-registry`);
  });

  it('TestLeaderElection (storage)', async () => {
    await leaderElection(
      'storage',
      `/api/v1/namespaces/${namespace}/secrets/image-registry-private-configuration`,
    );
  });
});
