import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { fingerprintRequest } from '../../src/contract/fingerprint.js';
import { openTeamCache, type TeamCache } from '../../src/remote/open-team-cache.js';
import { resolveRemoteSettings } from '../../src/remote/remote-settings.js';
import { listCachedFingerprints } from '../../src/state/result-cache.js';
import { sha256File, sha256Hex } from '../../src/util/hash.js';
import { startRadosgwServer, stopRadosgwServer, type Radosgw } from '../../test/helpers/radosgw-client.js';
import { startPassThroughProxy } from '../../test/helpers/pass-through-proxy.js';
import { textStoryboard } from '../../test/helpers/storyboards.js';
import { startEmulatorProcess, type EmulatorProcess } from '../lib/emulator.js';
import { runCli } from '../lib/process.js';
import { expectNoChanges } from '../lib/project.js';
import { formatMb, formatMs, formatSummary, MB, summarize } from '../lib/summary.js';
import { verdict, type Row, type Scenario, type ScenarioResult } from './types.js';

// The team cache against a real S3 server (radosgw on 127.0.0.1, started here and stopped after):
// - plan-time lookup of 1,000 fingerprints that are all in the remote: requests and time, by the
//   lookup's own choice (LIST pages) and by 1,000 HEADs, as a ratio to the local-only equivalent (one
//   listing of .bach/cache holding the same 1,000 results);
// - pulling 100 results of 2 MB (verified, 8 at a time) as a ratio to restoring them from the local
//   cache (copy + sha256 each);
// - peak RSS of a child that pushes and pulls one 200 MB file vs one of 50 MB: streamed both ways,
//   memory must not grow with the size (≤ +15 MB, as for API downloads).
// - `bach-render pull` (the CLI, a child process) of a 100-shot project in a fresh clone, every video
//   from the team cache (2 MB each, as the emulator pads them), as a ratio to the same command in a
//   clone whose .bach/cache holds them (local only: copy + verify each into the output folder).
// - `bach-render plan` (the CLI) of a 1,000-shot storyboard in a clone (bach.yaml + bach.lock, no keys)
//   whose every result is in the team cache: its time and the requests it sent to the store (counted
//   by a pass-through proxy in front of radosgw), as a ratio to `plan --no-remote` in the same clone.
// The lookup and the direct pull measure src/remote/ itself; the CLI rows measure the commands. Runnable alone: `npm run bench:team-cache` (it then starts its
// own emulator), or `npm run bench -- --only team-cache`.

const LOOKUP_SHOTS = 1000;
const PULL_SHOTS = 100;
const PULL_BYTES = 2 * MB;
const MEDIUM = 50 * MB;
const LARGE = 200 * MB;
const TOLERANCE = 0.1 * (LARGE - MEDIUM);
const CHILD = fileURLToPath(new URL('../remote-transfer.mjs', import.meta.url));

export interface TeamCacheBenchContext {
  workDir: string;
  /** The bench's emulator; without one (bench:team-cache alone) one is started for the CLI pull. */
  emulator?: EmulatorProcess;
  runs: { fast: number; slow: number };
  log(message: string): void;
}

export const teamCacheScenario: Scenario = {
  name: 'team-cache',
  title: 'Team cache (radosgw)',
  run: (context) => measureTeamCache(context),
};

