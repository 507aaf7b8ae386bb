import pLimit from 'p-limit';
import type { CallOptions, RemoteBackend } from './backend.js';
import { isSha256Hex, parseResultKey, RESULTS_PREFIX, resultKey } from './keys.js';
import { RemoteError } from './remote-error.js';

// Which of the fingerprints a plan needs have a result in the remote — cheaply. Measured against
// radosgw: one LIST answered 1,000 keys in 12 ms where 1,000 HEADs took 1.16 s. So:
// - a few fingerprints (≤ headThreshold): parallel HEADs of their records (one round trip);
// - more: "skipping" LISTs over the records, in key order: each page starts just before the next
//   fingerprint still unanswered (`start-after`), so one page answers every wanted fingerprint among
//   the next 1,000 records and pages never cover records between wanted ones twice. Independent
//   chains over slices of the sorted list run in parallel. A page that answers fewer than
//   `minAnsweredPerPage` fingerprints means the remote holds far more than this plan wants (the
//   wanted ones are sparse in it): the rest of that chain is asked with HEADs instead.
// - a LIST that is refused (a reader allowed GetObject but not ListBucket) falls back to HEADs, whose
//   403s then mean "absent" (see `refused`).
// A folder lists everything in one call, so it always takes the LIST path.

export interface LookupOptions extends CallOptions {
  /** Up to this many fingerprints: HEADs (default 24). */
  headThreshold?: number;
  /** Parallel requests (default 16). */
  concurrency?: number;
  /** A LIST page must answer at least this many fingerprints to be worth more than HEADs (default 8). */
  minAnsweredPerPage?: number;
  /** Keys per LIST page (default and maximum: the store's; smaller only to test paging). */
  pageSize?: number;
}

export interface LookupResult {
  /** The fingerprints whose result record is in the remote. */
  present: Set<string>;
  /** Requests this lookup sent. */
  requests: number;
  method: 'none' | 'head' | 'list' | 'list+head';
  /**
   * HEADs refused (403) and counted as absent: a reader allowed s3:GetObject but not s3:ListBucket gets
   * 403 for every missing key. Worth a warning when not 0 (grant s3:ListBucket to tell the two apart).
   */
  refused: number;
}

export async function lookupResults(backend: RemoteBackend, fingerprints: readonly string[], options: LookupOptions = {}): Promise<LookupResult> {
  const wanted = [...new Set(fingerprints)].sort();
  for (const fingerprint of wanted) if (!isSha256Hex(fingerprint)) throw new RangeError(`lookup: not a fingerprint: ${fingerprint}`);
  const before = backend.requestCount();
  const present = new Set<string>();
  const limit = pLimit(options.concurrency ?? 16);
  const signal = options.signal;
  const pageSize = Math.min(options.pageSize ?? backend.listPageSize, backend.listPageSize);
  let usedList = false;
  let usedHead = false;

  let refused = 0;
  let firstRefusal: RemoteError | undefined;
  const heads = async (list: readonly string[]) => {
    if (list.length === 0) return;
    usedHead = true;
    await Promise.all(
      list.map((fingerprint) =>
        limit(async () => {
          try {
            if (await backend.head(resultKey(fingerprint), { signal })) present.add(fingerprint);
          } catch (error) {
            // S3 answers 403, not 404, for a missing key to a reader without s3:ListBucket: counted as
            // absent; only when nothing at all can be read is it the reader's problem (thrown below).
            if (!(error instanceof RemoteError) || error.kind !== 'denied') throw error;
            refused += 1;
            firstRefusal ??= error;
          }
        }),
      ),
    );
  };

  /** Answers `slice` (sorted) by skipping LIST pages; what the pages do not answer well goes to HEADs. */
  const chain = async (slice: readonly string[]) => {
    let index = 0;
    while (index < slice.length) {
      const startAfter = `${RESULTS_PREFIX}${slice[index]!}`;
      const page = await limit(() => backend.list(RESULTS_PREFIX, startAfter, pageSize, { signal }));
      const found = new Set(page.keys.map(parseResultKey).filter((fp): fp is string => fp !== undefined));
      const lastKey = page.keys.at(-1);
      let answered = 0;
      while (index < slice.length && (!page.truncated || (lastKey !== undefined && resultKey(slice[index]!) <= lastKey))) {
        if (found.has(slice[index]!)) present.add(slice[index]!);
        index += 1;
        answered += 1;
      }
      if (index < slice.length && answered < (options.minAnsweredPerPage ?? 8)) {
        await heads(slice.slice(index));
        return;
      }
    }
  };

  if (wanted.length > 0) {
    if (wanted.length <= (options.headThreshold ?? 24) && pageSize !== Number.POSITIVE_INFINITY) {
      await heads(wanted);
    } else {
      usedList = true;
      const chains = Math.min(options.concurrency ?? 16, Math.ceil(wanted.length / Math.min(pageSize, 1_000_000)));
      const size = Math.ceil(wanted.length / chains);
      const slices = Array.from({ length: chains }, (_, i) => wanted.slice(i * size, (i + 1) * size)).filter((s) => s.length > 0);
      try {
        await Promise.all(slices.map(chain));
      } catch (error) {
        // Not allowed to list (but maybe to read): ask each record instead.
        if (!(error instanceof RemoteError) || error.kind !== 'denied') throw error;
        await heads(wanted.filter((fingerprint) => !present.has(fingerprint)));
      }
    }
  }
  if (firstRefusal && present.size === 0 && refused === wanted.length) throw firstRefusal;
  const requests = backend.requestCount() - before;
  const method = wanted.length === 0 ? 'none' : usedList && usedHead ? 'list+head' : usedList ? 'list' : 'head';
  return { present, requests, method, refused };
}
