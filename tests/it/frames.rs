//! `chainrule frames`: the sequences of the text's examples (golden SVG for every frame of
//! apple and apple + orange), one layout for all frames, and the animations and the PDF
//! decoded back: one frame or page per step, with the delays asked for, the PDF's pages drawn
//! by poppler (`pdfinfo`, `pdftoppm`: without them the PDF test fails under CI, `CI` set,
//! and is skipped, saying so, elsewhere).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use chainrule::core::load;
use chainrule::core::scenario::Pass;
use chainrule::draw::sequence::sequence;
use chainrule::draw::Drawing;
use chainrule::pipeline::frames::{self, FrameFormat, FrameOptions};
use chainrule::pipeline::golden;
use chainrule::text::steps::Lang;

fn drawing(path: &str) -> Drawing {
    let path = Path::new(path);
    let model = load::model(path).unwrap();
    let trace = load::evaluate(path, &model).unwrap();
    Drawing::new(model, trace)
}

fn only(formats: &[FrameFormat]) -> FrameOptions {
    FrameOptions {
        formats: formats.iter().copied().collect(),
        ..FrameOptions::default()
    }
}

#[test]
fn every_frame_matches_its_golden() {
    let bless = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut files = Vec::new();
    // Apple and apple + orange, the sigmoid, whose frames 2 to 5 are figures 14 to 17, and
    // f = x·y + x, whose frame 3 adds up x's gradient.
    for scenario in [
        "scenarios/apple.json",
        "scenarios/apple_orange.json",
        "scenarios/sigmoid.json",
        "scenarios/accumulation.json",
    ] {
        files.extend(frames::render(Path::new(scenario), &only(&[FrameFormat::Svg])).unwrap());
    }
    let outcome = golden::compare(
        &files,
        Path::new("tests/golden/frames"),
        &Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-diff/frames"),
        bless,
    )
    .unwrap();
    assert!(
        outcome.differ.is_empty(),
        "frames differ from their goldens (UPDATE_GOLDEN=1 cargo test --test frames rewrites them):\n{}",
        outcome.differ.join("\n")
    );
    assert_eq!(outcome.same.len() + outcome.blessed.len(), 4 + 6 + 6 + 4);
}

#[test]
fn the_text_s_sequences_step_by_step() {
    let apple = sequence(
        &drawing("scenarios/apple.json"),
        Pass::Backward,
        4,
        Lang::En,
    );
    assert_eq!(apple.len(), 4);
    let orange = drawing("scenarios/apple_orange.json");
    let seq = sequence(&orange, Pass::Backward, 4, Lang::En);
    assert_eq!(seq.len(), 6);
    assert!(seq[0].gradients.is_empty());
    // Gradients only accumulate, and each frame adds what its step sent.
    for pair in seq.windows(2) {
        assert!(pair[0].gradients.is_subset(&pair[1].gradients));
        assert!(!pair[1].fresh.is_empty() && pair[1].fresh.is_subset(&pair[1].gradients));
    }
    let captions: Vec<String> = seq.iter().map(|s| s.caption.join(" ")).collect();
    assert_eq!(captions[1], "payment starts with the seed 1");
    assert!(
        captions[2].starts_with("the × node (payment) got 1 from above"),
        "{}",
        captions[2]
    );
    assert!(
        captions[5].contains("1.1 × 2 = 2.2 to apple and 1.1 × 100 = 110 to apple count"),
        "{}",
        captions[5]
    );
    let node = |id: &str| orange.model().find(id).unwrap().index();
    let active: Vec<Option<usize>> = seq.iter().map(|s| s.active).collect();
    assert_eq!(
        active,
        vec![
            None,
            None,
            Some(node("price")),
            Some(node("all_price")),
            Some(node("orange_price")),
            Some(node("apple_price"))
        ]
    );
    let forward = sequence(&orange, Pass::Forward, 4, Lang::En);
    assert_eq!(forward.len(), 5);
    assert!(forward[4].caption.join(" ").contains("650 × 1.1 = 715"));
    assert_eq!(sequence(&orange, Pass::Both, 4, Lang::En).len(), 5 + 5);
}

