import type { CliContext } from '../util/cli-context.js';
import type { ApiEvent, BachApi } from '../api/types.js';
import { statePaths } from '../state/paths.js';
import type { Submitter } from '../submitter/host.js';
import type { BuildSettings } from '../project/build-settings.js';
import { parseNumber } from '../util/parse-number.js';

// What a build talks to, decided once per command (a watch session keeps it across runs):
// the API (or an embedded emulator), the credentials, the poll interval. Credentials are checked
// up front — a missing key is reported before any work starts — but the HTTP client itself (undici,
// jose) is loaded only when a build has something to send, so a no-op build stays fast.

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
}

export interface Session {
  /**
   * Creates the client on first use. API events go to the listener of the latest call (a watch
   * session connects once and gives each run its own reporter).
   */
  connect(onEvent: (event: ApiEvent) => void): Promise<ApiConnection>;
  /** Starts the client and the submitter process now, while the build is still loading and planning. */
  prewarm(): void;
  pollIntervalMs: number;
  /** Human description of where requests go (never with credentials). */
  target: string;
  /** The API's origin when uploads to it can be remembered across builds (not the embedded emulator). */
  persistentOrigin: string | null;
  /** Image digests uploaded to an ephemeral API earlier in this session (for the plan's upload count). */
  sessionUploaded(): Iterable<string>;
  close(): Promise<void>;
}

const DEFAULT_POLL_MS = 10_000;
const EMULATOR_POLL_MS = 1_000;

export async function openSession(flags: BuildSettings, context: CliContext, root: string): Promise<Session> {
  const { readProjectEnv } = await import('../api/dotenv.js');
  const env = await readProjectEnv(root, context.env);
  const pollIntervalMs = resolvePollInterval(flags, env);
  const { journal: journalDir, dir: stateDir } = statePaths(root);
  if (flags.emulator) return openEmulatorSession(pollIntervalMs ?? EMULATOR_POLL_MS, journalDir, stateDir);
  const { readCredentials, resolveBaseUrl } = await import('../api/credentials.js');
  const baseUrl = resolveBaseUrl(flags.baseUrl, env);
  const credentials = flags.dryRun ? null : readCredentials(env);
  let connection: Promise<ApiConnection> | undefined;
  const events = createListener();
  const session: Session = {
    pollIntervalMs: pollIntervalMs ?? DEFAULT_POLL_MS,
    target: baseUrl,
    persistentOrigin: new URL(baseUrl).origin,
    sessionUploaded: () => [],
    connect(onEvent) {
      if (!credentials) throw new Error('a dry run never connects');
      events.target = onEvent;
      connection ??= Promise.all([import('../submitter/host.js'), import('../api/client.js')]).then(([{ startSubmitter }, { createApiClient }]) => ({
        // The submitter first: its process starts loading while this one loads the client.
        submitter: startSubmitter({ baseUrl, credentials, journalDir, stateDir, onEvent: events.emit }),
        api: createApiClient({ baseUrl, credentials, onEvent: events.emit }),
        origin: new URL(baseUrl).origin,
        ephemeral: false,
        sessionUploads: new Map(),
      }));
      return connection;
    },
    prewarm() {
      if (credentials) void session.connect(events.target).catch(() => {});
    },
    async close() {
      if (connection) await closeConnection(await connection);
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
}

async function openEmulatorSession(pollIntervalMs: number, journalDir: string, stateDir: string): Promise<Session> {
  // Started on first use: a build with nothing to do should not pay for a server it never calls.
  let emulator: Promise<import('../emulator/index.js').Emulator> | undefined;
  let connection: Promise<ApiConnection> | undefined;
  const sessionUploads = new Map<string, string>();
  const events = createListener();
  const session: Session = {
    pollIntervalMs,
    target: 'the embedded emulator',
    persistentOrigin: null,
    sessionUploaded: () => sessionUploads.keys(),
    connect(onEvent) {
      events.target = onEvent;
      emulator ??= import('../emulator/index.js').then(({ startEmulator }) => startEmulator({ port: 0 }));
      connection ??= Promise.all([emulator, import('../api/client.js'), import('../submitter/host.js')]).then(
        ([running, { createApiClient }, { startSubmitter }]) => {
          const credentials = { accessKey: running.accessKey, secretKey: running.secretKey };
          return {
            submitter: startSubmitter({ baseUrl: running.url, credentials, journalDir, stateDir, onEvent: events.emit }),
            api: createApiClient({ baseUrl: running.url, credentials, onEvent: events.emit }),
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
    async close() {
      if (connection) await closeConnection(await connection);
      if (emulator) await (await emulator).close();
    },
  };
  return session;
}

function resolvePollInterval(flags: BuildSettings, env: Readonly<Record<string, string | undefined>>): number | undefined {
  if (flags.pollIntervalMs !== undefined) return flags.pollIntervalMs;
  const fromEnv = env.BACH_POLL_INTERVAL;
  if (fromEnv === undefined || fromEnv.trim() === '') return undefined;
  return Math.round(parseNumber('BACH_POLL_INTERVAL', fromEnv, { min: 0.001 }) * 1000);
}
