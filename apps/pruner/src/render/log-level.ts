/**
 * `--loglevel` of the prune job from ImagePruner `spec.logLevel` (upstream §10.3): Normal is 2 but
 * emitted as 1, which keeps oc from printing stack traces; unknown or empty counts as Normal.
 */
export function pruneLogLevel(logLevel: string | undefined): number {
  switch (logLevel) {
    case 'Debug':
      return 4;
    case 'Trace':
      return 6;
    case 'TraceAll':
      return 8;
    default:
      return 1;
  }
}
