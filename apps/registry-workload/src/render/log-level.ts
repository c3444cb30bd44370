/**
 * `REGISTRY_LOG_LEVEL` (upstream-inventory §5.10): Debug, Trace and TraceAll mean `debug`; otherwise
 * the deprecated integer `spec.logging` decides (1 → warn; 0, 2, 3 → info; anything else → debug).
 */
export function registryLogLevel(logLevel: string | undefined, logging: number | undefined): string {
  if (logLevel === 'Debug' || logLevel === 'Trace' || logLevel === 'TraceAll') return 'debug';
  switch (logging ?? 0) {
    case 1:
      return 'warn';
    case 0:
    case 2:
    case 3:
      return 'info';
    default:
      return 'debug';
  }
}
