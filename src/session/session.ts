import type { ApiEvent, BachApi } from '../api/types.js';
import type { BuildSettings } from '../project/build-settings.js';
import { statePaths } from '../state/paths.js';
import { systemClock } from '../util/clock.js';
import type { Submitter } from '../submitter/host.js';
import type { SpawnedSubmitter } from '../submitter/spawn-submitter.js';

// What a build talks to, opened once per command from its settings (a watch session keeps it
// across runs): the API (or an embedded emulator) and the submitter process. The settings have
// already checked the address and the keys; the HTTP client itself (undici) is loaded only
// when a build has something to send, so a no-op build stays fast.

export interface ApiConnection {
  api: BachApi;
  /** Upload records are kept per API origin. */
  origin: string;
  /** The API lives only as long as this process (embedded emulator): its upload URLs are not worth keeping. */
  ephemeral: boolean;
  /** For an ephemeral API: the images uploaded to it in this session (a watch reuses them run after run). */
  sessionUploads: Map<string, string>;
  /** Sends the create requests from a process of its own (see submitter/host.ts). */
  submitter: Submitter;
  /** The rate gate the client and the submitter share; closed with the session. */
  closeGate?: () => void;
}

export interface Session {
  /**
   * Creates the client on first use. API events go to the listener of the latest call (a watch
   * session connects once and gives each run its own reporter).
   */
  connect(onEvent: (event: ApiEvent) => void): Promise<ApiConnection>;
  /** Starts the client and the submitter process now, while the build is still loading and planning. */
  prewarm(): void;
  /** Throws when this session cannot talk to the API (no keys): called once a plan is known to need it. */
  requireApi(): void;
  /** Image digests uploaded to an ephemeral API earlier in this session (for the plan's upload count). */
  sessionUploaded(): Iterable<string>;
  close(): Promise<void>;
}

/**
 * `spawned`: a submitter process the command started early (commands/build.ts), used by this session
 * when it connects; the session lets it go on close if it never did.
 */
export function openSession(settings: BuildSettings, root: string, spawned?: SpawnedSubmitter): Session {
  const { journal: journalDir, dir: stateDir } = statePaths(root);
  const { api, credentials } = settings;
  if (api.kind === 'emulator') return openEmulatorSession(journalDir, stateDir, spawned);
  if (!credentials) {
    spawned?.release();
    if (!settings.credentialsError) throw new Error('a session that sends needs credentials (the settings decide them)');
    return openKeylessSession(settings.credentialsError);
  }
  const { baseUrl } = api;
  let connection: Promise<ApiConnection> | undefined;
  const events = createListener();
  const session: Session = {
    sessionUploaded: () => [],
    connect(onEvent) {
      events.target = onEvent;
      connection ??= Promise.all([import('../submitter/host.js'), import('../api/client.js'), import('../api/rate-gate.js')]).then(
        ([{ startSubmitter }, { createApiClient }, { createRateGate }]) => {
          // One pacer for the key: the build's requests and the submitter's creates (rate-gate.ts).
          const gate = createRateGate({ clock: systemClock });
          return {
            // The submitter first: its process starts loading while this one loads the client.
            submitter: startSubmitter({ baseUrl, credentials, journalDir, stateDir, onEvent: events.emit, gate }, spawned),
            api: createApiClient({ baseUrl, credentials, onEvent: events.emit, gate }),
            origin: api.origin,
            ephemeral: false,
            sessionUploads: new Map(),
            closeGate: () => gate.close(),
          };
        },
      );
      return connection;
    },
    prewarm() {
      void session.connect(events.target).catch(() => {});
    },
    requireApi() {},
    async close() {
      if (connection) await closeConnection(await connection);
      spawned?.release();
    },
  };
  return session;
}

/** One API-event listener per session, retargeted by each `connect`. */
function createListener() {
  const listener = {
    target: (_event: ApiEvent): void => {},
    emit: (event: ApiEvent): void => listener.target(event),
  };
  return listener;
}

async function closeConnection(connection: ApiConnection): Promise<void> {
  await Promise.all([connection.submitter.close(), connection.api.close()]);
  connection.closeGate?.();
}

function openEmulatorSession(journalDir: string, stateDir: string, spawned: SpawnedSubmitter | undefined): Session {
  // Started on first use: a build with nothing to do should not pay for a server it never calls.
  let emulator: Promise<import('../emulator/index.js').Emulator> | undefined;
  let connection: Promise<ApiConnection> | undefined;
  const sessionUploads = new Map<string, string>();
  const events = createListener();
  const session: Session = {
    sessionUploaded: () => sessionUploads.keys(),
    connect(onEvent) {
      events.target = onEvent;
      emulator ??= import('../emulator/index.js').then(({ startEmulator }) => startEmulator({ port: 0 }));
      connection ??= Promise.all([emulator, import('../api/client.js'), import('../submitter/host.js'), import('../api/rate-gate.js')]).then(
        ([running, { createApiClient }, { startSubmitter }, { createRateGate }]) => {
          const credentials = { accessKey: running.accessKey, secretKey: running.secretKey };
          const gate = createRateGate({ clock: systemClock });
          return {
            submitter: startSubmitter({ baseUrl: running.url, credentials, journalDir, stateDir, onEvent: events.emit, gate }, spawned),
            api: createApiClient({ baseUrl: running.url, credentials, onEvent: events.emit, gate }),
            closeGate: () => gate.close(),
            origin: running.origin,
            ephemeral: true,
            sessionUploads,
          };
        },
      );
      return connection;
    },
    prewarm() {
      void session.connect(events.target).catch(() => {});
    },
    requireApi() {},
    async close() {
      if (connection) await closeConnection(await connection);
      spawned?.release();
      if (emulator) await (await emulator).close();
    },
  };
  return session;
}

/**
 * No keys: a session that can do everything that sends nothing (restores from the cache, lockfile
 * updates) and raises the missing-keys error the moment something would talk to the API. build-once
 * asks `planCallsApi` first, so a plan that needs the API stops before any work, with that error.
 */
function openKeylessSession(missing: Error): Session {
  const refuse = (): never => {
    throw missing;
  };
  const offline = new Proxy({}, { get: (_target, property) => (property === 'then' ? undefined : refuse) });
  return {
    sessionUploaded: () => [],
    connect: () => Promise.resolve({ api: offline as BachApi, submitter: offline as Submitter, origin: '', ephemeral: false, sessionUploads: new Map() }),
    prewarm() {},
    requireApi: () => refuse(),
    async close() {},
  };
}
