import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Keys whose values are credentials wherever they appear (one level of nesting, and at the top). */
const credentialKeys = [
  'password',
  'token',
  'bearerToken',
  'secretKey',
  'secretAccessKey',
  'accessKey',
  'accessKeyID',
  'clientSecret',
  'privateKey',
  'authorization',
  'httpSecret',
  'stringData',
  '.dockerconfigjson',
  '.dockercfg',
];

/** pino redaction paths: each credential key at the top level, one level down, and in HTTP headers. */
export const redactPaths: string[] = [
  ...credentialKeys.flatMap((k) => {
    const p = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
    return [p, `*.${p}`.replace('.[', '[')];
  }),
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
];

const censor = '[REDACTED]';

export interface LoggerOptions {
  /** trace, debug, info (default), warn, error, fatal or silent. */
  level?: LevelWithSilent;
  /** The app name, logged as `name` on every line. */
  name?: string;
  /** Where lines go (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * The JSON logger every app uses. Secret values never reach the output: the data of any object of
 * kind Secret is masked wherever it sits in the log line, and credential-named keys are redacted.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: opts.level ?? 'info',
      ...(opts.name ? { name: opts.name } : {}),
      redact: { paths: redactPaths, censor },
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => maskSecrets(obj, 0) as Record<string, unknown>,
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
  // Child bindings are serialised once, without the log formatter: mask them on the way in. Children
  // inherit this property from the root, so grandchildren are covered too.
  const protoChild = Object.getPrototypeOf(logger).child as Logger['child'];
  logger.child = function (this: Logger, bindings, options) {
    return protoChild.call(this, maskSecrets(bindings, 0) as typeof bindings, options);
  } as Logger['child'];
  return logger;
}

/** A copy of `value` with the data of every Secret inside replaced; `value` itself when there is none. */
export function maskSecrets(value: unknown, depth: number): unknown {
  if (depth > 6 || typeof value !== 'object' || value === null || value instanceof Error) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const m = maskSecrets(v, depth + 1);
      if (m !== v) changed = true;
      return m;
    });
    return changed ? out : value;
  }
  const rec = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  if (rec['kind'] === 'Secret') {
    out = { ...rec };
    for (const k of ['data', 'stringData']) {
      const d = rec[k];
      if (d && typeof d === 'object') out[k] = Object.fromEntries(Object.keys(d).map((key) => [key, censor]));
    }
  }
  for (const [k, v] of Object.entries(out ?? rec)) {
    if (typeof v !== 'object' || v === null) continue;
    const m = maskSecrets(v, depth + 1);
    if (m !== v) {
      out ??= { ...rec };
      out[k] = m;
    }
  }
  return out ?? value;
}

/** A logger that writes nothing (the default where none is injected). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
