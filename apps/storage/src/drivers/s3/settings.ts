import {
  GetBucketEncryptionCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import type { DesiredCondition } from '@image-registry/conditions';
import type { S3Storage } from '../../storage-types.ts';
import { StorageConditionTypes as T, errorMessage } from '../driver.ts';
import type { S3Api } from './client.ts';
import { httpStatus, s3ErrorCode, s3Failure } from './errors.ts';

/** Upstream's lifecycle rule name, kept so a cluster moved between implementations keeps one rule. */
export const lifecycleRuleID = 'cleanup-incomplete-multipart-registry-uploads';

/** Codes an S3-compatible endpoint answers for a setting it does not understand. */
const rejectedAsMalformed = new Set(['MalformedXML', 'InvalidArgument', 'InvalidRequest']);

export interface SettingContext {
  bucket: string;
  config: S3Storage;
  tags: { Key: string; Value: string }[];
  /** The endpoint named in messages. */
  endpoint: string;
  signal: AbortSignal | undefined;
}

/**
 * One setting the operator owns on a Managed bucket: the request that applies it, and (where S3 can
 * answer) a read-back that proves the bucket now carries it — an endpoint may accept a request and
 * ignore part of it.
 */
interface Setting {
  type: string;
  op: string;
  put(c: SettingContext): object;
  /** Undefined when the read-back agrees; else what differs. */
  verify?(client: S3Api, c: SettingContext): Promise<string | undefined>;
  ok(c: SettingContext): { reason: string; message: string };
}

const blockAll = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

function encryptionRule(config: S3Storage): ServerSideEncryptionRule {
  return {
    ApplyServerSideEncryptionByDefault: config.keyID
      ? { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: config.keyID }
      : { SSEAlgorithm: 'AES256' },
    BucketKeyEnabled: true,
  };
}

/** In upstream's order: public access block, tags, encryption, lifecycle. */
export const s3Settings: readonly Setting[] = [
  {
    type: T.publicAccessBlocked,
    op: 'PutPublicAccessBlock',
    put: (c) =>
      new PutPublicAccessBlockCommand({ Bucket: c.bucket, PublicAccessBlockConfiguration: blockAll }),
    async verify(client, c) {
      const out = (await client.send(new GetPublicAccessBlockCommand({ Bucket: c.bucket }), {
        abortSignal: c.signal,
      })) as { PublicAccessBlockConfiguration?: Record<string, boolean | undefined> };
      const got = out.PublicAccessBlockConfiguration ?? {};
      const off = Object.keys(blockAll).filter((k) => got[k] !== true);
      return off.length ? `${off.join(', ')} read back as not true` : undefined;
    },
    ok: () => ({
      reason: 'Public Access Block Successful',
      message: 'Public access to the S3 bucket and its contents have been successfully blocked.',
    }),
  },
  {
    type: T.tagged,
    op: 'PutBucketTagging',
    put: (c) => new PutBucketTaggingCommand({ Bucket: c.bucket, Tagging: { TagSet: c.tags } }),
    ok: () => ({ reason: 'Tagging Successful', message: 'Tags were successfully applied to the S3 bucket' }),
  },
  {
    type: T.encrypted,
    op: 'PutBucketEncryption',
    put: (c) =>
      new PutBucketEncryptionCommand({
        Bucket: c.bucket,
        ServerSideEncryptionConfiguration: { Rules: [encryptionRule(c.config)] },
      }),
    async verify(client, c) {
      const out = (await client.send(new GetBucketEncryptionCommand({ Bucket: c.bucket }), {
        abortSignal: c.signal,
      })) as { ServerSideEncryptionConfiguration?: { Rules?: ServerSideEncryptionRule[] } };
      const rule = out.ServerSideEncryptionConfiguration?.Rules?.[0];
      const want = encryptionRule(c.config).ApplyServerSideEncryptionByDefault;
      const got = rule?.ApplyServerSideEncryptionByDefault;
      if (got?.SSEAlgorithm !== want?.SSEAlgorithm)
        return `the algorithm read back is ${got?.SSEAlgorithm ?? 'none'}`;
      if (want?.KMSMasterKeyID && !got?.KMSMasterKeyID?.endsWith(want.KMSMasterKeyID))
        return `the KMS key read back is ${got?.KMSMasterKeyID ?? 'none'}`;
      // An endpoint that leaves BucketKeyEnabled out does not use bucket keys (MinIO): not a failure.
      if (rule?.BucketKeyEnabled === false) return 'BucketKeyEnabled read back as false';
      return undefined;
    },
    ok: (c) => ({
      reason: 'Encryption Successful',
      message: `Default ${c.config.keyID ? 'aws:kms' : 'AES256'} encryption was successfully enabled on the S3 bucket`,
    }),
  },
  {
    type: T.incompleteUploadCleanup,
    op: 'PutBucketLifecycleConfiguration',
    put: (c) =>
      new PutBucketLifecycleConfigurationCommand({
        Bucket: c.bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: lifecycleRuleID,
              Status: 'Enabled',
              Filter: { Prefix: '' },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
          ],
        },
      }),
    ok: () => ({
      reason: 'Enable Cleanup Successful',
      message: 'Default cleanup of incomplete multipart uploads after one (1) day was successfully enabled',
    }),
  },
];

