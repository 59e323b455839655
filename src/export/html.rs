//! A single self-contained web page to click through a frame sequence: every frame inline as
//! SVG, Previous / Next / Play, the ← and → keys, a slider, the caption, and `#3` in the URL
//! opening frame 3. Nothing is loaded from anywhere (a Content-Security-Policy forbids it),
//! and every text from the scenario is escaped, so a label cannot inject markup or script.

use std::fmt::Write;

use super::svg::write_with_ids;
use crate::draw::scene::{Scene, Show};
use crate::draw::Drawing;
use crate::text::xml::escape;

const STYLE: &str = "body{font-family:'DejaVu Sans',sans-serif;margin:1.5em;color:#222}\
h1{font-size:1.3em;font-weight:normal}\
figure{margin:0}figure[hidden]{display:none}figure svg{max-width:100%;height:auto}\
figcaption{display:none}\
#caption{font-size:1.1em;min-height:2.6em;max-width:60em}\
.controls{display:flex;gap:.6em;align-items:center;flex-wrap:wrap}\
button{font-size:1em;padding:.3em .9em}#slider{flex:1;min-width:10em;max-width:30em}";

const SCRIPT: &str = r#"
const frames = Array.from(document.querySelectorAll('#stage figure'));
const caption = document.getElementById('caption');
const counter = document.getElementById('counter');
const slider = document.getElementById('slider');
const play = document.getElementById('play');
const delay = Number(document.body.dataset.delay);
let current = 0;
let timer = null;
function show(i) {
  current = Math.max(0, Math.min(frames.length - 1, i));
  frames.forEach((f, k) => { f.hidden = k !== current; });
  caption.textContent = frames[current].querySelector('figcaption').textContent;
  counter.textContent = 'frame ' + current + ' (of frames 0\u2013' + (frames.length - 1) + ')';
  slider.value = String(current);
  history.replaceState(null, '', '#' + current);
}
function stop() { clearInterval(timer); timer = null; play.textContent = 'Play'; }
function toggle() {
  if (timer) { stop(); return; }
  if (current === frames.length - 1) { show(0); }
  play.textContent = 'Pause';
  timer = setInterval(() => { if (current === frames.length - 1) { stop(); } else { show(current + 1); } }, delay);
}
document.getElementById('prev').addEventListener('click', () => { stop(); show(current - 1); });
document.getElementById('next').addEventListener('click', () => { stop(); show(current + 1); });
play.addEventListener('click', toggle);
slider.addEventListener('input', () => { stop(); show(Number(slider.value)); });
document.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowRight') { stop(); show(current + 1); e.preventDefault(); }
  if (e.key === 'ArrowLeft') { stop(); show(current - 1); e.preventDefault(); }
});
window.addEventListener('hashchange', () => show(parseInt(location.hash.slice(1), 10) || 0));
show(parseInt(location.hash.slice(1), 10) || 0);
"#;

/// The web page of a drawing's frames (`shows`, from [`crate::draw::sequence::sequence`]):
/// each frame drawn without its caption, which the page shows under it, as [`stepper`] lays
/// them out.
pub fn page(drawing: &Drawing, shows: &[Show], delay_ms: u32) -> String {
    let bare: Vec<Scene> = shows
        .iter()
        .map(|s| {
            drawing.draw(&Show {
                caption: Vec::new(),
                caption_band: 0.0,
                ..s.clone()
            })
        })
        .collect();
    let captions: Vec<String> = shows.iter().map(|s| s.caption.join(" ")).collect();
    stepper(&drawing.model().title, &bare, &captions, delay_ms)
}

/// The page for `scenes` (one per frame) with their `captions`, playing at `delay_ms` a frame.
pub fn stepper(title: &str, scenes: &[Scene], captions: &[String], delay_ms: u32) -> String {
    let title = escape(title);
    let last = scenes.len().saturating_sub(1);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body data-delay=\"{delay_ms}\">\n<h1>{title}</h1>\n<div id=\"stage\">\n"
    );
    for (i, (scene, caption)) in scenes.iter().zip(captions).enumerate() {
        let _ = write!(
            out,
            "<figure id=\"frame-{i}\"{}>\n{}<figcaption>{}</figcaption>\n</figure>\n",
            if i == 0 { "" } else { " hidden" },
            write_with_ids(scene, &format!("f{i}-")),
            escape(caption)
        );
    }
    let _ = write!(
        out,
        "</div>\n<p id=\"caption\" aria-live=\"polite\">{}</p>\n<div class=\"controls\">\n\
         <button id=\"prev\" title=\"previous frame (←)\">← Previous</button>\n\
         <button id=\"play\">Play</button>\n\
         <button id=\"next\" title=\"next frame (→)\">Next →</button>\n\
         <input id=\"slider\" type=\"range\" min=\"0\" max=\"{last}\" value=\"0\" aria-label=\"frame\">\n\
         <span id=\"counter\"></span>\n</div>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        escape(captions.first().map_or("", String::as_str))
    );
    out
}