#[test]
fn one_layout_and_one_canvas_for_all_frames() {
    let orange = drawing("scenarios/apple_orange.json");
    let scenes: Vec<_> = sequence(&orange, Pass::Both, 4, Lang::En)
        .iter()
        .map(|s| orange.draw(s))
        .collect();
    for scene in &scenes[1..] {
        assert_eq!(scene.outlines, scenes[0].outlines);
        assert_eq!(
            (scene.width, scene.height),
            (scenes[0].width, scenes[0].height)
        );
        let names = |s: &chainrule::draw::scene::Scene| {
            s.texts
                .iter()
                .filter(|t| {
                    t.inside.is_none()
                        && t.content.ends_with(" count")
                        && t.anchor == chainrule::draw::scene::Anchor::Middle
                })
                .map(|t| t.at)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(scene), names(&scenes[0]));
        assert!(chainrule::draw::overlap::collisions(scene).is_empty());
    }
}

fn rendered(
    scenario: &str,
    formats: &[FrameFormat],
    delay_ms: u32,
) -> Vec<chainrule::pipeline::figures::Rendered> {
    let options = FrameOptions {
        delay_ms,
        ..only(formats)
    };
    frames::render(Path::new(scenario), &options).unwrap()
}

#[test]
fn the_gif_has_a_frame_per_step_and_the_delays_asked_for() {
    let files = rendered("scenarios/apple_orange.json", &[FrameFormat::Gif], 700);
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(&files[0].bytes[..]).unwrap();
    let mut delays = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        if delays.is_empty() {
            // The first frame is the whole canvas; its last row is the white background,
            // not the grey of a half-covered row (the figure is 288.6 px high).
            let row = usize::from(frame.width) * 4;
            let last = &frame.buffer[frame.buffer.len() - row..];
            assert!(last.iter().all(|&b| b == 255), "the last row is not white");
        }
        delays.push(frame.delay);
    }
    assert_eq!(
        delays,
        vec![70, 70, 70, 70, 70, 70 * frames::HOLD_LAST as u16]
    );
}

#[test]
fn the_apng_has_a_frame_per_step_and_the_delays_asked_for() {
    let files = rendered("scenarios/apple.json", &[FrameFormat::Apng], 1200);
    let mut reader = png::Decoder::new(std::io::Cursor::new(&files[0].bytes))
        .read_info()
        .unwrap();
    assert_eq!(
        reader.info().animation_control.map(|a| a.num_frames),
        Some(4)
    );
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let mut delays = Vec::new();
    for _ in 0..4 {
        reader.next_frame(&mut buf).unwrap();
        let fc = reader.info().frame_control.unwrap();
        delays.push((fc.delay_num, fc.delay_den));
    }
    assert_eq!(
        delays,
        vec![(1200, 1000), (1200, 1000), (1200, 1000), (3600, 1000)]
    );
}

/// Runs poppler's `tool` with `args` and returns what it printed; `None` when poppler is not
/// installed, which fails under CI (`CI` set, where `.ci/run` installs it) and otherwise
/// says the test is skipped.
fn poppler(tool: &str, args: &[&std::ffi::OsStr]) -> Option<Vec<u8>> {
    let Ok(run) = Command::new(tool).args(args).output() else {
        let why = format!(
            "poppler's {tool} is not installed (apt-get install poppler-utils; .ci/run does)"
        );
        crate::skip("pdf", &why);
        return None;
    };
    crate::succeeded(&run, tool);
    Some(run.stdout)
}

/// The grey level of every pixel of a PNG, row by row, with its width and height.
fn grey(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let grey = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| match p {
            [r, g, b, ..] => {
                ((u32::from(*r) * 299 + u32::from(*g) * 587 + u32::from(*b) * 114) / 1000) as u8
            }
            [v, ..] => *v,
            [] => unreachable!("a pixel has a sample"),
        })
        .collect();
    (info.width, info.height, grey)
}

