import type { CommandRun } from '../util/cli-context.js';

// The command table. Help texts live here, not in the command modules, so that `--help` and
// dispatch load nothing heavy; each command module is imported only when it runs.

export interface CommandSpec {
  summary: string;
  help: string;
  load: () => Promise<{ run: CommandRun }>;
  /** Plumbing for shell completion: not listed in help, not suggested for typos. */
  hidden?: boolean;
}

const BUILD_OPTIONS = `
  --concurrency N      Tasks in flight on the API at once (submit until done). Default 4.
  --only ID[,ID...]    Build only these shots (repeatable).
  --force ID[,ID...]   Render these shots again even if unchanged (repeatable; costs credits).
  --dry-run            Plan and print what would be done; send nothing, write nothing.
  --yes                Pay without asking (also -y). On a terminal a build that would pay asks
                       first (default no), and watch renders a plan when Enter is pressed.
  --max-seconds N      Refuse to start when the build would generate more than N seconds of video.
  --retries N          Re-submit a shot whose task ends TASK_FAILED up to N times. Default 2.
  --allow-rerender     Allow paying again for a result that was paid for but can no longer be
                       downloaded (its URL expired).
  --poll-interval S    Seconds between status polls (fractions allowed; env BACH_POLL_INTERVAL).
                       Default 10.
  --reporter KIND      auto | plain | json (NDJSON events on stdout). Default auto.
  --base-url URL       API base URL (env BACH_BASE_URL; never read from a file in the project).
                       Default https://api-gen-na.bach.art/api/vdr
  --emulator           Run against an embedded local emulator: no account, no credits.
  --wait               If another bach-render is building this folder, wait for it instead of exiting.
  --remote URL         The team cache (s3://bucket/prefix or a folder; env BACH_REMOTE; else remote:
                       in bach.yaml): results are fetched from it before paying, pushed after.
  --no-remote          Leave the team cache alone for this run.
  --remote-read-only   Fetch from the team cache, never push (the default in CI without the
                       signing key).
  --require-remote     A team-cache failure is an error (exit 1 before anything is paid).`;

const REMOTE_OPTIONS = `
  --remote URL         The team cache: s3://bucket/prefix, a folder or file:// URL (env BACH_REMOTE;
                       default: \`remote:\` in bach.yaml). See README: Team cache.
  --no-remote          Use no team cache.
  --remote-read-only   Never write to the team cache (env BACH_REMOTE_READ_ONLY=1; the default in CI
                       without BACH_REMOTE_SIGNING_KEY).
  --require-remote     Any team-cache failure is an error (exit 1).
  --concurrency N      Videos transferred at once. Default 4.`;

