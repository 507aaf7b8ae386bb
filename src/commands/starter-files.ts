// What `bach-render init` writes (pure: texts, and the .gitignore merge). The starter manifest must
// validate and render with `--emulator` as it is — a test builds it — so a first command works.

export const STARTER_MANIFEST = `# yaml-language-server: $schema=./node_modules/bach-render/schemas/bach.schema.json
# A storyboard for bach-render: each shot becomes <output>/<id>.mp4, rendered by the Bach Video
# Generation API. Only what changed renders again; bach.lock (keep it in git) records what each video
# was made from. Every field is described in bach-render's README, "Manifest reference".
#
#   npx bach-render --emulator   render against a local emulator: no account, no cost
#   npx bach-render plan         what a real build would render, and how many seconds of video
#   npx bach-render              render it (keys in .env: see .env.example)
version: 1
output: renders                  # the folder for the videos, beside this file

defaults:                        # every shot takes these unless it sets its own
  resolution: 720p               # 720p or 1080p
  aspect_ratio: "16:9"           # "16:9", "9:16" or "1:1"

shots:
  - id: opening                  # names the video: renders/opening.mp4
    mode: text-to-video          # a text-to-video shot is always 6 seconds
    prompt: A lighthouse on a cliff at dawn, waves breaking on the rocks below, slow aerial push-in
    # seed: 42                   # fixes the randomness; left out, one is chosen and kept in bach.lock

  # An image-to-video shot brings a still to life. Put an image in the project, then uncomment:
  # - id: keeper
  #   mode: image-to-video
  #   image: frames/keeper.png   # a local file (uploaded for you) or an https:// URL
  #   prompt: The lighthouse keeper looks up from his book and smiles
  #   duration: 4                # 1 to 5 seconds
`;

export const STARTER_ENV_EXAMPLE = `# Copy this file to .env (git ignores .env; never commit keys) and fill in the keys from the Bach
# Developer Console. Variables set in the environment win over .env.
BACH_ACCESS_KEY=
BACH_SECRET_KEY=
# The API's address, only to use another one (e.g. an emulator: \`npx bach-render emulator\`).
# BACH_BASE_URL=
`;

/** What the project's .gitignore must hold: outputs, working state, secrets. */
export const GITIGNORE_ENTRIES = ['renders/', '.bach/', '.env'] as const;

/**
 * `existing` (undefined: no .gitignore yet) with every entry it lacks appended under a comment.
 * An entry counts as present in any of its usual spellings (`renders`, `/renders/`, …), so running
 * init twice, or after writing the lines by hand, adds nothing.
 */
export function mergeGitignore(existing: string | undefined, entries: readonly string[] = GITIGNORE_ENTRIES): { text: string; added: string[] } {
  const present = new Set((existing ?? '').split(/\r?\n/).map(normalizeEntry));
  const added = entries.filter((entry) => !present.has(normalizeEntry(entry)));
  if (added.length === 0) return { text: existing ?? '', added };
  const before = existing === undefined || existing === '' ? '' : existing.endsWith('\n') ? `${existing}\n` : `${existing}\n\n`;
  return { text: `${before}# bach-render: rendered videos, working state, and keys\n${added.join('\n')}\n`, added };
}

function normalizeEntry(line: string): string {
  return line.trim().replace(/^\//, '').replace(/\/$/, '');
}
