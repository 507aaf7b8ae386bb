import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../src/api/errors.js';
import type { BachApi, CreatedTask, TaskState } from '../../src/api/types.js';
import type { RequestBody } from '../../src/contract/create-request.js';
import type { Mode } from '../../src/contract/types.js';
import type { Manifest, Shot } from '../../src/manifest/types.js';
import { createPlan } from '../../src/plan/create-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { createPlanInputs } from '../../src/project/create-plan-inputs.js';
import { readProject } from '../../src/project/read-project.js';
import type { RenderEvent } from '../../src/render/events.js';
import { executePlan } from '../../src/render/execute-plan.js';
import { LockWriter } from '../../src/render/lock-writer.js';
import type { RunReport } from '../../src/render/run-report.js';
import { Journal, type JournalEntry, type SubmittingEntry } from '../../src/state/journal.js';
import { statePaths } from '../../src/state/paths.js';
import type { Submitter } from '../../src/submitter/host.js';
import type { Clock } from '../../src/util/clock.js';
import { sha256Hex } from '../../src/util/hash.js';
import { createMp4 } from '../../src/video/index.js';
import { makeManifest, makeShot } from './builders.js';
import { testdir } from './testdir.js';

// The executor in-process, with a scripted fake API and a fake submitter — no server, no child
// process, no waiting: the money rules tested as plain data. A "build" here is the real front hall
// and executor (readProject → createPlanInputs → createPlan → executePlan) on a real temp folder
// (journal, cache, outputs, lockfile); only the network and the submitter process are fakes.

/** How a task the fake API creates ends. `never`: it stays TASK_PROCESSING (until changed). */
export type TaskResult = 'succeeded' | 'failed' | 'expired' | 'never';

export interface FakeTask {
  taskId: string;
  mode: Mode;
  body: RequestBody;
  result: TaskResult;
}

/** What the n-th create request (0-based, over the whole test) gets: an error answer, or a task ending so. */
export type CreateScript = (n: number, body: RequestBody) => ApiError | TaskResult;

export class FakeApi implements BachApi {
  readonly tasks = new Map<string, FakeTask>();
  creates = 0;
  downloads = 0;

  constructor(public script: CreateScript = () => 'succeeded') {}

  /** A task created earlier (by an "earlier build"). */
  addTask(taskId: string, result: TaskResult, mode: Mode = 'text-to-video'): void {
    this.tasks.set(taskId, { taskId, mode, body: {}, result });
  }

  async createTask(mode: Mode, body: RequestBody): Promise<CreatedTask> {
    await tick();
    const answer = this.script(this.creates, body);
    this.creates += 1;
    if (answer instanceof ApiError) throw answer;
    const taskId = `task-${this.creates}`;
    this.tasks.set(taskId, { taskId, mode, body, result: answer });
    return { taskId, status: 'TASK_PENDING', inDoubtRetried: false };
  }

  async getTask(_mode: Mode, taskId: string, options: { signal?: AbortSignal } = {}): Promise<TaskState> {
    await tick();
    options.signal?.throwIfAborted();
    const task = this.tasks.get(taskId);
    if (!task) throw new ApiError({ kind: 'http', outcome: 'answered', status: 404, code: 1200, message: 'Resource not found' });
    if (task.result === 'never') return { taskId, status: 'TASK_PROCESSING' };
    if (task.result === 'failed') return { taskId, status: 'TASK_FAILED', message: 'the model gave up' };
    return { taskId, status: 'TASK_SUCCEEDED', videoUrl: `https://cdn.test/${taskId}.mp4` };
  }

  async download(url: string, destPath: string): Promise<{ size: number; sha256: string }> {
    await tick();
    this.downloads += 1;
    const taskId = /\/([^/]+)\.mp4$/.exec(url)?.[1] ?? '';
    if (this.tasks.get(taskId)?.result === 'expired') {
      throw new ApiError({ kind: 'http', outcome: 'answered', status: 410, gone: true, message: 'the file is no longer available (HTTP 410)' });
    }
    const bytes = createMp4({ width: 16, height: 16, fps: 24, durationSeconds: 1, tag: taskId });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(destPath, bytes);
    return { size: bytes.length, sha256: sha256Hex(bytes) };
  }

  async uploadFiles(): Promise<never> {
    throw new Error('these tests upload nothing');
  }

  async checkUrl(): Promise<'ok'> {
    return 'ok';
  }

  async close(): Promise<void> {}
}

/**
 * The submitter process's job without the process: journal `sending`, create, journal `accepted`
 * with the task id — or, when the create fails, keep the record only if its outcome is unknown.
 */
