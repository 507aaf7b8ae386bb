import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/errors.js';
import { LockWriter } from '../../../src/render/lock-writer.js';
import { formatPlan } from '../../../src/plan/format-plan.js';
import { formatSummary } from '../../../src/report/format-summary.js';
import { listCachedFingerprints } from '../../../src/state/result-cache.js';
import { createPalette } from '../../../src/util/palette.js';
import { makeShot } from '../../helpers/builders.js';
import { createWorld, textShots } from '../../helpers/executor.js';

// The money rules of the executor, in-process: a scripted fake API and a fake submitter on a real
// temp folder (journal, cache, outputs, lockfile), each build the real readProject → plan →
// executePlan. What is paid is counted by the fake API's creates.

const submittedSeconds = (events: { type: string; seconds?: number }[]) =>
  events.filter((e) => e.type === 'shot:submitted').reduce((sum, e) => sum + (e.seconds ?? 0), 0);

describe('a create whose outcome was never known', () => {
  it('holds its shot across builds until --force: never sent again silently (issue 16, item 3)', async () => {
    const world = await createWorld(2);
    const [a] = (await world.plan()).shots;
    // An earlier build was killed with a's request on the wire; another left one for a shot long gone.
    world.journal.recordSending(world.journal.recordSubmitting({ shotId: 's0', fingerprint: a!.fingerprint, mode: a!.mode, request: a!.request, seed: a!.seed }));
    world.journal.recordSending(world.journal.recordSubmitting({ shotId: 'old', fingerprint: 'e'.repeat(64), mode: 'text-to-video', request: {}, seed: 1 }));

    const plan = await world.plan();
    expect(plan.shots[0]).toMatchObject({ source: 'render', heldInDoubt: true, seconds: 0 });
    expect(plan.totals).toMatchObject({ heldInDoubt: 1, secondsPossiblyBilled: 6, secondsToGenerate: 6 });
    expect(formatPlan(plan, createPalette(false))).toContain('? s0        new shot, an earlier create request got no answer: it may already be billed (6 s); not sent again — --force s0 sends it');

    for (let build = 0; build < 2; build++) {
      const { report, events } = await world.build();
      expect(report.failed).toEqual([{ id: 's0', message: expect.stringContaining('held in doubt: an earlier create request for it got no answer and may have been billed (6 s); nothing was sent') }]);
      if (build === 0) expect(events).toContainEqual({ type: 'notice', level: 'warn', message: 'an earlier build was stopped while its request for old was on the wire: it may have been billed' });
    }
    expect(world.api.creates).toBe(1); // s1 only, once
    expect(world.journalStates()).toEqual(['sending']);

    // The person decides: --force sends it, carrying the doubt, and the summary says so.
    const forced = await world.build({ force: ['s0'] });
    expect(forced.report).toMatchObject({ rendered: ['s0'], inDoubt: ['s0'], failed: [] });
    expect(world.api.creates).toBe(2);
    expect(world.submitter.entries.at(-1)).toMatchObject({ shotId: 's0', inDoubt: true });
    expect(world.journalStates()).toEqual([]);
    // Shown in this summary, so not carried to the next one.
    expect(existsSync(join(world.root, '.bach/in-doubt.json'))).toBe(false);
  });

  it('a build killed before its summary leaves the warning to the next summary', async () => {
    const world = await createWorld(1);
    mkdirSync(join(world.root, '.bach'), { recursive: true });
    writeFileSync(join(world.root, '.bach/in-doubt.json'), '["s7"]\n');
    const { report } = await world.build();
    expect(report.inDoubt).toEqual(['s7']);
    expect(existsSync(join(world.root, '.bach/in-doubt.json'))).toBe(false);
  });

  it('fails the shot when the second attempt is unknown too, keeping its record for the next build', async () => {
    const unknown = new ApiError({ kind: 'network', outcome: 'unknown', message: 'socket hang up', inDoubt: true });
    const world = await createWorld(2, (n) => (n === 0 ? unknown : 'succeeded'));
    const { report } = await world.build({ concurrency: 1 });
    expect(report.inDoubt).toEqual(['s0']);
    expect(report.failed).toEqual([{ id: 's0', message: expect.stringMatching(/^shot s0: .*may have reached the server: the task may exist and be billed$/) }]);
    expect(report.rendered).toEqual(['s1']);
    expect(world.journalStates()).toEqual(['sending']);
    // The next build holds it (plan `?`); --force submits it again, with the doubt, and says so.
    expect((await world.build()).report.failed).toEqual([{ id: 's0', message: expect.stringContaining('held in doubt') }]);
    const next = await world.build({ force: ['s0'] });
    expect(next.report).toMatchObject({ rendered: ['s0'], inDoubt: ['s0'] });
    expect(world.submitter.entries.at(-1)).toMatchObject({ shotId: 's0', inDoubt: true });
  });
});

