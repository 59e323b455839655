// benches/label_overlaps.mjs: counts, in each of chainrule's SVGs, the pairs of labels that
// overlap as a browser lays them out, for benches/layout_report.py's "overlaps" column.
//
// Usage: node benches/label_overlaps.mjs FIGURE.svg ...   prints {"FIGURE.svg": pairs, ...}
//
// One headless Chromium opens every file in turn. A label is a <text> element or a
// <g class="math"> group (a typeset formula; a <text> inside one is part of it). Its box is
// getBBox() (for text, the font's full line height over the advance width, not the ink),
// taken to the SVG's user units through getScreenCTM, so a transform on the way counts. Two
// labels overlap when their boxes overlap by more than 0.5 units both across and down.
//
// Needs node, Chromium (/usr/bin/chromium, or $CHROMIUM) and playwright-core: the one that
// `npm ci` puts in tests/browser/node_modules, or the directory $PLAYWRIGHT_CORE names.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
const candidates = [
  process.env.PLAYWRIGHT_CORE,
  resolve(here, '../tests/browser/node_modules/playwright-core'),
].filter(Boolean);
const found = candidates.find((c) => existsSync(c));
if (!found) {
  console.error('label_overlaps: playwright-core not found '
    + '(npm ci in tests/browser, or set PLAYWRIGHT_CORE to its directory)');
  process.exit(2);
}
const { chromium } = require(found);

const files = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const counts = {};
try {
  const page = await browser.newPage();
  for (const file of files) {
    await page.goto(pathToFileURL(resolve(file)).href);
    counts[file] = await page.evaluate(() => {
      const svg = document.documentElement;
      const toRoot = svg.getScreenCTM().inverse();
      const labels = [...svg.querySelectorAll('text, g.math')]
        .filter((el) => !el.parentElement.closest('g.math'));
      const boxes = labels.map((el) => {
        const b = el.getBBox();
        const m = toRoot.multiply(el.getScreenCTM());
        const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height],
          [b.x + b.width, b.y + b.height]].map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
        const xs = corners.map((p) => p.x);
        const ys = corners.map((p) => p.y);
        return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      });
      let pairs = 0;
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const across = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
          const down = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
          if (across > 0.5 && down > 0.5) pairs++;
        }
      }
      return pairs;
    });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(counts));
