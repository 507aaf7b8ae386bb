import type { ReviewData } from './review-data.js';
import { createReviewModel } from './review-model.js';
import { cardClass, partKey, renderInfo, renderMedia, renderStrip, renderTotals } from './render-parts.js';

// A live update of a served review page (server-sent event `review`): the same parts the static page
// is made of, each with its key, for the page's script to apply (page-script.ts). Pure.

export interface ReviewUpdate {
  totals: string;
  totalsKey: string;
  strip: string;
  stripKey: string;
  cards: Array<{ id: string; className: string; media: string; mediaKey: string; info: string; infoKey: string }>;
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
