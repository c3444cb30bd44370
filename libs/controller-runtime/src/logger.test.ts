import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  let out = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return { log: createLogger({ level: 'trace', destination }), text: () => out };
}

const secretValue = 'c3VwZXItc2VjcmV0'; // base64 of super-secret

describe('createLogger redaction', () => {
  it('masks the data of a Secret logged under any key, keeping its keys and name', () => {
    const { log, text } = capture();
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { key: secretValue }, stringData: { raw: 'super-secret' } };
    log.info({ obj: secret }, 'applied');
    log.info({ desired: { items: [secret] } }, 'nested in a list');
    log.info(secret, 'merged at the top level');
    log.child({ current: secret }).warn('in a child binding');
    expect(text()).not.toContain(secretValue);
    expect(text()).not.toContain('super-secret');
    expect(text()).toContain('"name":"creds"');
    expect(text()).toContain('"key":"[REDACTED]"');
  });

  it('redacts credential-named fields and authorization headers', () => {
    const { log, text } = capture();
    log.info({ token: 'tok-1', password: 'pw-1', headers: { authorization: 'Bearer tok-2' } }, 'top level');
    log.info({ status: { token: 'tok-3' }, s3: { secretKey: 'sk-1', accessKey: 'ak-1' } }, 'one level down');
    log.info({ data: { '.dockerconfigjson': 'dcj-1' } }, 'docker config');
    for (const s of ['tok-1', 'pw-1', 'tok-2', 'tok-3', 'sk-1', 'ak-1', 'dcj-1']) expect(text()).not.toContain(s);
    expect(text().match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(7);
  });

  it('leaves ordinary fields and ConfigMap data alone', () => {
    const { log, text } = capture();
    log.info({ key: 'ns/name', obj: { kind: 'ConfigMap', data: { 'ca.crt': 'PEM' } } }, 'hello');
    const line = JSON.parse(text()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', key: 'ns/name', obj: { data: { 'ca.crt': 'PEM' } }, msg: 'hello' });
  });
});

describe('child loggers', () => {
  it('keep the parent bindings and mask Secrets bound at any depth', () => {
    let out = '';
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const secret = { kind: 'Secret', data: { k: 'hidden-value' } };
    const grandchild = createLogger({ destination }).child({ controller: 'c' }).child({ key: 'ns/n', obj: secret });
    grandchild.info('x');
    expect(JSON.parse(out)).toMatchObject({ controller: 'c', key: 'ns/n', obj: { data: { k: '[REDACTED]' } } });
  });
});
