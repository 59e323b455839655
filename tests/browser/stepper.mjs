// Opens a chainrule frames page in headless Chromium, presses → twice, and prints what the
// page shows as JSON: the visible frame, the caption, the counter, the URL's fragment, what `#3` opens,
// and every request the page made. Usage: node stepper.mjs PAGE.html SCREENSHOT.png
import { chromium } from 'playwright-core';

const [page_path, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const url = 'file://' + page_path;
  const state = () => page.evaluate(() => ({
    visible: [...document.querySelectorAll('#stage figure')].flatMap((f, i) => (f.hidden ? [] : [i])),
    caption: document.getElementById('caption').textContent,
    hash: location.hash,
    slider: document.getElementById('slider').value,
    counter: document.getElementById('counter').textContent,
  }));
  await page.goto(url);
  const start = await state();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const after = await state();
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.goto(url + '#3');
  await page.reload();
  const deep = await state();
  console.log(JSON.stringify({ start, after, deep, requests, errors }));
} finally {
  await browser.close();
}