#[test]
fn the_pdf_shows_every_frame_a_page_each() {
    let files = rendered(
        "scenarios/apple_orange.json",
        &[FrameFormat::Png, FrameFormat::Pdf],
        1500,
    );
    let frames: Vec<_> = files.iter().filter(|f| f.name.ends_with(".png")).collect();
    let pdf = files.iter().find(|f| f.name.ends_with(".pdf")).unwrap();
    assert_eq!(frames.len(), 6);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("frames-pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("apple_orange-frames.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();

    let Some(info) = poppler("pdfinfo", &[path.as_os_str()]) else {
        return;
    };
    let info = String::from_utf8_lossy(&info);
    assert!(
        info.lines()
            .any(|line| line.split_whitespace().eq(["Pages:", "6"])),
        "{info}"
    );
    // Page i drawn by poppler at 96 dpi (a point is 3/4 of a pixel) is frame i's size, and
    // looks like resvg's PNG of the same SVG, text and all: as much ink (dark pixels; poppler
    // draws a little bolder) and the same grey levels on average.
    for (i, frame) in frames.iter().enumerate() {
        let page = (i + 1).to_string();
        let args = ["-r", "96", "-f", &page, "-l", &page, "-png"].map(std::ffi::OsStr::new);
        let Some(drawn) = poppler("pdftoppm", &[&args[..], &[path.as_os_str()]].concat()) else {
            return;
        };
        let (width, height, on_page) = grey(&drawn);
        let (frame_width, frame_height, in_frame) = grey(&frame.bytes);
        assert_eq!((width, height), (frame_width, frame_height), "page {page}");
        let ink = |pixels: &[u8]| pixels.iter().filter(|&&v| v < 128).count() as f64;
        let ratio = ink(&on_page) / ink(&in_frame);
        assert!(
            (0.95..1.15).contains(&ratio),
            "page {page}: ink ratio {ratio}"
        );
        let difference = on_page
            .iter()
            .zip(&in_frame)
            .map(|(&a, &b)| f64::from(a.abs_diff(b)))
            .sum::<f64>()
            / on_page.len() as f64;
        assert!(
            difference < 1.5,
            "page {page}: mean difference {difference}"
        );
    }
}

#[test]
fn labels_cannot_inject_markup_into_the_page() {
    let dir = std::env::temp_dir().join(format!("chainrule-frames-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("evil.json");
    std::fs::write(
        &scenario,
        r#"{"title": "</title><script>alert(1)</script>", "nodes": [
            {"id": "a", "input": 2, "label": "<img src=x onerror=alert(1)>"},
            {"id": "b", "op": "exp", "args": ["a"], "label": "\"><script>alert(2)</script>"}]}"#,
    )
    .unwrap();
    let files = frames::render(&scenario, &only(&[FrameFormat::Html])).unwrap();
    let page = String::from_utf8(files[0].bytes.clone()).unwrap();
    assert_eq!(
        page.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.contains("<img"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("default-src 'none'"));
}

#[test]
fn the_command_writes_every_format() {
    let dir = std::env::temp_dir().join(format!("chainrule-frames-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(["frames", "scenarios/apple.json", "-o"])
        .arg(&dir)
        .output()
        .unwrap();
    crate::succeeded(&run, "chainrule frames");
    let mut names = BTreeSet::new();
    for entry in walk(&dir) {
        names.insert(
            entry
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
    }
    for want in [
        "apple/frame-00.svg",
        "apple/frame-03.png",
        "apple-frames.gif",
        "apple-frames.apng",
        "apple-frames.pdf",
        "apple.html",
    ] {
        assert!(names.contains(want), "{want} missing from {names:?}");
    }
    assert!(!names.contains("apple/frame-04.svg"));
}

/// A forward step in symbols puts an operand that is a sum in parentheses: the × of
/// `(x + y) * z` computes (x + y) × z, not x + y × z.
#[test]
fn symbolic_forward_steps_keep_their_parentheses() {
    let path = Path::new("cs231n.chain");
    let model = load::parse(
        path,
        "x = -2; y = 5; z = -4; (x + y) * z; annotate symbolic",
    )
    .unwrap();
    let trace = load::evaluate(path, &model).unwrap();
    let seq = sequence(&Drawing::new(model, trace), Pass::Forward, 4, Lang::En);
    let captions: Vec<String> = seq.iter().map(|s| s.caption.join(" ")).collect();
    assert!(
        captions
            .iter()
            .any(|c| c.ends_with("computes (x + y) × z = f")),
        "{captions:?}"
    );
}

/// A scenario without numbers (figure 3's y = f(x)) is stepped through in symbols: its first
/// frame says what the output computes, and no frame, caption or page says NaN.
#[test]
fn frames_without_numbers_say_no_nan() {
    let dir = std::env::temp_dir().join(format!("chainrule-frames-nan-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let run = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args([
            "frames",
            "scenarios/generic_node.json",
            "--format",
            "svg,html",
            "-o",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    crate::succeeded(&run, "chainrule frames");
    let first = std::fs::read_to_string(dir.join("generic_node/frame-00.svg")).unwrap();
    assert!(
        first.contains("The forward pass gives y = f(x);"),
        "{first}"
    );
    for file in walk(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("NaN"), "{} says NaN", file.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_sigmoid_frames_are_figures_14_to_17() {
    let files = frames::render(
        Path::new("scenarios/sigmoid.json"),
        &only(&[FrameFormat::Svg]),
    )
    .unwrap();
    let frame = |i: usize| String::from_utf8(files[i].bytes.clone()).unwrap();
    // Each step adds the label the text's figure shows, and keeps the earlier ones.
    let steps = [
        (2, "−∂L/∂y · y²"),
        (3, "−∂L/∂y · y²"),
        (4, "−∂L/∂y · y² · exp(−x)"),
        (5, "∂L/∂y · y² · exp(−x)"),
    ];
    for (i, label) in steps {
        let svg = frame(i);
        assert!(
            svg.contains(&format!("<title>{label}</title>")),
            "frame {i} lacks {label}"
        );
        assert!(
            svg.contains("class=\"new\""),
            "frame {i} points out what is new"
        );
    }
    // The seed and one gradient, and the names −x, exp(−x) and 1 + exp(−x) above the arrows.
    assert_eq!(frame(2).matches("<g class=\"math\">").count(), 2 + 3);
    assert!(
        !frame(4).contains("<title>∂L/∂y · y² · exp(−x)</title>"),
        "step 4 has not happened yet"
    );
}

/// A figure with `"step": k` is frame k of the backward pass, byte for byte: the text's
/// figures 14 to 17 are the sigmoid's frames 2 to 5, and x's sum is frame 3 of f = x·y + x.
#[test]
fn a_figure_at_a_step_is_that_frame() {
    let svgs = BTreeSet::from([chainrule::pipeline::figures::Format::Svg]);
    let options = chainrule::pipeline::figures::FigureOptions {
        formats: svgs,
        ..Default::default()
    };
    for (scenario, steps) in [
        (
            "sigmoid",
            &[("fig14", 2), ("fig15", 3), ("fig16", 4), ("fig17", 5)][..],
        ),
        ("accumulation", &[("collects", 3)][..]),
    ] {
        let path = PathBuf::from(format!("scenarios/{scenario}.json"));
        let figures = chainrule::pipeline::figures::render(&path, &options)
            .unwrap()
            .files;
        let frames = frames::render(&path, &only(&[FrameFormat::Svg])).unwrap();
        let file = |files: &[chainrule::pipeline::figures::Rendered], name: &str| {
            files
                .iter()
                .find(|f| f.name == name)
                .unwrap_or_else(|| panic!("no {name}"))
                .bytes
                .clone()
        };
        for &(figure, step) in steps {
            let drawn = file(&figures, &format!("{scenario}-{figure}.svg"));
            let frame = file(&frames, &format!("{scenario}/frame-{step:02}.svg"));
            assert!(
                drawn == frame,
                "{scenario}-{figure} differs from frame {step}"
            );
        }
    }
}

#[test]
fn every_format_is_the_same_bytes_twice() {
    let a = frames::render(
        Path::new("scenarios/apple_orange.json"),
        &FrameOptions::default(),
    )
    .unwrap();
    let b = frames::render(
        Path::new("scenarios/apple_orange.json"),
        &FrameOptions::default(),
    )
    .unwrap();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!(x == y, "{} differs between two runs", x.name);
    }
}

#[test]
fn a_frame_set_too_long_to_hold_is_a_clear_error_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("chainrule-frames-long-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let scenario = dir.join("long.json");
    let chain = chainrule::core::generate::chain(chainrule::pipeline::frames::MAX_FRAMES + 10)
        .expect("chain");
    std::fs::write(&scenario, chainrule::core::generate::to_text(&chain)).expect("write");
    let out = dir.join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args([
            "frames",
            scenario.to_str().expect("UTF-8"),
            "-o",
            out.to_str().expect("UTF-8"),
        ])
        .output()
        .expect("run chainrule");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("long.json") && stderr.contains("frames, more than the 400"),
        "{stderr}"
    );
    assert!(!out.exists() || std::fs::read_dir(&out).expect("out").next().is_none());
}
