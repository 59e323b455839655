//! Shell completions (`chainrule completions SHELL`) and manual pages (`chainrule man`), made
//! from the command line's definition: each names every command.

use std::process::{Command, Output};

fn chainrule(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(args)
        .output()
        .expect("chainrule runs")
}

fn stdout(args: &[&str]) -> String {
    let run = chainrule(args);
    crate::succeeded(&run, &format!("chainrule {args:?}"));
    String::from_utf8(run.stdout).expect("UTF-8")
}

/// The commands as `chainrule --help` lists them (but `help`), so that a new one is checked
/// without a change here.
fn commands() -> Vec<String> {
    let help = stdout(&["--help"]);
    let listed: Vec<String> = help
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect();
    for known in [
        "eval",
        "render",
        "frames",
        "gen",
        "check",
        "schema",
        "completions",
        "man",
    ] {
        assert!(listed.iter().any(|c| c == known), "{known} in {listed:?}");
    }
    listed
}

#[test]
fn every_shell_completes_every_command() {
    let commands = commands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        for command in &commands {
            assert!(
                script.contains(command.as_str()),
                "{shell}'s completions lack {command}"
            );
        }
        // A flag of a command, and (where the shell completes them) the values of a flag.
        assert!(script.contains("watch"), "{shell}: --watch");
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(script.contains("symbolic"), "{shell}: --annotate's values");
        }
    }
    let bash = stdout(&["completions", "bash"]);
    assert!(bash.contains("complete -F _chainrule"), "{bash}");
}

#[test]
fn the_manual_names_every_command_and_each_has_a_page() {
    let commands = commands();
    let page = stdout(&["man"]);
    assert!(page.contains(".TH chainrule 1"), "{page}");
    for command in &commands {
        assert!(
            page.contains(&format!("chainrule\\-{}(1)", command.replace('-', "\\-"))),
            "chainrule(1) lacks {command}"
        );
        let own = stdout(&["man", command]);
        assert!(
            own.contains(&format!(".TH chainrule-{command} 1")),
            "chainrule man {command}: {own}"
        );
    }
    let gen_mlp = stdout(&["man", "gen", "mlp"]);
    assert!(gen_mlp.contains(".TH chainrule-gen-mlp 1"), "{gen_mlp}");
    assert!(gen_mlp.contains("\\-\\-sizes"), "{gen_mlp}");
}

#[test]
fn a_page_for_a_command_that_does_not_exist_is_bad_input() {
    let run = chainrule(&["man", "draw"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("no command \"draw\"") && stderr.contains("render"),
        "{stderr}"
    );
}
