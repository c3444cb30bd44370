import type { ClusterFacts } from '../../cluster.ts';
import { sharedCredentialsFile } from '../../credentials/s3.ts';
import type { S3Api, S3ClientSettings } from './client.ts';
import { S3Driver } from './driver.ts';

/** Test double for the S3 driver's unit tests: the SDK's `send`, answered per command. */

export const cluster: ClusterFacts = {
  infrastructureName: 'mycluster-abc12',
  platform: 'AWS',
  hasInfrastructure: true,
  aws: { region: 'eu-west-1', serviceEndpoints: [], resourceTags: [{ key: 'team', value: 'infra' }] },
  gcp: { resourceLabels: [] },
  azure: { resourceTags: [] },
};
export const credentials = {
  kind: 'static' as const,
  accessKeyId: 'AK',
  secretAccessKey: 'SK',
  sharedCredentialsFile: sharedCredentialsFile('AK', 'SK'),
};

/** An S3 service error as the SDK throws it. */
export function s3Error(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

export type Handler = (input: Record<string, unknown>) => unknown;

/** A fake S3: per-command handlers; records every call; Get* reads back the last Put*. */
export function fakeS3(handlers: Record<string, Handler> = {}) {
  const calls: { command: string; input: Record<string, unknown> }[] = [];
  const lastPut = (command: string, field: string) => () => ({
    [field]: calls.findLast((c) => c.command === command)?.input[field],
  });
  const readBack: Record<string, Handler> = {
    GetPublicAccessBlock: lastPut('PutPublicAccessBlock', 'PublicAccessBlockConfiguration'),
    GetBucketEncryption: lastPut('PutBucketEncryption', 'ServerSideEncryptionConfiguration'),
  };
  const settings: S3ClientSettings[] = [];
  const api: S3Api = {
    send(command: object) {
      const name = command.constructor.name.replace(/Command$/, '');
      const input = (command as { input: Record<string, unknown> }).input;
      calls.push({ command: name, input });
      const h = handlers[name] ?? readBack[name];
      try {
        return Promise.resolve(h ? h(input) : {});
      } catch (err) {
        return Promise.reject(err);
      }
    },
  };
  const driver = (extra: Partial<ConstructorParameters<typeof S3Driver>[0]> = {}) =>
    new S3Driver({
      cluster,
      credentials,
      clientFactory: (s) => {
        settings.push(s);
        return api;
      },
      sleep: () => Promise.resolve(),
      ...extra,
    });
  return { calls, settings, driver, names: () => calls.map((c) => c.command) };
}
