import { UsageError } from '../errors.js';
import { formatAlternatives, suggestSimilar } from '../util/suggest-similar.js';

// A first word that is neither a command nor an existing path. `bach-render examples` means "build
// the manifest in examples/", so a bare word has always been read as a path; but `bach-render biuld`
// is a mistyped command, and "no manifest at …/biuld" would send the user looking for a file.
// The rule (no special cases): a word that looks like a name (no `/`, `\` or `.`) and is close to a
// command by util/suggest-similar.ts's ranking is an unknown command with a suggestion; anything else
// stays a path, and the build reports the missing manifest as before. So `status` (close to no
// command) still reads as a path. cli.ts calls this only after checking that the word is not a path.

export function rejectMistypedCommand(word: string, commands: readonly string[]): void {
  if (/[/\\.]/.test(word)) return;
  const near = suggestSimilar(word, commands);
  if (near.length === 0) return;
  throw new UsageError(`unknown command "${word}" (did you mean ${formatAlternatives(near)}?)`, {
    hint: `Commands: ${commands.join(', ')}. A manifest's path (or its folder's) is read as \`build PATH\`.`,
  });
}
