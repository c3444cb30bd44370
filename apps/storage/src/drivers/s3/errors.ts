import type { DesiredCondition } from '@image-registry/conditions';
import { errorMessage } from '../driver.ts';

/** The HTTP status of an SDK error. */
export function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** The S3 error code: the service's code, else one derived from the HTTP status (HEAD answers carry no body). */
export function s3ErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('$metadata' in err)) return undefined;
  const name = (err as { name?: string }).name;
  const status = httpStatus(err);
  if (name && name !== 'Unknown' && name !== 'UnknownError' && name !== 'Error' && !/^\d+$/.test(name))
    return name;
  switch (status) {
    case 301:
      return 'PermanentRedirect';
    case 400:
      return 'BadRequest';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 501:
      return 'NotImplemented';
    default:
      return status ? `HTTP${status}` : undefined;
  }
}

/** The bucket is not there (a 403 never counts: it may hide someone else's bucket). */
export function isNoSuchBucket(err: unknown): boolean {
  const code = s3ErrorCode(err);
  return code === 'NoSuchBucket' || code === 'NotFound';
}

export function s3ErrorText(op: string, bucket: string, err: unknown): string {
  const code = s3ErrorCode(err);
  const status = httpStatus(err);
  const raw = errorMessage(err);
  const detail = raw && raw !== code && raw !== 'UnknownError' ? `: ${raw}` : '';
  return code
    ? `${op} ${bucket}: ${code}${detail}${status ? ` (HTTP ${status})` : ''}`
    : `${op} ${bucket}: ${raw}`;
}

/** The condition for a failed call: the AWS code as reason, else upstream's `Unknown Error Occurred`. */
export function s3Failure(type: string, op: string, bucket: string, err: unknown): DesiredCondition {
  const code = s3ErrorCode(err);
  return {
    type,
    status: code ? 'False' : 'Unknown',
    reason: code ?? 'Unknown Error Occurred',
    message: s3ErrorText(op, bucket, err),
  };
}
