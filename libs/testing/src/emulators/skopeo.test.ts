import { describe, expect, it } from 'vitest';
import { redactCreds } from './skopeo.ts';

describe('redactCreds', () => {
  it('keeps the user and drops the secret of every credentials flag, and nothing else', () => {
    const args = ['copy', '--src-creds', '<token>:eyJhbGciOi.secret', '--dest-creds', 'admin:pw', '--creds', 'u:p', 'oci:/x:v1', 'docker://h/r:v1'];
    const out = redactCreds(args).join(' ');
    expect(out).toBe('copy --src-creds <token>:<redacted> --dest-creds admin:<redacted> --creds u:<redacted> oci:/x:v1 docker://h/r:v1');
    expect(out).not.toMatch(/eyJ|pw|:p\b/);
  });
});
