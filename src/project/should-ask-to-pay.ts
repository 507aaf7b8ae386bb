import type { CliContext } from '../util/cli-context.js';
import type { BuildSettings } from './build-settings.js';

// No surprise spend (issue 15, item 1): on an interactive terminal, a build that would pay shows its
// plan and asks before anything is sent, as `terraform apply` does. The choices, written down:
//   - asked only when stdin and stdout are both terminals, the reporter is not JSON, the API is a
//     real one (never with --emulator: nothing is billed, and the README's first command stays one
//     command) and --yes was not given; without a terminal (CI, pipes) a build behaves as before;
//   - asked only when the plan generates seconds of video (restores, resumed tasks and team-cache
//     pulls are free and never asked about);
//   - the answer must be "yes" or "y" (any case); anything else, an empty line (the default), end of
//     input or Ctrl-C means no. A declined build sends nothing, writes no output and exits 1, like
//     Terraform's "Apply cancelled".

export function shouldAskToPay(settings: BuildSettings, context: CliContext): boolean {
  return (
    !settings.yes &&
    !settings.dryRun &&
    settings.api.kind !== 'emulator' &&
    settings.reporter !== 'json' &&
    context.stdout.isTTY &&
    context.stdin?.isTTY === true
  );
}
