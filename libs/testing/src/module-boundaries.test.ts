import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace.ts';

// The workspace's own lint rules, run on code that is never written to disk.
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const root = workspaceRoot();
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries', () => {
  it('rejects an app importing another app', async () => {
    const errors = await boundaryErrors('apps/status/src/x.ts', "import '@image-registry/storage';\n");
    expect(errors.join('\n')).toMatch(/scope:status|can only depend on libs tagged with/);
  });

  it('rejects the runtime importing the API lib', async () => {
    const errors = await boundaryErrors('libs/controller-runtime/src/x.ts', "import '@image-registry/api';\n");
    expect(errors.join('\n')).toMatch(/type:runtime/);
  });

  it('lets an app use the shared libs', async () => {
    const errors = await boundaryErrors(
      'apps/status/src/x.ts',
      "import '@image-registry/conditions';\nimport '@image-registry/controller-runtime';\n",
    );
    expect(errors).toEqual([]);
  });
}, 60_000);
