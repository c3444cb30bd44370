// The controller runtime every app stands on. See README.md for the contract.
export { applyIsNoop } from './apply-noop.ts';
export {
  inspectCertificate,
  isSignedBy,
  issueCertificate,
  keyMatchesCertificate,
  type CertificateFacts,
  type CertificateSpec,
  type KeyPair,
} from './certificates.ts';
export { systemClock, type Clock } from './clock.ts';
export {
  Controller,
  generationChanged,
  isTerminal,
  type ControllerOptions,
  type OwnsOptions,
  type Predicate,
  type Reconcile,
  type ReconcileContext,
  type Result,
} from './controller.ts';
export {
  KubeApiError,
  KubeTransportError,
  NotLeaderError,
  TerminalError,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  type KubeStatus,
} from './errors.ts';
export { createProbeServer, parseBindAddress, type HealthReport, type ProbeServerOptions } from './http-server.ts';
export { EventRecorder, eventRef, type EventInput, type EventRecorderOptions, type EventRef } from './events.ts';
export { recordChanges, whenCreated, type ChangeEvent } from './events-observer.ts';
export { eventRecorder } from './manager-events.ts';
export { Informer, type EventHandler, type InformerOptions, type ListWatcher } from './informer.ts';
export {
  KubeClient,
  type ApplyOptions,
  type CallOptions,
  type DeleteOptions,
  type KubeClientOptions,
  type ListOptions,
  type ListResult,
  type WatchEvent,
  type WatchOptions,
} from './kube-client.ts';
export { parseLabelSelector, LabelSelectorError } from './label-selector.ts';
export { LeaderElector, type LeaderCallbacks, type LeaderElectorOptions } from './leader-election.ts';
export { followLogLevel, moreVerbose } from './log-level.ts';
export { createLogger, redactPaths, silentLogger, type Logger, type LoggerOptions } from './logger.ts';
export { Manager, type InformerScope, type ManagerOptions } from './manager.ts';
export { OwnWrites, newest } from './own-writes.ts';
export { reconcileSignal } from './reconcile-scope.ts';
export { RuntimeMetrics, runtimeMetrics } from './metrics.ts';
export { MetricsAuthorizer, type MetricsVerdict } from './metrics-auth.ts';
export { metricsAuthRequired, type MetricsAuthMode } from './metrics-serving.ts';
export {
  objectKey,
  ownerReference,
  parseRequestKey,
  requestFor,
  requestKey,
  type KubeObject,
  type ManagedFieldsEntry,
  type ObjectMeta,
  type OwnerReference,
  type Request,
} from './objects.ts';
export { commonFlags, OptionsError, parseDuration, parseOptions, usage, type AppOptions, type ExtraFlag } from './options.ts';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.ts';
export { Resources, collectionPath, objectPath, resource, resourceId, type ResourceType } from './resources.ts';
export { fieldManagerFor, loadKubeConfig, runApp, type AppDefinition } from './run-app.ts';
export { WorkQueue, type WorkQueueOptions } from './workqueue.ts';
export { http } from './node-http.ts';
