import type { Logger } from 'pino';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import type { Clock } from './clock.ts';
import { Controller, type ControllerOptions } from './controller.ts';
import { NotLeaderError } from './errors.ts';
import { createProbeServer, parseBindAddress, type HealthReport, type ProbeServer } from './http-server.ts';
import { Informer, type InformerOptions } from './informer.ts';
import type { KubeClient } from './kube-client.ts';
import { LeaderElector, type LeaderElectorOptions } from './leader-election.ts';
import { silentLogger } from './logger.ts';
import { metricsAuthRequired, secureMetrics, type MetricsAuthMode } from './metrics-serving.ts';
import { requestFor, type KubeObject, type Request } from './objects.ts';
import { resourceId, type ResourceType } from './resources.ts';

/** How often the event-loop delay histogram takes a sample. */
export const eventLoopSampleMs = 1000;

export interface ManagerOptions {
  /** The app name: log field `app`, default Lease name `<name>-leader`. */
  name: string;
  client: KubeClient;
  logger?: Logger;
  /** Lease-based leader election, or false to run controllers unconditionally (one replica, tests). */
  leaderElection?:
    | false
    | (Omit<LeaderElectorOptions, 'client' | 'name' | 'logger' | 'clock'> & { name?: string });
  /** `host:port` of /healthz, /readyz, /metrics (`:8080`); `0` or undefined: no server. */
  metricsBindAddress?: string;
  /** Who may read /metrics (default auto: a bearer token with RBAC, unless bound to loopback). */
  metricsAuth?: MetricsAuthMode;
  /** tls.crt and tls.key for the metrics server when it authenticates (default: self-signed). */
  metricsCertDir?: string;
  /** Graceful shutdown budget: drain in-flight reconciles, release the lease (default `Manager.defaultShutdownTimeoutMs`). */
  shutdownTimeoutMs?: number;
  clock?: Clock;
}

export type InformerScope<T extends KubeObject> = Omit<InformerOptions<T>, 'client' | 'resource' | 'logger' | 'clock'>;

/**
 * Holds an app's informers (shared: one per resource and scope), its controllers, the leader elector
 * and the probe/metrics server, and runs them in the right order: caches always (so a standby is
 * warm), controllers only while leading, graceful shutdown in reverse.
 */
export class Manager {
  /** The shutdown budget when none is given (runApp gives none): each shipped pod's grace period must exceed it. */
  static readonly defaultShutdownTimeoutMs = 30_000;
  readonly name: string;
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly registry: Registry;
  private readonly opts: ManagerOptions;
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly controllers: Controller[] = [];
  private readonly readyChecks = new Map<string, () => boolean | Promise<boolean>>();
  private readonly elector: LeaderElector | undefined;
  private server: ProbeServer | undefined;
  private stopCertReload: (() => void) | undefined;
  private abort = new AbortController();
  private electing: Promise<void> | undefined;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private fatal: ((err: Error) => void) | undefined;
  /** Rejects when the manager cannot go on (a controller's caches never synced). */
  readonly failed: Promise<never>;

  constructor(opts: ManagerOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.client = opts.client;
    this.logger = opts.logger ?? silentLogger();
    this.registry = opts.client.registry;
    this.failed = new Promise<never>((_, reject) => (this.fatal = reject));
    this.failed.catch(() => undefined);
    if (opts.leaderElection) {
      const { name, ...rest } = opts.leaderElection;
      this.elector = new LeaderElector({
        ...rest,
        name: name ?? `${opts.name}-leader`,
        client: opts.client,
        logger: this.logger,
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
    }
    this.client.setCacheLookup((res, key) => this.cached(res, key));
  }

  /** The shared informer for `res` in this scope (created on first use). */
  informer<T extends KubeObject>(res: ResourceType<T>, scope: InformerScope<T> = {}): Informer<T> {
    const id = JSON.stringify([resourceId(res), res.namespaced ? scope.namespace : undefined, scope.labelSelector, scope.fieldSelector]);
    let inf = this.informers.get(id);
    if (!inf) {
      inf = new Informer<T>({
        ...scope,
        client: this.client,
        resource: res,
        logger: this.logger,
        ...(this.opts.clock ? { clock: this.opts.clock } : {}),
      }) as unknown as Informer<KubeObject>;
      this.informers.set(id, inf);
      this.client.trackWrites(res);
      const seen = (obj: KubeObject, gone = false) => {
        if (obj.metadata?.name) this.client.observed(res, requestFor(obj), gone ? undefined : obj);
      };
      inf.on({ add: (o) => seen(o), update: (_old, o) => seen(o), delete: (o) => seen(o, true) });
      if (this.state === 'running') inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  /** A controller run by this manager (started when leading); chain `.for()`, `.owns()`, `.watches()`. */
  controller(opts: Omit<ControllerOptions, 'logger' | 'registry' | 'clock'>): Controller {
    if (this.state !== 'new') throw new Error('add controllers before start()');
    const c = new Controller({
      ...opts,
      logger: this.logger,
      registry: this.registry,
      ...(this.opts.clock ? { clock: this.opts.clock } : {}),
    });
    this.controllers.push(c);
    return c;
  }

  /** An extra readiness condition, shown in /readyz. */
  addReadyCheck(name: string, check: () => boolean | Promise<boolean>): void {
    this.readyChecks.set(name, check);
  }

  /** True when this process may write: leading, or leader election is off. */
  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.state === 'running';
  }

  /** Where the probe server listens (`127.0.0.1:34567`), once started. */
  get address(): string | undefined {
    const a = this.server?.address();
    return a ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : undefined;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`manager ${this.name} was already started`);
    this.state = 'running';
    // The event-loop delay is sampled once a second, not every 10 ms (prom-client's default): that timer woke
    // an idle app 200 times a second and was nearly all of its idle CPU (0.15 s a minute). A blocked loop
    // still shows, as one long sample (issue #19).
    if (!this.registry.getSingleMetric('process_cpu_user_seconds_total'))
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: eventLoopSampleMs });
    await this.startServer();
    for (const inf of this.informers.values()) inf.start();
    if (this.elector) {
      const elector = this.elector;
      this.client.setWriteGuard(() => {
        if (!elector.isLeader()) throw new NotLeaderError(`${this.name}: not the leader (lease ${elector.namespace}/${elector.name}); write refused`);
        // A write must not outlive the leadership it was sent under: it times out before the deadline.
        return elector.leadershipRemainingMs();
      });
      this.electing = elector.run(
        {
          onStartedLeading: () => this.startControllers(),
          onStoppedLeading: () => this.stopControllers(0),
        },
        this.abort.signal,
      );
    } else {
      this.startControllers();
    }
    this.logger.info({ address: this.address, leaderElection: !!this.elector }, 'manager started');
  }

