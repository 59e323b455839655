//! Carrying out each command once: what `eval`, `render`, `frames`, `gen`, `convert`,
//! `check`, `schema`, `completions` and `man` do with their flags.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;

use chainrule::core::generate;
use chainrule::core::load;
use chainrule::pipeline::figures;
use chainrule::pipeline::frames;
use chainrule::pipeline::golden;
use chainrule::text::format::count;
use chainrule::text::report;
use chainrule::Error;

use super::args::{Cli, Command, Generated, ScenarioFormat};
use super::print::{print, printable, printable_json, report_written, write_out};
use super::progress::with_progress;

/// Exit code of `check` when a figure differs from its golden.
const DIFFERS: i32 = 1;

pub(super) fn run_once(command: Command) -> Result<i32, Error> {
    match command {
        Command::Eval {
            file,
            inline,
            json,
            steps,
            lang,
            precision,
        } => {
            let source = match file {
                Some(path) => load::Source {
                    path,
                    set: inline.values()?,
                    ..load::Source::default()
                },
                None => inline
                    .sources(&[], "expression")?
                    .into_iter()
                    .next()
                    .ok_or_else(|| Error::Usage("give a scenario file or -e".to_string()))?,
            };
            let model = source.model()?;
            let file = source.path;
            let precision = usize::from(precision);
            let text = if steps {
                report::steps(&model, &load::evaluate(&file, &model)?, precision, lang)
            } else if json {
                report::json_text(&model, &load::numbers(&file, &model)?)
            } else {
                report::table(&model, &load::numbers(&file, &model)?, precision)
            };
            let text = if json {
                printable_json(&text)
            } else {
                printable(&text)
            };
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .map_err(|source| Error::Write {
                    path: PathBuf::from("<stdout>"),
                    source,
                })?;
            Ok(0)
        }
        Command::Render {
            targets,
            view,
            format,
            look,
            frames,
            collapse,
            watch: _,
        } => {
            let precision = usize::from(look.precision);
            let options = figures::FigureOptions {
                precision,
                scale: look.scale,
                formats: format.into_iter().collect(),
                view,
                annotate: look.annotate,
                collapse,
                edge_labels_up_to: look.edge_labels,
            };
            let frames = frames.then(|| frames::FrameOptions {
                precision,
                scale: look.scale,
                annotate: look.annotate,
                edge_labels_up_to: look.edge_labels,
                ..frames::FrameOptions::default()
            });
            let sources = targets.sources()?;
            let out = targets.out;
            let reports = with_progress(|bar| {
                figures::render_sources(&sources, &out, Some(&options), frames.as_ref(), bar)
            })?;
            report_written(&reports, &out);
            Ok(0)
        }
        Command::Frames {
            targets,
            pass,
            format,
            lang,
            delay,
            look,
            watch: _,
        } => {
            let options = frames::FrameOptions {
                annotate: look.annotate,
                lang,
                pass,
                formats: format.into_iter().collect(),
                delay_ms: delay,
                precision: usize::from(look.precision),
                scale: look.scale,
                edge_labels_up_to: look.edge_labels,
            };
            let sources = targets.sources()?;
            let out = targets.out;
            let reports = with_progress(|bar| {
                figures::render_sources(&sources, &out, None, Some(&options), bar)
            })?;
            report_written(&reports, &out);
            Ok(0)
        }
        Command::Gen { what, out } => {
            let scenario = match what {
                Generated::Mlp {
                    sizes,
                    act,
                    seed,
                    units,
                } => {
                    let make = if units {
                        generate::mlp_in_units
                    } else {
                        generate::mlp
                    };
                    make(&sizes, act, seed)
                }
                Generated::Chain { n } => generate::chain(n),
            }
            .map_err(|e| Error::Usage(e.to_string()))?;
            let text = generate::to_text(&scenario);
            write_out(out.as_deref(), &text)?;
            Ok(0)
        }
        Command::Convert { file, to, out } => {
            let text = load::convert(&file, to.map(|f| f == ScenarioFormat::Json))?;
            write_out(out.as_deref(), &printable_json(&text))?;
            Ok(0)
        }
        Command::Check {
            inputs,
            golden,
            bless,
            diff,
        } => {
            let outcome = golden::check(&inputs, &golden, &diff, bless)?;
            for name in &outcome.blessed {
                let path = golden.join(name).display().to_string();
                eprintln!("chainrule: blessed {}", printable(&path));
            }
            for why in &outcome.differ {
                eprintln!("chainrule: {}", printable(why));
            }
            eprintln!(
                "chainrule: {}, {}, {} blessed",
                count(outcome.same.len(), "figure matches", "figures match"),
                count(outcome.differ.len(), "differs", "differ"),
                outcome.blessed.len()
            );
            Ok(if outcome.differ.is_empty() {
                0
            } else {
                DIFFERS
            })
        }
        Command::Schema => print(chainrule::core::scenario::json_schema().as_bytes()),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "chainrule", &mut script);
            print(&script)
        }
        Command::Man { command } => print(&man_page(&command)?),
    }
}

/// The manual page of chainrule, or of the command at `path` (`["gen", "mlp"]`), whose page
/// is named after its path (`chainrule-gen-mlp(1)`).
fn man_page(path: &[String]) -> Result<Vec<u8>, Error> {
    let mut page = Cli::command();
    // Building names each command's page after its path.
    page.build();
    for name in path {
        let Some(sub) = page.find_subcommand(name).cloned() else {
            let names: Vec<&str> = page
                .get_subcommands()
                .map(clap::Command::get_name)
                .collect();
            return Err(Error::Usage(format!(
                "no command \"{name}\" of {}; its commands are {}",
                page.get_display_name().unwrap_or(page.get_name()),
                names.join(", ")
            )));
        };
        page = sub;
    }
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .source(concat!("chainrule ", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)
        .map_err(|source| Error::Write {
            path: PathBuf::from("<stdout>"),
            source,
        })?;
    Ok(roff)
}
