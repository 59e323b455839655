//! How far a run over many scenarios has come, told to whoever follows it (the command
//! line's progress bar), or to nobody ([`Silent`]).

/// A stage of [`render_all`](crate::pipeline::figures::render_all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Loading each scenario, laying it out and drawing its figures and frames as SVG; counted
    /// in scenarios.
    Drawing,
    /// Rasterising and encoding; counted in files.
    Encoding,
}

/// Where [`render_all`](crate::pipeline::figures::render_all) tells how far it has come, from whichever thread did the work (the
/// command line draws a progress bar).
pub trait Progress: Sync {
    /// A stage begins, with `total` things to do.
    fn begin(&self, stage: Stage, total: usize);
    /// `count` more things of the stage are done.
    fn done(&self, count: usize);
}

/// Progress that nobody follows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _: Stage, _: usize) {}
    fn done(&self, _: usize) {}
}
