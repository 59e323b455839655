//! The command line: clap types that mirror the flags, and `run`, which carries them out.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use clap::{CommandFactory, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use chainrule::core::generate::{self, Activation};
use chainrule::core::load;
use chainrule::core::scenario::{Annotate, Pass, View};
use chainrule::draw::EDGE_LABELS_UP_TO;
use chainrule::pipeline::figures::{self, Format, Progress, Stage};
use chainrule::pipeline::frames::{self, FrameFormat};
use chainrule::pipeline::golden;
use chainrule::pipeline::watch;
use chainrule::text::format::count;
use chainrule::text::format::DEFAULT_PRECISION;
use chainrule::text::report;
use chainrule::text::steps::Lang;
use chainrule::Error;

/// Draws backpropagation on computational graphs the way the textbook does.
#[derive(Debug, Parser)]
#[command(
    name = "chainrule",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 done; 1 a value or gradient not finite, or figures that differ \
                  from their goldens (check); 2 bad input, named with its file and place; 3 an \
                  output that could not be written or encoded."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Subcommand)]
enum Command {
    /// Computes every value and gradient of a scenario and prints them.
    ///
    /// Example: chainrule eval scenarios/apple.json --steps
    ///
    /// Example: chainrule eval -e 'f = (x + y) * z' --set x=-2,y=5,z=-4
    Eval {
        /// The scenario file (JSON or .chain), or - for standard input.
        #[arg(required_unless_present = "expression", conflicts_with = "expression")]
        file: Option<PathBuf>,
        #[command(flatten)]
        inline: Inline,
        /// Print one JSON object with every value and gradient at full precision.
        #[arg(long, conflicts_with = "steps")]
        json: bool,
        /// Print the backward pass as numbered steps, in the order it runs.
        #[arg(long)]
        steps: bool,
        /// The language of the steps.
        #[arg(long, value_enum, default_value = "en")]
        lang: Lang,
        /// Significant digits of the numbers shown.
        #[arg(long, default_value_t = DEFAULT_PRECISION as u8, value_parser = clap::value_parser!(u8).range(1..=17))]
        precision: u8,
    },
    /// Draws each scenario's figures as SVG and PNG.
    ///
    /// A directory stands for every *.json and *.chain file in it. Figures are named after
    /// the scenario (output/apple.svg), or after the scenario and the figure for scenarios
    /// that list their figures (output/apple-forward.svg); those of -e after --name.
    ///
    /// Example: chainrule render scenarios -o output
    ///
    /// Example: chainrule render -e 'f = (x + y) * z' --set x=-2,y=5,z=-4 --name cs231n
    Render {
        /// Scenario files or directories of them.
        #[arg(required_unless_present = "expression")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        inline: Inline,
        /// The name of the files drawn from -e.
        #[arg(long, default_value = "expression", requires = "expression")]
        name: String,
        /// The directory to write into (created if needed).
        #[arg(short, long, default_value = "output")]
        out: PathBuf,
        /// Draw one figure per scenario in this view, instead of the scenario's own list.
        #[arg(long, value_enum)]
        view: Option<View>,
        /// Which files to write, comma-separated (dot: Graphviz DOT of the figure).
        #[arg(long, value_enum, value_delimiter = ',', default_value = "svg,png")]
        format: Vec<Format>,
        #[command(flatten)]
        look: Look,
        /// Also write each scenario's frames in every format, as `chainrule frames` does.
        #[arg(long)]
        frames: bool,
        /// Fold each group of nodes (a layer, such as the sigmoid) into one box.
        #[arg(long)]
        collapse: bool,
        /// Keep running, and draw again whenever a scenario changes (a directory's files are
        /// looked at too, every 250 ms). A scenario that fails prints its error and leaves the
        /// last good files as they were. Ctrl-C stops.
        #[arg(long)]
        watch: bool,
    },
    /// Steps through a pass frame by frame, on one layout: numbered SVG/PNG frames, an
    /// animated GIF and APNG, a PDF with a page per frame, and a web page to click through.
    ///
    /// Backward: frame 0 is the finished forward pass, frame 1 puts the seed at the output,
    /// then each operator node, in the order the backward pass runs, sends its gradients.
    /// Files: DIR/<scenario>/frame-00.svg, DIR/<scenario>-frames.{gif,apng,pdf},
    /// DIR/<scenario>.html.
    ///
    /// Example: chainrule frames scenarios/apple_orange.json -o output --format gif,html
    Frames {
        /// Scenario files or directories of them.
        #[arg(required_unless_present = "expression")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        inline: Inline,
        /// The name of the files drawn from -e.
        #[arg(long, default_value = "expression", requires = "expression")]
        name: String,
        /// The directory to write into (created if needed).
        #[arg(short, long, default_value = "output")]
        out: PathBuf,
        /// Which pass to step through (default: the scenario's "frames" setting, else backward).
        #[arg(long, value_enum)]
        pass: Option<Pass>,
        /// Which files to write, comma-separated.
        #[arg(
            long,
            value_enum,
            value_delimiter = ',',
            default_value = "svg,png,gif,apng,pdf,html"
        )]
        format: Vec<FrameFormat>,
        /// The language of the captions.
        #[arg(long, value_enum, default_value = "en")]
        lang: Lang,
        /// How long each frame is shown in animations, in milliseconds (the last, 3× longer).
        #[arg(long, default_value_t = 1500, value_parser = clap::value_parser!(u32).range(10..=60_000))]
        delay: u32,
        #[command(flatten)]
        look: Look,
        /// Keep running, and draw again whenever a scenario changes (a directory's files are
        /// looked at too, every 250 ms). A scenario that fails prints its error and leaves the
        /// last good files as they were. Ctrl-C stops.
        #[arg(long)]
        watch: bool,
    },
    /// Writes a generated scenario: a whole network to draw, or a workload for benchmarks.
    ///
    /// Example: chainrule gen mlp --sizes 4,16,16,1 -o net.json
    Gen {
        #[command(subcommand)]
        what: Generated,
        /// Write the scenario into this file instead of standard output.
        #[arg(short, long, global = true)]
        out: Option<PathBuf>,
    },
    /// Writes a scenario in the other format: JSON as the text format (.chain), text as JSON.
    ///
    /// Example: chainrule convert scenarios/apple.json -o apple.chain
    Convert {
        /// The scenario file, or - for standard input.
        file: PathBuf,
        /// The format to write (default: the other one).
        #[arg(long, value_enum)]
        to: Option<ScenarioFormat>,
        /// Write into this file instead of standard output.
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// Compares each figure's SVG with a golden copy, so that a course repository can keep
    /// its figures honest in CI. Exits 1 and lists the figures that differ.
    ///
    /// Example: chainrule check scenarios --golden tests/golden
    Check {
        /// Scenario files or directories of them.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The directory of golden SVGs.
        #[arg(long)]
        golden: PathBuf,
        /// Rewrite the goldens that differ or are missing, instead of failing.
        #[arg(long)]
        bless: bool,
        /// Where to put the new SVG and an old | new PNG of each figure that differs.
        #[arg(long, default_value = "golden-diff")]
        diff: PathBuf,
    },
    /// Prints the JSON Schema of scenario files, for an editor to check and complete them.
    ///
    /// It is derived from the types the scenarios are read with; the repository keeps a copy
    /// in schema/scenario.schema.json.
    ///
    /// Example: chainrule schema > scenario.schema.json
    Schema,
    /// Prints the completion script of a shell.
    ///
    /// Example: chainrule completions bash > ~/.local/share/bash-completion/completions/chainrule
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Prints the manual page (roff) of chainrule, or of one of its commands.
    ///
    /// Example: chainrule man render > ~/.local/share/man/man1/chainrule-render.1
    Man {
        /// The command whose page to print (render: chainrule-render(1); gen mlp:
        /// chainrule-gen-mlp(1)); default: chainrule(1).
        command: Vec<String>,
    },
}

