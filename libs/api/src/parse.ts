import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { clusterOperator } from './schema/cluster-operator.ts';
import type { ClusterOperator } from './schema/cluster-operator.ts';
import { config } from './schema/config.ts';
import type { Config } from './schema/config.ts';
import { image } from './schema/image.ts';
import type { Image } from './schema/image.ts';
import { imagePruner } from './schema/image-pruner.ts';
import type { ImagePruner } from './schema/image-pruner.ts';
import { infrastructure } from './schema/infrastructure.ts';
import type { Infrastructure } from './schema/infrastructure.ts';
import { proxy } from './schema/proxy.ts';
import type { Proxy } from './schema/proxy.ts';
import { route } from './schema/route.ts';
import type { Route } from './schema/route.ts';

// zod/mini ships no messages ("Invalid input" for everything); the English ones name what is wrong
// (`Too small: expected number to be >=0`), as zod classic's did. Set only if nobody chose a locale.
if (z.config().localeError === undefined) z.config(en());

export interface FieldIssue {
  /** The field in kubectl's notation: `spec.routes[1].name`; empty for the object itself. */
  path: string;
  message: string;
}

/** An object that does not match its schema; `issues` name every offending field. */
export class ApiParseError extends Error {
  override name = 'ApiParseError';
  readonly kind: string;
  readonly issues: readonly FieldIssue[];

  constructor(
    kind: string,
    objectName: string | undefined,
    issues: readonly FieldIssue[],
    options?: ErrorOptions,
  ) {
    const what = objectName === undefined ? kind : `${kind} ${objectName}`;
    const list = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');
    super(`${what} is invalid: ${list}. Fix the object with kubectl edit or patch.`, options);
    this.kind = kind;
    this.issues = issues;
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ApiParseError };

/** `spec.routes[1].name` for the path ['spec', 'routes', 1, 'name']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function objectNameOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const metadata = (value as { metadata?: unknown }).metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const name = (metadata as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Validates and types an object read from the API server or a file. Defaults the API server would
 * apply are filled in; unknown fields are dropped, so never send a parsed object back as a whole.
 */
export function parseObject<S extends z.core.$ZodType>(
  schema: S,
  kind: string,
  value: unknown,
): ParseResult<z.output<S>> {
  const result = z.safeParse(schema, value);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  return { ok: false, error: new ApiParseError(kind, objectNameOf(value), issues, { cause: result.error }) };
}

export const parseConfig = (value: unknown): ParseResult<Config> => parseObject(config, 'Config', value);
export const parseImagePruner = (value: unknown): ParseResult<ImagePruner> =>
  parseObject(imagePruner, 'ImagePruner', value);
export const parseClusterOperator = (value: unknown): ParseResult<ClusterOperator> =>
  parseObject(clusterOperator, 'ClusterOperator', value);
export const parseImage = (value: unknown): ParseResult<Image> => parseObject(image, 'Image', value);
export const parseInfrastructure = (value: unknown): ParseResult<Infrastructure> =>
  parseObject(infrastructure, 'Infrastructure', value);
export const parseProxy = (value: unknown): ParseResult<Proxy> => parseObject(proxy, 'Proxy', value);
export const parseRoute = (value: unknown): ParseResult<Route> => parseObject(route, 'Route', value);