describe('TASK_FAILED', () => {
  it('is submitted again --retries times, each submission counted as spent', async () => {
    const world = await createWorld(1, () => 'failed');
    const { report, events } = await world.build({ retries: 2 });
    expect(world.api.creates).toBe(3);
    expect(report.failed).toEqual([{ id: 's0', message: 'task task-3 failed: the model gave up (3 attempts)', taskId: 'task-3' }]);
    expect(events.filter((e) => e.type === 'shot:failed').map((e) => e.type === 'shot:failed' && e.willRetry)).toEqual([true, true, false]);
    expect(submittedSeconds(events)).toBe(18);
    expect(world.journalStates()).toEqual([]);
  });

  it('with --retries 0 is reported at once', async () => {
    const world = await createWorld(1, () => 'failed');
    const { report } = await world.build({ retries: 0 });
    expect(world.api.creates).toBe(1);
    expect(report.failed.map((f) => f.message)).toEqual(['task task-1 failed: the model gave up']);
  });
});

describe('a result that expired before download', () => {
  it('is paid and lost: reported, kept in the journal, and not rendered again without --allow-rerender', async () => {
    const world = await createWorld(1, () => 'expired');
    const first = await world.build();
    expect(world.api.creates).toBe(1);
    expect(first.report.failed).toEqual([
      {
        id: 's0',
        message: 'the result of task task-1 expired before it could be downloaded: it was paid for and is lost; --allow-rerender renders it again (costs 6 s)',
        taskId: 'task-1',
        paidButLost: true,
      },
    ]);
    expect(world.journalStates()).toEqual(['expired']);

    const refused = await world.build();
    expect(refused.plan.shots[0]).toMatchObject({ source: 'render', needsRerenderConsent: true });
    expect(formatPlan(refused.plan, createPalette(false))).toMatch(/^\+ s0 +new shot, the paid result of task task-1 expired before download  seed \d+  6 s\n/);
    expect(world.api.creates).toBe(1);
    expect(refused.report.failed[0]!.message).toMatch(/^not rendered again: the paid result of task task-1 expired before download; pass --allow-rerender to pay for it again \(6 s\)$/);
    expect(world.journalStates()).toEqual(['expired']);

    world.api.script = () => 'succeeded';
    const consented = await world.build({ allowRerender: true });
    expect(world.api.creates).toBe(2);
    expect(consented.report.rendered).toEqual(['s0']);
    expect(world.journalStates()).toEqual([]);
  });

  it('is rendered again once only, even with --allow-rerender', async () => {
    const world = await createWorld(1, () => 'expired');
    const { report } = await world.build({ allowRerender: true });
    expect(world.api.creates).toBe(2);
    expect(report.failed).toMatchObject([{ id: 's0', taskId: 'task-2', paidButLost: true }]);
    expect(world.journalStates()).toEqual(['expired']);
  });
});

