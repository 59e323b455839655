// The playground page: chainrule compiled to WebAssembly (the glue above defines
// `wasm_bindgen`), an editor that redraws as one types, a slider per input, the backward pass
// step by step, a quiz, and the whole state in the URL's fragment. Nothing is fetched.
'use strict';

const $ = (id) => document.getElementById(id);
const bindgen = wasm_bindgen;

// Everything the URL's fragment carries.
const state = {
  text: '', overrides: {}, view: 'backward', annotate: '', lang: 'en', mode: 'figure', step: 0,
  highlight: '',
};
let pg = null;
let info = null;
let drawn = null;
let frames = [];
let blanks = [];
let answered = new Set();
let wrong = 0;
let forced = false;
let timer = null;
let shown = '';
// What tests and the bench read: timings in milliseconds and the figure shown.
const probe = window.playground = { ready: false, firstFigureMs: null, lastMs: null, svg: '', draws: 0 };

function bytesFromBase64(text) {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function base64FromBytes(bytes) {
  let raw = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    raw += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(raw);
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// The state as the URL's fragment: base64url of its JSON.
function encodeState() {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  return base64FromBytes(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeState(fragment) {
  try {
    const text = fragment.replace(/-/g, '+').replace(/_/g, '/');
    const parsed = JSON.parse(new TextDecoder().decode(bytesFromBase64(text)));
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch (e) {
    return null;
  }
}

let hashTimer = null;
function saveState() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => history.replaceState(null, '', '#' + encodeState()), 150);
}

// ---- errors -------------------------------------------------------------------------------

// The line that defines node `id`: its `"id"` in JSON, or in the text format the statement
// that assigns or declares it (`id = …`, `const id = …`, `input id`).
function lineOfNode(text, id) {
  const quoted = JSON.stringify(id);
  const name = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = text.split('\n');
  const key = new RegExp('"id"\\s*:\\s*' + quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const statement = new RegExp('(^|;)\\s*((const|input)\\s+)?' + name + '\\s*(=|$|;|")');
  let found = lines.findIndex((l) => key.test(l));
  if (found < 0) found = lines.findIndex((l) => statement.test(l));
  if (found < 0) found = lines.findIndex((l) => l.includes(quoted));
  return found < 0 ? null : found + 1;
}

function asError(e) {
  if (typeof e === 'string') {
    try { return JSON.parse(e); } catch (_) { return { message: e }; }
  }
  return { message: 'internal error: ' + String(e) };
}

let errorLine = null;
// Where the error shown came from: the text ('load'), kept until the text reads, or drawing
// it with the settings chosen ('draw'), cleared by the next figure drawn.
let errorFrom = null;
function showError(e, from) {
  errorFrom = from;
  const err = asError(e);
  errorLine = err.line || (err.node ? lineOfNode(state.text, err.node) : null);
  const where = err.line ? '' : (errorLine ? ' (line ' + errorLine + ')' : '');
  $('error').textContent = err.message + where + '\nThe figure is the last good one.';
  $('error').hidden = false;
  drawGutter();
}

function clearError() {
  errorLine = null;
  errorFrom = null;
  $('error').hidden = true;
  drawGutter();
}

function drawGutter() {
  const lines = $('editor').value.split('\n').length;
  const gutter = $('gutter');
  gutter.textContent = '';
  for (let i = 1; i <= lines; i++) {
    const span = document.createElement('span');
    span.textContent = i + '\n';
    if (i === errorLine) span.className = 'bad';
    gutter.appendChild(span);
  }
  gutter.scrollTop = $('editor').scrollTop;
}

// ---- the scenario and its inputs ----------------------------------------------------------

// Reads the editor's text; false (and the error shown) if it is not a scenario.
function load() {
  let next;
  try {
    next = JSON.parse(pg.load(state.text));
  } catch (e) {
    showError(e, 'load');
    return false;
  }
  clearError();
  info = next;
  const kept = {};
  for (const input of info.inputs) {
    const o = state.overrides[input.id];
    input.base = input.value;
    if (o && o.base === input.value) {
      pg.set_input(input.id, o.value);
      input.value = o.value;
      kept[input.id] = o;
    }
  }
  state.overrides = kept;
  buildInputs();
  return true;
}

function sliderRange(value) {
  const span = Math.max(1, Math.abs(value)) * 2;
  return { min: value - span, max: value + span, step: span / 200 };
}

function buildInputs() {
  const box = $('inputs');
  const same = box.dataset.ids === info.inputs.map((i) => i.id + '=' + i.base).join(',');
  if (same) {
    for (const input of info.inputs) {
      const row = box.querySelector('[data-id="' + CSS.escape(input.id) + '"]');
      if (document.activeElement !== row.querySelector('input[type=number]')) {
        row.querySelector('input[type=number]').value = String(input.value);
      }
      row.querySelector('input[type=range]').value = String(input.value);
    }
    return;
  }
  box.dataset.ids = info.inputs.map((i) => i.id + '=' + i.base).join(',');
  box.textContent = '';
  if (!info.inputs.length) box.textContent = 'No input holds a single number.';
  for (const input of info.inputs) {
    const row = document.createElement('div');
    row.className = 'input';
    row.dataset.id = input.id;
    const name = document.createElement('label');
    name.textContent = input.name;
    const number = document.createElement('input');
    number.type = 'number';
    number.step = 'any';
    number.value = String(input.value);
    number.setAttribute('aria-label', input.name);
    name.htmlFor = number.id = 'input-' + input.id;
    const slider = document.createElement('input');
    slider.type = 'range';
    const range = sliderRange(input.base);
    slider.min = String(range.min);
    slider.max = String(range.max);
    slider.step = String(range.step);
    slider.value = String(input.value);
    slider.setAttribute('aria-label', input.name + ' (slider)');
    const set = (value, from) => {
      if (!Number.isFinite(value)) return;
      const t0 = performance.now();
      pg.set_input(input.id, value);
      input.value = value;
      state.overrides[input.id] = { base: input.base, value };
      if (from !== number) number.value = String(value);
      if (from !== slider) slider.value = String(value);
      answered = new Set();
      wrong = 0;
      render();
      timed(t0);
      saveState();
    };
    number.addEventListener('input', () => set(number.valueAsNumber, number));
    slider.addEventListener('input', () => set(Number(slider.value), slider));
    row.append(name, number, slider);
    box.appendChild(row);
  }
}

// ---- drawing ------------------------------------------------------------------------------

function show(svg) {
  shown = svg;
  probe.svg = svg;
  probe.draws += 1;
  $('figure').innerHTML = svg;
  if (probe.firstFigureMs === null) probe.firstFigureMs = performance.now();
}

function timed(t0) {
  probe.lastMs = performance.now() - t0;
  $('timing').textContent = 'drawn in ' + probe.lastMs.toFixed(1) + ' ms';
}

function render() {
  if (!info) return;
  const large = info.nodes > info.live_max_nodes;
  $('too-large').hidden = !large || forced;
  if (large && !forced) {
    $('too-large-text').textContent = 'This scenario has ' + info.nodes + ' nodes, more than the ' +
      info.live_max_nodes + ' drawn live: it is too large to draw as you type (chainrule render draws it).';
    return;
  }
  forced = false;
  const view = state.mode === 'figure' ? state.view : 'backward';
  try {
    drawn = JSON.parse(pg.draw(view, state.annotate, state.mode === 'figure' ? state.highlight : ''));
  } catch (e) {
    showError(e, 'draw');
    return;
  }
  if (errorFrom === 'draw') clearError();
  probe.drawn = drawn;
  if (state.highlight && !drawn.lit.length) state.highlight = '';
  $('steps').hidden = $('sentence').hidden = state.mode !== 'steps';
  $('quiz').hidden = state.mode !== 'quiz';
  $('blanks').textContent = '';
  if (state.mode === 'steps') {
    frames = JSON.parse(pg.frames(state.lang));
    showStep(state.step);
  } else if (state.mode === 'quiz') {
    renderQuiz();
  } else {
    show(drawn.svg);
    $('note').textContent = drawn.lit.length
      ? 'Gradients only on the paths through ' + (state.highlight.startsWith('node:')
        ? state.highlight.slice(5) : 'the edge') + '.'
      : '';
  }
}

// ---- stepping -----------------------------------------------------------------------------

function showStep(k) {
  state.step = Math.max(0, Math.min(frames.length - 1, k || 0));
  const frame = frames[state.step];
  show(frame.svg);
  $('sentence').textContent = frame.sentence;
  $('counter').textContent = 'step ' + state.step + ' of ' + (frames.length - 1);
  $('note').textContent = '';
  saveState();
}

function stopPlay() {
  clearInterval(timer);
  timer = null;
  $('play').textContent = 'Play';
}

function togglePlay() {
  if (timer) { stopPlay(); return; }
  if (state.step === frames.length - 1) showStep(0);
  $('play').textContent = 'Pause';
  timer = setInterval(() => {
    if (state.step >= frames.length - 1) { stopPlay(); return; }
    showStep(state.step + 1);
  }, 1500);
}

// ---- the quiz -----------------------------------------------------------------------------

function renderQuiz() {
  blanks = JSON.parse(pg.blanks());
  const open = blanks.filter((b) => !answered.has(b.edge));
  show(pg.quiz_svg(Uint32Array.from(answered)));
  placeBlanks(open);
  const right = blanks.length - open.length;
  $('score').textContent = blanks.length === 0
    ? 'This figure has no gradient written as one number to ask for.'
    : 'Score: ' + right + ' of ' + blanks.length + ' right, ' + wrong + ' wrong' +
      (open.length === 0 ? '. All done!' : '.');
  $('note').textContent = '';
}

function placeBlanks(open) {
  const layer = $('blanks');
  layer.textContent = '';
  const svg = $('figure').querySelector('svg');
  if (!svg) return;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  for (const blank of open) {
    const [x0, y0, x1, y1] = blank.rect;
    const width = Math.max((x1 - x0) * scale + 14, 52);
    const box = document.createElement('input');
    box.type = 'text';
    box.inputMode = 'decimal';
    box.dataset.edge = String(blank.edge);
    box.setAttribute('aria-label', 'gradient on edge ' + blank.edge);
    box.style.left = ((x0 + x1) / 2 * scale - width / 2) + 'px';
    box.style.top = (y0 * scale - 2) + 'px';
    box.style.width = width + 'px';
    box.style.height = ((y1 - y0) * scale + 4) + 'px';
    box.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      answer(blank, box);
    });
    const hint = document.createElement('button');
    hint.textContent = '?';
    hint.title = 'hint: the local derivative';
    hint.dataset.edge = String(blank.edge);
    hint.style.left = ((x0 + x1) / 2 * scale + width / 2 + 2) + 'px';
    hint.style.top = (y0 * scale - 2) + 'px';
    hint.addEventListener('click', () => { $('hint').textContent = 'Hint: ' + blank.hint; });
    layer.append(box, hint);
  }
}

function answer(blank, box) {
  const typed = Number(box.value.trim().replace(/\u2212/g, '-'));
  if (box.value.trim() !== '' && bindgen.close_enough(typed, blank.gradient)) {
    answered.add(blank.edge);
    $('hint').textContent = 'Right: ' + blank.written + '.';
    renderQuiz();
    const next = $('blanks').querySelector('input');
    if (next) next.focus();
  } else {
    wrong += 1;
    box.classList.add('wrong');
    $('hint').textContent = 'Not quite: try again, or ask for a hint (?).';
    renderQuiz();
    const again = $('blanks').querySelector('input[data-edge="' + blank.edge + '"]');
    if (again) { again.value = box.value; again.classList.add('wrong'); again.focus(); }
  }
}

// ---- clicking on the figure ---------------------------------------------------------------

function nearSegment(p, a, b) {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function hit(p) {
  const inside = (r, pad) => p[0] >= r[0] - pad && p[0] <= r[2] + pad && p[1] >= r[1] - pad && p[1] <= r[3] + pad;
  const node = drawn.nodes.find((n) => inside(n.rect, 2));
  if (node) return 'node:' + node.id;
  const edge = drawn.edges.find((e) => e.labels.some((r) => inside(r, 2)) ||
    e.route.some((q, i) => i > 0 && nearSegment(p, e.route[i - 1], q) <= 6));
  return edge ? 'edge:' + edge.edge : '';
}

function clickFigure(event) {
  if (state.mode !== 'figure' || !drawn) return;
  const svg = $('figure').querySelector('svg');
  if (!svg) return;
  const r = svg.getBoundingClientRect();
  const scale = svg.viewBox.baseVal.width / r.width;
  const target = hit([(event.clientX - r.left) * scale, (event.clientY - r.top) * scale]);
  state.highlight = target === state.highlight ? '' : target;
  const t0 = performance.now();
  render();
  timed(t0);
  saveState();
}

// ---- downloads and sharing ----------------------------------------------------------------

function fileName() {
  const title = (info && info.title) || 'chainrule';
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chainrule';
}

function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

let fontCss = null;
function embeddedFonts() {
  if (fontCss === null) {
    const face = (bold) => "@font-face{font-family:'DejaVu Sans';font-weight:" + (bold ? 'bold' : 'normal') +
      ';src:url(data:font/ttf;base64,' + base64FromBytes(bindgen.font(bold)) + ")}";
    fontCss = face(false) + face(true);
  }
  return fontCss;
}

// The figure as a PNG at twice its size, through a canvas, in the figure's own font.
function pngBlob() {
  return new Promise((resolve, reject) => {
    const svg = shown.replace(/^(<svg[^>]*>)/, '$1<style>' + embeddedFonts() + '</style>');
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth * 2;
      canvas.height = img.naturalHeight * 2;
      const ctx = canvas.getContext('2d');
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the SVG did not load as an image'));
    img.src = url;
  });
}
probe.pngBlob = pngBlob;

async function share() {
  history.replaceState(null, '', '#' + encodeState());
  try {
    await navigator.clipboard.writeText(location.href);
    $('shared').textContent = 'Link copied.';
  } catch (e) {
    $('shared').textContent = 'The link is in the address bar.';
  }
}

// ---- wiring -------------------------------------------------------------------------------

function setMode(mode) {
  state.mode = mode;
  stopPlay();
  answered = new Set();
  wrong = 0;
  $('hint').textContent = '';
  for (const b of document.querySelectorAll('button.mode')) {
    b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
  }
  $('view').disabled = mode !== 'figure';
  render();
  saveState();
}

function edited() {
  const t0 = performance.now();
  state.text = $('editor').value;
  $('examples').value = '';
  drawGutter();
  if (load()) {
    answered = new Set();
    wrong = 0;
    render();
  }
  timed(t0);
  saveState();
}

function openText(text) {
  state.text = text;
  state.overrides = {};
  state.highlight = '';
  state.step = 0;
  $('editor').value = text;
  drawGutter();
  if (load()) render();
}

function applyState(saved) {
  Object.assign(state, saved);
  $('editor').value = state.text;
  $('view').value = state.view;
  $('annotate').value = state.annotate;
  $('lang').value = state.lang;
  const example = Object.keys(EXAMPLES).find((k) => EXAMPLES[k] === state.text);
  $('examples').value = example || '';
  drawGutter();
  for (const b of document.querySelectorAll('button.mode')) {
    b.setAttribute('aria-pressed', String(b.dataset.mode === state.mode));
  }
  $('view').disabled = state.mode !== 'figure';
  const step = state.step;
  if (load()) {
    render();
    if (state.mode === 'steps') showStep(step);
  }
}

function wire() {
  const examples = $('examples');
  for (const name of Object.keys(EXAMPLES)) {
    const option = document.createElement('option');
    option.value = option.textContent = name;
    examples.appendChild(option);
  }
  examples.addEventListener('change', () => {
    if (examples.value) openText(EXAMPLES[examples.value]);
    saveState();
  });
  $('editor').addEventListener('input', edited);
  $('editor').addEventListener('scroll', () => { $('gutter').scrollTop = $('editor').scrollTop; });
  for (const id of ['view', 'annotate', 'lang']) {
    $(id).addEventListener('change', () => {
      state[id] = $(id).value;
      const t0 = performance.now();
      render();
      timed(t0);
      saveState();
    });
  }
  for (const b of document.querySelectorAll('button.mode')) {
    b.addEventListener('click', () => setMode(b.dataset.mode));
  }
  $('prev').addEventListener('click', () => { stopPlay(); showStep(state.step - 1); });
  $('next').addEventListener('click', () => { stopPlay(); showStep(state.step + 1); });
  $('play').addEventListener('click', togglePlay);
  document.addEventListener('keydown', (e) => {
    if (state.mode !== 'steps' || e.target.closest('input, textarea, select')) return;
    if (e.key === 'ArrowRight') { stopPlay(); showStep(state.step + 1); e.preventDefault(); }
    if (e.key === 'ArrowLeft') { stopPlay(); showStep(state.step - 1); e.preventDefault(); }
  });
  $('figure').addEventListener('click', clickFigure);
  $('draw-once').addEventListener('click', () => { forced = true; render(); });
  $('download-svg').addEventListener('click', () => {
    download(new Blob([shown], { type: 'image/svg+xml' }), fileName() + '.svg');
  });
  $('download-png').addEventListener('click', async () => {
    download(await pngBlob(), fileName() + '.png');
  });
  $('share').addEventListener('click', share);
  window.addEventListener('resize', () => { if (state.mode === 'quiz') renderQuiz(); });
  window.addEventListener('hashchange', () => {
    const saved = decodeState(location.hash.slice(1));
    if (saved && saved.text !== undefined && encodeState() !== location.hash.slice(1)) applyState(saved);
  });
  $('tolerance').textContent = (bindgen.quiz_tolerance() * 100) + '%';
}

async function start() {
  await bindgen({ module_or_path: await gunzip(bytesFromBase64(WASM_GZIP_BASE64)) });
  pg = new bindgen.Playground();
  wire();
  const saved = decodeState(location.hash.slice(1));
  if (saved && typeof saved.text === 'string') {
    applyState(saved);
  } else {
    const first = EXAMPLES['apple.json'] !== undefined ? 'apple.json' : Object.keys(EXAMPLES)[0];
    $('examples').value = first;
    openText(EXAMPLES[first]);
    setMode('figure');
  }
  probe.ready = true;
  for (const bold of [false, true]) {
    const face = new FontFace('DejaVu Sans', bindgen.font(bold), { weight: bold ? 'bold' : 'normal' });
    document.fonts.add(face);
    face.load();
  }
}

start().catch((e) => {
  $('error').textContent = 'The playground could not start: ' + e;
  $('error').hidden = false;
});
