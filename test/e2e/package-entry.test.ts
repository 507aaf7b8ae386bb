import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { assertFreshDist } from '../helpers/check-dist.js';
import { testdir } from '../helpers/testdir.js';

// The package as a program uses it: `import … from 'bach-render'` resolved through package.json's
// exports to the built dist/ (code and types) — loading, planning and the emulator.

assertFreshDist();

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe("import('bach-render')", () => {
  it('loads a manifest, plans a project and runs the emulator, from the built package', async () => {
    const script = `
      const bach = await import('bach-render');
      const loaded = await bach.loadManifest('examples', { cwd: process.cwd() });
      const planned = await bach.planProject('examples');
      const emulator = await bach.startEmulator({ port: 0 });
      const alsoHere = (await import('bach-render/emulator')).startEmulator === bach.startEmulator;
      await emulator.close();
      console.log(JSON.stringify({
        version: bach.version(),
        shots: loaded.ok && loaded.manifest.shots.map((shot) => shot.id),
        totals: planned.ok && planned.plan.totals,
        json: planned.ok && bach.createPlanJson(planned.plan, 'bach.yaml').planVersion,
        emulator: emulator.url.startsWith('http://127.0.0.1:'),
        alsoHere,
      }));`;
    // From the repository, the package resolves itself by name (Node's self-reference through "exports").
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO });
    expect(JSON.parse(stdout)).toEqual({
      version: JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version,
      shots: ['opening', 'hero-wakes', 'castle'],
      totals: expect.objectContaining({ create: 3, secondsToGenerate: 10, imagesToUpload: 4 }),
      json: 1,
      emulator: true,
      alsoHere: true,
    });
  });

  it('has types: a TypeScript consumer type-checks against the built declarations', async () => {
    const consumer = await testdir({
      'package.json': '{ "type": "module" }\n',
      'use.ts': `
        import { planProject, startEmulator, type Plan, type ShotPlan } from 'bach-render';
        import { startEmulator as start } from 'bach-render/emulator';
        export async function seconds(path: string): Promise<number> {
          const result = await planProject(path, { baseUrl: 'http://127.0.0.1:8787/api/vdr' });
          if (!result.ok) return result.diagnostics.length;
          const plan: Plan = result.plan;
          const paid = plan.shots.filter((shot: ShotPlan) => shot.source === 'render');
          return paid.reduce((sum, shot) => sum + shot.seconds, 0);
        }
        export const same: typeof startEmulator = start;
        // @ts-expect-error: the public entry is typed, so a wrong option is caught
        void planProject('x', { cwd: 42 });
      `,
    });
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(REPO, join(consumer, 'node_modules', 'bach-render'), 'dir');
    const program = ts.createProgram([join(consumer, 'use.ts')], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(REPO, 'node_modules/@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });
});

describe('npx bach-render', () => {
  it('runs the built CLI from the project itself, as the README quick start does (dist/cli.js is executable)', async () => {
    const { stdout } = await run('npx', ['--no-install', 'bach-render', '--version'], { cwd: REPO });
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });
});
