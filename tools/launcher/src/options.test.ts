import { describe, expect, it } from 'vitest';
import { LauncherOptionsError, parseLauncherOptions } from './options.ts';

const parse = (argv: string[], env: Record<string, string> = {}) => parseLauncherOptions(argv, env, '/app/apps');

describe('launcher options', () => {
  it('finds each bundle under the bundle folder, or at the path given, and hands every app the arguments after --', () => {
    const o = parse(['--apps=status,storage=/opt/s/main.mjs', '--app-arg=status:--release-version=1', '--', '--namespace=ns', '--leader-elect=true']);
    expect(o.apps).toEqual([
      { name: 'status', bundle: '/app/apps/status/main.mjs', args: ['--namespace=ns', '--leader-elect=true', '--release-version=1'] },
      { name: 'storage', bundle: '/opt/s/main.mjs', args: ['--namespace=ns', '--leader-elect=true'] },
    ]);
    expect(o.metricsBindAddress).toBe(':8080');
    expect(o.shutdownTimeoutMs).toBe(35_000);
    expect(o.restart.maxRestarts).toBe(5);
    expect(o.workerLimits).toEqual({});
  });

  it('reads the environment when a flag is absent, and the flag when both are set', () => {
    const env = { IRO_LAUNCHER_APPS: 'routes', IRO_LAUNCHER_BUNDLE_DIR: '/b', IRO_LAUNCHER_WORKER_MAX_YOUNG_GENERATION_MB: '8' };
    expect(parse([], env).apps[0]?.bundle).toBe('/b/routes/main.mjs');
    expect(parse([], env).workerLimits).toEqual({ maxYoungGenerationSizeMb: 8 });
    expect(parse(['--apps=status'], env).apps.map((a) => a.name)).toEqual(['status']);
  });

  it.each([
    [[], /--apps .* is empty/],
    [['--apps=status,status'], /names status twice/],
    [['--apps=Status'], /not an app name/],
    [['--apps=status', '--app-arg=storage:--x=1'], /names storage, which is not in --apps/],
    [['--apps=status', '--app-arg=--x=1'], /<app>:<arg>/],
    [['--apps=status', '--max-restarts=-1'], /--max-restarts must be a whole number/],
    [['--apps=status', '--shutdown-timeout-seconds=0'], /positive number of seconds/],
    [['--apps=status', '--worker-max-old-generation-mb=1.5'], /whole number of MB/],
    [['--apps=status', '--nope'], /Unknown option '--nope'/],
  ])('rejects %j with an error that says what to fix', (argv, message) => {
    expect(() => parse(argv)).toThrow(LauncherOptionsError);
    expect(() => parse(argv)).toThrow(message);
  });
});
