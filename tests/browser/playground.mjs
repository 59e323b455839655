// Drives the playground page in headless Chromium as a student would, and prints what it saw
// as JSON for tests/it/playground.rs to check: the CS231n scenario typed in, x changed, a
// node clicked, the backward pass stepped through, a quiz answered wrong and right, a bad
// edit, a scenario too large to draw live, the PNG, the shared URL reopened, and every
// example's figure; and every request the page made.
// The same example is then typed in the text format, and broken there.
// Usage: node playground.mjs PAGE.html CS231N.json CS231N.chain LARGE.json SCREENSHOT_DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [pagePath, cs231nPath, textPath, largePath, shots] = process.argv.slice(2);
const cs231n = readFileSync(cs231nPath, 'utf8');
const text = readFileSync(textPath, 'utf8');
const large = readFileSync(largePath, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const requests = [];
const errors = [];
const seen = {};
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const open = async (url) => {
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(url);
    await page.waitForFunction(() => window.playground && window.playground.ready);
    return page;
  };
  const url = 'file://' + pagePath;
  const page = await open(url);
  seen.firstFigureMs = await page.evaluate(() => window.playground.firstFigureMs);
  seen.examples = await page.$$eval('#examples option', (os) => os.map((o) => o.value).filter(Boolean));
  const gradients = () => page.$$eval('#figure svg text[fill="#d62728"]', (ts) => ts.map((t) => t.textContent));
  const svg = () => page.evaluate(() => window.playground.svg);

  // Every example, forward and backward, with every choice of labels: its figure, or the
  // error shown instead.
  seen.figures = {};
  for (const name of seen.examples) {
    await page.selectOption('#examples', name);
    for (const view of ['forward', 'backward']) {
      await page.selectOption('#view', view);
      for (const annotate of ['', 'numeric', 'symbolic', 'both']) {
        await page.selectOption('#annotate', annotate);
        const failed = await page.$eval('#error', (e) => !e.hidden);
        seen.figures[[name, view, annotate].join(':')] = failed
          ? { error: await page.textContent('#error') }
          : { svg: await svg() };
      }
    }
  }
  await page.selectOption('#annotate', '');
  await page.selectOption('#view', 'backward');

  // The CS231n example typed in, then x changed.
  await page.fill('#editor', cs231n);
  await page.focus('#editor');
  await page.keyboard.press('End');
  await page.keyboard.type('\n');
  seen.typed = { svg: await svg(), gradients: await gradients() };
  seen.inputs = await page.$$eval('#inputs .input', (rows) => rows.map((r) => r.dataset.id));
  await page.fill('#input-x', '1');
  seen.changed = { svg: await svg(), gradients: await gradients() };
  seen.slider = await page.$eval('#inputs [data-id="x"] input[type=range]', (s) => s.value);
  await page.screenshot({ path: join(shots, 'playground-figure.png') });

  // Click the x node: gradients only on the paths through it; click it again: all of them.
  const clickNode = async (id) => {
    const [x, y] = await page.evaluate((id) => {
      const node = window.playground.drawn.nodes.find((n) => n.id === id);
      const svg = document.querySelector('#figure svg');
      const r = svg.getBoundingClientRect();
      const scale = r.width / svg.viewBox.baseVal.width;
      return [r.left + (node.rect[0] + node.rect[2]) / 2 * scale, r.top + (node.rect[1] + node.rect[3]) / 2 * scale];
    }, id);
    await page.mouse.click(x, y);
  };
  await clickNode('x');
  seen.clicked = { gradients: await gradients(), note: await page.textContent('#note') };
  await clickNode('x');
  seen.unclicked = { gradients: await gradients() };

  // Step through the backward pass.
  await page.click('#mode-steps');
  const step = async () => ({
    counter: await page.textContent('#counter'),
    sentence: await page.textContent('#sentence'),
    svg: await svg(),
  });
  seen.steps = [await step()];
  await page.click('#next');
  seen.steps.push(await step());
  await page.keyboard.press('ArrowRight');
  seen.steps.push(await step());
  await page.keyboard.press('ArrowLeft');
  seen.steps.push(await step());
  // Play moves on by itself, and pauses.
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('counter').textContent !== 'step 1 of 3',
    null, { timeout: 10000 });
  await page.click('#play');
  seen.played = { counter: await page.textContent('#counter'), button: await page.textContent('#play') };
  await page.screenshot({ path: join(shots, 'playground-steps.png') });

  // The quiz: the gradient on z → f answered wrong, then right; a hint asked for.
  await page.click('#mode-quiz');
  seen.quiz = { blanks: await page.$$eval('#blanks input', (bs) => bs.map((b) => Number(b.dataset.edge))) };
  seen.quiz.gradients = await gradients();
  await page.fill('#blanks input[data-edge="3"]', '3');
  await page.press('#blanks input[data-edge="3"]', 'Enter');
  seen.quiz.wrong = {
    score: await page.textContent('#score'),
    marked: await page.$eval('#blanks input[data-edge="3"]', (b) => b.classList.contains('wrong')),
  };
  await page.click('#blanks button[data-edge="3"]');
  seen.quiz.hint = await page.textContent('#hint');
  await page.fill('#blanks input[data-edge="3"]', '6');
  await page.press('#blanks input[data-edge="3"]', 'Enter');
  seen.quiz.right = {
    score: await page.textContent('#score'),
    blanks: await page.$$eval('#blanks input', (bs) => bs.map((b) => Number(b.dataset.edge))),
    gradients: await gradients(),
  };
  await page.screenshot({ path: join(shots, 'playground-quiz.png') });

  // Back to the figure, symbolic labels; the URL shared and opened in a new tab.
  await page.click('#mode-figure');
  await page.selectOption('#annotate', 'both');
  await page.waitForTimeout(400);
  const shared = page.url();
  seen.shared = { svg: await svg(), text: await page.inputValue('#editor') };
  const other = await open(shared);
  seen.reopened = {
    svg: await other.evaluate(() => window.playground.svg),
    text: await other.inputValue('#editor'),
    x: await other.inputValue('#input-x'),
    annotate: await other.inputValue('#annotate'),
  };
  await other.close();

  // The SVG download is the figure shown.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-svg')]);
  seen.download = {
    name: download.suggestedFilename(),
    same: readFileSync(await download.path(), 'utf8') === (await svg()),
  };

  // The PNG download's image, made through a canvas.
  seen.png = await page.evaluate(async () => {
    const blob = await window.playground.pngBlob();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    return { size: bytes.length, head: Array.from(bytes.slice(0, 8)) };
  });

  // A bad edit: the CLI's message at its line, the last good figure kept.
  const good = await svg();
  await page.fill('#editor', cs231n.replace('"op": "mul"', '"op": "mull"'));
  seen.unknownOp = {
    error: await page.textContent('#error'),
    bad: await page.$$eval('#gutter .bad', (s) => s.map((x) => x.textContent.trim())),
    kept: (await svg()) === good,
  };
  await page.fill('#editor', cs231n.replace('"z", "input": -4}', '"z", "input": -4'));
  seen.syntax = {
    error: await page.textContent('#error'),
    bad: await page.$$eval('#gutter .bad', (s) => s.map((x) => x.textContent.trim())),
    kept: (await svg()) === good,
  };
  await page.fill('#editor', cs231n);
  seen.fixed = { hidden: await page.$eval('#error', (e) => e.hidden) };

  // The text format typed in (numbers only; x stays at 1, as the text's x is still -2):
  // its figure; then an unknown function, and the square root of a negative, at their line.
  await page.selectOption('#annotate', '');
  await page.fill('#editor', text);
  seen.text = { svg: await svg(), gradients: await gradients() };
  await page.fill('#editor', text.replace('f = q * z', 'f = mull(q, z)'));
  seen.text.error = await page.textContent('#error');
  seen.text.bad = await page.$$eval('#gutter .bad', (s) => s.map((x) => x.textContent.trim()));
  seen.text.kept = (await svg()) === seen.text.svg;
  await page.fill('#editor', text.replace('f = q * z', 'f = sqrt(q * z)'));
  seen.text.numeric = {
    error: await page.textContent('#error'),
    bad: await page.$$eval('#gutter .bad', (s) => s.map((x) => x.textContent.trim())),
  };

  // Too large to draw live, pasted in (Playwright's fill gives up on text this long).
  const draws = await page.evaluate(() => window.playground.draws);
  await page.$eval('#editor', (editor, text) => {
    editor.value = text;
    editor.dispatchEvent(new Event('input'));
  }, large);
  seen.large = {
    shown: await page.$eval('#too-large', (e) => !e.hidden),
    text: await page.textContent('#too-large-text'),
    drew: (await page.evaluate(() => window.playground.draws)) !== draws,
  };
  await page.click('#draw-once');
  seen.large.once = (await page.evaluate(() => window.playground.draws)) !== draws;
  seen.errors = errors;
  seen.requests = requests;
  seen.page = url;
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
