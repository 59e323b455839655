//! What the README says that a test can check: its example scenario is the shipped file, and
//! every flag in a command's heading is one the command takes.

use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

#[test]
fn the_example_scenario_is_the_shipped_file() {
    let readme = readme();
    let intro = "This is `scenarios/apple.json`:\n\n```json\n";
    let start = readme
        .find(intro)
        .expect("the README shows scenarios/apple.json")
        + intro.len();
    let shown = &readme[start..start + readme[start..].find("```").expect("a closed block")];
    let file =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/apple.json"))
            .expect("scenarios/apple.json");
    assert_eq!(shown.trim_end(), file.trim_end());
}

#[test]
fn every_flag_in_a_command_heading_exists() {
    let readme = readme();
    let mut headings = 0;
    for heading in readme.lines().filter(|l| l.starts_with("### `chainrule ")) {
        // The command's words: `render`, `gen mlp`.
        let command: Vec<&str> = heading["### `chainrule ".len()..]
            .split_whitespace()
            .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase()))
            .collect();
        let command = command.join(" ");
        let help = Command::new(env!("CARGO_BIN_EXE_chainrule"))
            .args(command.split(' '))
            .arg("--help")
            .output()
            .expect("run chainrule");
        assert!(help.status.success(), "{heading}: `{command} --help` fails");
        let help = String::from_utf8_lossy(&help.stdout);
        let flags = |text: &str| -> Vec<String> {
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .filter(|w| w.starts_with("--") && w.len() > 2)
                .map(str::to_string)
                .collect()
        };
        let shown = flags(heading);
        for flag in &shown {
            assert!(
                help.contains(flag.as_str()),
                "{heading}: `{command}` has no {flag}"
            );
        }
        // And every flag the command takes is in its heading (`-o` stands for `--out`): the
        // flags are the help's lines that start with one.
        let options: String = help
            .lines()
            .filter(|l| l.trim_start().starts_with('-'))
            .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n");
        for flag in flags(&options) {
            if !["--help", "--out", "--version"].contains(&flag.as_str()) {
                assert!(shown.contains(&flag), "{heading}: lacks {flag}");
            }
        }
        headings += 1;
    }
    assert!(headings >= 5, "only {headings} command headings");
}