export async function measureTeamCache({ workDir, runs, log, emulator }: TeamCacheBenchContext): Promise<ScenarioResult> {
  const ownEmulator = emulator ? undefined : await startEmulatorProcess();
  const api = (emulator ?? ownEmulator)!;
  try {
    // Decided: two radosgw servers, one after the other. radosgw's in-memory store is bounded and frees
    // deleted objects lazily: the 1,000-shot plan run after the 200 MB transfers no longer fitted (the
    // server stopped answering), the 200 MB transfers run after both 100 × 2 MB pulls hung the same
    // way, and on 2026-12-04 the CLI pull's pushes stopped at 58 of 100 after the rest. A fresh server
    // for the pulls (~13 s to start) keeps every figure on a store with room.
    const first = await withRadosgw(join(workDir, 'rgw-1'), log, async (rgw) => {
      const bucket = await rgw.createBucket();
      const open = () => openCache(`s3://${bucket}/bench`, rgw.env(), join(workDir, '.bach'));
      const lookup = await measureLookup(open, workDir, runs.fast, log);
      const cliPlan = await measureCliPlan(`s3://${await rgw.createBucket()}/plan`, rgw, api, workDir, runs.fast, log);
      const memory = await measureMemory(`s3://${bucket}/memory`, rgw, workDir, runs.slow, log);
      return { lookup, cliPlan, memory };
    });
    const second = await withRadosgw(join(workDir, 'rgw-2'), log, async (rgw) => {
      const bucket = await rgw.createBucket();
      const open = () => openCache(`s3://${bucket}/bench`, rgw.env(), join(workDir, '.bach-2'));
      const pull = await measurePull(open, workDir, runs.slow, log);
      const cliPull = await measureCliPull(`s3://${await rgw.createBucket()}/cli`, rgw, api, workDir, runs.slow, log);
      return { pull, cliPull };
    });
    const { lookup, cliPlan, memory } = first;
    const { pull, cliPull } = second;
    return {
      rows: [...lookup.rows, ...cliPlan.rows, ...pull.rows, ...cliPull.rows, ...memory.rows],
      raw: { lookup: lookup.raw, cliPlan: cliPlan.raw, pull: pull.raw, cliPull: cliPull.raw, memory: memory.raw },
      notes: memory.notes,
    };
  } finally {
    await ownEmulator?.stop();
  }
}

