import type { ReviewData } from './review-data.js';
import { createReviewModel } from './review-model.js';
import { cardClass, partKey, renderInfo, renderMedia, renderStrip, renderTotals } from './render-parts.js';

// A live update of a served review page (server-sent event `review`): the same parts the static page
// is made of, each with its key, for the page's script to apply (page-script.ts). Pure.
//
// What goes over the wire is a delta against what that page already has (`createReviewDelta`): the
// storyboard's order always, the totals and timeline when they changed, and only the cards that
// changed — a status change of one shot in a storyboard of a thousand sends one card, not all.

export interface CardPart {
  id: string;
  className: string;
  media: string;
  mediaKey: string;
  info: string;
  infoKey: string;
}

export interface ReviewUpdate {
  totals: string;
  totalsKey: string;
  strip: string;
  stripKey: string;
  cards: CardPart[];
}

export interface ReviewDelta {
  /** Every shot id, in storyboard order: cards not listed are removed. */
  order: string[];
  totals?: string;
  totalsKey?: string;
  strip?: string;
  stripKey?: string;
  /** The cards that are new or changed since the page's last update. */
  cards: CardPart[];
}

/** What a page was last sent: the keys of its parts. */
export interface SentParts {
  totalsKey: string;
  stripKey: string;
  cards: ReadonlyMap<string, string>;
}

export function createReviewUpdate(data: ReviewData): ReviewUpdate {
  const model = createReviewModel(data);
  const totals = renderTotals(model);
  const strip = renderStrip(model);
  return {
    totals,
    totalsKey: partKey(totals),
    strip,
    stripKey: partKey(strip),
    cards: model.cards.map((card) => {
      const media = renderMedia(card);
      const info = renderInfo(card);
      return { id: card.shot.id, className: cardClass(card), media, mediaKey: partKey(media), info, infoKey: partKey(info) };
    }),
  };
}

/** The delta that brings a page from `sent` (null: a page that has nothing yet) to `update`. */
export function createReviewDelta(update: ReviewUpdate, sent: SentParts | null): { delta: ReviewDelta; sent: SentParts } {
  const cardKey = (card: CardPart) => `${card.className}|${card.mediaKey}|${card.infoKey}`;
  const delta: ReviewDelta = {
    order: update.cards.map((card) => card.id),
    cards: update.cards.filter((card) => sent?.cards.get(card.id) !== cardKey(card)),
  };
  if (sent?.totalsKey !== update.totalsKey) Object.assign(delta, { totals: update.totals, totalsKey: update.totalsKey });
  if (sent?.stripKey !== update.stripKey) Object.assign(delta, { strip: update.strip, stripKey: update.stripKey });
  return {
    delta,
    sent: { totalsKey: update.totalsKey, stripKey: update.stripKey, cards: new Map(update.cards.map((card) => [card.id, cardKey(card)])) },
  };
}
