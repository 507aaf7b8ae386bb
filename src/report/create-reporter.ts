import type { CliContext } from '../util/cli-context.js';
import { createPalette, shouldUseColor } from '../util/palette.js';
import { createJsonReporter } from './json-reporter.js';
import { createPlainReporter } from './plain-reporter.js';
import { chooseReporter, isCI, type Reporter } from './reporter.js';

/** The reporter for this terminal and flag; the live view is imported only when it is used. */
export async function createReporter(flag: 'auto' | 'plain' | 'json', context: CliContext): Promise<Reporter> {
  const kind = chooseReporter(flag, { isTTY: context.stdout.isTTY, ci: isCI(context.env), dumb: context.env.TERM === 'dumb', columns: context.stdout.columns });
  if (kind === 'json') return createJsonReporter(context.stdout);
  const palette = createPalette(shouldUseColor(context.stdout.isTTY, context.env));
  if (kind === 'plain') return createPlainReporter(context.stdout, context.stderr, palette);
  const { createLiveReporter } = await import('./live-reporter.js');
  return createLiveReporter(context.stdout, context.stderr, palette);
}
