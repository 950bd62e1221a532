//! Rendering of reports for people (tables, HTML) and tools (JSON, SARIF, lcov, cobertura).
//! Pure: every renderer returns text (or the files of a site) from model and comparison
//! values and its own options ([`style::Style`], [`CoverageKind`]); the caller prints or writes.

#![warn(missing_docs, unreachable_pub)]

pub mod cobertura;
pub mod delta;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod history;
pub mod hits;
pub mod html;
pub mod lcov;
pub mod markdown;
pub mod prove;
pub mod run;
pub mod sarif;
pub mod scan;
pub mod style;
pub mod survived;

/// Which coverage a coverage export (lcov, cobertura) counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CoverageKind {
    /// Lines executed by a meaningful test (that passed).
    #[default]
    Meaningful,
    /// Lines executed by any test.
    Raw,
    /// Proven lines (after `prove`): executed by a meaningful test, no mutant survived there.
    Proven,
}

impl CoverageKind {
    /// The name in exported files.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageKind::Meaningful => "meaningful",
            CoverageKind::Raw => "raw",
            CoverageKind::Proven => "proven",
        }
    }
}
