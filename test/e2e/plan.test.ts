import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serializeLockfile } from '../../src/lock/parse-lockfile.js';
import type { Lockfile } from '../../src/lock/types.js';
import { loadManifest } from '../../src/manifest/load.js';
import { createPlan } from '../../src/plan/create-plan.js';
import { createPlanInputs } from '../../src/project/create-plan-inputs.js';
import { readProject } from '../../src/project/read-project.js';
import { sha256Hex } from '../../src/util/hash.js';
import { createMp4 } from '../../src/video/index.js';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

// `bach-render plan` on the example storyboard with a lockfile made by hand (no build, no API):
// matching → no changes, exit 0; one prompt edited → exactly that shot with its reason, exit 2.

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

/** The lockfile (and outputs) a complete build of the folder would leave, made without one. */
async function handMadeLock(root: string): Promise<void> {
  const loaded = await loadManifest(root, { cwd: root });
  if (!loaded.ok) throw new Error('example does not load');
  const { manifest } = loaded;
  const project = await readProject(manifest, { label: 'bach.yaml', origin: null, now: Date.now });
  const inputs = createPlanInputs(project, { only: [], force: [] });
  const lock: Lockfile = { lockfileVersion: 1, shots: {} };
  for (const shot of createPlan(inputs).shots) {
    const video = createMp4({ width: 1280, height: 720, fps: 24, durationSeconds: shot.shot.duration, tag: shot.shot.id });
    writeFileSync(join(root, shot.outputPath), video);
    lock.shots[shot.shot.id] = {
      fingerprint: shot.fingerprint,
      mode: shot.shot.mode,
      request: shot.request,
      seed: shot.seed,
      taskId: `hand-made-${shot.shot.id}`,
      output: { path: shot.outputPath, size: video.length, sha256: sha256Hex(video) },
    };
  }
  writeFileSync(join(root, 'bach.lock'), serializeLockfile(lock));
}

async function exampleCopy(): Promise<string> {
  const root = await testdir({ 'renders/.keep': '' });
  cpSync(EXAMPLES, root, { recursive: true, filter: (source) => !/[/\\](renders|\.bach)([/\\]|$)/.test(source) && !source.endsWith('bach.lock') });
  return root;
}

describe('bach-render plan', () => {
  it('exits 0 with no changes on a matching lockfile, and 2 with exactly the edited shot and its reason', async () => {
    const root = await exampleCopy();
    await handMadeLock(root);
    const clean = await runCli(['plan', '--detailed-exitcode'], { cwd: root });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('No changes: 3 shots up to date.');

    const manifest = readFileSync(join(root, 'bach.yaml'), 'utf8');
    writeFileSync(join(root, 'bach.yaml'), manifest.replace('She opens her eyes and looks up at the sky', 'She opens her eyes'));
    const edited = await runCli(['plan', '--detailed-exitcode'], { cwd: root });
    expect(edited.code).toBe(2);
    expect(edited.stdout).toMatchInlineSnapshot(`
      "~ hero-wakes  prompt "…her eyes and looks up at the sky" → "…her eyes"  seed 7  2 s
      = 2 unchanged: opening, castle

      Plan: 1 to render (2 s of video), 2 unchanged; 1 image to upload.
      "
    `);
    const withoutDetail = await runCli(['plan'], { cwd: root });
    expect(withoutDetail.code).toBe(0);
  });

  it('prints a stable JSON plan', async () => {
    const root = await exampleCopy();
    await handMadeLock(root);
    writeFileSync(join(root, 'prompts/castle.md'), 'The hero walks toward the castle at dawn\n');
    const result = await runCli(['plan', '--json'], { cwd: root });
    const plan = JSON.parse(result.stdout);
    expect(plan).toMatchObject({ planVersion: 1, manifest: 'bach.yaml', changes: true, totals: { update: 1, unchanged: 2, secondsToGenerate: 2 } });
    const castle = plan.shots.find((s: { id: string }) => s.id === 'castle');
    expect(castle).toMatchObject({ action: 'update', source: 'render', seconds: 2, output: 'renders/castle.mp4', reasons: [{ kind: 'file', path: 'prompts/castle.md', text: 'prompts/castle.md changed' }] });
  });

  it('writes nothing but caches in .bach/', async () => {
    const root = await exampleCopy();
    await handMadeLock(root);
    writeFileSync(join(root, 'bach.yaml'), readFileSync(join(root, 'bach.yaml'), 'utf8').replace('seed: 42', 'seed: 43'));
    const before = snapshot(root);
    await runCli(['plan'], { cwd: root });
    const after = snapshot(root);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
    expect(changed.every((file) => file.startsWith('.bach/'))).toBe(true);
  });

  it('refuses a lockfile with conflict markers, and says what to do', async () => {
    const root = await exampleCopy();
    await handMadeLock(root);
    const lock = readFileSync(join(root, 'bach.lock'), 'utf8');
    writeFileSync(join(root, 'bach.lock'), lock.replace('  "shots": {', '<<<<<<< ours\n  "shots": {'));
    const result = await runCli(['plan', '--detailed-exitcode'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: bach\.lock:3: the lockfile contains git conflict markers\n  Resolve the merge/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

function snapshot(root: string, folder = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of snapshot(root, path)) files.set(k, v);
    else files.set(path, `${statSync(join(root, path)).mtimeMs}:${sha256Hex(readFileSync(join(root, path)))}`);
  }
  return files;
}