/// What `gen` writes.
#[derive(Debug, Clone, Subcommand)]
enum Generated {
    /// A micrograd-style MLP with a squared-error loss, one node per scalar.
    Mlp {
        /// The number of inputs, then the units of each layer, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        sizes: Vec<usize>,
        /// The activation of the hidden layers (the last layer is linear).
        #[arg(long, value_enum, default_value_t = Activation::Tanh)]
        act: Activation,
        /// Seed of the inputs, weights and targets.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Put each unit's nodes in a group named after it, so that `render --collapse`
        /// draws a box per unit and an arrow per connection.
        #[arg(long)]
        units: bool,
    },
    /// A chain of N ops from one input, alternately × 1.5 and tanh.
    Chain {
        /// How many ops.
        n: usize,
    },
}

/// A format of scenario files, for `convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ScenarioFormat {
    /// JSON.
    Json,
    /// The text format (.chain): the graph written as math.
    Text,
}

/// A scenario written on the command line, and values for inputs, for `eval`, `render` and
/// `frames`.
#[derive(Debug, Clone, clap::Args)]
struct Inline {
    /// A scenario in the text format instead of files: statements separated by ; and names
    /// used but never assigned are inputs (give their values with --set).
    #[arg(short = 'e', long = "expr", value_name = "TEXT")]
    expression: Option<String>,
    /// Values for inputs, NAME=VALUE, comma-separated (x=-2,y=5; a tensor as W=[[1, 2], [3,
    /// 4]]). They replace the values a scenario file gives its inputs.
    #[arg(long, value_name = "NAME=VALUE")]
    set: Vec<String>,
}

