import { createHash } from 'node:crypto';
import { escapeHtml as e } from './escape-html.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';
import type { ReviewData } from './review-data.js';
import { createReviewModel } from './review-model.js';
import { partKey, renderCard, renderStrip, renderTotals } from './render-parts.js';

// The review page, `<output>/index.html`: one self-contained file (inline style and script, no font,
// no CDN, no network) drawn from the plan data. Pure: the same data gives the same bytes (no
// timestamp), so a build rewrites the page only when something on it changed.
//
// Content-Security-Policy (a <meta>, so it holds on file:// and when published as a CI artifact):
// nothing by default; the one inline script and the one stylesheet by their sha256; images and
// videos from 'self' only (the page's own folder and the storyboard's input images, by relative
// paths; on file:// Chromium counts local files as 'self'); connections to 'self' only (the live
// updates of `watch --serve`); no <base>, no forms. Inline event handlers and style attributes are
// therefore refused, and a manifest text that slipped through unescaped could still run nothing.

export function createReviewPage(data: ReviewData): string {
  const model = createReviewModel(data);
  const totals = renderTotals(model);
  const strip = renderStrip(model);
  const csp = [
    "default-src 'none'",
    `script-src '${cspHash(PAGE_SCRIPT)}'`,
    `style-src '${cspHash(PAGE_STYLE)}'`,
    "img-src 'self'",
    "media-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = model.title;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="bach-render">
<title>${e(title)} · review</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="top">
<div class="title-row"><h1>${e(title)}</h1><span class="manifest">${e(model.manifest)}</span><span id="live" class="live-flag" hidden>● live</span></div>
<div id="totals" data-key="${partKey(totals)}">${totals}</div>
</header>
<section class="screen" aria-label="Play all">
<div id="stage" class="stage"><video id="layer-a" class="layer is-front" playsinline preload="auto"></video><video id="layer-b" class="layer" playsinline preload="auto"></video><div class="stage-idle">Play all: the storyboard as one film</div></div>
<div class="transport"><button type="button" id="play-all" class="primary" data-action="play-all">▶ Play all</button><button type="button" id="toggle-play" data-action="toggle" disabled>❚❚ Pause</button><button type="button" id="stop" data-action="stop">■ Stop</button><span id="now-playing" class="now">—</span><span id="film-clock" class="clock"></span></div>
<nav id="strip" class="strip" aria-label="Timeline" data-key="${partKey(strip)}">${strip}</nav>
</section>
<main id="shots" class="grid">
${model.cards.map(renderCard).join('\n')}
</main>
<footer class="page-foot">Written by bach-render from the plan of ${e(model.manifest)}: states use the words of <code>bach-render plan</code>.</footer>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** A CSP source for an inline element's exact text (UTF-8), as browsers compute it. */
export function cspHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
