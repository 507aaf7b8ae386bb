import { sha256Hex } from '../util/hash.js';
import { escapeHtml as e } from './escape-html.js';
import type { CardModel, ReviewModel, Thumb } from './review-model.js';
import { STATE_LABELS } from './shot-state.js';

// The review page's HTML, piece by piece: the header with the totals, the timeline strip, and each
// shot's card as two parts — its media (the video) and its info (everything else). The static page
// and the live updates are built from the same pieces; each part carries a key (a hash of its HTML)
// so the page's script replaces only what changed and never reloads a video whose file is the same.
// Every manifest text goes through escapeHtml; no part has an inline style or event handler (the
// page's Content-Security-Policy forbids both).

const MODE_LABELS: Record<string, string> = {
  'text-to-video': 'text → video',
  'image-to-video': 'image → video',
  'multi-image-to-video': 'multi-image → video',
};

export function renderTotals(model: ReviewModel): string {
  const { totals } = model;
  const stat = (value: string, label: string, cls = '') =>
    `<div class="stat${cls}"><span class="stat-value">${e(value)}</span><span class="stat-label">${e(label)}</span></div>`;
  const chips = (['up-to-date', 'stale', 'missing', 'failed', 'in-flight'] as const)
    .filter((kind) => totals.states[kind] > 0)
    .map((kind) => `<span class="badge badge-${kind}">${totals.states[kind]} ${e(STATE_LABELS[kind])}</span>`)
    .join('');
  const film = model.film
    ? `<p class="film-link">Film: <a href="${e(model.film.href)}">${e(model.film.label)}</a> · <a href="${e(model.film.otioHref)}">OpenTimelineIO</a></p>`
    : '';
  return (
    `<div class="stats">${stat(String(totals.shots), totals.shots === 1 ? 'shot' : 'shots')}` +
    `${stat(formatSeconds(totals.filmSeconds), 'storyboard')}` +
    `${stat(formatSeconds(totals.renderedSeconds), 'rendered, up to date')}` +
    `${stat(formatSeconds(totals.toPaySeconds), 'a build would pay for', totals.toPaySeconds > 0 ? ' stat-cost' : '')}</div>` +
    `<div class="chips">${chips}</div>${film}`
  );
}

/** The storyboard as a timeline: one segment per shot, as wide as its duration, coloured by state. */
export function renderStrip(model: ReviewModel): string {
  return model.cards
    .map(
      (card) =>
        `<button type="button" class="seg seg-${card.state.kind} grow-${Math.max(1, Math.min(12, Math.round(card.shot.duration)))}" data-action="play-from" data-id="${e(card.shot.id)}"` +
        ` title="${e(`${card.number}. ${card.shot.id} · ${card.shot.duration} s · ${STATE_LABELS[card.state.kind]}`)}"${card.video ? '' : ' disabled'}>` +
        `<span class="seg-label">${e(card.shot.id)}</span></button>`,
    )
    .join('');
}

export function renderMedia(card: CardModel): string {
  const { shot } = card;
  const ratio = `ratio-${shot.aspectRatio.replace(':', 'x')}`;
  if (!card.video) {
    return `<div class="frame ${ratio} frame-empty"><span>no video yet</span></div>`;
  }
  // `#t=0.001` makes the browser decode and show the first frame before play (preload="metadata"
  // alone leaves a black box in Chromium).
  return (
    `<div class="frame ${ratio}"><video class="shot-video" src="${e(card.video.src)}#t=0.001" preload="metadata" controls playsinline` +
    ` data-src="${e(card.video.src)}" data-seconds="${shot.duration}"></video></div>`
  );
}

