//! Criterion benchmarks of each stage of `chainrule render` and `chainrule eval` on generated
//! graphs: parse (text to model), eval (forward and backward, the whole trace a figure
//! needs), numbers (the values and gradients `chainrule eval` prints), table (printing
//! them), layout (`Drawing::new`: texts, measuring, layout), draw (the figure's scene), svg
//! (writing it) and png (rasterising the SVG).
//!
//! Run with `cargo bench --features bench --bench stages` (a filter narrows it: `cargo bench --features bench --bench stages --
//! eval`); criterion writes its reports into `target/criterion/`. Throughput is in nodes per
//! second. The layout, draw and raster stages run only on graphs that the layout handles in
//! about a second; parse and eval also run on the ~1,000-node MLP, and parse, numbers and
//! table on a ~1,000,000-node MLP (the workload, about a minute in all).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use chainrule::core::generate::{self, Activation};
use chainrule::core::load;
use chainrule::core::model::Model;
use chainrule::draw::Drawing;
use chainrule::export::{png, svg};
use chainrule::text::format::DEFAULT_PRECISION;
use chainrule::text::report;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};

/// A generated scenario to measure.
struct Workload {
    /// Its name in the reports.
    name: &'static str,
    /// Its scenario text.
    text: String,
    /// How many nodes it has.
    nodes: u64,
    /// Which stages run on it.
    stages: Stages,
}

/// Which stages a workload is measured in.
#[derive(Clone, Copy, PartialEq)]
enum Stages {
    /// Every stage.
    All,
    /// All but the drawing stages.
    Eval,
    /// Parse, numbers and table: a graph too large for anything else.
    Large,
}

fn workloads() -> Vec<Workload> {
    let mlp = |sizes: &[usize]| generate::mlp(sizes, Activation::Tanh, 1).expect("valid sizes");
    [
        (
            "chain-100",
            generate::chain(100).expect("valid length"),
            Stages::All,
        ),
        ("mlp-2-4-4-1", mlp(&[2, 4, 4, 1]), Stages::All),
        ("mlp-3-8-8-1", mlp(&[3, 8, 8, 1]), Stages::All),
        ("mlp-4-16-16-1", mlp(&[4, 16, 16, 1]), Stages::Eval),
        ("mlp-128-512-512-1", mlp(&[128, 512, 512, 1]), Stages::Large),
    ]
    .into_iter()
    .map(|(name, scenario, stages)| Workload {
        name,
        nodes: scenario["nodes"].as_array().map_or(0, Vec::len) as u64,
        text: generate::to_text(&scenario),
        stages,
    })
    .collect()
}

fn stages(c: &mut Criterion) {
    let path = Path::new("generated.json");
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
    for w in workloads.iter().filter(|w| w.stages != Stages::Large) {
        let model = model(w);
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| {
            b.iter(|| load::evaluate(path, black_box(&model)).expect("evaluates"));
        });
    }
    group.finish();

    let models: Vec<(&Workload, Model)> = workloads.iter().map(|w| (w, model(w))).collect();
    let mut group = c.benchmark_group("numbers");
    for (w, model) in &models {
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| {
            b.iter(|| load::numbers(path, black_box(model)).expect("evaluates"));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("table");
    for (w, model) in &models {
        let numbers = load::numbers(path, model).expect("evaluates");
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| {
            b.iter(|| report::table(model, black_box(&numbers), DEFAULT_PRECISION));
        });
    }
    group.finish();
    drop(models);

    let drawn: Vec<&Workload> = workloads
        .iter()
        .filter(|w| w.stages == Stages::All)
        .collect();
    let mut group = c.benchmark_group("layout");
    for w in &drawn {
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| {
            b.iter_batched(
                || traced(w),
                |(model, trace)| Drawing::new(model, trace),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();

    let drawings: Vec<(&Workload, Drawing)> = drawn
        .iter()
        .map(|w| {
            let (model, trace) = traced(w);
            (*w, Drawing::new(model, trace))
        })
        .collect();
    let mut scenes = Vec::new();
    let mut group = c.benchmark_group("draw");
    for (w, drawing) in &drawings {
        let figures = drawing.figures(w.name, None);
        let figure = &figures[0];
        group.throughput(Throughput::Elements(w.nodes));
        group.bench_function(w.name, |b| b.iter(|| drawing.scene(figure)));
        scenes.push((*w, drawing.scene(figure)));
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
            b.iter(|| png::rasterise(black_box(&text), 1.0).expect("rasterises"));
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
