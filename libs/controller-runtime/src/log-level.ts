import type { LevelWithSilent, Logger } from 'pino';
import type { Manager } from './manager.ts';
import type { KubeObject } from './objects.ts';
import type { ResourceType } from './resources.ts';

/** The more verbose of two pino levels (trace < debug < info …). */
export function moreVerbose(logger: Logger, a: LevelWithSilent, b: LevelWithSilent): LevelWithSilent {
  const v = logger.levels.values;
  return (v[a] ?? Infinity) <= (v[b] ?? Infinity) ? a : b;
}

/**
 * Follows a cluster setting that raises the log level live (`spec.operatorLogLevel` of Config/cluster):
 * the app logs at the more verbose of its `--log-level` and what `levelOf` reads from the object, changed
 * as soon as the object's watch event arrives, without a restart. The object is read through the app's
 * shared informer for `res` named `name`, so following it costs no extra watch where the app already
 * has one. Returns the unsubscribe.
 */
export function followLogLevel<T extends KubeObject>(
  mgr: Manager,
  res: ResourceType<T>,
  name: string,
  levelOf: (obj: T | undefined) => LevelWithSilent | undefined,
): () => void {
  const logger = mgr.logger;
  const floor = logger.level as LevelWithSilent;
  // A silenced logger (tests, benches) was silenced on purpose: the cluster does not turn it on.
  if (floor === 'silent') return () => undefined;
  const apply = (obj: T | undefined) => {
    const wanted = levelOf(obj);
    const level = wanted ? moreVerbose(logger, floor, wanted) : floor;
    if (logger.level === level) return;
    const from = logger.level;
    logger.level = level;
    // Said at warn so the line shows whatever the new level is.
    logger.warn({ from, to: level, source: `${res.kind}/${name}` }, 'log level changed');
  };
  const informer = mgr.informer(res, { fieldSelector: `metadata.name=${name}` });
  return informer.on({ add: apply, update: (_old, obj) => apply(obj), delete: () => apply(undefined) });
}
