import type { AddressInfo } from 'node:net';
import { applyConfigPatch, createDefaultConfig, type EmulatorConfig, type EmulatorConfigPatch } from './config.js';
import { API_BASE_PATH, createEmulatorServer } from './server.js';
import { createEmulatorState } from './state.js';
import type { EmulatorStats } from './stats.js';

// The programmatic entry (package export `bach-render/emulator`): a faithful local Bach API for
// tests, CI and `bach-render --emulator`. Starting encodes nothing and binds 127.0.0.1 on a free
// port by default. close() stops every timer, closes every connection and removes the temp folder,
// so an emulator embedded in a build never keeps the process alive afterwards.

export type { EmulatorConfig, EmulatorConfigPatch, EmulatorKey, FaultConfig, PlanConfig, RateLimitConfig } from './config.js';
export { applyConfigPatch, createDefaultConfig, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, EmulatorConfigError } from './config.js';
export type { EmulatorStats, TaskSummary } from './stats.js';
export { createRequestFingerprint } from './fingerprint.js';

export interface EmulatorOptions extends EmulatorConfigPatch {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. Binding another interface exposes a fake API with published keys. */
  host?: string;
  /** One line per request and per task event (the CLI's --verbose). */
  log?: (line: string) => void;
}

export interface Emulator {
  /** Base URL including /api/vdr, e.g. http://127.0.0.1:41234/api/vdr */
  readonly url: string;
  /** http://127.0.0.1:41234 */
  readonly origin: string;
  /** The first configured key pair. */
  readonly accessKey: string;
  readonly secretKey: string;
  /** The temp folder holding uploads; removed by close(). */
  readonly dataDir: string;
  stats(): EmulatorStats;
  reset(): void;
  /** Validates and applies a patch (faults and plan merge one level deep); throws EmulatorConfigError. */
  configure(patch: EmulatorConfigPatch): void;
  getConfig(): EmulatorConfig;
  /** Resolves when every task callback started so far has been delivered or has failed. */
  callbacksSettled(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port = 0, host = '127.0.0.1', log, ...patch } = options;
  const config = applyConfigPatch(createDefaultConfig(), patch, 'options');
  const state = createEmulatorState(config, log ? { log } : {});
  const server = createEmulatorServer(state);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await state.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  state.origin = `http://${urlHost(host)}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${state.origin}${API_BASE_PATH}`,
    origin: state.origin,
    get accessKey() {
      return state.config.keys[0]!.accessKey;
    },
    get secretKey() {
      return state.config.keys[0]!.secretKey;
    },
    dataDir: state.uploads.root,
    stats: () => state.stats(),
    reset: () => state.reset(),
    configure: (configPatch) => state.configure(configPatch),
    getConfig: () => structuredClone(state.config),
    callbacksSettled: () => state.callbacks.settled(),
    close() {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await state.close();
        await stopped;
      })();
      return closed;
    },
  };
}

/** The host as it goes in a URL; a wildcard bind is reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
