import { Gauge, type Registry } from 'prom-client';

/** `image_registry_operator_image_pruner_install_status`: 0 CronJob missing, 1 suspended, 2 enabled (upstream). */
export class InstallStatusMetric {
  private readonly gauge: Gauge;

  constructor(registry: Registry) {
    this.gauge = new Gauge({
      name: 'image_registry_operator_image_pruner_install_status',
      help: 'Reports the installation state of automatic image pruner CronJob to cluster. 0: not installed, 1: suspended, 2: enabled.',
      registers: [registry],
    });
    this.gauge.set(0);
  }

  set(value: number): void {
    this.gauge.set(value);
  }
}
