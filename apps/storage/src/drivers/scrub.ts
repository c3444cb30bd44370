/**
 * SDK errors become the `cause` of a StorageError, and the runtime logs causes. An SDK error may quote
 * what it was given (a key file, a signature), so the cause kept is a copy with only name, message,
 * code and HTTP status, every known secret value cut out of the text.
 */

/** The secret values a driver holds: what must never appear in a cause. Short values are ignored. */
export function secretValues(...values: (string | undefined)[]): string[] {
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

function cut(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    out = out.split(s).join('[REDACTED]');
    // Multi-line secrets (PEM keys, INI files): no single line of them may survive either.
    for (const line of s.split('\n'))
      if (line.trim().length >= 12) out = out.split(line.trim()).join('[REDACTED]');
  }
  return out;
}

/** A copy of `err` safe to log: name, message, code and HTTP status, secrets cut out; no stack of the SDK. */
export function scrubbedError(err: unknown, secrets: readonly string[]): Error {
  const src = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    statusCode?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const message = cut(typeof src.message === 'string' ? src.message : String(err), secrets);
  const copy = new Error(message);
  copy.name = typeof src.name === 'string' ? src.name : 'Error';
  copy.stack = `${copy.name}: ${message}`;
  const extra: Record<string, unknown> = {};
  if (typeof src.code === 'string' || typeof src.code === 'number') extra['code'] = src.code;
  if (typeof src.statusCode === 'number') extra['statusCode'] = src.statusCode;
  const http = src.$metadata?.httpStatusCode;
  if (typeof http === 'number') extra['$metadata'] = { httpStatusCode: http };
  return Object.assign(copy, extra);
}

/**
 * `api` with every promise-returning method rejecting with the scrubbed copy of its error: wrapped at
 * the SDK boundary, no driver code ever holds an error that quotes a secret, so neither messages,
 * conditions nor logged causes can.
 */
export function scrubbing<T extends object>(api: T, secrets: readonly string[]): T {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return out instanceof Promise
          ? out.catch((err: unknown) => Promise.reject(scrubbedError(err, secrets)))
          : out;
      };
    },
  });
}
