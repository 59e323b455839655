//! The source tree's shape: no file over 500 lines, and no import cycle between files (the
//! stages depend one way, and so do the files inside each). Imports are read from the text:
//! `use crate::…`, `use super::…`, `use self::…` (braces expanded) and paths written out in
//! the code (`crate::a::b::name`), each resolved to the file of the longest module path it
//! names. Comments and test-only items are left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The most lines a source file may have.
const MAX_LINES: usize = 500;

/// Every `.rs` file under `root`, by module path (`["core", "model"]` for
/// `src/core/model/mod.rs`, `[]` for `src/lib.rs`).
fn modules(root: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut found = BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap().with_extension("");
                let mut module: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    module.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    module.pop();
                }
                found.insert(module, path);
            }
        }
    }
    found
}

/// `text` without comments and without its test-only items (`#[cfg(test)]` and the item
/// after it: to its `;`, or through its braces).
fn code(text: &str) -> String {
    let mut text: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    while let Some(at) = ["#[cfg(test)]", "#[cfg(all(test"]
        .iter()
        .filter_map(|m| text.find(m))
        .min()
    {
        let rest = &text[at..];
        let attribute = rest.find(']').map_or(rest.len(), |e| e + 1);
        let item = &rest[attribute..];
        let end = match (item.find(';'), item.find('{')) {
            (Some(semi), Some(brace)) if semi < brace => attribute + semi + 1,
            (_, Some(brace)) => {
                let mut depth = 0;
                let mut close = rest.len();
                for (i, c) in item[brace..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                close = attribute + brace + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                close
            }
            (Some(semi), None) => attribute + semi + 1,
            (None, None) => rest.len(),
        };
        text.replace_range(at..at + end, "");
    }
    text
}

/// The paths a `use` tree names: `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(prefix: &str, tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or_default().trim();
        return vec![format!("{prefix}{path}")];
    };
    let head = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap()];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(&format!("{prefix}{head}"), p))
        .collect()
}

/// The file a path written in `module` names: the longest module path it starts with.
fn resolve(
    module: &[String],
    path: &str,
    files: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<Vec<String>> {
    let mut parts: Vec<&str> = path.split("::").map(str::trim).collect();
    let mut full: Vec<String> = match parts.first().copied() {
        Some("crate") => {
            parts.remove(0);
            Vec::new()
        }
        Some("self") => {
            parts.remove(0);
            module.to_vec()
        }
        Some("super") => {
            let mut base = module.to_vec();
            while parts.first() == Some(&"super") {
                parts.remove(0);
                base.pop();
            }
            base
        }
        _ => return None,
    };
    full.extend(parts.iter().map(|p| p.to_string()));
    (0..=full.len())
        .rev()
        .map(|k| full[..k].to_vec())
        .find(|m| files.contains_key(m))
}

/// Each file's imports of other files.
fn imports(files: &BTreeMap<Vec<String>, PathBuf>) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    files
        .iter()
        .map(|(module, path)| {
            let text = code(&std::fs::read_to_string(path).unwrap());
            let mut targets: BTreeSet<Vec<String>> = use_trees(&text)
                .iter()
                .flat_map(|tree| expand("", tree))
                .chain(written_paths(&text))
                .map(|p| p.trim_end_matches("::self").to_string())
                .filter_map(|p| resolve(module, &p, files))
                .collect();
            targets.remove(module);
            (module.clone(), targets)
        })
        .collect()
}

/// The trees of the `use` items of `text` that start at `crate`, `super` or `self`.
fn use_trees(text: &str) -> Vec<String> {
    let mut trees = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest.find(';').unwrap_or(rest.len());
        let tree = rest[..end].trim();
        if ["crate::", "super::", "self::"]
            .iter()
            .any(|s| tree.starts_with(s))
        {
            trees.push(tree.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        rest = &rest[end..];
    }
    trees
}

/// Paths written out in code: `crate::a::b`, `super::a`.
fn written_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = text[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            if text[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            {
                continue;
            }
            let end = text[at..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(text.len(), |e| at + e);
            paths.push(text[at..end].trim_end_matches(':').to_string());
        }
    }
    paths
}

/// The files of every import cycle (strongly connected components of more than one file).
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<BTreeSet<Vec<String>>> {
    let reaches = |from: &Vec<String>| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            for next in &graph[&m] {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&Vec<String>, BTreeSet<Vec<String>>> =
        graph.keys().map(|m| (m, reaches(m))).collect();
    let mut found: Vec<BTreeSet<Vec<String>>> = Vec::new();
    for m in graph.keys() {
        let cycle: BTreeSet<Vec<String>> = reach[m]
            .iter()
            .filter(|other| *other != m && reach[other].contains(m))
            .cloned()
            .chain([m.clone()])
            .collect();
        if cycle.len() > 1 && !found.contains(&cycle) {
            found.push(cycle);
        }
    }
    found
}

#[test]
fn no_source_file_is_over_500_lines() {
    for dir in ["src", "playground/src", "python/src"] {
        for path in modules(Path::new(dir)).values() {
            let lines = std::fs::read_to_string(path).unwrap().lines().count();
            assert!(lines <= MAX_LINES, "{} has {lines} lines", path.display());
        }
    }
}

#[test]
fn no_file_imports_itself_through_others() {
    let files = modules(Path::new("src"));
    let graph = imports(&files);
    // The reader sees the imports it must: a few that are known.
    let known = |from: &[&str], to: &[&str]| {
        let (from, to): (Vec<String>, Vec<String>) = (
            from.iter().map(|s| s.to_string()).collect(),
            to.iter().map(|s| s.to_string()).collect(),
        );
        graph[&from].contains(&to)
    };
    assert!(known(&["core", "engine"], &["core", "model"]));
    assert!(known(&["draw", "groups"], &["draw", "drawing"]));
    assert!(known(&["export", "gif"], &["export", "palette"]));
    assert!(known(&["pipeline", "frames"], &["pipeline", "output"]));
    let found: Vec<String> = cycles(&graph)
        .iter()
        .map(|c| {
            c.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    assert!(found.is_empty(), "import cycles: {found:#?}");
}

#[test]
fn the_reader_finds_a_cycle_where_there_is_one() {
    assert_eq!(
        code("use crate::a;\n#[cfg(test)]\nmod helper;\nuse crate::b; // c\n#[cfg(test)]\nmod tests {\n    fn f() { crate::c::g() }\n}\nuse crate::d;"),
        "use crate::a;\n\nuse crate::b; \n\nuse crate::d;"
    );
    let module = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    let files: BTreeMap<Vec<String>, PathBuf> = ["a", "a::b", "c"]
        .iter()
        .map(|m| (module(m), PathBuf::new()))
        .collect();
    assert_eq!(
        expand("", "crate::a::{b::X, self, c::{D, E as F}}"),
        [
            "crate::a::b::X",
            "crate::a::self",
            "crate::a::c::D",
            "crate::a::c::E"
        ]
    );
    assert_eq!(
        resolve(&module("a::b"), "super::super::c::Thing", &files),
        Some(module("c"))
    );
    assert_eq!(
        written_paths("let x = crate::a::b::f(super::y);"),
        ["crate::a::b::f", "super::y"]
    );
    let graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = [
        (module("a"), BTreeSet::from([module("a::b")])),
        (module("a::b"), BTreeSet::from([module("c")])),
        (module("c"), BTreeSet::from([module("a")])),
    ]
    .into_iter()
    .collect();
    assert_eq!(cycles(&graph).len(), 1);
}
