import { InvalidConfigError } from './errors.ts';

/** What `spec.unsupportedConfigOverrides.deployment` may change (upstream-inventory §5.11). */
export interface DeploymentOverrides {
  annotations: Record<string, string>;
  runtimeClassName?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const field = 'spec.unsupportedConfigOverrides';

function invalid(detail: string, cause?: unknown): InvalidConfigError {
  return new InvalidConfigError(
    field,
    `invalid unsupportedConfigOverrides: ${detail}; expected {"deployment": {"annotations": {...}, "runtimeClassName": "..."}}`,
    cause === undefined ? undefined : { cause },
  );
}

/** Parses the overrides (an object, or JSON text as upstream stores it); unknown keys are ignored. */
export function deploymentOverrides(raw: unknown): DeploymentOverrides {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch (err) {
      throw invalid((err as Error).message, err);
    }
  }
  if (value === undefined || value === null) return { annotations: {} };
  if (!isRecord(value)) throw invalid('it must be an object');
  const deployment = value['deployment'];
  if (deployment === undefined || deployment === null) return { annotations: {} };
  if (!isRecord(deployment)) throw invalid('deployment must be an object');
  const out: DeploymentOverrides = { annotations: {} };
  const ann = deployment['annotations'];
  if (ann !== undefined && ann !== null) {
    if (!isRecord(ann)) throw invalid('deployment.annotations must map strings to strings');
    for (const [k, v] of Object.entries(ann)) {
      if (typeof v !== 'string') throw invalid(`deployment.annotations.${k} must be a string`);
      out.annotations[k] = v;
    }
  }
  const rc = deployment['runtimeClassName'];
  if (rc !== undefined && rc !== null && rc !== '') {
    if (typeof rc !== 'string') throw invalid('deployment.runtimeClassName must be a string');
    out.runtimeClassName = rc;
  }
  return out;
}
