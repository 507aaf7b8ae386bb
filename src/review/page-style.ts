// The review page's stylesheet, inlined into the page (its hash is in the page's CSP): a dark,
// neutral theme so the pictures carry the colour, system fonts only (no font is fetched), cards in a
// grid with every frame in the same 16:9 box (a 9:16 shot is pillarboxed, as in an editor's bin).

const GROW_CLASSES = Array.from({ length: 12 }, (_, index) => `.grow-${index + 1}{flex-grow:${index + 1}}`).join('');

export const PAGE_STYLE = `
:root{color-scheme:dark;--bg:#0e0f11;--panel:#16171a;--panel-2:#1c1d21;--line:#2a2c31;--text:#e6e6e9;--muted:#9a9ca5;
--accent:#e8b04b;--ok:#3fb27f;--stale:#e0a030;--missing:#7d828c;--failed:#f0605a;--flight:#5aa7f0;
--sans:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
html,body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 var(--sans)}
a{color:var(--accent)}
button{font:inherit;color:var(--text);background:var(--panel-2);border:1px solid var(--line);border-radius:6px;padding:5px 12px;cursor:pointer}
button:hover:not(:disabled){border-color:var(--accent)}
button:disabled{opacity:.45;cursor:default}
button:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.muted{color:var(--muted);font-weight:normal}
.top{padding:20px 28px 14px;border-bottom:1px solid var(--line);background:linear-gradient(#15161a,var(--bg))}
.title-row{display:flex;align-items:baseline;gap:14px;flex-wrap:wrap}
h1{margin:0;font-size:22px;letter-spacing:.01em}
.manifest{font-family:var(--mono);color:var(--muted);font-size:12px}
.live-flag{color:var(--ok);font-size:12px;letter-spacing:.08em;text-transform:uppercase}
.stats{display:flex;gap:28px;margin-top:14px;flex-wrap:wrap}
.stat{display:flex;flex-direction:column}
.stat-value{font-size:20px;font-variant-numeric:tabular-nums;font-weight:600}
.stat-label{color:var(--muted);font-size:12px}
.stat-cost .stat-value{color:var(--stale)}
.chips{display:flex;gap:8px;margin-top:10px;flex-wrap:wrap}
.film-link{margin:10px 0 0;color:var(--muted)}
.subject p{margin:0 0 6px}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:11px;font-weight:600;letter-spacing:.05em;text-transform:uppercase;border:1px solid currentColor;white-space:nowrap}
.badge-up-to-date{color:var(--ok)}.badge-stale{color:var(--stale)}.badge-missing{color:var(--missing)}
.badge-failed{color:var(--failed)}.badge-in-flight{color:var(--flight)}
.screen{max-width:880px;margin:20px auto 8px;padding:0 28px}
.stage{position:relative;aspect-ratio:16/9;background:#000;border-radius:8px;overflow:hidden;border:1px solid var(--line)}
.layer{position:absolute;inset:0;width:100%;height:100%;object-fit:contain;background:#000;opacity:0}
.layer.is-front{opacity:1;z-index:1}
.stage-idle{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;color:var(--muted);z-index:2;pointer-events:none}
.stage.is-active .stage-idle{display:none}
.transport{display:flex;align-items:center;gap:8px;margin:10px 0;flex-wrap:wrap}
.transport .primary{background:var(--accent);color:#1a1406;border-color:var(--accent);font-weight:600}
.now{margin-left:8px;font-family:var(--mono);font-size:13px}
.clock{margin-left:auto;font-family:var(--mono);font-size:13px;color:var(--muted);font-variant-numeric:tabular-nums}
.strip{display:flex;gap:2px;height:30px}
.seg{flex:1 1 0;min-width:0;padding:0 6px;border-radius:3px;border:1px solid transparent;text-align:left;overflow:hidden;background:#24262b}
.seg-label{font-family:var(--mono);font-size:11px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;display:block}
.seg-up-to-date{background:#1f3a2e}.seg-stale{background:#47381a}.seg-missing{background:#25272c}
.seg-failed{background:#4a2323}.seg-in-flight{background:#1c3450}
.seg.is-playing{border-color:var(--accent);box-shadow:inset 0 -3px 0 var(--accent)}
${GROW_CLASSES}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:18px;padding:18px 28px 28px;max-width:1600px;margin:0 auto}
.shot{background:var(--panel);border:1px solid var(--line);border-radius:10px;overflow:hidden;display:flex;flex-direction:column;border-top:3px solid var(--missing)}
.shot.state-up-to-date{border-top-color:var(--ok)}.shot.state-stale{border-top-color:var(--stale)}
.shot.state-failed{border-top-color:var(--failed)}.shot.state-in-flight{border-top-color:var(--flight)}
.shot.is-playing{outline:2px solid var(--accent);box-shadow:0 0 0 5px rgba(232,176,75,.18)}
.frame{aspect-ratio:16/9;background:#000;display:flex;align-items:center;justify-content:center}
.frame video{width:100%;height:100%;object-fit:contain;display:block}
.frame-empty{background:repeating-linear-gradient(135deg,#141518 0 12px,#191a1e 12px 24px);color:var(--muted)}
.info{padding:12px 14px 14px;display:flex;flex-direction:column;gap:10px;flex:1}
.card-head{display:flex;align-items:center;gap:10px}
.num{font-family:var(--mono);color:var(--muted);font-size:12px}
.shot-id{margin:0;font:600 15px var(--mono);flex:1;min-width:0;overflow-wrap:anywhere}
.facts{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:6px 10px;margin:0}
.facts div{min-width:0}
.facts dt{color:var(--muted);font-size:10px;text-transform:uppercase;letter-spacing:.06em}
.facts dd{margin:0;font-family:var(--mono);font-size:12px;overflow-wrap:anywhere}
h3{margin:0 0 3px;font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.06em;font-weight:600}
.text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;max-height:14em;overflow:auto}
.negative .text,.audio .text{color:#c4c5cb}
.reasons{margin:0;padding:8px 10px 8px 26px;background:rgba(224,160,48,.08);border-radius:6px;color:#f1c977}
.state-missing .reasons{background:rgba(125,130,140,.1);color:#c3c6cc}
.failure{margin:0;padding:8px 10px;background:rgba(240,96,90,.1);border-radius:6px;color:#ffb3ae;overflow-wrap:anywhere}
.failure-label{font-weight:600}
.live{margin:0;color:var(--flight);display:flex;align-items:center;gap:8px}
.pulse{width:8px;height:8px;border-radius:50%;background:var(--flight);animation:pulse 1.2s ease-in-out infinite}
@keyframes pulse{0%,100%{opacity:.25}50%{opacity:1}}
@media (prefers-reduced-motion:reduce){.pulse{animation:none}}
.thumbs{display:flex;gap:8px;flex-wrap:wrap}
.thumb{display:flex;flex-direction:column;width:84px;text-decoration:none;color:var(--muted)}
.thumb img{width:84px;height:56px;object-fit:cover;border-radius:4px;border:1px solid var(--line);background:#000}
.thumb-label{font-size:10px;font-family:var(--mono);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.thumb-url{width:auto;max-width:100%}
.thumb-remote{font-size:10px;text-transform:uppercase;letter-spacing:.06em;color:var(--flight)}
.card-foot{display:flex;align-items:center;gap:10px;margin-top:auto;padding-top:4px}
.cost{color:var(--muted);font-size:12px;flex:1}
.page-foot{color:var(--muted);font-size:12px;padding:0 28px 28px;text-align:center}
`.trim();