export class FakeSubmitter implements Submitter {
  readonly entries: SubmittingEntry[] = [];

  constructor(
    private readonly api: FakeApi,
    private readonly journal: Journal,
  ) {}

  async createTask(mode: Mode, body: RequestBody, entry: SubmittingEntry, signal?: AbortSignal) {
    signal?.throwIfAborted();
    this.entries.push(entry);
    const sending = this.journal.recordSending(entry);
    try {
      const created = await this.api.createTask(mode, body);
      return { created, entry: this.journal.recordAccepted(sending, created.taskId, Boolean(entry.inDoubt)) };
    } catch (error) {
      if (!(error instanceof ApiError && error.inDoubt)) this.journal.remove(entry);
      throw error;
    }
  }

  async close(): Promise<void> {}
}

/** Time that never waits: polls come round at once (Ctrl-C still aborts them). */
export const instantClock: Clock = {
  now: () => Date.now(),
  sleep: (_ms, signal) => (signal?.aborted ? Promise.reject(signal.reason) : tick()),
  random: () => 0.5,
};

export interface BuildOptions {
  retries?: number;
  allowRerender?: boolean;
  concurrency?: number;
  force?: string[];
  interrupt?: AbortSignal;
  /** Sees every event as it is emitted (to interrupt at a chosen moment). */
  onEvent?: (event: RenderEvent) => void;
  lockWriter?: (path: string) => LockWriter;
}

export interface BuildResult {
  plan: Plan;
  report: RunReport;
  events: RenderEvent[];
}

export interface World {
  root: string;
  manifest: Manifest;
  api: FakeApi;
  submitter: FakeSubmitter;
  journal: Journal;
  /** Plans the folder as a build would, without executing. */
  plan(options?: Pick<BuildOptions, 'force'>): Promise<Plan>;
  build(options?: BuildOptions): Promise<BuildResult>;
  /** The journal on disk, by state. */
  journalStates(): JournalEntry['state'][];
  outputs(): string[];
  /** Replaces the manifest's shots (an edit between builds). */
  edit(shots: Shot[]): void;
}

/** A project of text-to-video shots (no images: nothing to upload) in a real temp folder. */
export async function createWorld(shots: Shot[] | number, script?: CreateScript): Promise<World> {
  const root = await testdir();
  let manifest = makeManifest(typeof shots === 'number' ? textShots(shots) : shots, { root, file: join(root, 'bach.yaml') });
  const api = new FakeApi(script);
  const journal = new Journal(statePaths(root).journal);
  const submitter = new FakeSubmitter(api, journal);
  const read = async (force: string[] = []) => {
    const project = await readProject(manifest, { label: 'bach.yaml', origin: null, now: Date.now });
    return { project, plan: createPlan(createPlanInputs(project, { only: [], force })) };
  };
  return {
    root,
    get manifest() {
      return manifest;
    },
    api,
    submitter,
    journal,
    async plan(options = {}) {
      return (await read(options.force)).plan;
    },
    async build(options = {}) {
      const { project, plan } = await read(options.force);
      const events: RenderEvent[] = [];
      const report = await executePlan({
        plan,
        manifest,
        digests: project.digests,
        api,
        submitter,
        origin: 'https://api.test',
        paths: project.paths,
        journal: project.journal,
        journalEntries: project.journalEntries,
        lockWriter: options.lockWriter?.(project.lockPath) ?? new LockWriter(project.lockPath, project.lock, project.lockText),
        hashCache: project.hashCache,
        uploadRecords: project.uploadRecords,
        concurrency: options.concurrency ?? 4,
        retries: options.retries ?? 2,
        pollIntervalMs: 1,
        allowRerender: options.allowRerender ?? false,
        createGraceMs: 0,
        interrupt: options.interrupt ?? new AbortController().signal,
        clock: instantClock,
        emit: (event) => {
          events.push(event);
          options.onEvent?.(event);
        },
      });
      return { plan, report, events };
    },
    journalStates() {
      return journal.list().entries.map((entry) => entry.state).sort();
    },
    outputs() {
      try {
        return readdirSync(join(root, 'renders')).filter((name) => name.endsWith('.mp4')).sort();
      } catch {
        return [];
      }
    },
    edit(next) {
      manifest = makeManifest(next, { root, file: join(root, 'bach.yaml') });
    },
  };
}

export function textShots(count: number, prompt = 'take 1'): Shot[] {
  return Array.from({ length: count }, (_, i) => makeShot({ id: `s${i}`, seed: i, prompt: { kind: 'text', text: `${prompt} of s${i}` } }));
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
