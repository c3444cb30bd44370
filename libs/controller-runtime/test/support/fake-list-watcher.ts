import { KubeApiError, type KubeStatus } from '../../src/errors.ts';
import type { ListWatcher } from '../../src/informer.ts';
import type { ListResult, WatchEvent, WatchOptions } from '../../src/kube-client.ts';
import type { KubeObject } from '../../src/objects.ts';
import type { ResourceType } from '../../src/resources.ts';

export interface WatchCall {
  opts: WatchOptions;
  emit(type: WatchEvent<unknown>['type'], object: KubeObject | KubeStatus): void;
  /** The server ends the watch normally (timeoutSeconds). */
  end(): void;
  fail(err: Error): void;
  readonly closed: boolean;
}

/**
 * A scripted API server for one resource: `objects` is the server's state, lists return it, and each
 * watch call is handed to the test to drive.
 */
export class FakeListWatcher implements ListWatcher {
  objects = new Map<string, KubeObject>();
  rv = 100;
  listCalls: { at: number; opts: object }[] = [];
  watchCalls: WatchCall[] = [];
  /** Make the next list calls fail with these errors, in order. */
  listFailures: Error[] = [];
  /** While set, lists wait for it (a slow initial cache sync). */
  listGate: Promise<void> | undefined;

  put(obj: KubeObject): KubeObject {
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    this.objects.set(`${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`, stored);
    return stored;
  }

  remove(name: string, namespace = ''): KubeObject | undefined {
    const key = `${namespace}/${name}`;
    const old = this.objects.get(key);
    this.objects.delete(key);
    this.rv++;
    return old;
  }

  get lastWatch(): WatchCall | undefined {
    return this.watchCalls.at(-1);
  }

  /** The open watch the informer is on; fails the test when there is none. */
  get watching(): WatchCall {
    const w = this.watchCalls.at(-1);
    if (!w) throw new Error('the informer has not started a watch');
    return w;
  }

  async list<T extends KubeObject>(_res: ResourceType<T>, opts: object): Promise<ListResult<T>> {
    this.listCalls.push({ at: Date.now(), opts });
    await this.listGate;
    const failure = this.listFailures.shift();
    if (failure) throw failure;
    return { items: [...this.objects.values()].map((o) => structuredClone(o)) as T[], resourceVersion: String(this.rv) };
  }

  watch<T extends KubeObject>(
    _res: ResourceType<T>,
    opts: WatchOptions,
    onEvent: (event: WatchEvent<T | KubeStatus>) => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      let closed = false;
      const call: WatchCall = {
        opts,
        emit: (type, object) => {
          if (!closed) onEvent({ type, object: object as T });
        },
        end: () => {
          closed = true;
          resolve();
        },
        fail: (err) => {
          closed = true;
          reject(err);
        },
        get closed() {
          return closed;
        },
      };
      opts.signal?.addEventListener('abort', () => call.fail(opts.signal?.reason as Error), { once: true });
      try {
        // Emitting synchronously from onEvent may throw (an ERROR event): surface it as a failed watch.
        const emit = call.emit;
        call.emit = (type, object) => {
          try {
            emit(type, object);
          } catch (err) {
            call.fail(err as Error);
          }
        };
      } finally {
        this.watchCalls.push(call);
      }
    });
  }
}

export function gone(): KubeApiError {
  return new KubeApiError({ verb: 'watch', path: '/x', status: 410, body: { kind: 'Status', reason: 'Expired', code: 410 } });
}