/**
 * False `NotSupportedByEndpoint` when an S3-compatible endpoint does not implement the call (501), or
 * refuses a request AWS accepts as malformed (MinIO has no AbortIncompleteMultipartUpload action);
 * undefined for any other error.
 */
function unsupported(s: Setting, c: SettingContext, err: unknown): DesiredCondition | undefined {
  const code = s3ErrorCode(err);
  const base = { type: s.type, status: 'False' as const, reason: 'NotSupportedByEndpoint' };
  const tail = `the operator cannot apply this setting to bucket ${c.bucket}`;
  if (code === 'NotImplemented')
    return { ...base, message: `${c.endpoint} does not implement ${s.op}; ${tail}` };
  if (c.config.regionEndpoint && httpStatus(err) === 400 && code && rejectedAsMalformed.has(code))
    return {
      ...base,
      message: `${c.endpoint} does not support ${s.op} as AWS S3 does (${code}: ${errorMessage(err)}); ${tail}`,
    };
  return undefined;
}

/** Applies one setting and reads it back. Never throws for the provider's answer: a failed setting never fails provisioning (as upstream). */
async function apply(client: S3Api, s: Setting, c: SettingContext): Promise<DesiredCondition> {
  try {
    await client.send(s.put(c), { abortSignal: c.signal });
  } catch (err) {
    c.signal?.throwIfAborted();
    return unsupported(s, c, err) ?? s3Failure(s.type, s.op, c.bucket, err);
  }
  if (s.verify) {
    let differs: string | undefined;
    try {
      differs = await s.verify(client, c);
    } catch (err) {
      c.signal?.throwIfAborted();
      // Applied, but the endpoint cannot be asked: trust the accepted request.
      if (s3ErrorCode(err) !== 'NotImplemented')
        return s3Failure(s.type, `${s.op} (read back)`, c.bucket, err);
    }
    if (differs)
      return {
        type: s.type,
        status: 'False',
        reason: 'NotAppliedByEndpoint',
        message: `${c.endpoint} accepted ${s.op} for bucket ${c.bucket}, but ${differs}`,
      };
  }
  return { type: s.type, status: 'True', ...s.ok(c) };
}

/** Every managed setting, one condition each, in order. */
export async function applyS3Settings(client: S3Api, c: SettingContext): Promise<DesiredCondition[]> {
  const out: DesiredCondition[] = [];
  for (const s of s3Settings) out.push(await apply(client, s, c));
  return out;
}
