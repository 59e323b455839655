//! The frames web page in a real browser: Debian's headless Chromium, driven by Playwright
//! (`tests/browser/stepper.mjs`), presses → twice and must show frame 2, its caption and the counter, open
//! frame 3 from `#3`, and make no network request.
//!
//! Needs `chromium` (apt) and `npm ci --prefix tests/browser`, both of which `.ci/run`
//! installs. Where they are missing the test says so and passes, except under CI (`CI` set),
//! where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use chainrule::core::scenario::Pass;
use chainrule::draw::sequence::sequence;
use chainrule::draw::Drawing;
use chainrule::pipeline::frames::{self, FrameFormat, FrameOptions};
use chainrule::text::steps::Lang;

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Whether a Playwright script can drive Chromium here: Chromium and the driver installed.
pub(super) fn can_drive() -> bool {
    chromium().exists() && Path::new("tests/browser/node_modules/playwright-core").exists()
}

/// Runs the Playwright script `tests/browser/<script>` with `args`, asserts that it
/// succeeded, and returns the JSON it printed: what it saw on the page.
pub(super) fn drive(script: &str, args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let run = Command::new("node")
        .arg(Path::new("tests/browser").join(script))
        .args(args)
        .output()
        .expect("node runs");
    crate::succeeded(&run, script);
    serde_json::from_slice(&run.stdout).unwrap_or_else(|err| panic!("{script} prints JSON: {err}"))
}

#[test]
fn stepping_through_the_page_in_chromium() {
    if !can_drive() {
        let why = "needs chromium and `npm ci --prefix tests/browser` (see .ci/run)";
        crate::skip("browser", why);
        return;
    }
    let scenario = Path::new("scenarios/apple_orange.json");
    let dir = std::env::temp_dir().join(format!("chainrule-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let options = FrameOptions {
        formats: [FrameFormat::Html].into_iter().collect(),
        ..FrameOptions::default()
    };
    let page = dir.join("apple_orange.html");
    std::fs::write(&page, &frames::render(scenario, &options).unwrap()[0].bytes).unwrap();

    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-stepper.png");
    let seen = drive("stepper.mjs", &[page.as_os_str(), screenshot.as_os_str()]);

    let model = chainrule::core::load::model(scenario).unwrap();
    let trace = chainrule::core::load::evaluate(scenario, &model).unwrap();
    let captions: Vec<String> = sequence(&Drawing::new(model, trace), Pass::Backward, 4, Lang::En)
        .iter()
        .map(|s| s.caption.join(" "))
        .collect();
    assert_eq!(seen["start"]["visible"], serde_json::json!([0]));
    assert_eq!(seen["after"]["visible"], serde_json::json!([2]), "{seen}");
    assert_eq!(seen["after"]["caption"], captions[2].as_str());
    assert_eq!(seen["after"]["hash"], "#2");
    // Frames are numbered from 0 (file names, `#2`), so the counter shows that number and the
    // whole range rather than "frame 2 of 8" for nine frames.
    let last = captions.len() - 1;
    assert_eq!(
        seen["after"]["counter"],
        format!("frame 2 (of frames 0\u{2013}{last})").as_str()
    );
    assert_eq!(
        seen["deep"]["counter"],
        format!("frame 3 (of frames 0\u{2013}{last})").as_str()
    );
    assert_eq!(seen["deep"]["visible"], serde_json::json!([3]));
    assert_eq!(seen["deep"]["caption"], captions[3].as_str());
    assert_eq!(seen["errors"], serde_json::json!([]));
    let own = format!("file://{}", page.display());
    let requests = seen["requests"].as_array().unwrap();
    assert!(!requests.is_empty());
    for url in requests {
        assert_eq!(
            url.as_str(),
            Some(own.as_str()),
            "the page requested something else"
        );
    }
    assert!(screenshot.exists());
}
