import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions, usage } from './options.ts';

describe('parseOptions', () => {
  it('has documented defaults', () => {
    expect(parseOptions([], {})).toEqual({
      help: false,
      kubeconfig: undefined,
      namespace: 'openshift-image-registry',
      metricsBindAddress: ':8080',
      metricsAuth: 'auto',
      metricsCertDir: '',
      leaderElect: true,
      leaderElectionNamespace: 'openshift-image-registry',
      leaderElection: { leaseDurationMs: 137_000, renewDeadlineMs: 107_000, retryPeriodMs: 26_000 },
      logLevel: 'info',
      extra: {},
    });
  });

  it('reads the Lease timing as Go durations and refuses an order that cannot work', () => {
    const env = { IRO_LEADER_ELECT_LEASE_DURATION: '1m30s', IRO_LEADER_ELECT_RENEW_DEADLINE: '10s' };
    expect(parseOptions(['--leader-elect-retry-period=1500ms'], env).leaderElection).toEqual({ leaseDurationMs: 90_000, renewDeadlineMs: 10_000, retryPeriodMs: 1500 });
    expect(() => parseOptions(['--leader-elect-retry-period=26'], {})).toThrow(/--leader-elect-retry-period must be a duration such as/);
    expect(() => parseOptions(['--leader-elect-retry-period=2s1'], {})).toThrow(/must be a duration/);
    expect(() => parseOptions(['--leader-elect-retry-period=0'], {})).toThrow(/above 0/);
    expect(() => parseOptions(['--leader-elect-renew-deadline=200s'], {})).toThrow(/must exceed/);
  });

  it('prefers flags over environment over defaults', () => {
    const env = { IRO_NAMESPACE: 'from-env', IRO_LOG_LEVEL: 'debug', KUBECONFIG: '/env/kubeconfig' };
    const o = parseOptions(['--namespace=from-flag', '--kubeconfig', '/flag/kubeconfig'], env);
    expect(o).toMatchObject({ namespace: 'from-flag', logLevel: 'debug', kubeconfig: '/flag/kubeconfig', leaderElectionNamespace: 'from-flag' });
  });

  it('reads booleans the way Go flags do', () => {
    expect(parseOptions(['--leader-elect=false'], {}).leaderElect).toBe(false);
    expect(parseOptions(['--leader-elect'], { IRO_LEADER_ELECT: 'false' }).leaderElect).toBe(true);
    expect(parseOptions([], { IRO_LEADER_ELECT: '0' }).leaderElect).toBe(false);
    expect(() => parseOptions(['--leader-elect=maybe'], {})).toThrow(/must be true or false/);
  });

  it('rejects unknown flags and bad log levels with a hint', () => {
    expect(() => parseOptions(['--namespce=x'], {})).toThrow(OptionsError);
    expect(() => parseOptions(['--namespce=x'], {})).toThrow(/--help/);
    expect(() => parseOptions(['--log-level=loud'], {})).toThrow(/one of trace, debug/);
  });

  it('parses app-specific flags with their environment fallback', () => {
    const extra = { 'node-agent': { type: 'boolean' as const, env: 'IRO_NODE_AGENT', default: false, description: 'run as the node agent' } };
    expect(parseOptions([], {}, extra).extra).toEqual({ 'node-agent': false });
    expect(parseOptions([], { IRO_NODE_AGENT: 'true' }, extra).extra).toEqual({ 'node-agent': true });
    expect(usage('node-ca', extra)).toContain('--node-agent ($IRO_NODE_AGENT)');
  });

  it('documents every flag with its environment variable and default', () => {
    const text = usage('storage');
    expect(text).toContain('--namespace ($IRO_NAMESPACE)');
    expect(text).toContain('(default openshift-image-registry)');
    expect(text).toContain('--metrics-bind-address ($IRO_METRICS_BIND_ADDRESS)');
  });
});
