import { posix } from 'node:path';
import type { PlanJsonImage, PlanJsonShot } from '../plan/plan-json.js';
import { encodePathSegments } from './escape-html.js';
import type { ReviewData } from './review-data.js';
import { decideShotState, type ShotState, type ShotStateKind } from './shot-state.js';

// The review page's view model: what each card and the totals show, decided once, so that the
// static page and the live updates (SSE) cannot disagree. Pure.
//
// URLs are relative to the page's folder (`<output>/`): `<id>.mp4?v=<sha>` for a shot's video (the
// version changes exactly when the file's bytes do, so a live page swaps a video only then; file://
// ignores the query), `../frames/hero.png` for an input image. http(s) images are never loaded —
// the page makes no network request — they are shown as their address.

export interface ReviewModel {
  title: string;
  manifest: string;
  totals: ReviewTotals;
  cards: CardModel[];
  film: { href: string; otioHref: string; label: string } | null;
}

export interface ReviewTotals {
  shots: number;
  /** The whole storyboard's length. */
  filmSeconds: number;
  /** Seconds of video on disk that the plan leaves alone. */
  renderedSeconds: number;
  /** Seconds a build would pay for now (the plan's secondsToGenerate). */
  toPaySeconds: number;
  states: Record<ShotStateKind, number>;
}

export interface CardModel {
  /** 1-based position in the storyboard. */
  number: number;
  shot: PlanJsonShot;
  state: ShotState;
  /** null: no video on disk. */
  video: { src: string; version: string } | null;
  images: Thumb[];
  subjectImages: Thumb[];
}

export type Thumb = { kind: 'file'; src: string; label: string } | { kind: 'url'; url: string; label: string };

export function createReviewModel(data: ReviewData): ReviewModel {
  const cards = data.plan.shots.map((shot, index): CardModel => {
    const file = data.videos[shot.id] ?? null;
    return {
      number: index + 1,
      shot,
      state: decideShotState(shot, file, data.run),
      video: file ? { src: `${encodePathSegments(relativeToPage(data.output, shot.output))}?v=${file.sha256.slice(0, 16)}`, version: file.sha256 } : null,
      images: shot.images.map((image) => createThumb(data.output, image)),
      subjectImages: (shot.subject?.images ?? []).map((image) => createThumb(data.output, image)),
    };
  });
  const states: Record<ShotStateKind, number> = { 'up-to-date': 0, stale: 0, missing: 0, failed: 0, 'in-flight': 0 };
  for (const card of cards) states[card.state.kind] += 1;
  return {
    title: data.title,
    manifest: data.plan.manifest,
    totals: {
      shots: cards.length,
      filmSeconds: sum(cards.map((card) => card.shot.duration)),
      renderedSeconds: sum(cards.filter((card) => card.state.kind === 'up-to-date').map((card) => card.shot.duration)),
      toPaySeconds: data.plan.totals.secondsToGenerate,
      states,
    },
    cards,
    film: data.film
      ? {
          href: encodePathSegments(relativeToPage(data.output, data.film.file)),
          otioHref: encodePathSegments(relativeToPage(data.output, data.film.otio)),
          label: posix.basename(data.film.file),
        }
      : null,
  };
}

/** A root-relative path as seen from the page in `<output>/`. */
export function relativeToPage(output: string, path: string): string {
  return posix.relative(output === '' ? '.' : output, path) || '.';
}

function createThumb(output: string, image: PlanJsonImage): Thumb {
  if (image.kind === 'url') return { kind: 'url', url: image.url, label: image.url };
  return { kind: 'file', src: encodePathSegments(relativeToPage(output, image.path)), label: image.path };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
