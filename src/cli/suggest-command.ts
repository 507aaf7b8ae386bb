import { UsageError } from '../errors.js';
import { formatAlternatives, suggestSimilar } from '../util/suggest-similar.js';

// A first word that is neither a command nor an existing path. `bach-render examples` means "build
// the manifest in examples/", so a bare word has always been read as a path; but `bach-render biuld`
// is a mistyped command, and "no manifest at …/biuld" would send the user looking for a file.
// The rule (no special cases): a word that looks like a name (no `/`, `\` or `.`) and names no
// existing file or folder is an unknown command — with the nearest commands by util/suggest-similar.ts's
// ranking when any is close (`biuld` → `build`), else with the list (`status`). Anything that looks
// like a path stays a path, and the build reports the missing manifest as before. run-cli.ts calls
// this only after checking that the word is not an existing path.

export function rejectMistypedCommand(word: string, commands: readonly string[]): void {
  if (/[/\\.]/.test(word)) return;
  const near = suggestSimilar(word, commands);
  const suggestion = near.length > 0 ? ` (did you mean ${formatAlternatives(near)}?)` : '';
  throw new UsageError(`unknown command "${word}"${suggestion}, and no file or folder of that name here`, {
    hint: `Commands: ${commands.join(', ')}. A manifest's path (or its folder's) is read as \`build PATH\`.`,
  });
}
