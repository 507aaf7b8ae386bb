import type { Plan } from '../plan/types.js';
import type { Reporter, ReporterEvent } from '../report/reporter.js';
import type { ReviewData, RunOverlay } from '../review/review-data.js';
import type { ReviewServer } from '../review/review-server.js';

// `watch --serve` (issue 12, item 3): the review page served on 127.0.0.1 and kept live. At start the
// page shows the project as it stands; during a run every executor event is folded into the page's
// run overlay (review/run-overlay.ts) and pushed (the server coalesces pushes and sends each page
// only the parts that changed, so a video that did not change is never reloaded); after the run the
// page's full data, rebuilt from the plan by after-build.ts, replaces it.

export interface LiveReview {
  readonly url: string;
  /** The run's reporter, also feeding the live page. */
  wrap(reporter: Reporter): Reporter;
  /** A run is over: the page's new data (null: it could not be made; the last data stays). */
  settled(data: ReviewData | null): void;
  close(): Promise<void>;
}

export async function startLiveReview(manifestFile: string, root: string, port: number | undefined, cwd: string): Promise<LiveReview> {
  const [{ readProjectPlan }, { readReviewData }, { readShotFailures }, { startReviewServer }, { applyRunEvent }] = await Promise.all([
    import('../review/read-project-plan.js'),
    import('../review/update-review-page.js'),
    import('../review/run-overlay-io.js'),
    import('../review/review-server.js'),
    import('../review/run-overlay.js'),
  ]);
  const project = await readProjectPlan(manifestFile, { cwd });
  if (!project.ok) throw new Error('the manifest does not load: fix it, then start `watch --serve` again');
  let data: ReviewData = await readReviewData(project, { failed: await readShotFailures(root), inFlight: {} });
  const server: ReviewServer = await startReviewServer({ root, data, ...(port !== undefined ? { port } : {}) });
  return {
    url: server.url,
    wrap(reporter) {
      let fingerprints = new Map<string, string>();
      let overlay: RunOverlay = { failed: data.run.failed, inFlight: {} };
      return {
        ...reporter,
        plan(plan: Plan, label: string) {
          fingerprints = new Map(plan.shots.map((s) => [s.shot.id, s.fingerprint]));
          reporter.plan(plan, label);
        },
        event(event: ReporterEvent) {
          reporter.event(event);
          if (!event.type.startsWith('shot:')) return;
          overlay = applyRunEvent(overlay, event as Parameters<typeof applyRunEvent>[1], fingerprints);
          server.push({ ...data, run: overlay });
        },
        message: (level, text) => reporter.message(level, text),
        ...(reporter.watch ? { watch: reporter.watch.bind(reporter) } : {}),
        close: () => reporter.close(),
      };
    },
    settled(next) {
      if (!next) return;
      data = next;
      server.push(data);
    },
    close: () => server.close(),
  };
}
