import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/errors.js';
import { createPlan } from '../../../src/plan/create-plan.js';
import {
  createDiagnosticAnnotations,
  createFileNamer,
  createPlanAnnotations,
  formatAnnotations,
  formatCommand,
} from '../../../src/report/github-annotations.js';
import { builtState, digestsOf, makeManifest, makeShot, planInputs } from '../../helpers/builders.js';

const asIs = (file: string) => file;

describe('GitHub Actions annotations', () => {
  it('writes a workflow command with escaped properties and data', () => {
    expect(formatCommand({ level: 'error', file: 'a,b:c.yaml', line: 3, col: 5, title: 'x: y', message: '100% sure\nnext line' })).toBe(
      '::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=x%3A y::100%25 sure%0Anext line',
    );
    expect(formatCommand({ level: 'notice', message: 'plain' })).toBe('::notice::plain');
  });

  it('puts each diagnostic at its line and column, with its hint', () => {
    const diagnostics: Diagnostic[] = [
      { severity: 'error', code: 'enum', message: 'shots[0].duration: bad', file: 'bach.yaml', line: 11, col: 15, endLine: 11, endCol: 16, hint: 'Use 6.' },
      { severity: 'warning', code: 'env-tracked', message: '.env is tracked', file: '.env' },
    ];
    expect(formatAnnotations(createDiagnosticAnnotations(diagnostics, asIs))).toBe(
      '::error file=bach.yaml,line=11,col=15,endLine=11,endColumn=16,title=bach-render enum::shots[0].duration: bad%0AUse 6.\n' +
        '::warning file=.env,title=bach-render env-tracked::.env is tracked\n',
    );
  });

  it('annotates a plan: its summary, a notice per change at the shot, a warning for a paid re-render', () => {
    const digests = digestsOf({});
    const story = [makeShot({ id: 'opening', seed: 1, pos: { line: 4, col: 5 } }), makeShot({ id: 'finale', seed: 2, pos: { line: 8, col: 5 } }), makeShot({ id: 'old', seed: 3 })];
    const state = builtState(makeManifest(story), digests);
    state.outputs.delete('renders/finale.mp4');
    const edited = [{ ...story[0]!, prompt: { kind: 'text' as const, text: 'new' } }, story[1]!];
    const plan = createPlan(planInputs(makeManifest(edited), digests, state));
    expect(formatAnnotations(createPlanAnnotations(plan, 'bach.yaml', asIs)).split('\n')).toEqual([
      '::notice file=bach.yaml,title=bach-render plan::Plan: 2 to render (12 s of video), 1 removed.',
      '::notice file=bach.yaml,line=4,col=5,title=bach-render plan%3A changed opening::prompt "prompt of opening" → "new"; seed 1; renders 6 s of video (costs credits)',
      '::warning file=bach.yaml,line=8,col=5,title=bach-render plan%3A render again finale::renders/finale.mp4 is missing; seed 2; renders 6 s of video (costs credits)',
      '::notice file=bach.yaml,title=bach-render plan%3A removed old::old was removed from the manifest (renders/old.mp4 is left in place)',
      '',
    ]);
  });

  it('shows at most 10 of a kind, the tenth counting the rest', () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ level: 'warning' as const, message: `w${i}` }));
    const lines = formatAnnotations([...many, { level: 'error', message: 'e' }]).trim().split('\n');
    expect(lines.filter((line) => line.startsWith('::warning'))).toHaveLength(10);
    expect(lines[9]).toContain('5 more warnings are not shown as annotations');
    expect(lines.at(-1)).toBe('::error::e');
  });

  it('names files relative to the checkout in GitHub Actions', () => {
    expect(createFileNamer('/work/repo/film', { GITHUB_WORKSPACE: '/work/repo' })('bach.yaml')).toBe('film/bach.yaml');
    expect(createFileNamer('/work/repo/film', { GITHUB_WORKSPACE: '/work/repo' })('../../x/bach.yaml')).toBe('../../x/bach.yaml');
    expect(createFileNamer('/work/repo/film', {})('bach.yaml')).toBe('bach.yaml');
  });
});