async function withRadosgw<T>(dir: string, log: (m: string) => void, measure: (rgw: Radosgw) => Promise<T>): Promise<T> {
  log('starting radosgw (~13 s)');
  let rgw: Radosgw;
  try {
    rgw = await startRadosgwServer(dir, process.pid);
  } catch (error) {
    throw new Error(`radosgw did not start (apt-get install radosgw ceph-mon ceph-osd ceph-common): ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    return await measure(rgw);
  } finally {
    await stopRadosgwServer(dir).catch(() => {});
  }
}

async function openCache(url: string, env: Record<string, string>, stateDir: string): Promise<TeamCache> {
  const settings = resolveRemoteSettings({ flag: url, env, cwd: stateDir, root: stateDir });
  if (!settings.enabled) throw new Error('no remote');
  return openTeamCache({ settings, env, stateDir });
}

function facts(label: string) {
  const request = { model: 'bach-1.0-preview', prompt: `bench shot ${label}`, seed: 7, duration: 6 };
  return { fingerprint: fingerprintRequest('text-to-video', request), mode: 'text-to-video' as const, request, seed: 7, taskId: `task-${label}` };
}

/** `count` results in the remote and the same in a local .bach/cache (video + record, as the build leaves them). */
async function seed(open: () => Promise<TeamCache>, dir: string, label: string, count: number, bytes: number) {
  const cacheDir = join(dir, 'cache');
  await mkdir(cacheDir, { recursive: true });
  const cache = await open();
  const limit = pLimit(8);
  const shots = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async () => {
        const shot = facts(`${label} ${i}`);
        const video = join(cacheDir, `${shot.fingerprint}.mp4`);
        const content = randomBytes(bytes);
        await writeFile(video, content);
        await writeFile(join(cacheDir, `${shot.fingerprint}.json`), '{}');
        const pushed = await cache.push({ ...shot, videoPath: video });
        if (!pushed.ok) throw new Error(pushed.error.message);
        return { ...shot, video, sha256: sha256Hex(content), size: bytes };
      }),
    ),
  );
  await cache.close();
  return { cacheDir, shots };
}

async function measureLookup(open: () => Promise<TeamCache>, workDir: string, count: number, log: (m: string) => void) {
  const { cacheDir, shots } = await seed(open, join(workDir, 'lookup'), 'lookup', LOOKUP_SHOTS, 1024);
  const fingerprints = shots.map((shot) => shot.fingerprint);
  const timed = async (headThreshold?: number) => {
    const cache = await open();
    const started = performance.now();
    const result = await cache.lookup(fingerprints, headThreshold === undefined ? {} : { headThreshold });
    const ms = performance.now() - started;
    await cache.close();
    if (!result.ok) throw new Error(result.error.message);
    if (result.value.present.size !== LOOKUP_SHOTS) throw new Error(`lookup found ${result.value.present.size} of ${LOOKUP_SHOTS}`);
    return { ms, requests: result.value.requests, method: result.value.method };
  };
  const list = [];
  const heads = [];
  const local = [];
  for (let run = 0; run < count; run++) {
    list.push(await timed());
    heads.push(await timed(Number.POSITIVE_INFINITY));
    const started = performance.now();
    const found = await listCachedFingerprints(cacheDir);
    local.push(performance.now() - started);
    if (found.size !== LOOKUP_SHOTS) throw new Error(`the local cache lists ${found.size}`);
    log(`lookup run ${run + 1}: ${list.at(-1)!.method} ${formatMs(list.at(-1)!.ms)} (${list.at(-1)!.requests} requests), HEADs ${formatMs(heads.at(-1)!.ms)}, local ${formatMs(local.at(-1)!)}`);
  }
  const [listMs, headMs, localMs] = [summarize(list.map((r) => r.ms)), summarize(heads.map((r) => r.ms)), summarize(local)];
  const rows: Row[] = [
    {
      figure: `team cache lookup, ${LOOKUP_SHOTS} fingerprints all present (${list[0]!.method}, ${list[0]!.requests} request${list[0]!.requests === 1 ? '' : 's'})`,
      value: formatSummary(listMs, formatMs),
      target: '–',
      ratio: `${(listMs.median / localMs.median).toFixed(1)}x local cache listing (${formatMs(localMs.median)})`,
      verdict: 'info',
    },
    {
      figure: `same lookup by ${heads[0]!.requests} HEADs (16 at a time)`,
      value: formatSummary(headMs, formatMs),
      target: '–',
      ratio: `${(headMs.median / listMs.median).toFixed(1)}x the LIST lookup`,
      verdict: 'info',
    },
  ];
  return { rows, raw: { list, heads, localMs: local } };
}

async function measurePull(open: () => Promise<TeamCache>, workDir: string, count: number, log: (m: string) => void) {
  const { shots } = await seed(open, join(workDir, 'pull'), 'pull', PULL_SHOTS, PULL_BYTES);
  const remote = [];
  const local = [];
  for (let run = 0; run < count; run++) {
    const into = join(workDir, 'pulled', String(run));
    const cache = await open();
    const limit = pLimit(8);
    let started = performance.now();
    await Promise.all(
      shots.map((shot) =>
        limit(async () => {
          const pulled = await cache.pull({ fingerprint: shot.fingerprint, expectedSha256: shot.sha256, expectedSize: shot.size, destination: join(into, `${shot.fingerprint}.mp4`) });
          if (!pulled.ok || pulled.value.kind !== 'pulled') throw new Error(pulled.ok ? 'missing' : pulled.error.message);
        }),
      ),
    );
    remote.push(performance.now() - started);
    await cache.close();
    const restored = join(workDir, 'restored', String(run));
    await mkdir(restored, { recursive: true });
    started = performance.now();
    await Promise.all(
      shots.map((shot) =>
        limit(async () => {
          const target = join(restored, `${shot.fingerprint}.mp4`);
          await copyFile(shot.video, target);
          if ((await sha256File(target)).sha256 !== shot.sha256) throw new Error('local copy differs');
        }),
      ),
    );
    local.push(performance.now() - started);
    await rm(into, { recursive: true, force: true });
    await rm(restored, { recursive: true, force: true });
    log(`pull run ${run + 1}: remote ${formatMs(remote.at(-1)!)}, local ${formatMs(local.at(-1)!)}`);
  }
  const [remoteMs, localMs] = [summarize(remote), summarize(local)];
  const mbPerS = (PULL_SHOTS * PULL_BYTES) / MB / (remoteMs.median / 1000);
  const rows: Row[] = [
    {
      figure: `pull ${PULL_SHOTS} results of ${formatMb(PULL_BYTES)} (verified, 8 at a time)`,
      value: formatSummary(remoteMs, formatMs),
      target: '–',
      ratio: `${mbPerS.toFixed(0)} MB/s; ${(remoteMs.median / localMs.median).toFixed(1)}x a verified local restore (${formatMs(localMs.median)})`,
      verdict: 'info',
    },
  ];
  return { rows, raw: { remoteMs: remote, localMs: local, shots: PULL_SHOTS, bytesEach: PULL_BYTES } };
}

/**
 * `bach-render pull` through the CLI: a 100-shot project rendered on the emulator and pushed (with
 * `bach-render push`), then pulled into fresh clones (bach.yaml + bach.lock only, no API keys: every
 * video must come from the team cache), against `pull --no-remote` in clones holding .bach/cache.
 */
async function measureCliPull(url: string, rgw: Radosgw, emulator: EmulatorProcess, workDir: string, count: number, log: (m: string) => void) {
  const dir = join(workDir, 'cli-pull');
  const source = join(dir, 'a');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'bach.yaml'), textStoryboard(PULL_SHOTS, { prefix: 'pull' }));
  // A fast emulator; the padding makes each result 2 MB.
  await emulator.prepare({ processingMs: 0, concurrencyPerKey: 1000, resultPaddingBytes: PULL_BYTES });
  await runCli(['build', '--reporter', 'plain', '--concurrency', '32', '--poll-interval', '0.01'], { cwd: source, env: emulator.cliEnv(), timeoutMs: 900_000 });
  await expectNoChanges(source, emulator);
  await emulator.prepare({});
  const writer = { ...rgw.env(), BACH_REMOTE_SIGNING_KEY: 'bench-team-cache-signing-key-0123456789' };
  const pushed = await runCli(['push', '--remote', url], { cwd: source, env: { ...emulator.cliEnv(), ...writer } });
  log(`cli pull: ${pushed.stdout.trim().split('\n')[0]}`);
  const noApi = (extra: Record<string, string>) => {
    const env = { ...emulator.cliEnv(), ...extra };
    delete env.BACH_ACCESS_KEY;
    delete env.BACH_SECRET_KEY;
    return env;
  };
  const clone = async (name: string, withCache: boolean) => {
    const root = join(dir, name);
    await mkdir(root, { recursive: true });
    for (const file of ['bach.yaml', 'bach.lock']) await copyFile(join(source, file), join(root, file));
    if (withCache) await cp(join(source, '.bach', 'cache'), join(root, '.bach', 'cache'), { recursive: true });
    return root;
  };
  const remote = [];
  const local = [];
  for (let run = 0; run < count; run++) {
    const fromTeam = await clone(`team-${run}`, false);
    const pulled = await runCli(['pull', '--remote', url], { cwd: fromTeam, env: noApi(rgw.env()) });
    if (!pulled.stdout.includes(`${PULL_SHOTS} from the team cache`)) throw new Error(`pull did not take every video from the team cache:\n${pulled.stdout}`);
    remote.push(pulled.wallMs);
    const fromLocal = await clone(`local-${run}`, true);
    const restored = await runCli(['pull', '--no-remote'], { cwd: fromLocal, env: noApi({}) });
    if (!restored.stdout.includes(`(${PULL_SHOTS} restored from .bach/cache)`)) throw new Error(`pull --no-remote did not restore every video:\n${restored.stdout}`);
    local.push(restored.wallMs);
    await rm(fromTeam, { recursive: true, force: true });
    await rm(fromLocal, { recursive: true, force: true });
    log(`cli pull run ${run + 1}: team cache ${formatMs(remote.at(-1)!)}, local cache ${formatMs(local.at(-1)!)}`);
  }
  const [remoteMs, localMs] = [summarize(remote), summarize(local)];
  const mbPerS = (PULL_SHOTS * PULL_BYTES) / MB / (remoteMs.median / 1000);
  const rows: Row[] = [
    {
      figure: `\`bach-render pull\` of ${PULL_SHOTS} shots (${formatMb(PULL_BYTES)} each) into a fresh clone, all from the team cache`,
      value: formatSummary(remoteMs, formatMs),
      target: '–',
      ratio: `${mbPerS.toFixed(0)} MB/s; ${(remoteMs.median / localMs.median).toFixed(1)}x the same pull from .bach/cache (${formatMs(localMs.median)})`,
      verdict: 'info',
    },
  ];
  return { rows, raw: { remoteMs: remote, localMs: local, shots: PULL_SHOTS, bytesEach: PULL_BYTES } };
}

