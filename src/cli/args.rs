//! The command line as clap reads it: the commands and their flags, whose doc comments are
//! the `--help` text, the manual pages and the completions.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use chainrule::core::generate::Activation;
use chainrule::core::scenario::{Annotate, Pass, View};
use chainrule::draw::EDGE_LABELS_UP_TO;
use chainrule::pipeline::figures::Format;
use chainrule::pipeline::frames::FrameFormat;
use chainrule::text::format::DEFAULT_PRECISION;
use chainrule::text::steps::Lang;

use super::inline::{Inline, Targets};

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
    pub(super) command: Command,
}

#[derive(Debug, Clone, Subcommand)]
pub(super) enum Command {
    /// Computes every value and gradient of a scenario and prints them.
    ///
    /// Example: chainrule eval scenarios/apple.json --steps
    ///
    /// Example: chainrule eval -e '(x + y) * z' --set x=-2,y=5,z=-4
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
        #[command(flatten)]
        targets: Targets,
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
        #[command(flatten)]
        targets: Targets,
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
pub(super) enum Generated {
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
pub(super) enum ScenarioFormat {
    /// JSON.
    Json,
    /// The text format (.chain): the graph written as math.
    Text,
}

/// How figures look, for `render` and `frames`.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct Look {
    /// Scale of PNG images and animations (2 for slides).
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
    pub(super) scale: f32,
    /// What labels show: numbers, derivatives as math, or both (default: the scenario's
    /// "annotate", else numeric).
    #[arg(long, value_enum)]
    pub(super) annotate: Option<Annotate>,
    /// Significant digits of the numbers shown.
    #[arg(long, default_value_t = DEFAULT_PRECISION as u8, value_parser = clap::value_parser!(u8).range(1..=17))]
    pub(super) precision: u8,
    /// Write values and gradients on the edges only when a figure has at most this many
    /// edges; a larger graph is drawn with its nodes' names alone (its labels would be a
    /// smear). Fold layers into groups, or raise this, to see them.
    #[arg(long, value_name = "EDGES", default_value_t = EDGE_LABELS_UP_TO)]
    pub(super) edge_labels: usize,
}

fn parse_scale(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(x) if x.is_finite() && (0.1..=16.0).contains(&x) => Ok(x),
        _ => Err(format!("\"{s}\" is not a scale between 0.1 and 16")),
    }
}
