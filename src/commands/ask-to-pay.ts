import type { Plan } from '../plan/types.js';
import type { CliContext, Input } from '../util/cli-context.js';

export { shouldAskToPay } from '../project/should-ask-to-pay.js';

// The question a build asks before it pays; when it is asked: ../project/should-ask-to-pay.ts.

export function createPayQuestion(plan: Plan): string {
  const toRender = plan.shots.filter((s) => s.source === 'render').length;
  const shots = `${toRender} shot${toRender === 1 ? '' : 's'}`;
  return `\nRender ${shots}: ${plan.totals.secondsToGenerate} s of video, billed to your Bach account.\nOnly 'yes' will be accepted to approve (--yes skips this question).\n\n  Render? (yes/no) [no]: `;
}

export function isYes(answer: string | null): boolean {
  return answer !== null && /^\s*(y|yes)\s*$/i.test(answer);
}

/** The confirm step for buildOnce: the question on stdout, one line from stdin. */
export function createAskToPay(input: Input, context: CliContext): (plan: Plan) => Promise<boolean> {
  return async (plan) => {
    context.stdout.write(createPayQuestion(plan));
    const answer = await input.readLine(context.interrupt);
    if (answer === null) context.stdout.write('\n');
    return isYes(answer);
  };
}
