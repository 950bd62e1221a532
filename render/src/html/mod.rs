//! The HTML report: a static site with no network access (`index.html`, `tests.html`, one page
//! per source file under `files/`, CSS and JS under `assets/`), rendered from a report, the
//! source text of its files and, when there is history, the trend of the headline.

mod index;
mod page;
mod source;
mod tests_page;
mod trend;

pub use page::esc;
pub use trend::TrendPoint;

use std::collections::BTreeSet;
use std::path::Path;
use truecov_model::Report;

/// Everything a site is made of.
pub struct Inputs<'a> {
    /// The report to show.
    pub report: &'a Report,
    /// The text of a workspace-relative file, `None` when it cannot be read.
    pub sources: &'a dyn Fn(&str) -> Option<String>,
    /// The headline of earlier runs, oldest first (empty without history).
    pub trend: &'a [TrendPoint],
}

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Path relative to the site's root, with `/` separators.
    pub path: String,
    /// Its content.
    pub content: String,
}

/// Every file of the site: the index, the tests page, a page per library file and per file
/// that holds tests, and the assets.
pub fn render(inputs: &Inputs<'_>) -> Vec<SiteFile> {
    let report = inputs.report;
    let project = project_name(report);
    let mut files = vec![
        SiteFile {
            path: "index.html".into(),
            content: index::render(report, &project, inputs.trend),
        },
        SiteFile {
            path: "tests.html".into(),
            content: tests_page::render(report, &project),
        },
        SiteFile {
            path: "assets/style.css".into(),
            content: include_str!("assets/style.css").into(),
        },
        SiteFile {
            path: "assets/app.js".into(),
            content: include_str!("assets/app.js").into(),
        },
    ];
    let library: BTreeSet<&str> = report.files.iter().map(|f| f.file.as_str()).collect();
    let test_files: BTreeSet<&str> = report
        .tests
        .iter()
        .map(|t| t.file.as_str())
        .filter(|f| !library.contains(f))
        .collect();
    for path in library.iter().chain(&test_files) {
        files.push(SiteFile {
            path: page::file_page_path(path),
            content: source::render(report, &project, path, (inputs.sources)(path).as_deref()),
        });
    }
    files
}

/// What the report is about: its packages' names, or the workspace directory's name.
fn project_name(report: &Report) -> String {
    let names: BTreeSet<&str> = report
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .chain(report.tests.iter().map(|t| t.package.as_str()))
        .collect();
    if names.is_empty() || names.len() > 3 {
        Path::new(&report.workspace).file_name().map_or_else(
            || report.workspace.clone(),
            |n| n.to_string_lossy().into_owned(),
        )
    } else {
        names.into_iter().collect::<Vec<_>>().join(", ")
    }
}
