import { describe, expect, it } from 'vitest';
import { createReviewPage, cspHash } from '../../../src/review/create-review-page.js';
import { createReviewUpdate } from '../../../src/review/create-review-update.js';
import { escapeHtml } from '../../../src/review/escape-html.js';
import { createReviewModel } from '../../../src/review/review-model.js';
import { file, makeShot } from '../../helpers/builders.js';
import { createTestReviewData } from '../../helpers/review.js';

// The review page as text: self-contained, escaped, with a CSP that allows only its own files, the
// storyboard in order with every shot's facts and state, and the totals.

const story = [
  makeShot({ id: 'opening', seed: 42, negativePrompt: 'blurry, low quality' }),
  makeShot({ id: 'hero-wakes', mode: 'image-to-video', image: file('frames/hero 1#.png'), duration: 2, seed: 7 }),
  makeShot({
    id: 'castle',
    mode: 'multi-image-to-video',
    images: [file('frames/castle.png'), { kind: 'url', url: 'https://example.com/sky.jpg' }],
    subject: { key: 'hero', name: 'Hero', type: 'character', description: 'golden armor', images: [file('refs/front.png')] },
    duration: 3,
    seed: 1234,
    aspectRatio: '9:16',
  }),
];
const files = { 'frames/hero 1#.png': 'H', 'frames/castle.png': 'C', 'refs/front.png': 'F', 'frames/a.png': 'A' };

function cardOf(html: string, id: string): string {
  const start = html.indexOf(`<article class="shot`, html.indexOf(`id="shot-${id}"`) - 200);
  return html.slice(start, html.indexOf('</article>', start));
}

