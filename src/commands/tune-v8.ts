import { setFlagsFromString } from 'node:v8';

// V8's memory settings for a process that builds: `build`, and `watch`, which builds again at every
// change and stays up for hours (issue 14 item 4: the upload of 300 × 8 MB images must peak under
// 120 MB). Each flag below is one V8 reads at run time, so setting it after start takes effect; each
// says what it bought. Called before the first upload or request, never by the no-op path.

export function tuneV8ForBuilds(): void {
  keepYoungGenerationSmall();
  keepHttpParserBaseline();
  collectOldGenerationSooner();
}

/**
 * A build streams gigabytes through short-lived objects (hashing, upload bodies, downloads), and V8
 * answers a high allocation rate by growing its young generation from 1 MB up to 2 × 16 MB of
 * semi-space, which then stays part of the process's RSS: 300 × 8 MB images peaked at 164 MB, 126 MB
 * with the young generation kept at its initial size (issue 14 item 4c; the uploads' wall time did
 * not change measurably). `--max-semi-space-size` would say it directly but is read only when the
 * process starts; the growth factor is read each time the young generation would grow, so setting it
 * here takes effect (Node documents flags set after start as unpredictable in general: this one is
 * read at run time by design, and checked by `npm run bench -- --only upload-memory`).
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * undici parses HTTP answers with llhttp compiled to WebAssembly. V8 compiles it first with its
 * baseline compiler (Liftoff), then recompiles the parser's hot function — one large state machine —
 * with TurboFan on a background thread once enough answers have been parsed: that compilation took
 * ~35 MB of memory for ~0.1 s, once per build, at the moment the first upload batch was answered and
 * its shots started (seen with strace as one V8 worker's malloc arena growing and trimmed; gone with
 * this flag, not with `--no-opt`), and it set the build's peak RSS (issue 14 item 4). The baseline
 * code parses a build's few small answers fast enough (wall time unchanged in `npm run bench --
 * --only upload-memory`). V8 lists the flag "for testing"; all it does is keep WebAssembly off
 * TurboFan, and undici's parser is the only WebAssembly a build runs. `--no-wasm-tier-up`, the
 * obvious name, set at run time did not stop the recompilation. Read when undici's module is
 * compiled, at the build's first request (api/undici.ts loads undici then), after this runs.
 */
function keepHttpParserBaseline(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * A build's live heap is small (~15 MB for 300 shots), but what its polls, answers and events leave
 * behind outlives the small young generation and is promoted; V8 lets the old generation grow by up
 * to 4x its live size before the next full collection, so the heap reached ~45 MB of mostly garbage
 * by the end of the 300-image build and set its peak RSS (issue 14 item 4; a heap snapshot at exit
 * held 16 MB). Growing by 30% (V8 still grows by at least 8 MB) keeps it near its live size for the
 * cost of a full collection of a small heap every few seconds; wall time unchanged. Read after every
 * full collection, so setting it here takes effect.
 */
function collectOldGenerationSooner(): void {
  setFlagsFromString('--heap-growing-percent=30');
}
