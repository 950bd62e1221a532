//! Progress of long work on stderr: a bar on a terminal, nothing when piped, in CI or with
//! `--quiet` (cargo's own build output still shows, as cargo shows it).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use truecov_coverage::run::Event;

/// Shows build and test progress.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    /// A bar when stderr is a terminal, CI is unset and the user did not ask for quiet.
    pub fn new(quiet: bool) -> Progress {
        let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = (interactive && !quiet).then(|| {
            let bar = ProgressBar::hidden();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar
        });
        Progress { bar, quiet }
    }

    /// A status line in cargo's style (`   Running 12 tests`), unless quiet.
    pub fn status(&self, verb: &str, what: &str) {
        if self.quiet {
            return;
        }
        let line = format!("{verb:>12} {what}");
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Handles one event of the coverage engine.
    pub fn event(&self, event: Event<'_>) {
        match event {
            Event::BuildStarted => {
                self.status("Compiling", "test targets with coverage instrumentation")
            }
            Event::BuildFinished { executables } => {
                self.status("Built", &format!("{executables} test binaries"))
            }
            Event::TestsListed { total } => {
                self.status("Running", &format!("{total} tests, one by one"));
                self.start_bar("Running", total);
            }
            Event::TestFinished { finished, .. } => self.advance_to(finished),
            _ => {}
        }
    }

    /// Shows a bar of `total` steps after `prefix` (on a terminal only).
    pub fn start_bar(&self, prefix: &'static str, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len}  {elapsed}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.set_prefix(prefix);
        }
    }

    /// Moves the bar to `done` steps.
    pub fn advance_to(&self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