describe('insufficient credits', () => {
  it('stops submitting: what finished is kept, the rest is listed as not submitted', async () => {
    const broke = new ApiError({ kind: 'http', outcome: 'answered', status: 403, code: 1302, message: 'Insufficient credits' });
    const world = await createWorld(4, (n) => (n === 1 ? broke : 'succeeded'));
    const { report } = await world.build({ concurrency: 1 });
    expect(world.api.creates).toBe(2);
    expect(report).toMatchObject({
      rendered: ['s0'],
      notSubmitted: ['s2', 's3'],
      stopReason: 'insufficient credits (top up your credit package, then build again: what finished is kept)',
    });
    expect(report.failed).toEqual([{ id: 's1', message: expect.stringMatching(/^shot s1: insufficient credits/) }]);
    expect(world.outputs()).toEqual(['s0.mp4']);
    expect(Object.keys(JSON.parse(readFileSync(join(world.root, 'bach.lock'), 'utf8')).shots)).toEqual(['s0']);
    const summary = formatSummary(report, createPalette(false));
    expect(summary).toMatch(/^Done in \d+\.\d s: 1 rendered \(6 s of video generated\), 1 failed\.\n/);
    expect(summary).toMatch(/\n  s1: insufficient credits/);
    expect(summary).toContain('\nNot submitted (2): s2, s3 — stopped: insufficient credits (top up your credit package, then build again: what finished is kept)\n');
    // Topped up: the next build pays for the rest only.
    world.api.script = () => 'succeeded';
    const next = await world.build();
    expect(next.report.rendered).toEqual(['s1', 's2', 's3']);
    expect(world.api.creates).toBe(5);
    expect(world.journalStates()).toEqual([]);
  });
});

describe('Ctrl-C', () => {
  it('before any submission: nothing is submitted, everything is listed as not submitted', async () => {
    const world = await createWorld(3);
    const interrupt = AbortSignal.abort(new DOMException('Ctrl-C', 'AbortError'));
    const { report, events } = await world.build({ interrupt });
    expect(world.api.creates).toBe(0);
    expect(report).toMatchObject({ interrupted: true, notSubmitted: ['s0', 's1', 's2'], rendered: [], failed: [] });
    expect(events[0]).toEqual({ type: 'run:interrupted' });
    expect(world.journalStates()).toEqual([]);
  });

  it('after the submissions: the paid tasks stay recorded, and the next build resumes them without paying again', async () => {
    const world = await createWorld(3, () => 'never');
    const controller = new AbortController();
    let submitted = 0;
    const { report } = await world.build({
      interrupt: controller.signal,
      onEvent: (event) => {
        if (event.type === 'shot:submitted' && ++submitted === 3) controller.abort(new DOMException('Ctrl-C', 'AbortError'));
      },
    });
    expect(world.api.creates).toBe(3);
    expect(report).toMatchObject({ interrupted: true, rendered: [], failed: [], notSubmitted: [] });
    expect(world.journalStates()).toEqual(['accepted', 'accepted', 'accepted']);
    expect(world.outputs()).toEqual([]);

    for (const task of world.api.tasks.values()) task.result = 'succeeded';
    const resumed = await world.build();
    expect(resumed.plan.shots.map((s) => s.source)).toEqual(['in-flight', 'in-flight', 'in-flight']);
    expect(resumed.plan.totals.secondsToGenerate).toBe(0);
    expect(world.api.creates).toBe(3);
    expect(resumed.report).toMatchObject({ rendered: ['s0', 's1', 's2'], secondsGenerated: 18 });
    expect(submittedSeconds(resumed.events)).toBe(0);
    expect(world.journalStates()).toEqual([]);
  });
});

describe('an orphaned task', () => {
  it('is collected into the cache but placed nowhere, and the shot renders its current version', async () => {
    const world = await createWorld(textShots(1, 'first take'));
    const [old] = (await world.plan()).shots;
    // An earlier build paid for the first take; the shot was edited before it was collected.
    world.api.addTask('task-old', 'succeeded');
    const sending = world.journal.recordSending(world.journal.recordSubmitting({ shotId: 's0', fingerprint: old!.fingerprint, mode: old!.mode, request: old!.request, seed: old!.seed }));
    world.journal.recordAccepted(sending, 'task-old', false);
    world.edit(textShots(1, 'second take'));

    const { plan, report, events } = await world.build();
    const [current] = plan.shots;
    expect(current!.fingerprint).not.toBe(old!.fingerprint);
    expect(report).toMatchObject({ collected: 1, rendered: ['s0'], failed: [] });
    expect(events).toContainEqual({ type: 'shot:collected', id: 's0', taskId: 'task-old', note: 'an earlier version, kept in the cache' });
    expect(await listCachedFingerprints(join(world.root, '.bach/cache'))).toEqual(new Set([old!.fingerprint, current!.fingerprint]));
    const lock = JSON.parse(readFileSync(join(world.root, 'bach.lock'), 'utf8'));
    expect(lock.shots.s0).toMatchObject({ fingerprint: current!.fingerprint, taskId: 'task-1' });
    expect(world.journalStates()).toEqual([]);

    // Undoing the edit costs nothing: the orphan's video comes back from the cache.
    world.edit(textShots(1, 'first take'));
    const undone = await world.build();
    expect(undone.report).toMatchObject({ restored: ['s0'], rendered: [] });
    expect(world.api.creates).toBe(1);
  });
});

