//! Criterion benchmarks of each stage of `chainrule render` on generated graphs: parse
//! (text to model), eval (forward and backward), layout (`Drawing::new`: texts, measuring,
//! layout), draw (the figure's scene), svg (writing it) and png (rasterising the SVG).
//!
//! Run with `cargo bench --bench stages` (a filter narrows it: `cargo bench --bench stages --
//! eval`); criterion writes its reports into `target/criterion/`. Throughput is in nodes per
//! second. The layout, draw and raster stages run only on graphs that the layout handles in
//! about a second; parse and eval also run on the ~1,000-node MLP.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use chainrule::gen::{self, Activation};
use chainrule::load;
use chainrule::render::fonts::Fonts;
use chainrule::render::{png, svg, Drawing};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};

/// A generated scenario to measure.
struct Workload {
    /// Its name in the reports.
    name: &'static str,
    /// Its scenario text.
    text: String,
    /// How many nodes it has.
    nodes: u64,
    /// Whether the drawing stages run on it.
    drawn: bool,
}

fn workloads() -> Vec<Workload> {
    let mlp = |sizes: &[usize]| gen::mlp(sizes, Activation::Tanh, 1).expect("valid sizes");
    [
        ("chain-100", gen::chain(100).expect("valid length"), true),
        ("mlp-2-4-4-1", mlp(&[2, 4, 4, 1]), true),
        ("mlp-3-8-8-1", mlp(&[3, 8, 8, 1]), true),
        ("mlp-4-16-16-1", mlp(&[4, 16, 16, 1]), false),
    ]
    .into_iter()
    .map(|(name, scenario, drawn)| Workload {
        name,
        nodes: scenario["nodes"].as_array().map_or(0, Vec::len) as u64,
        text: gen::to_text(&scenario),
        drawn,
    })
    .collect()
}

fn stages(c: &mut Criterion) {
    let path = Path::new("generated.json");
    let fonts = Fonts::load();
    let workloads = workloads();
    let model = |w: &Workload| load::parse(path, &w.text).expect("parses");
    let traced = |w: &Workload| {
        let model = model(w);
        let trace = load::evaluate(path, &model).expect("evaluates");
        (model, trace)
    };

    let mut group = c.benchmark_group("parse");
    for w in &workloads {
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_with_input(BenchmarkId::from_parameter(w.name), &w.text, |b, text| {
            b.iter(|| load::parse(path, black_box(text)).expect("parses"));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("eval");
    for w in &workloads {
        let model = model(w);
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| {
            b.iter(|| load::evaluate(path, black_box(&model)).expect("evaluates"));
        });
    }
    group.finish();

    let drawn: Vec<&Workload> = workloads.iter().filter(|w| w.drawn).collect();
    let mut group = c.benchmark_group("layout");
    for w in &drawn {
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| {
            b.iter_batched(
                || traced(w),
                |(model, trace)| Drawing::new(model, trace, 4, &fonts),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();

    let drawings: Vec<(&Workload, Drawing)> = drawn
        .iter()
        .map(|w| {
            let (model, trace) = traced(w);
            (*w, Drawing::new(model, trace, 4, &fonts))
        })
        .collect();
    let mut scenes = Vec::new();
    let mut group = c.benchmark_group("draw");
    for (w, drawing) in &drawings {
        let figures = drawing.figures(w.name, None).expect("figures");
        let figure = &figures[0];
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| b.iter(|| drawing.scene(figure, &fonts)));
        scenes.push((*w, drawing.scene(figure, &fonts)));
    }
    group.finish();

    let mut group = c.benchmark_group("svg");
    for (w, scene) in &scenes {
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| b.iter(|| svg::write(black_box(scene))));
    }
    group.finish();

    let mut group = c.benchmark_group("png");
    for (w, scene) in &scenes {
        let text = svg::write(scene);
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| {
            b.iter(|| png::rasterise(black_box(&text), 1.0, &fonts).expect("rasterises"));
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = stages
}
criterion_main!(benches);
