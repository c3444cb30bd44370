import type { LogLevel } from './schema/operator.ts';

/** A pino level an operator's log level selects. */
export type ProcessLogLevel = 'info' | 'debug' | 'trace';

/**
 * `spec.operatorLogLevel` as the apps' log level. Upstream maps it to klog verbosity (Normal -v=2,
 * Debug -v=4, Trace -v=6, TraceAll -v=8); our apps have pino's levels: Normal is info, Debug is debug,
 * and both Trace levels are trace, the most pino has. Empty (unset) is Normal, as upstream defaults it.
 */
export function processLogLevel(level: LogLevel | undefined): ProcessLogLevel {
  switch (level) {
    case 'Debug':
      return 'debug';
    case 'Trace':
    case 'TraceAll':
      return 'trace';
    default:
      return 'info';
  }
}

/** `spec.operatorLogLevel` of a raw Config object (unparsed: the cache holds raw objects), or undefined. */
export function operatorLogLevelOf(obj: unknown): LogLevel | undefined {
  const v = (obj as { spec?: { operatorLogLevel?: unknown } } | undefined)?.spec?.operatorLogLevel;
  return v === 'Normal' || v === 'Debug' || v === 'Trace' || v === 'TraceAll' || v === '' ? v : undefined;
}