export function renderInfo(card: CardModel): string {
  const { shot, state } = card;
  const facts: Array<[string, string]> = [
    ['mode', MODE_LABELS[shot.mode] ?? shot.mode],
    ['duration', `${shot.duration} s`],
    ['size', `${shot.width}×${shot.height}`],
    ['resolution', shot.resolution],
    ['aspect', shot.aspectRatio],
    ['seed', String(shot.seed)],
    ['fps', String(shot.fps)],
    ['model', shot.model],
  ];
  const parts = [
    `<header class="card-head"><span class="num">${String(card.number).padStart(2, '0')}</span>` +
      `<h2 class="shot-id">${e(shot.id)}</h2><span class="badge badge-${state.kind}">${e(STATE_LABELS[state.kind])}</span></header>`,
    renderStateDetail(card),
    `<dl class="facts">${facts.map(([label, value]) => `<div><dt>${e(label)}</dt><dd>${e(value)}</dd></div>`).join('')}</dl>`,
    renderPrompt(card),
  ];
  if (shot.negativePrompt !== null) parts.push(`<section class="negative"><h3>Negative prompt</h3><p class="text">${e(shot.negativePrompt)}</p></section>`);
  if (shot.audioPrompt !== null) parts.push(`<section class="audio"><h3>Audio prompt</h3><p class="text">${e(shot.audioPrompt)}</p></section>`);
  if (card.images.length > 0) parts.push(`<section class="inputs"><h3>Input ${card.images.length === 1 ? 'image' : 'images'}</h3>${renderThumbs(card.images)}</section>`);
  if (shot.subject) {
    const { subject } = shot;
    parts.push(
      `<section class="subject"><h3>Subject</h3><p><strong>${e(subject.name)}</strong> <span class="muted">(${e(subject.type)}, key ${e(subject.key)})</span>` +
        `${subject.description ? ` — ${e(subject.description)}` : ''}</p>${renderThumbs(card.subjectImages)}</section>`,
    );
  }
  parts.push(
    `<footer class="card-foot"><span class="cost">${e(describeCost(card))}</span>` +
      (card.video ? `<button type="button" class="play-from" data-action="play-from" data-id="${e(shot.id)}">▶ Play from here</button>` : '') +
      `</footer>`,
  );
  return parts.join('');
}

/** The card's class list: its state (client-only classes such as `is-playing` are kept by the script). */
export function cardClass(card: CardModel): string {
  return `shot state-${card.state.kind}`;
}

export function partKey(html: string): string {
  return sha256Hex(html).slice(0, 16);
}

export function renderCard(card: CardModel): string {
  const media = renderMedia(card);
  const info = renderInfo(card);
  return (
    `<article class="${cardClass(card)}" id="shot-${e(card.shot.id)}" data-id="${e(card.shot.id)}" data-media-key="${partKey(media)}" data-info-key="${partKey(info)}">` +
    `<div class="media">${media}</div><div class="info">${info}</div></article>`
  );
}

function renderStateDetail({ state }: CardModel): string {
  switch (state.kind) {
    case 'up-to-date':
      return '';
    case 'stale':
    case 'missing':
      return `<ul class="reasons">${state.reasons.map((reason) => `<li>${e(reason)}</li>`).join('')}</ul>`;
    case 'failed':
      return `<p class="failure"><span class="failure-label">API:</span> ${e(state.message)}${state.taskId ? ` <span class="muted">(task ${e(state.taskId)})</span>` : ''}</p>`;
    case 'in-flight':
      return `<p class="live"><span class="pulse"></span>${e(state.status)}${state.taskId ? ` <span class="muted">· task ${e(state.taskId)}</span>` : ''}</p>`;
  }
}

function renderPrompt({ shot }: CardModel): string {
  const source = shot.promptFile ? ` <span class="muted">from ${e(shot.promptFile)}</span>` : '';
  if (shot.prompt === null) {
    return shot.promptFile
      ? `<section class="prompt"><h3>Prompt${source}</h3><p class="text muted">(not read)</p></section>`
      : `<section class="prompt"><h3>Prompt</h3><p class="text muted">(none: the image alone)</p></section>`;
  }
  return `<section class="prompt"><h3>Prompt${source}</h3><p class="text">${e(shot.prompt)}</p></section>`;
}

function renderThumbs(thumbs: Thumb[]): string {
  const items = thumbs.map((thumb) =>
    thumb.kind === 'file'
      ? `<a class="thumb" href="${e(thumb.src)}" title="${e(thumb.label)}"><img src="${e(thumb.src)}" alt="${e(thumb.label)}" loading="lazy" decoding="async"><span class="thumb-label">${e(basename(thumb.label))}</span></a>`
      : `<span class="thumb thumb-url" title="${e(thumb.url)}"><span class="thumb-remote">remote</span><span class="thumb-label">${e(thumb.label)}</span></span>`,
  );
  return `<div class="thumbs">${items.join('')}</div>`;
}

function describeCost({ shot, state }: CardModel): string {
  if (state.kind === 'in-flight') return state.status === 'accepted' ? 'paid for: the next build collects it' : 'in progress';
  if (shot.action === 'unchanged' || shot.action === 'skipped') return 'nothing to pay';
  if (shot.source === 'cache') return 'next build: from the cache, free';
  if (shot.source === 'in-flight') return 'next build: resumes a paid task';
  if (shot.source === 'team') return 'next build: from the team cache, free';
  if (shot.source === 'earlier-task') return 'next build: from its earlier task, free';
  return `next build pays for ${shot.seconds} s`;
}

export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