  /**
   * Graceful shutdown: stop taking work, let in-flight reconciles finish, release the lease, stop the
   * caches and the server, all within the shutdown budget. Resolves true when it fit.
   */
  async stop(): Promise<boolean> {
    if (this.state !== 'running') return true;
    this.state = 'stopping';
    const budget = this.opts.shutdownTimeoutMs ?? Manager.defaultShutdownTimeoutMs;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((r) => (timer = setTimeout(() => r(false), budget)));
    const work = (async () => {
      // Keep a few seconds of the budget for the lease release and the rest.
      await this.stopControllers(Math.max(0, budget - 5000));
      this.abort.abort(new Error('manager stopping'));
      await this.electing;
      await Promise.all([...this.informers.values()].map((i) => i.stop()));
      this.stopCertReload?.();
      await this.server?.close();
      this.client.close();
      return true as const;
    })();
    const ok = await Promise.race([work, expired]);
    clearTimeout(timer);
    this.state = 'stopped';
    if (ok) this.logger.info({ tookMs: Date.now() - started }, 'manager stopped');
    else this.logger.error({ budgetMs: budget }, 'graceful shutdown did not finish in time');
    return ok;
  }

  private startControllers(): void {
    if (this.state !== 'running') return;
    for (const c of this.controllers) {
      c.start(this.abort.signal).catch((err: unknown) => {
        if (this.abort.signal.aborted) return;
        this.logger.fatal({ err, controller: c.name }, 'controller could not start');
        this.fatal?.(err instanceof Error ? err : new Error(String(err)));
      });
    }
  }

  private async stopControllers(graceMs: number): Promise<void> {
    await Promise.all(this.controllers.map((c) => c.stop({ graceMs })));
  }

  private cached(res: ResourceType, key: Request): KubeObject | undefined {
    const id = resourceId(res);
    for (const inf of this.informers.values()) {
      if (resourceId(inf.resource) !== id || !inf.hasSynced() || !inf.covers(key)) continue;
      const obj = inf.get(key);
      if (obj) return obj;
    }
    return undefined;
  }

  private async health(): Promise<HealthReport> {
    if (this.state !== 'running' && this.state !== 'stopping') return { ok: false, failures: [`manager is ${this.state}`] };
    // A cache frozen for many idle periods (a half-open connection) never recovers by itself: restart.
    const failures = [...this.informers.values()]
      .filter((inf) => inf.stalled())
      .map((inf) => `informer ${resourceId(inf.resource)}${inf.namespace ? ` in ${inf.namespace}` : ''} has heard nothing from the API server for several watch periods`);
    return { ok: failures.length === 0, failures };
  }

  private async readiness(): Promise<HealthReport> {
    const failures: string[] = [];
    if (this.state !== 'running') failures.push(`manager is ${this.state}`);
    for (const inf of this.informers.values()) {
      if (!inf.hasSynced()) failures.push(`informer ${resourceId(inf.resource)}${inf.namespace ? ` in ${inf.namespace}` : ''} has not synced`);
    }
    for (const [name, check] of this.readyChecks) {
      const ok = await Promise.resolve()
        .then(check)
        .catch(() => false);
      if (!ok) failures.push(`check ${name} failed`);
    }
    return { ok: failures.length === 0, failures };
  }

  private async startServer(): Promise<void> {
    const address = this.opts.metricsBindAddress;
    if (!address || address === '0') return;
    const { host, port } = parseBindAddress(address);
    const secure = metricsAuthRequired(this.opts.metricsAuth ?? 'auto', host)
      ? await secureMetrics({ name: this.name, client: this.client, logger: this.logger, certDir: this.opts.metricsCertDir ?? '' })
      : undefined;
    this.server = createProbeServer({
      registry: this.registry,
      healthy: () => this.health(),
      ready: () => this.readiness(),
      ...secure?.server,
    });
    this.stopCertReload = secure?.attach(this.server);
    await this.server.listen({ host, port });
  }
}
