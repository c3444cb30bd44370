import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { freeLoopbackPort, startAppWorker } from './app-worker.ts';
import type { LauncherApp, LauncherOptions, RestartPolicy } from './options.ts';
import { shutdownMessage } from './worker-shim.ts';

/** The part of a worker_threads Worker the supervisor uses (tests may start anything that behaves so). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): Promise<number>;
  once(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export type WorkerState = 'starting' | 'running' | 'backoff' | 'stopping' | 'stopped';

/** What the launcher's probes and metrics read of one app. */
export interface AppStatus {
  name: string;
  state: WorkerState;
  /** The worker's probe server, while it runs. */
  port: number | undefined;
  restarts: number;
}

/** Why the launcher must end: an app that cannot run (bad flags) or that keeps crashing. */
export class AppFailedError extends Error {
  override name = 'AppFailedError';
  readonly app: string;
  readonly exitCode: number;
  constructor(app: string, exitCode: number, message: string) {
    super(message);
    this.app = app;
    this.exitCode = exitCode;
  }
}

export interface SupervisorOptions {
  apps: LauncherApp[];
  restart: RestartPolicy;
  workerLimits?: LauncherOptions['workerLimits'];
  logger: Logger;
  /** Called once when an app fails for good; the launcher then stops the others and exits non-zero. */
  onFailed(err: AppFailedError): void;
  start?: (app: LauncherApp, port: number) => WorkerLike;
}

/** The next delay after `crashes` crashes in a row: doubling from the initial delay, capped. */
export function backoffDelayMs(policy: RestartPolicy, crashes: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, crashes - 1));
}

class Slot {
  state: WorkerState = 'stopped';
  port: number | undefined;
  restarts = 0;
  private crashesInARow = 0;
  private worker: WorkerLike | undefined;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped: Promise<number> | undefined;
  private resolveStopped: ((code: number) => void) | undefined;

  readonly app: LauncherApp;
  private readonly o: SupervisorOptions;
  private readonly log: Logger;

  constructor(app: LauncherApp, o: SupervisorOptions, log: Logger) {
    this.app = app;
    this.o = o;
    this.log = log;
  }

  async start(): Promise<void> {
    this.state = 'starting';
    this.port = await freeLoopbackPort();
    if (this.state !== 'starting') return; // stopped meanwhile
    const worker = (this.o.start ?? ((a, p) => startAppWorker(a, p, this.o.workerLimits ?? {})))(this.app, this.port);
    this.worker = worker;
    this.startedAt = Date.now();
    this.state = 'running';
    this.log.info({ port: this.port, bundle: this.app.bundle }, 'app worker started');
    worker.on('error', (err) => this.log.error({ err }, 'app worker raised an error it did not handle'));
    worker.once('exit', (code) => this.exited(code));
  }

  private exited(code: number): void {
    this.worker = undefined;
    this.port = undefined;
    if (this.state === 'stopping') {
      this.state = 'stopped';
      this.log.info({ exitCode: code }, 'app worker stopped');
      this.resolveStopped?.(code);
      return;
    }
    this.restarts++;
    if (code === 2) {
      this.state = 'stopped';
      this.o.onFailed(new AppFailedError(this.app.name, 2, `${this.app.name} rejected its flags (exit 2, see its log line above); fix the app's arguments`));
      return;
    }
    // A run as long as stableAfterMs was healthy: count this crash as the first of a new series.
    if (Date.now() - this.startedAt >= this.o.restart.stableAfterMs) this.crashesInARow = 0;
    this.crashesInARow++;
    if (this.crashesInARow > this.o.restart.maxRestarts) {
      this.state = 'stopped';
      this.o.onFailed(
        new AppFailedError(
          this.app.name,
          1,
          `${this.app.name} exited ${this.crashesInARow} times in a row (last exit code ${code}); the launcher exits so the pod restarts and the failure shows`,
        ),
      );
      return;
    }
    const delayMs = backoffDelayMs(this.o.restart, this.crashesInARow);
    this.state = 'backoff';
    this.log.error({ exitCode: code, restarts: this.restarts, crashesInARow: this.crashesInARow, delayMs }, 'app worker exited unexpectedly; starting it again');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start().catch((err: unknown) => {
        this.state = 'stopped';
        this.o.onFailed(new AppFailedError(this.app.name, 1, `${this.app.name} could not be started again: ${String(err)}`));
      });
    }, delayMs);
  }

  /** Asks the worker to drain (its SIGTERM path) and resolves with its exit code. */
  stop(): Promise<number> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.worker) {
      this.state = 'stopped';
      return Promise.resolve(0);
    }
    if (!this.stopped) {
      this.state = 'stopping';
      this.stopped = new Promise((r) => (this.resolveStopped = r));
      this.worker.postMessage(shutdownMessage);
    }
    return this.stopped;
  }

  /** Ends a worker that overran the shutdown budget. */
  async terminate(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** Runs each app in its own worker; restarts a crashed one with backoff; fails the launcher on a crash loop. */
export class Supervisor {
  private readonly slots: Slot[];
  private readonly o: SupervisorOptions;

  constructor(o: SupervisorOptions) {
    this.o = o;
    this.slots = o.apps.map((a) => new Slot(a, o, o.logger.child({ app: a.name })));
  }

  /** Starts every app; a missing bundle is an error naming its path before anything runs. */
  async start(): Promise<void> {
    const missing = this.o.apps.filter((a) => !this.o.start && !existsSync(a.bundle));
    if (missing.length > 0) {
      throw new Error(`no bundle at ${missing.map((a) => `${a.bundle} (${a.name})`).join(', ')}: set --bundle-dir, or name=<path> in --apps`);
    }
    await Promise.all(this.slots.map((s) => s.start()));
  }

  status(): AppStatus[] {
    return this.slots.map((s) => ({ name: s.app.name, state: s.state, port: s.port, restarts: s.restarts }));
  }

  /**
   * Drains every worker at once (each releases its own Lease) within `budgetMs`; workers still running
   * then are terminated. Resolves true when every worker exited 0 in time.
   */
  async stop(budgetMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((r) => (timer = setTimeout(() => r('expired'), budgetMs)));
    const codes = Promise.all(this.slots.map((s) => s.stop()));
    const result = await Promise.race([codes, expired]);
    clearTimeout(timer);
    if (result === 'expired') {
      const late = this.slots.filter((s) => s.state === 'stopping');
      this.o.logger.error({ budgetMs, apps: late.map((s) => s.app.name) }, 'apps did not drain within the shutdown budget; terminating them');
      await Promise.all(late.map((s) => s.terminate()));
      return false;
    }
    const failed = this.slots.filter((_, i) => result[i] !== 0).map((s) => s.app.name);
    if (failed.length > 0) this.o.logger.error({ apps: failed }, 'apps exited non-zero while shutting down');
    return failed.length === 0;
  }
}