/**
 * `bach-render plan` through the CLI in a clone of a 1,000-shot project whose results are all in the
 * team cache: what a teammate sees before building. No API keys, so the API is not asked (only the
 * team cache is measured). The store is reached through a counting proxy, so the figure says how many
 * requests the plan made.
 */
async function measureCliPlan(url: string, rgw: Radosgw, emulator: EmulatorProcess, workDir: string, count: number, log: (m: string) => void) {
  const dir = join(workDir, 'cli-plan');
  const source = join(dir, 'a');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'bach.yaml'), textStoryboard(LOOKUP_SHOTS, { prefix: 'plan' }));
  await emulator.prepare({ processingMs: 0, concurrencyPerKey: 1000 });
  await runCli(['build', '--reporter', 'plain', '--concurrency', '32', '--poll-interval', '0.01'], { cwd: source, env: emulator.cliEnv(), timeoutMs: 900_000 });
  await expectNoChanges(source, emulator);
  await emulator.prepare({});
  const writer = { ...rgw.env(), BACH_REMOTE_SIGNING_KEY: 'bench-team-cache-signing-key-0123456789' };
  const pushed = await runCli(['push', '--remote', url], { cwd: source, env: { ...emulator.cliEnv(), ...writer }, timeoutMs: 600_000 });
  log(`cli plan: ${pushed.stdout.trim().split('\n')[0]}`);
  const clone = join(dir, 'clone');
  await mkdir(clone, { recursive: true });
  for (const file of ['bach.yaml', 'bach.lock']) await copyFile(join(source, file), join(clone, file));
  const proxy = await startPassThroughProxy(new URL(rgw.env().AWS_ENDPOINT_URL_S3!));
  const env: Record<string, string | undefined> = { ...emulator.cliEnv(), ...rgw.env(), AWS_ENDPOINT_URL_S3: proxy.url };
  delete env.BACH_ACCESS_KEY;
  delete env.BACH_SECRET_KEY;
  const remote = [];
  const local = [];
  let requests = 0;
  try {
    for (let run = 0; run < count; run++) {
      const before = proxy.requests().length;
      const planned = await runCli(['plan', '--remote', url], { cwd: clone, env });
      if (!planned.stdout.includes(`${LOOKUP_SHOTS} from the team cache`)) throw new Error(`plan did not find every shot in the team cache:\n${planned.stdout.slice(-400)}${planned.stderr}`);
      requests = proxy.requests().length - before;
      remote.push(planned.wallMs);
      const alone = await runCli(['plan', '--no-remote'], { cwd: clone, env });
      if (!alone.stdout.includes(`${LOOKUP_SHOTS} to render`)) throw new Error(`plan --no-remote did not plan every shot as a render:\n${alone.stdout.slice(-400)}`);
      local.push(alone.wallMs);
      log(`cli plan run ${run + 1}: with the team cache ${formatMs(remote.at(-1)!)} (${requests} requests), local only ${formatMs(local.at(-1)!)}`);
    }
  } finally {
    await proxy.stop();
  }
  const [remoteMs, localMs] = [summarize(remote), summarize(local)];
  const rows: Row[] = [
    {
      figure: `\`bach-render plan\`, ${LOOKUP_SHOTS.toLocaleString('en')} shots all in the team cache (clone, no keys; ${requests} request${requests === 1 ? '' : 's'} to the store)`,
      value: formatSummary(remoteMs, formatMs),
      target: '–',
      ratio: `${(remoteMs.median / localMs.median).toFixed(2)}x \`plan --no-remote\` (${formatMs(localMs.median)}); +${formatMs(remoteMs.median - localMs.median)}`,
      verdict: 'info',
    },
  ];
  return { rows, raw: { remoteMs: remote, localMs: local, shots: LOOKUP_SHOTS, requests } };
}