describe('a restore while a submitter is writing (issue 16, item 1)', () => {
  it("leaves the journal's temp files alone: only their writer may remove them", async () => {
    const world = await createWorld(textShots(2));
    await world.build();
    // s0's output is deleted (a restore from the cache) while a submitter is mid-write of a record.
    rmSync(join(world.root, 'renders/s0.mp4'));
    const inFlight = join(world.root, '.bach/journal', `.${'a'.repeat(64)}-0000.json.0123456789ab.tmp`);
    writeFileSync(inFlight, '{"state":"accepted"}');
    const { report } = await world.build();
    expect(report).toMatchObject({ restored: ['s0'], failed: [] });
    expect(existsSync(inFlight)).toBe(true);
  });
});

describe('an output altered by hand (issue 15, item 1)', () => {
  it('is restored from the cache for free, with the altered file kept beside it', async () => {
    const world = await createWorld(textShots(1));
    await world.build();
    writeFileSync(join(world.root, 'renders/s0.mp4'), 'my own edit');
    const { report } = await world.build();
    expect(report).toMatchObject({ restored: ['s0'], rendered: [] });
    const names = readdirSync(join(world.root, 'renders')).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^s0\.altered-\d{8}-\d{6}\.mp4$/);
    expect(readFileSync(join(world.root, 'renders', names[0]!), 'utf8')).toBe('my own edit');
    expect(world.api.creates).toBe(1);
  });

  it('is kept, not overwritten by a paid render, when the cache lacks the video', async () => {
    const world = await createWorld(textShots(1));
    await world.build();
    rmSync(join(world.root, '.bach/cache'), { recursive: true });
    writeFileSync(join(world.root, 'renders/s0.mp4'), 'my own edit');
    const { plan, report } = await world.build();
    expect(plan.shots[0]).toMatchObject({ kind: 'unchanged', kept: true });
    expect(report.rendered).toEqual([]);
    expect(world.api.creates).toBe(1);
    expect(readFileSync(join(world.root, 'renders/s0.mp4'), 'utf8')).toBe('my own edit');
    // --force asks for it: rendered again, and the hand-made file is still kept beside the new one.
    const forced = await world.build({ force: ['s0'] });
    expect(forced.report.rendered).toEqual(['s0']);
    expect(readdirSync(join(world.root, 'renders')).filter((n) => n.includes('.altered-'))).toHaveLength(1);
  });
});

describe('an unexpected error inside a shot worker', () => {
  it('fails that shot as an internal error that keeps its stack; the other shots go on', async () => {
    const world = await createWorld([makeShot({ id: 'ok', seed: 1 }), makeShot({ id: 'bug', seed: 2 })]);
    const { report, events } = await world.build({
      lockWriter: (path) =>
        new (class extends LockWriter {
          override update(change: Parameters<LockWriter['update']>[0]) {
            const probe = change({ lockfileVersion: 1, shots: {} });
            if (probe.shots.bug) return Promise.reject(new TypeError("Cannot read properties of undefined (reading 'sha256')"));
            return super.update(change);
          }
        })(path, { lockfileVersion: 1, shots: {} }, null),
    });
    expect(report.rendered).toEqual(['ok']);
    const [failure] = report.failed;
    expect(failure).toMatchObject({
      id: 'bug',
      internal: true,
      message: "shot bug: internal error (a bug in bach-render; please report it with its stack): Cannot read properties of undefined (reading 'sha256')",
    });
    expect(failure!.stack).toMatch(/^TypeError: Cannot read properties.*\n\s+at /);
    expect(events).toContainEqual(expect.objectContaining({ type: 'shot:failed', id: 'bug', internal: true, willRetry: false }));
    const summary = formatSummary(report, createPalette(false));
    expect(summary).toContain('  bug: internal error (a bug in bach-render; please report it with its stack)');
    expect(summary).toMatch(/\n {4}TypeError: Cannot read properties[^\n]*\n {4}at /);
  });
});
