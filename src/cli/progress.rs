//! The progress bar of `render` and `frames` runs that take a while.

use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use chainrule::pipeline::figures::{Progress, Stage};

/// How long a render runs before its progress bar appears.
const BAR_DELAY: Duration = Duration::from_secs(1);

/// A progress bar on standard error, for `render` and `frames` runs that take a while.
pub(super) struct Bar(ProgressBar);

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
pub(super) fn with_progress<T>(work: impl FnOnce(&Bar) -> T) -> T {
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
