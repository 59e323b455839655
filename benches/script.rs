//! Criterion benchmark of reading the text format (`.chain`): a generated scenario of 1,000
//! lines (1,000 statements, each a node or two) from text to a validated model, the issue's
//! goal being under 10 ms.
//!
//! Run with `cargo bench --features bench --bench script`.

use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use chainrule::core::load;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// A scenario of `lines` lines: a title, a few inputs, then a chain of assignments that mix
/// infix operators, calls, literals and attributes, as a lecturer writes them.
fn scenario(lines: usize) -> String {
    let mut text = String::from("title \"A generated chain\"\nlayout compact\nx = 0.5\nw = -1.5\n");
    let mut last = "x".to_string();
    for i in 0..lines - 5 {
        let line = match i % 4 {
            0 => format!("a{i} = {last} * w + 1"),
            1 => format!("a{i} = tanh({last}) \"layer {i}\""),
            2 => format!("a{i} = ({last} - x) / 2 name=\"a_{i}\""),
            _ => format!("a{i} = exp(-{last}) ** 2"),
        };
        let _ = writeln!(text, "{line}");
        last = format!("a{i}");
    }
    let _ = writeln!(text, "figure all");
    text
}

fn parse(c: &mut Criterion) {
    let text = scenario(1_000);
    assert_eq!(text.lines().count(), 1_000);
    let path = Path::new("bench.chain");
    let nodes = load::parse(path, &text)
        .expect("a valid scenario")
        .graph
        .node_count();
    let mut group = c.benchmark_group("script");
    group.throughput(Throughput::Elements(nodes as u64));
    group.bench_function("parse-1000-lines", |b| {
        b.iter(|| load::parse(path, black_box(&text)).expect("parses"))
    });
    let scenario = chainrule::core::script::read(path, &text).expect("reads");
    let json = chainrule::core::script::to_json(&scenario);
    group.bench_function("read-1000-lines", |b| {
        b.iter(|| chainrule::core::script::read(path, black_box(&text)).expect("reads"))
    });
    group.bench_function("parse-the-same-as-json", |b| {
        b.iter(|| load::parse(Path::new("bench.json"), black_box(&json)).expect("parses"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = parse
}
criterion_main!(benches);