export const COMMANDS: Record<string, CommandSpec> = {
  build: {
    summary: 'Render every shot that changed (the default command)',
    help: `Usage: bach-render [build] [PATH] [options]

Loads PATH (a bach.yaml, or a folder holding one; default: the nearest bach.yaml, in this folder or
a parent up to the repository's root), plans against bach.lock,
uploads the local images it needs, renders what changed and writes <output>/<id>.mp4.

Options:${BUILD_OPTIONS}
  --watch              Keep running and rebuild on every save (same as \`bach-render watch\`).
  --debounce MS        With --watch: wait this long after a save before planning. Default 100.

Credentials: BACH_ACCESS_KEY and BACH_SECRET_KEY from the environment or a .env beside the manifest
(a .env that sets BACH_BASE_URL is refused).
Exit codes: 0 success, 1 error or failed shots, 130 interrupted.`,
    load: () => import('../commands/build.js'),
  },
  plan: {
    summary: 'Show what a build would do, and why',
    help: `Usage: bach-render plan [PATH] [options]

Prints the plan: + create, ~ update (with reasons), = unchanged, < restore from cache,
! render again (costs credits), - removed. Writes nothing but caches.

Without PATH, the nearest bach.yaml: in this folder or a parent (up to the repository's root).

Options:
  --json               Print the plan as JSON (stable format, planVersion 1).
  --reporter KIND      auto | plain | json | github: github adds GitHub Actions annotations (a
                       notice per change at its shot's line, warnings for unchanged shots that pay
                       again) after the plan. json is --json. Default auto.
  --detailed-exitcode  Exit 0 when there are no changes, 2 when changes are pending, 1 on error.
  --only ID[,ID...]    Plan only these shots (repeatable).
  --force ID[,ID...]   Plan these shots as rendered again (repeatable).
  --base-url URL       The API whose uploaded images count as uploaded (env BACH_BASE_URL).`,
    load: () => import('../commands/plan.js'),
  },
  validate: {
    summary: 'Check a manifest and report every problem',
    help: `Usage: bach-render validate [PATH] [options]

Loads PATH (a bach.yaml, or a folder holding one; default: the nearest bach.yaml, in this folder or
a parent) and reports every problem as file:line:col. Exit 0 when valid, 1 otherwise. Makes no
network request and writes nothing. Also warns when git tracks the .env beside the manifest.

Options:
  --json               Print the result as JSON (stable format, validateVersion 1).
  --reporter KIND      auto | plain | json | github: github adds GitHub Actions annotations
                       (::error file=…,line=…,col=…::message) after the text. Default auto.`,
    load: () => import('../commands/validate.js'),
  },
  watch: {
    summary: 'Rebuild on every save of the manifest or a file it references',
    help: `Usage: bach-render watch [PATH] [options]

Watches the manifest and every file it references; on each save, plans and renders what changed.
An invalid edit prints its problems and keeps the last good state.

Options:${BUILD_OPTIONS.replace('Refuse to start when the build would generate more than N seconds of video.', 'A budget for the whole session: once N seconds are spent, further runs only plan.')}
  --debounce MS        Wait this long after a save before planning. Default 100.
  --serve              Serve the review page on 127.0.0.1 and keep it live (server-sent events)
                       as shots plan, render and finish; prints its URL.
  --port N             With --serve: the port (default: a free one).

Every run also rewrites <output>/index.html when it changed (and cuts the film with cut: true).`,
    load: () => import('../commands/watch.js'),
  },
  review: {
    summary: 'Write the review page: the storyboard as a film, with every shot\'s state',
    help: `Usage: bach-render review [PATH]

Writes <output>/index.html beside the videos: one self-contained page (no server, no network) that
shows the storyboard in order — each shot's video, prompt, inputs, seed, settings and state from the
plan (up to date, stale with the reasons, missing, failed, in flight) — the totals, and "Play all",
which plays the shots as one film. Open it in a browser from the file system or publish it as a CI
artifact. The page is rewritten only when it changed. Needs no credentials; sends nothing.`,
    load: () => import('../commands/review.js'),
  },
  cut: {
    summary: 'Assemble the shots into one film (and an OpenTimelineIO timeline)',
    help: `Usage: bach-render cut [PATH] [options]

Joins the shots, in storyboard order, into <output>/<name>.mp4 (name: the manifest's \`name:\`,
default the folder's name) and writes <output>/<name>.otio, a timeline with one clip per shot for
DaVinci Resolve and other editors. Shots that share their codec parameters (the normal case) are
joined without re-encoding; otherwise ffmpeg re-encodes them to one frame size (it must be on the
PATH). Nothing is done when no shot's video changed since the last cut.

Options:
  --allow-stale        Cut even while shots are stale or missing: the film holds the videos that
                       exist, without gaps, and the missing shots are named.
  --force              Cut again even if nothing changed.`,
    load: () => import('../commands/cut.js'),
  },
  pull: {
    summary: 'Fetch the videos bach.lock describes from the team cache (or earlier tasks), paying nothing',
    help: `Usage: bach-render pull [PATH] [options]

Places every video bach.lock records for the manifest's shots into the output folder and .bach/cache,
without submitting anything: from the team cache, or — where it lacks one — from the API by the task
id the lock records (a query and a download are free; keys are needed only then). Every video must
match the sha256 bach.lock records; an output altered by hand is kept as <id>.altered-<stamp>.mp4.
Prints progress and a summary: how many came from the team cache, from the API, were already present,
and which are missing and why.

Options:${REMOTE_OPTIONS}
  --base-url URL       API base URL for earlier tasks (env BACH_BASE_URL). Default the public API.
  --wait               If another bach-render is working in this folder, wait for it instead of exiting.

Exit codes: 0 every locked shot in place, 1 a shot missing or an error, 130 interrupted.`,
    load: () => import('../commands/pull.js'),
  },
  push: {
    summary: 'Upload the results bach.lock references that the team cache lacks',
    help: `Usage: bach-render push [PATH] [options]

Uploads, from .bach/cache, every result bach.lock references that the team cache does not hold yet
(for a project that rendered before it had a team cache). Nothing is overwritten: a result someone
wrote first stays. A read-only team cache is an error.

Options:${REMOTE_OPTIONS}

Exit codes: 0 the team cache holds every locked result, 1 one could not be pushed or an error, 130
interrupted.`,
    load: () => import('../commands/push.js'),
  },
  show: {
    summary: 'Everything about one shot: request, seed, task, output and its takes in the cache',
    help: `Usage: bach-render show ID [PATH]

Prints one shot: its state in the plan (with the reasons), the request exactly as the API receives it
(local files as their sha256), the seed, what bach.lock records (task id, output hash), the output on
disk, and every take of it in .bach/cache with its date. Reads only; sends nothing; needs no keys.`,
    load: () => import('../commands/show.js'),
  },
  clean: {
    summary: 'Remove outputs of removed shots and prune the cache (dry unless --yes)',
    help: `Usage: bach-render clean [PATH] [options]

Lists, and with --yes removes: the outputs of shots no longer in the manifest, and cached takes that
nothing references (bach.lock, the current shots, the journal) beyond the newest N of each shot. Never
removes anything paid for that is still referenced. Takes the folder as a build does; sends nothing.

Options:
  --yes                Remove what is listed (without it, nothing is removed).
  --keep N             Cached takes to keep per shot beyond the referenced ones. Default 3.`,
    load: () => import('../commands/clean.js'),
  },
  doctor: {
    summary: 'Check the keys and the API address with one request that creates nothing',
    help: `Usage: bach-render doctor [PATH] [options]

Checks that the keys are set (environment, then the .env beside the nearest bach.yaml) and that the
API at the address a build would use answers and accepts them — with one authenticated status query
of a task that cannot exist: nothing is created, nothing is billed. Says what is wrong and what to do.

Options:
  --base-url URL       API base URL (env BACH_BASE_URL; never read from a file in the project).

Exit codes: 0 the API answered and accepted the keys, 1 otherwise.`,
    load: () => import('../commands/doctor.js'),
  },
  emulator: {
    summary: 'Serve the local Bach API emulator',
    help: `Usage: bach-render emulator [options]

Serves a stateful local implementation of the Bach API under /api/vdr and prints its base URL and
the access/secret key pair to use (a local fake pair). Settings: defaults < --config file < flags;
change them at run time with POST /_emulator/config. See README: Emulator.

Options:
  --port N                    Port to listen on (0 picks a free one). Default 8787.
  --host HOST                 Interface to bind. Default 127.0.0.1.
  --config FILE               JSON file with emulator settings.
  --json                      Print the URL and keys as one JSON line (for scripts).
  --verbose                   Log every request and task event.
  --processing-ms MS          Time a task spends in TASK_PROCESSING (mean). Default 2000.
  --processing-spread F       Each task's time is uniform within +-F of the mean (0-1). Default 0.
  --timing-seed SEED          Seed of the processing-time draws (runs repeat).
  --pending-ms MS             Minimum time in TASK_PENDING. Default 0.
  --concurrency-per-key N     Tasks processing at once per key; the rest wait. Default 4.
  --rate-limit RPS[:BURST]    Per-key request limit (429/1800 with Retry-After).
  --rate-limit-mode MODE      token-bucket (default) or fixed-window (RPS per clock second).
  --rate-limit-no-retry-after Answer 429 without a Retry-After header.
  --credits SECONDS           Seconds of video the account may generate (1302 after).
  --plan-max-duration S       Longest duration the plan allows (1300 beyond).
  --plan-resolutions LIST     Resolutions the plan allows, e.g. 720p (1301 otherwise).
  --sensitive-word WORD       Refuse prompts containing WORD with 1001 (repeatable).
  --result-ttl-ms MS          Result URLs expire this long after success.
  --upload-ttl-ms MS          Uploaded-image URLs expire this long after upload.
  --batch-ttl-ms MS           Batch ids expire (1203) this long after creation.
  --result-padding-bytes N    Make every result N bytes larger (large-download tests).
  --fault-seed SEED           Seed of every fault decision (runs repeat).
  --fault-5xx P               Probability of 500/5000 without doing the work.
  --fault-drop P              Probability of dropping the connection without doing the work.
  --fault-drop-after-create P Create the task (billed), then drop the connection.
  --fault-task-failed P       Probability that a task ends TASK_FAILED.
  --fault-429 P               Probability of a spurious 429/1800.
  --fault-latency MS|MIN-MAX  Added latency per request.
  --fault-cdn                 Apply 5xx, drop and latency to CDN downloads too.`,
    load: () => import('../commands/emulator.js'),
  },
  init: {
    summary: 'Start a project: a starter bach.yaml, .env.example and .gitignore entries',
    help: `Usage: bach-render init [PATH]

Writes a commented starter bach.yaml (one text-to-video shot; it renders with --emulator as it is),
a .env.example naming the keys, and .gitignore entries for renders/, .bach/ and .env (added to an
existing .gitignore, never twice) in PATH (default: this folder; created if missing). Overwrites
nothing: an existing bach.yaml or .env.example stops it before anything is written.`,
    load: () => import('../commands/init.js'),
  },
  completion: {
    summary: 'Print a shell completion script (bash, zsh or fish)',
    help: `Usage: bach-render completion SHELL

Prints a completion script for SHELL (bash, zsh or fish): commands, each command's options, and
shot ids after --only and --force (read from the nearest bach.yaml as you type).

  bash   source <(bach-render completion bash)     # in ~/.bashrc
  zsh    source <(bach-render completion zsh)      # in ~/.zshrc, after compinit
  fish   bach-render completion fish > ~/.config/fish/completions/bach-render.fish`,
    load: () => import('./completion.js'),
  },
  '__complete-ids': {
    summary: 'The shot ids of the nearest manifest, one per line (for shell completion)',
    help: `Usage: bach-render __complete-ids [PATH]

Prints the shot ids of PATH (default: the nearest bach.yaml), one per line; prints nothing when
there is no readable manifest. Used by the completion scripts.`,
    load: () => import('../commands/complete-ids.js'),
    hidden: true,
  },
};

/** The commands a person may type, in help order. */
export function listCommands(): string[] {
  return Object.keys(COMMANDS).filter((name) => !COMMANDS[name]!.hidden);
}

export function globalHelp(version: string): string {
  const rows = listCommands()
    .map((name) => [name, COMMANDS[name]!] as const)
    .map(([name, spec]) => `  ${name.padEnd(10)} ${spec.summary}`)
    .join('\n');
  return `bach-render ${version} — a build tool for AI video

Usage: bach-render [command] [PATH] [options]

Commands:
${rows}

Run \`bach-render <command> --help\` for a command's options.
Global: --help, --version. Colour follows the terminal; NO_COLOR=1 turns it off.
`;
}