describe('createReviewPage', () => {
  it('is one self-contained document: no external script, style, font or media, a CSP that allows only its own', () => {
    const html = createReviewPage(createTestReviewData(story, { files }));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `script-src '${cspHash(script)}'`,
      `style-src '${cspHash(style)}'`,
      "img-src 'self'",
      "media-src 'self'",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<(link|iframe|object|embed|base)\b/);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/\son[a-z]+=/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('shows the storyboard in order, each shot with its video, facts, prompts and inputs', () => {
    const html = createReviewPage(createTestReviewData(story, { files }));
    const ids = [...html.matchAll(/<article class="shot[^"]*" id="shot-([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['opening', 'hero-wakes', 'castle']);
    const opening = cardOf(html, 'opening');
    expect(opening).toMatch(/<video class="shot-video" src="opening\.mp4\?v=[0-9a-f]{16}#t=0\.001" preload="metadata" controls playsinline/);
    expect(opening).toContain('<dt>seed</dt><dd>42</dd>');
    expect(opening).toContain('<dt>size</dt><dd>1920×1080</dd>');
    expect(opening).toContain('<dt>resolution</dt><dd>1080p</dd>');
    expect(opening).toContain('<dt>aspect</dt><dd>16:9</dd>');
    expect(opening).toContain('<dt>duration</dt><dd>6 s</dd>');
    expect(opening).toContain('<dt>mode</dt><dd>text → video</dd>');
    expect(opening).toContain('<p class="text">prompt of opening</p>');
    expect(opening).toContain('<h3>Negative prompt</h3><p class="text">blurry, low quality</p>');
    expect(cardOf(html, 'hero-wakes')).toContain('<img src="../frames/hero%201%23.png" alt="frames/hero 1#.png"');
    const castle = cardOf(html, 'castle');
    expect(castle).toContain('<img src="../frames/castle.png"');
    expect(castle).toContain('<img src="../refs/front.png"');
    expect(castle).toContain('<strong>Hero</strong> <span class="muted">(character, key hero)</span> — golden armor');
    expect(castle).not.toContain('src="https://example.com/sky.jpg"');
    expect(castle).toContain('https://example.com/sky.jpg');
    expect(castle).toContain('<dt>size</dt><dd>1080×1920</dd>');
  });

  it('gives every state its badge and detail, and the totals', () => {
    const edited = [{ ...story[0]!, prompt: { kind: 'text' as const, text: 'A storm' } }, story[1]!, story[2]!, makeShot({ id: 'finale', seed: 5 }), makeShot({ id: 'extra', seed: 6 })];
    const data = createTestReviewData(edited, { built: [...story, edited[3]!], files, unbuilt: ['extra'], missing: ['castle'] });
    const fingerprint = data.plan.shots[4]!.fingerprint;
    data.run = { failed: { extra: { fingerprint, message: 'Your prompt <b>was</b> refused (1001)' } }, inFlight: { finale: { status: 'processing', taskId: 'task-77' } } };
    const html = createReviewPage(data);
    expect(cardOf(html, 'opening')).toContain('<span class="badge badge-stale">stale</span>');
    expect(cardOf(html, 'opening')).toContain('<ul class="reasons"><li>prompt &quot;prompt of opening&quot; → &quot;A storm&quot;</li></ul>');
    expect(cardOf(html, 'hero-wakes')).toContain('<span class="badge badge-up-to-date">up to date</span>');
    expect(cardOf(html, 'castle')).toContain('<span class="badge badge-missing">missing</span>');
    expect(cardOf(html, 'castle')).toContain('<li>renders/castle.mp4 is missing</li>');
    expect(cardOf(html, 'castle')).toContain('no video yet');
    expect(cardOf(html, 'finale')).toContain('<span class="badge badge-in-flight">in flight</span>');
    expect(cardOf(html, 'finale')).toContain('processing <span class="muted">· task task-77</span>');
    expect(cardOf(html, 'extra')).toContain('<span class="badge badge-failed">failed</span>');
    expect(cardOf(html, 'extra')).toContain('Your prompt &lt;b&gt;was&lt;/b&gt; refused (1001)');
    const { totals } = createReviewModel(data);
    // 6 + 2 + 3 + 6 + 6 seconds; up to date: hero-wakes (2); a build pays for opening, castle is not
    // cached here (3 s, render again), extra is new (6 s), finale is unchanged.
    expect(totals).toEqual({
      shots: 5,
      filmSeconds: 23,
      renderedSeconds: 2,
      toPaySeconds: data.plan.totals.secondsToGenerate,
      states: { 'up-to-date': 1, stale: 1, missing: 1, failed: 1, 'in-flight': 1 },
    });
    expect(totals.toPaySeconds).toBe(15);
    expect(html).toContain('<span class="stat-value">15 s</span><span class="stat-label">a build would pay for</span>');
    expect(html).toContain('<span class="stat-value">23 s</span><span class="stat-label">storyboard</span>');
  });

  it('escapes every manifest text: a <script> prompt is text', () => {
    const evil = '</p><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> & \'quotes\'';
    const shots = [makeShot({ id: 'x', seed: 1, prompt: { kind: 'text', text: evil }, negativePrompt: '<style>body{display:none}</style>' })];
    const html = createReviewPage(createTestReviewData(shots));
    expect(html).toContain(escapeHtml(evil));
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<style>body');
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('is the same bytes for the same data (no timestamp), and its live update carries the same parts', () => {
    const data = createTestReviewData(story, { files });
    const html = createReviewPage(data);
    expect(createReviewPage(structuredClone(data))).toBe(html);
    const update = createReviewUpdate(data);
    for (const card of update.cards) {
      expect(html).toContain(`data-media-key="${card.mediaKey}" data-info-key="${card.infoKey}"><div class="media">${card.media}</div><div class="info">${card.info}</div>`);
    }
    expect(html).toContain(`<div id="totals" data-key="${update.totalsKey}">${update.totals}</div>`);
  });

  it('changes a card\'s media key only when its video file changed', () => {
    const before = createReviewUpdate(createTestReviewData(story, { files }));
    const edited = [{ ...story[0]!, prompt: { kind: 'text' as const, text: 'new' } }, story[1]!, story[2]!];
    const stale = createReviewUpdate(createTestReviewData(edited, { built: story, files }));
    expect(stale.cards[0]!.mediaKey).toBe(before.cards[0]!.mediaKey);
    expect(stale.cards[0]!.infoKey).not.toBe(before.cards[0]!.infoKey);
    const rerendered = createReviewUpdate(createTestReviewData(edited, { files, videoShas: { opening: 'a'.repeat(64) } }));
    expect(rerendered.cards[0]!.mediaKey).not.toBe(before.cards[0]!.mediaKey);
    expect(rerendered.cards[1]!.mediaKey).toBe(before.cards[1]!.mediaKey);
  });

  it('links the film and its timeline once cut wrote them', () => {
    const data = { ...createTestReviewData(story, { files }), film: { file: 'renders/The Film.mp4', otio: 'renders/The Film.otio' } };
    expect(createReviewPage(data)).toContain('Film: <a href="The%20Film.mp4">The Film.mp4</a> · <a href="The%20Film.otio">OpenTimelineIO</a>');
  });
});

describe('createReviewDelta', () => {
  it('sends a new page everything, then only what changed, always with the order', async () => {
    const { createReviewDelta } = await import('../../../src/review/create-review-update.js');
    const data = createTestReviewData(story, { files });
    const full = createReviewUpdate(data);
    const first = createReviewDelta(full, null);
    expect(first.delta).toEqual({ order: ['opening', 'hero-wakes', 'castle'], ...full });
    const same = createReviewDelta(full, first.sent);
    expect(same.delta).toEqual({ order: ['opening', 'hero-wakes', 'castle'], cards: [] });
    const busy = createReviewUpdate({ ...data, run: { failed: {}, inFlight: { castle: { status: 'pending' } } } });
    const changed = createReviewDelta(busy, same.sent);
    expect(changed.delta.cards.map((card) => card.id)).toEqual(['castle']);
    expect(changed.delta.totalsKey).toBe(busy.totalsKey);
    expect(changed.delta.stripKey).toBe(busy.stripKey);
  });
});
