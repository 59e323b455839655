// Measures the playground page's goals in headless Chromium with performance.now(): edit to
// new figure for each shipped scenario (the book's figures) and for a 106-node generated MLP,
// dragging a slider, the first figure after opening, and the page's size gzipped.
//
// Usage (after playground/build.sh and cargo build --release):
//   node benches/playground.mjs [target/playground/index.html] [target/release/chainrule]
// Needs playwright-core (npm ci --prefix tests/browser) and Chromium (/usr/bin/chromium, or
// $CHROMIUM).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { gzipSync, constants } from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(resolve('tests/browser/package.json'));
const { chromium } = require('playwright-core');

const pagePath = resolve(process.argv[2] || 'target/playground/index.html');
const binary = resolve(process.argv[3] || 'target/release/chainrule');
const REPEATS = 15;
const mlp = execFileSync(binary, ['gen', 'mlp', '--sizes', '2,4,4,1'], { encoding: 'utf8' });

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (x) => x.toFixed(1).padStart(7);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const url = 'file://' + pagePath;
  const opened = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(url + '#');
    await page.reload();
    await page.waitForFunction(() => window.playground && window.playground.ready);
    opened.push(await page.evaluate(() => window.playground.firstFigureMs));
  }
  // One edit: the editor's text replaced (a space added or removed at its end), as typing
  // does; the time from the input event to the new figure in the page, laid out by the
  // browser (its painting, a few milliseconds later, is not counted).
  const edits = (text) => page.evaluate(({ text, repeats }) => {
    const editor = document.getElementById('editor');
    const times = [];
    for (let i = 0; i < repeats + 1; i++) {
      editor.value = i % 2 ? text + ' ' : text;
      const t0 = performance.now();
      editor.dispatchEvent(new Event('input'));
      void document.getElementById('figure').getBoundingClientRect().height;
      if (i > 0) times.push(performance.now() - t0);
    }
    return { times, svg: window.playground.svg.length };
  }, { text, repeats: REPEATS });
  const drags = () => page.evaluate((repeats) => {
    const slider = document.querySelector('#inputs input[type=range]');
    if (!slider) return null;
    const [lo, hi] = [Number(slider.min), Number(slider.max)];
    const times = [];
    for (let i = 0; i < repeats; i++) {
      slider.value = String(lo + (hi - lo) * (i + 1) / (repeats + 1));
      const t0 = performance.now();
      slider.dispatchEvent(new Event('input'));
      void document.getElementById('figure').getBoundingClientRect().height;
      times.push(performance.now() - t0);
    }
    return times;
  }, REPEATS);

  const examples = await page.$$eval('#examples option', (os) => os.map((o) => o.value).filter(Boolean));
  const texts = await page.evaluate(() => EXAMPLES);
  console.log('edit → figure, ms (median / max of ' + REPEATS + '); slider drag, ms (median)');
  const rows = [];
  for (const name of examples) rows.push([name, texts[name]]);
  rows.push(['mlp 2,4,4,1 (106 nodes)', mlp]);
  for (const [name, text] of rows) {
    const { times } = await edits(text);
    const drag = await drags();
    console.log(`${name.padEnd(34)} edit ${fmt(median(times))} ${fmt(Math.max(...times))}` +
      (drag ? `   drag ${fmt(median(drag))}` : ''));
  }
  const html = readFileSync(pagePath);
  const gz = gzipSync(html, { level: constants.Z_BEST_COMPRESSION });
  console.log(`first figure after opening: ${fmt(median(opened))} ms (median of 5; ${opened.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`page: ${html.length} bytes, ${gz.length} gzipped`);
} finally {
  await browser.close();
}
