import { describe, expect, it } from 'vitest';
import { mergeMetrics, withAppLabel } from './metrics-merge.ts';

describe('mergeMetrics', () => {
  it('labels every sample with its app and keeps each family together, declared once', () => {
    const a = [
      '# HELP controller_runtime_reconcile_total Total reconciles.',
      '# TYPE controller_runtime_reconcile_total counter',
      'controller_runtime_reconcile_total{controller="status",result="success"} 3',
      '# HELP workqueue_queue_duration_seconds Queue wait.',
      '# TYPE workqueue_queue_duration_seconds histogram',
      'workqueue_queue_duration_seconds_bucket{le="0.1",name="status"} 1',
      'workqueue_queue_duration_seconds_sum{name="status"} 0.01',
      'workqueue_queue_duration_seconds_count{name="status"} 1',
      '',
    ].join('\n');
    const b = [
      '# HELP controller_runtime_reconcile_total Total reconciles.',
      '# TYPE controller_runtime_reconcile_total counter',
      'controller_runtime_reconcile_total{controller="storage",result="error"} 1',
      '# HELP nodejs_heap_size_used_bytes Heap used.',
      '# TYPE nodejs_heap_size_used_bytes gauge',
      'nodejs_heap_size_used_bytes 1234',
      '',
    ].join('\n');
    expect(mergeMetrics([{ app: 'status', text: a }, { app: 'storage', text: b }]).split('\n')).toEqual([
      '# HELP controller_runtime_reconcile_total Total reconciles.',
      '# TYPE controller_runtime_reconcile_total counter',
      'controller_runtime_reconcile_total{app="status",controller="status",result="success"} 3',
      'controller_runtime_reconcile_total{app="storage",controller="storage",result="error"} 1',
      '# HELP workqueue_queue_duration_seconds Queue wait.',
      '# TYPE workqueue_queue_duration_seconds histogram',
      'workqueue_queue_duration_seconds_bucket{app="status",le="0.1",name="status"} 1',
      'workqueue_queue_duration_seconds_sum{app="status",name="status"} 0.01',
      'workqueue_queue_duration_seconds_count{app="status",name="status"} 1',
      '# HELP nodejs_heap_size_used_bytes Heap used.',
      '# TYPE nodejs_heap_size_used_bytes gauge',
      'nodejs_heap_size_used_bytes{app="storage"} 1234',
      '',
    ]);
  });

  it('adds the app label to samples with and without labels, and skips what is not a sample', () => {
    expect(withAppLabel('up 1', 'status')).toBe('up{app="status"} 1');
    expect(withAppLabel('up{} 1 1700000000', 'status')).toBe('up{app="status"} 1 1700000000');
    expect(withAppLabel('x{a="b,c"} NaN', 'routes')).toBe('x{app="routes",a="b,c"} NaN');
    expect(withAppLabel('not a sample', 'routes')).toBeUndefined();
    expect(mergeMetrics([])).toBe('');
  });
});
