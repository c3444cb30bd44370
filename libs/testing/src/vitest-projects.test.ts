import { describe, expect, it } from 'vitest';
import { projects } from './vitest-projects.ts';

describe('vitest projects', () => {
  it('separates hermetic unit tests from integration tests that share a control plane', () => {
    const [unit, integration] = projects('/x');
    expect(unit?.test?.include).toEqual(['src/**/*.test.ts']);
    expect(integration?.test?.include).toEqual(['test/**/*.int.test.ts']);
    expect(integration?.test?.globalSetup).toHaveLength(1);
  });

  it('runs on the workspace Node 24, not the machine Node 20', () => {
    expect(Number(process.version.slice(1).split('.')[0])).toBeGreaterThanOrEqual(24);
  });
});