impl Inline {
    /// The scenarios to read: the files of `inputs`, then the expression, each with the
    /// values set; the expression's outputs are named `name`.
    fn sources(&self, inputs: &[PathBuf], name: &str) -> Result<Vec<load::Source>, Error> {
        let set = self.values()?;
        let mut sources = Vec::new();
        if !inputs.is_empty() {
            for path in chainrule::pipeline::names::scenario_paths(inputs)? {
                sources.push(load::Source {
                    path,
                    set: set.clone(),
                    ..load::Source::default()
                });
            }
        }
        if let Some(text) = &self.expression {
            sources.push(load::Source {
                path: PathBuf::from("-e"),
                expression: Some(text.clone()),
                name: Some(name.to_string()),
                set,
            });
        }
        Ok(sources)
    }

    /// The values of `--set`, split at commas outside brackets.
    fn values(&self) -> Result<Vec<(String, String)>, Error> {
        let mut values = Vec::new();
        for arg in &self.set {
            let mut depth = 0i32;
            let parts = arg.split(|c| {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    _ => {}
                }
                c == ',' && depth == 0
            });
            for part in parts {
                let Some((name, value)) = part.split_once('=') else {
                    return Err(Error::Usage(format!(
                        "--set {part}: write NAME=VALUE, such as x=-2"
                    )));
                };
                values.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
        Ok(values)
    }
}

/// How figures look, for `render` and `frames`.
#[derive(Debug, Clone, clap::Args)]
struct Look {
    /// Scale of PNG images and animations (2 for slides).
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
    scale: f32,
    /// What labels show: numbers, derivatives as math, or both (default: the scenario's
    /// "annotate", else numeric).
    #[arg(long, value_enum)]
    annotate: Option<Annotate>,
    /// Significant digits of the numbers shown.
    #[arg(long, default_value_t = DEFAULT_PRECISION as u8, value_parser = clap::value_parser!(u8).range(1..=17))]
    precision: u8,
    /// Write values and gradients on the edges only when a figure has at most this many
    /// edges; a larger graph is drawn with its nodes' names alone (its labels would be a
    /// smear). Fold layers into groups, or raise this, to see them.
    #[arg(long, value_name = "EDGES", default_value_t = EDGE_LABELS_UP_TO)]
    edge_labels: usize,
}

/// Prints the warnings of a render and how many files it wrote.
fn report_written(reports: &[figures::Report], out: &std::path::Path) {
    let mut written = 0;
    // The same warning from several figures or runs is printed once.
    let mut said = std::collections::HashSet::new();
    for report in reports {
        for warning in report.warnings.iter().chain(&report.collisions) {
            if said.insert(warning) {
                eprintln!("chainrule: warning: {}", printable(warning));
            }
        }
        written += report.files.len();
    }
    eprintln!(
        "chainrule: wrote {} into {}",
        count(written, "file", "files"),
        printable(&out.display().to_string())
    );
}

/// How long a render runs before its progress bar appears.
const BAR_DELAY: Duration = Duration::from_secs(1);

/// A progress bar on standard error, for `render` and `frames` runs that take a while.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn begin(&self, stage: Stage, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(0);
        self.0.set_message(match stage {
            Stage::Drawing => "scenarios drawn",
            Stage::Encoding => "files rendered",
        });
    }

    fn done(&self, count: usize) {
        self.0.inc(count as u64);
    }
}