async function measureMemory(url: string, rgw: Radosgw, workDir: string, count: number, log: (m: string) => void) {
  const dir = join(workDir, 'memory');
  await mkdir(dir, { recursive: true });
  const transfer = async (size: number, run: number) => {
    const file = join(dir, `in-${size}-${run}.bin`);
    // Random content per run: every run uploads for real (the store keeps nothing to skip).
    await writeFile(file, randomBytes(size));
    const { stdout } = await promisify(execFile)(process.execPath, [CHILD, url, file, join(dir, `out-${size}-${run}.bin`)], {
      env: { ...process.env, ...rgw.env() },
      maxBuffer: 1024 * 1024,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { size: number; pushMs: number; pullMs: number; pushRssBytes: number; maxRssBytes: number; fingerprint: string; sha256: string };
    // radosgw's in-memory OSD keeps every object in RAM: remove what this run stored.
    const prefix = `/${url.slice('s3://'.length)}/v1`;
    await rgw.request('DELETE', `${prefix}/videos/${result.sha256}.mp4`);
    await rgw.request('DELETE', `${prefix}/results/${result.fingerprint}.json`);
    await rm(file, { force: true });
    await rm(join(dir, `out-${size}-${run}.bin`), { force: true });
    return result;
  };
  const medium = [];
  const large = [];
  for (let run = 0; run < count; run++) {
    medium.push(await transfer(MEDIUM, run));
    large.push(await transfer(LARGE, run));
    log(`memory run ${run + 1}: peak RSS after push / after pull: 50 MB ${formatMb(medium.at(-1)!.pushRssBytes)} / ${formatMb(medium.at(-1)!.maxRssBytes)}, 200 MB ${formatMb(large.at(-1)!.pushRssBytes)} / ${formatMb(large.at(-1)!.maxRssBytes)}`);
  }
  const [mediumRss, largeRss] = [summarize(medium.map((m) => m.maxRssBytes)), summarize(large.map((m) => m.maxRssBytes))];
  const growth = largeRss.median - mediumRss.median;
  const throughput = (list: { pushMs: number; pullMs: number }[], key: 'pushMs' | 'pullMs') => LARGE / MB / (summarize(list.map((m) => m[key])).median / 1000);
  const rows: Row[] = [
    {
      figure: 'team cache push + pull of 200 MB: peak RSS',
      value: formatSummary(largeRss, formatMb),
      target: 'independent of size (≤ +15 MB vs 50 MB)',
      ratio: `${growth >= 0 ? '+' : '−'}${formatMb(Math.abs(growth))} vs 50 MB (${formatMb(mediumRss.median)}); push ${throughput(large, 'pushMs').toFixed(0)} MB/s, pull ${throughput(large, 'pullMs').toFixed(0)} MB/s`,
      verdict: verdict(growth <= TOLERANCE),
    },
  ];
  const notes = growth > TOLERANCE ? ['Team cache memory grew with the file size: a transfer is buffered somewhere (see src/remote/s3-backend.ts).'] : [];
  return { rows, raw: { sizesBytes: { medium: MEDIUM, large: LARGE }, toleranceBytes: TOLERANCE, medium, large }, notes };
}
