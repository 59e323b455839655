//! A scenario written on the command line (`-e`, `--set`), and the scenarios a command
//! reads: its files and its expression, with the values set, and where `render` and `frames`
//! write what they draw of them.

use std::path::PathBuf;

use chainrule::core::load;
use chainrule::Error;

/// A scenario written on the command line, and values for inputs, for `eval`, `render` and
/// `frames`.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct Inline {
    /// A scenario in the text format instead of files: statements separated by ; and names
    /// used but never assigned are inputs (give their values with --set); an expression
    /// standing alone is f.
    #[arg(short = 'e', long = "expr", value_name = "TEXT")]
    expression: Option<String>,
    /// Values for inputs, NAME=VALUE, comma-separated (x=-2,y=5; a tensor as W=[[1, 2], [3,
    /// 4]]). They replace the values a scenario file gives its inputs.
    #[arg(long, value_name = "NAME=VALUE")]
    set: Vec<String>,
}

/// What `render` and `frames` draw, and where they write it.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct Targets {
    /// Scenario files or directories of them.
    #[arg(required_unless_present = "expression")]
    pub(super) inputs: Vec<PathBuf>,
    #[command(flatten)]
    inline: Inline,
    /// The name of the files drawn from -e.
    #[arg(long, default_value = "expression", requires = "expression")]
    name: String,
    /// The directory to write into (created if needed).
    #[arg(short, long, default_value = "output")]
    pub(super) out: PathBuf,
}

impl Targets {
    /// The scenarios to draw: the files of the inputs, then the expression named `--name`.
    pub(super) fn sources(&self) -> Result<Vec<load::Source>, Error> {
        self.inline.sources(&self.inputs, &self.name)
    }
}

impl Inline {
    /// The scenarios to read: the files of `inputs`, then the expression, each with the
    /// values set; the expression's outputs are named `name`.
    pub(super) fn sources(
        &self,
        inputs: &[PathBuf],
        name: &str,
    ) -> Result<Vec<load::Source>, Error> {
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
    pub(super) fn values(&self) -> Result<Vec<(String, String)>, Error> {
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