/// Runs `work` with a progress bar that appears only once it has run for [`BAR_DELAY`], and
/// only if standard error is a terminal (never in pipes and CI logs); the bar is gone when
/// `work` returns, before anything else is printed.
fn with_progress<T>(work: impl FnOnce(&Bar) -> T) -> T {
    let bar = Bar(ProgressBar::with_draw_target(
        None,
        ProgressDrawTarget::hidden(),
    ));
    bar.0.set_style(
        ProgressStyle::with_template("{elapsed:>3} [{bar:40}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let result = std::thread::scope(|scope| {
        let (finished, wait) = mpsc::channel::<()>();
        let shown = &bar.0;
        scope.spawn(move || {
            if wait.recv_timeout(BAR_DELAY) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(250));
            }
        });
        let result = work(&bar);
        drop(finished);
        result
    });
    bar.0.finish_and_clear();
    result
}

/// Exit code of `check` when a figure differs from its golden.
const DIFFERS: i32 = 1;

fn parse_scale(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if x.is_finite() && (0.1..=16.0).contains(&x) => Ok(x),
        _ => Err(format!("\"{s}\" is not a scale between 0.1 and 16")),
    }
}

/// `text` with every control character but the newline written as a Rust escape
/// (`\u{1b}`), so that an id or label from a file cannot move the cursor, clear the screen
/// or retitle the terminal. Every text printed goes through here.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, |c| format!("\\u{{{:x}}}", u32::from(c)))
}

/// `text` with the control characters that JSON may carry raw (DEL and U+0080–U+009F; the
/// others serde_json escapes) written as JSON escapes, so the output stays the same JSON.
fn printable_json(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, |c| format!("\\u{:04x}", u32::from(c)))
}

fn escape_controls(text: &str, escape: impl Fn(char) -> String) -> std::borrow::Cow<'_, str> {
    let control = |c: char| c.is_control() && c != '\n';
    if !text.contains(control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if control(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Carries out the command, writing its results to standard output; returns the exit code.
/// An error is printed here, its control characters escaped, and becomes the exit code.
pub fn run(cli: Cli) -> Result<i32, Error> {
    match run_command(cli) {
        Ok(code) => Ok(code),
        Err(err) => {
            eprintln!("chainrule: {}", printable(&err.to_string()));
            Ok(err.exit_code())
        }
    }
}

fn run_command(cli: Cli) -> Result<i32, Error> {
    match &cli.command {
        Command::Render {
            inputs,
            watch: true,
            ..
        }
        | Command::Frames {
            inputs,
            watch: true,
            ..
        } => watching(inputs, &cli.command),
        _ => run_once(cli.command),
    }
}

/// Runs `command` now and again whenever the scenarios of `inputs` change, printing its
/// errors as [`run`] does; returns only on a usage error (Ctrl-C ends the process).
fn watching(inputs: &[PathBuf], command: &Command) -> Result<i32, Error> {
    if inputs.is_empty() {
        return Err(Error::Usage(
            "--watch watches files: an expression given with -e has none".to_string(),
        ));
    }
    if inputs.iter().any(|input| input.as_os_str() == "-") {
        return Err(Error::Usage(
            "--watch watches files: standard input (-) cannot be watched".to_string(),
        ));
    }
    watch::watch(inputs, watch::INTERVAL, || {
        if let Err(err) = run_once(command.clone()) {
            eprintln!("chainrule: {}", printable(&err.to_string()));
        }
        eprintln!("chainrule: watching for changes (Ctrl-C stops)");
        true
    });
    Ok(0)
}

/// Prints `text` on standard output.
fn print(text: &[u8]) -> Result<i32, Error> {
    std::io::stdout()
        .lock()
        .write_all(text)
        .map_err(|source| Error::Write {
            path: PathBuf::from("<stdout>"),
            source,
        })?;
    Ok(0)
}

fn run_once(command: Command) -> Result<i32, Error> {
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
            inputs,
            inline,
            name,
            out,
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
            let sources = inline.sources(&inputs, &name)?;
            let reports = with_progress(|bar| {
                figures::render_sources(&sources, &out, Some(&options), frames.as_ref(), bar)
            })?;
            report_written(&reports, &out);
            Ok(0)
        }
        Command::Frames {
            inputs,
            inline,
            name,
            out,
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
            let sources = inline.sources(&inputs, &name)?;
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

/// Writes `text` into the file `out` (atomically), or to standard output.
fn write_out(out: Option<&std::path::Path>, text: &str) -> Result<(), Error> {
    match out {
        Some(path) => chainrule::pipeline::output::write_atomic(path, text.as_bytes()),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|source| Error::Write {
                path: PathBuf::from("<stdout>"),
                source,
            }),
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
