// The review page's script, inlined into the page (its hash is in the page's CSP). Plain ES2017 in a
// string: it runs in the browser, not in Node, and is tested there (test/browser/). Three jobs:
//
// 1. "Play all": the storyboard as one film. Two <video> layers are stacked; while one plays, the
//    next shot is loaded into the other (preload="auto"). On `ended` the waiting layer starts and is
//    brought forward only once it plays, so the finished shot's last frame stays up until the next
//    shot's first frame replaces it: no black gap between shots. The playing card is highlighted;
//    any card or timeline segment starts the film from that shot.
// 2. Live updates when the page is served (`watch --serve`): an EventSource on /__bach/events
//    receives the page's changed parts (totals, timeline, each changed card as media + info, each
//    with a key) and the storyboard's order (create-review-update.ts). Only parts whose key changed
//    are replaced, so a video whose file did not change is never reloaded (and a playing one keeps
//    playing); cards are added, removed and reordered in place.
// 3. Bookkeeping a test can read without hooks: a card whose video fails to load gets
//    data-video-error; the stage records its last switch in data-last-switch; the body counts the
//    updates applied in data-updates.

export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var doc = document;
  var stage = doc.getElementById('stage');
  var layers = [doc.getElementById('layer-a'), doc.getElementById('layer-b')];
  var nowPlaying = doc.getElementById('now-playing');
  var clock = doc.getElementById('film-clock');
  var toggleButton = doc.getElementById('toggle-play');
  var front = 0;
  var list = [];
  var position = -1;
  var active = false;
  var switches = 0;

  function cards() { return Array.prototype.slice.call(doc.querySelectorAll('#shots > .shot')); }

  function playlist() {
    var items = [];
    cards().forEach(function (card) {
      var video = card.querySelector('video.shot-video');
      if (!video) return;
      items.push({ id: card.getAttribute('data-id'), src: video.getAttribute('data-src'), seconds: Number(video.getAttribute('data-seconds')) || 0 });
    });
    return items;
  }

  function setSource(video, src) {
    if (video.getAttribute('data-src') === src) return false;
    video.setAttribute('data-src', src);
    video.src = src;
    return true;
  }

  function highlight(id) {
    cards().forEach(function (card) { card.classList.toggle('is-playing', card.getAttribute('data-id') === id); });
    Array.prototype.forEach.call(doc.querySelectorAll('#strip .seg'), function (seg) { seg.classList.toggle('is-playing', seg.getAttribute('data-id') === id); });
  }

  function showFront() {
    layers[front].classList.add('is-front');
    layers[1 - front].classList.remove('is-front');
  }

  function preload(index) {
    var item = list[index];
    if (!item) return;
    var standby = layers[1 - front];
    standby.preload = 'auto';
    if (!setSource(standby, item.src) && standby.currentTime !== 0) standby.currentTime = 0;
  }

  function format(seconds) {
    var tenths = Math.floor(seconds * 10);
    var minutes = Math.floor(tenths / 600);
    var rest = (tenths % 600) / 10;
    return minutes + ':' + (rest < 10 ? '0' : '') + rest.toFixed(1);
  }

  function updateClock() {
    var total = 0, before = 0;
    list.forEach(function (item, index) { total += item.seconds; if (index < position) before += item.seconds; });
    var now = active && position >= 0 ? before + (layers[front].currentTime || 0) : 0;
    clock.textContent = format(now) + ' / ' + format(total);
    if (active && list[position]) nowPlaying.textContent = (position + 1) + '/' + list.length + ' · ' + list[position].id;
  }

  function setToggle(state) {
    toggleButton.textContent = state === 'paused' ? '▶ Resume' : '❚❚ Pause';
    toggleButton.disabled = state === 'stopped';
  }

  function pauseCards() {
    Array.prototype.forEach.call(doc.querySelectorAll('video.shot-video'), function (video) { if (!video.paused) video.pause(); });
  }

  function play(video) {
    var promise = video.play();
    if (promise && promise.catch) promise.catch(function (error) { if (error && error.name !== 'AbortError') nowPlaying.textContent = 'cannot play: ' + error.message; });
    return promise;
  }

  function playFrom(id) {
    list = playlist();
    if (list.length === 0) return;
    var index = 0;
    list.forEach(function (item, i) { if (item.id === id) index = i; });
    pauseCards();
    layers[1 - front].pause();
    active = true;
    position = index;
    stage.classList.add('is-active');
    var video = layers[front];
    if (!setSource(video, list[index].src)) video.currentTime = 0;
    showFront();
    play(video);
    highlight(list[index].id);
    preload(index + 1);
    setToggle('playing');
    updateClock();
  }

  function onEnded(event) {
    if (!active || event.target !== layers[front]) return;
    var next = position + 1;
    if (next >= list.length) { finish(); return; }
    var standby = layers[1 - front];
    var item = list[next];
    var readyState = standby.getAttribute('data-src') === item.src ? standby.readyState : 0;
    if (!setSource(standby, item.src) && standby.currentTime !== 0) standby.currentTime = 0;
    var from = list[position].id;
    position = next;
    switches += 1;
    stage.setAttribute('data-last-switch', JSON.stringify({ from: from, to: item.id, readyState: readyState, count: switches }));
    highlight(item.id);
    var swap = function () {
      if (!active) return;
      front = 1 - front;
      showFront();
      preload(position + 1);
      updateClock();
    };
    var promise = play(standby);
    if (promise && promise.then) promise.then(swap, swap); else swap();
  }

  function finish() {
    active = false;
    position = -1;
    highlight(null);
    setToggle('stopped');
    nowPlaying.textContent = 'end of the film';
    stage.classList.add('is-active');
  }

  function stop() {
    layers.forEach(function (video) { video.pause(); });
    active = false;
    position = -1;
    highlight(null);
    setToggle('stopped');
    nowPlaying.textContent = '—';
    updateClock();
  }

  function toggle() {
    if (!active) { playFrom(list[position] ? list[position].id : null); return; }
    var video = layers[front];
    if (video.paused) { play(video); setToggle('playing'); } else { video.pause(); setToggle('paused'); }
  }

  layers.forEach(function (video) {
    video.addEventListener('ended', onEnded);
    video.addEventListener('timeupdate', function () { if (video === layers[front]) updateClock(); });
  });

  doc.addEventListener('click', function (event) {
    var target = event.target && event.target.closest ? event.target.closest('[data-action]') : null;
    if (!target || target.disabled) return;
    var action = target.getAttribute('data-action');
    if (action === 'play-all') playFrom(null);
    else if (action === 'play-from') { playFrom(target.getAttribute('data-id')); stage.scrollIntoView({ block: 'nearest', behavior: 'smooth' }); }
    else if (action === 'toggle') toggle();
    else if (action === 'stop') stop();
  });

  // A card's own player pauses the film; a card video that cannot load says so on its card.
  doc.addEventListener('play', function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains('shot-video') && active) { layers[front].pause(); setToggle('paused'); }
  }, true);
  doc.addEventListener('error', function (event) {
    var target = event.target;
    if (!target || !target.classList || !target.classList.contains('shot-video')) return;
    var card = target.closest('.shot');
    if (card) card.setAttribute('data-video-error', target.error ? String(target.error.code) + ' ' + (target.error.message || '') : 'error');
  }, true);

  function replacePart(container, key, html) {
    if (!container || container.getAttribute('data-key') === key) return;
    container.innerHTML = html;
    container.setAttribute('data-key', key);
  }

  function applyUpdate(update) {
    if (update.totals !== undefined) replacePart(doc.getElementById('totals'), update.totalsKey, update.totals);
    if (update.strip !== undefined) replacePart(doc.getElementById('strip'), update.stripKey, update.strip);
    var container = doc.getElementById('shots');
    var existing = {};
    cards().forEach(function (card) { existing[card.getAttribute('data-id')] = card; });
    var parts = {};
    update.cards.forEach(function (part) { parts[part.id] = part; });
    var wanted = [];
    update.order.forEach(function (id) {
      var card = existing[id];
      var part = parts[id];
      delete existing[id];
      if (!card && !part) return;
      if (!card) {
        card = doc.createElement('article');
        card.setAttribute('data-id', id);
        card.id = 'shot-' + id;
        card.appendChild(doc.createElement('div')).className = 'media';
        card.appendChild(doc.createElement('div')).className = 'info';
      }
      if (part) {
        var playing = card.classList.contains('is-playing');
        card.className = part.className + (playing ? ' is-playing' : '');
        if (card.getAttribute('data-media-key') !== part.mediaKey) {
          card.querySelector('.media').innerHTML = part.media;
          card.setAttribute('data-media-key', part.mediaKey);
          card.removeAttribute('data-video-error');
        }
        if (card.getAttribute('data-info-key') !== part.infoKey) {
          card.querySelector('.info').innerHTML = part.info;
          card.setAttribute('data-info-key', part.infoKey);
        }
      }
      wanted.push(card);
    });
    Object.keys(existing).forEach(function (id) { existing[id].remove(); });
    // Move only what is out of place: a media element that leaves the document is paused.
    wanted.forEach(function (card, index) {
      var current = container.children[index];
      if (current !== card) container.insertBefore(card, current || null);
    });
    var playingNow = active && list[position] ? list[position].id : null;
    list = playlist();
    if (playingNow) { position = -1; list.forEach(function (item, i) { if (item.id === playingNow) position = i; }); if (position < 0) stop(); else highlight(playingNow); }
    doc.body.setAttribute('data-updates', String(Number(doc.body.getAttribute('data-updates') || '0') + 1));
    updateClock();
  }

  if ((location.protocol === 'http:' || location.protocol === 'https:') && typeof EventSource === 'function') {
    var live = doc.getElementById('live');
    var source = new EventSource('/__bach/events');
    source.addEventListener('open', function () { live.hidden = false; });
    source.addEventListener('error', function () { live.hidden = true; });
    source.addEventListener('review', function (event) {
      try { applyUpdate(JSON.parse(event.data)); } catch (error) { console.error('bach-render review update:', error); }
    });
  }

  list = playlist();
  updateClock();
})();
`.trim();
