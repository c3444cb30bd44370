import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Sources of the gauges computed at scrape time (unfinished work, longest running processor). */
export interface QueueProbe {
  readonly name: string;
  /** Seconds of work in progress: the sum, and the longest single item. */
  inFlightSeconds(): { total: number; longest: number };
}

const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7.5,
  10, 15, 20, 30, 45, 60,
];
// client-go's workqueue buckets: 10 ns to 10 s in powers of ten.
const queueBuckets = Array.from({ length: 10 }, (_, i) => 1e-8 * 10 ** i);

/**
 * Every metric the runtime exports, registered once per prom-client Registry with the names
 * controller-runtime and client-go use, so existing dashboards work unchanged.
 */
export class RuntimeMetrics {
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly terminalErrors: Counter<'controller'>;
  readonly reconcilePanics: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly maxConcurrentReconciles: Gauge<'controller'>;
  readonly queueDepth: Gauge<'name' | 'controller'>;
  readonly queueAdds: Counter<'name' | 'controller'>;
  readonly queueRetries: Counter<'name' | 'controller'>;
  readonly queueDuration: Histogram<'name' | 'controller'>;
  readonly workDuration: Histogram<'name' | 'controller'>;
  readonly restRequests: Counter<'verb' | 'code'>;
  readonly restLatency: Histogram<'verb'>;
  readonly leaderStatus: Gauge<'name'>;
  readonly applySkipped: Counter<'kind'>;
  private readonly unfinished: Gauge<'name' | 'controller'>;
  private readonly longestRunning: Gauge<'name' | 'controller'>;
  private readonly probes = new Set<QueueProbe>();

  constructor(registry: Registry) {
    const registers = [registry];
    const probes = this.probes;
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.terminalErrors = new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.reconcilePanics = new Counter({
      name: 'controller_runtime_reconcile_panics_total',
      help: 'Total number of reconciliations that threw a programming error (TypeError and the like)',
      labelNames: ['controller'],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: reconcileBuckets,
      registers,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers,
    });
    this.maxConcurrentReconciles = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: ['name', 'controller'],
      registers,
    });
    this.queueAdds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: ['name', 'controller'],
      registers,
    });
    this.queueRetries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: ['name', 'controller'],
      registers,
    });
    this.queueDuration = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: ['name', 'controller'],
      buckets: queueBuckets,
      registers,
    });
    this.workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames: ['name', 'controller'],
      buckets: queueBuckets,
      registers,
    });
    this.unfinished = new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: 'How many seconds of work has been done that is in progress and has not been observed by work_duration',
      labelNames: ['name', 'controller'],
      registers,
      collect() {
        for (const p of probes) this.set({ name: p.name, controller: p.name }, p.inFlightSeconds().total);
      },
    });
    this.longestRunning = new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running',
      labelNames: ['name', 'controller'],
      registers,
      collect() {
        for (const p of probes) this.set({ name: p.name, controller: p.name }, p.inFlightSeconds().longest);
      },
    });
    this.restRequests = new Counter({
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests to the API server, partitioned by verb and status code (`<error>` without an answer)',
      labelNames: ['verb', 'code'],
      registers,
    });
    this.restLatency = new Histogram({
      name: 'rest_client_request_duration_seconds',
      help: 'Request latency in seconds, by verb (watches: time to the response headers)',
      labelNames: ['verb'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers,
    });
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master',
      labelNames: ['name'],
      registers,
    });
    this.applySkipped = new Counter({
      name: 'apply_skipped_total',
      help: 'Server-side applies not sent because the cached object already carried the desired fields',
      labelNames: ['kind'],
      registers,
    });
  }

  /** Makes every series of one controller visible at zero before its first reconcile. */
  initController(controller: string, workers: number): void {
    for (const result of ['success', 'error', 'requeue', 'requeue_after']) {
      this.reconcileTotal.inc({ controller, result }, 0);
    }
    this.reconcileErrors.inc({ controller }, 0);
    this.terminalErrors.inc({ controller }, 0);
    this.reconcilePanics.inc({ controller }, 0);
    this.reconcileTime.zero({ controller });
    this.activeWorkers.set({ controller }, 0);
    this.maxConcurrentReconciles.set({ controller }, workers);
  }

  initQueue(name: string): void {
    const labels = { name, controller: name };
    this.queueDepth.set(labels, 0);
    this.queueAdds.inc(labels, 0);
    this.queueRetries.inc(labels, 0);
    this.queueDuration.zero(labels);
    this.workDuration.zero(labels);
  }

  addProbe(probe: QueueProbe): () => void {
    this.probes.add(probe);
    return () => {
      this.probes.delete(probe);
      this.unfinished.set({ name: probe.name, controller: probe.name }, 0);
      this.longestRunning.set({ name: probe.name, controller: probe.name }, 0);
    };
  }
}

const byRegistry = new WeakMap<Registry, RuntimeMetrics>();

/** The runtime's metrics on `registry`, created on first use (metric names are unique per registry). */
export function runtimeMetrics(registry: Registry): RuntimeMetrics {
  let m = byRegistry.get(registry);
  if (!m) {
    m = new RuntimeMetrics(registry);
    byRegistry.set(registry, m);
  }
  return m;
}
