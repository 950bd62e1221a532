//! The plain (non-instrumented) build of the scratch copy's test targets, and which mutant each
//! compiler error is about.

use crate::run::build::{cargo_selection, test_executables, CargoOutput};
use crate::run::{BuildError, BuildOptions, TestExecutable};
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel, DiagnosticSpan};
use cargo_metadata::Message;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::ops::Range;
use std::path::Path;
use std::process::{Command, Stdio};
use truecov_model::Workspace;

/// How a build of the copy ended.
pub(crate) enum Built {
    /// The test binaries.
    Binaries(Vec<TestExecutable>),
    /// The compiler's errors, as JSON diagnostics.
    Errors(Vec<Diagnostic>),
}

/// Runs `cargo test --no-run` on the copy whose metadata is `workspace`, into `target_dir`,
/// with the package and feature selection of `options` and the target selection `targets`
/// (`--lib`, `--test NAME`, ...; none for every test target). cargo's own output is not shown:
/// it would be the errors of mutants that do not compile.
pub(crate) fn build(
    cargo: &OsStr,
    workspace: &Workspace,
    options: &BuildOptions,
    targets: &[String],
    target_dir: &Path,
) -> Result<Built, BuildError> {
    let cargo_error = |source| BuildError::Cargo {
        cargo: cargo.to_owned(),
        source,
    };
    let output = Command::new(cargo)
        .args(["test", "--no-run", "--message-format=json"])
        .arg("--target-dir")
        .arg(target_dir)
        .args(cargo_selection(options))
        .args(targets)
        .current_dir(&workspace.root)
        .stdin(Stdio::null())
        .output()
        .map_err(cargo_error)?;
    let messages: Vec<Message> = Message::parse_stream(&output.stdout[..])
        .collect::<Result<_, _>>()
        .map_err(cargo_error)?;
    if output.status.success() {
        let output = CargoOutput::from_messages(messages);
        return Ok(Built::Binaries(test_executables(
            cargo, workspace, &output, target_dir,
        )));
    }
    let errors: Vec<Diagnostic> = messages
        .into_iter()
        .filter_map(|m| match m {
            Message::CompilerMessage(m) => Some(m.message),
            _ => None,
        })
        .filter(|d| matches!(d.level, DiagnosticLevel::Error | DiagnosticLevel::Ice))
        .collect();
    if errors.is_empty() {
        // cargo failed before any compiler said why: a manifest or resolution problem.
        return Err(BuildError::Metadata(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    Ok(Built::Errors(errors))
}

/// The cargo arguments that build only the test targets `targets` (`lib`, `test:NAME`, ...),
/// or `None` when one of them cannot be named that way.
pub(crate) fn target_args<'t>(targets: impl IntoIterator<Item = &'t str>) -> Option<Vec<String>> {
    let mut args = Vec::new();
    for target in targets {
        let (kind, name) = target.split_once(':').unwrap_or((target, ""));
        let flag = match kind {
            "lib" => "--lib",
            "bin" => "--bin",
            "test" => "--test",
            "example" => "--example",
            "bench" => "--bench",
            _ => return None,
        };
        args.push(flag.to_string());
        if !name.is_empty() {
            args.push(name.to_string());
        }
    }
    Some(args)
}

/// Where each mutant's text is in the copy: workspace-relative file to (mutant, byte range).
pub(crate) type Placements = BTreeMap<String, Vec<(usize, Range<usize>)>>;

/// The mutants the errors are about (an error is about a mutant when one of its spans, or a
/// macro call it comes from, lies in the mutant's text, and in no text of a mutant nested in
/// it), and the errors about none of them.
/// Errors without a place (`aborting due to 2 previous errors`) are about nothing.
pub(crate) fn blame(errors: &[Diagnostic], placed: &Placements) -> (BTreeSet<usize>, Vec<String>) {
    let mut blamed = BTreeSet::new();
    let mut unexplained = Vec::new();
    for error in errors {
        let mut spans = Vec::new();
        collect_spans(error, &mut spans);
        if spans.is_empty() {
            continue;
        }
        let hits: Vec<usize> = spans.iter().flat_map(|s| mutants_at(s, placed)).collect();
        if hits.is_empty() {
            unexplained.push(
                error
                    .rendered
                    .clone()
                    .unwrap_or_else(|| error.message.clone()),
            );
        }
        blamed.extend(hits);
    }
    (blamed, unexplained)
}

/// Every span of a diagnostic and its children, with the macro call sites they come from.
fn collect_spans<'d>(d: &'d Diagnostic, out: &mut Vec<&'d DiagnosticSpan>) {
    for span in &d.spans {
        let mut span = Some(span);
        while let Some(s) = span {
            out.push(s);
            span = s.expansion.as_ref().map(|e| &e.span);
        }
    }
    for child in &d.children {
        collect_spans(child, out);
    }
}

/// The mutants a span is about: those of the innermost mutant text that holds it (a nested
/// mutant's text lies inside its host's, and an error there is the nested mutant's).
fn mutants_at(span: &DiagnosticSpan, placed: &Placements) -> Vec<usize> {
    let file = span.file_name.replace('\\', "/");
    let (start, end) = (span.byte_start as usize, span.byte_end as usize);
    let holding: Vec<&(usize, Range<usize>)> = placed
        .get(&file)
        .into_iter()
        .flatten()
        .filter(|(_, r)| start >= r.start && end <= r.end)
        .collect();
    let Some(innermost) = holding.iter().map(|(_, r)| r.len()).min() else {
        return Vec::new();
    };
    holding
        .into_iter()
        .filter(|(_, r)| r.len() == innermost)
        .map(|(id, _)| *id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(file: &str, start: u32, end: u32, child_span: Option<(u32, u32)>) -> Diagnostic {
        let span = |file: &str, (s, e): (u32, u32)| {
            serde_json::json!({
                "file_name": file, "byte_start": s, "byte_end": e, "line_start": 1,
                "line_end": 1, "column_start": 1, "column_end": 1, "is_primary": true,
                "text": [], "label": null, "suggested_replacement": null,
                "suggestion_applicability": null, "expansion": null
            })
        };
        let children = child_span.map_or_else(Vec::new, |c| {
            vec![
                serde_json::json!({"message": "note", "code": null, "level": "note",
                "spans": [span("src/lib.rs", c)], "children": [], "rendered": null}),
            ]
        });
        serde_json::from_value(serde_json::json!({
            "message": "mismatched types", "code": null, "level": "error",
            "spans": [span(file, (start, end))], "children": children, "rendered": "error[E0308]"
        }))
        .unwrap()
    }

    #[test]
    fn target_selections_name_each_test_target() {
        assert_eq!(
            target_args(["lib", "test:api", "bin:tool"]),
            Some(vec![
                "--lib".to_string(),
                "--test".into(),
                "api".into(),
                "--bin".into(),
                "tool".into()
            ])
        );
        assert_eq!(target_args(["doc:x"]), None);
    }

    #[test]
    fn errors_inside_a_mutant_blame_it_and_others_are_unexplained() {
        let placed: Placements =
            BTreeMap::from([("src/lib.rs".to_string(), vec![(1, 10..50), (2, 50..90)])]);
        let errors = [
            error("src/lib.rs", 20, 25, None),
            error("src/other.rs", 20, 25, Some((60, 61))),
            error("src/lib.rs", 5, 12, None),
        ];
        let (blamed, unexplained) = blame(&errors, &placed);
        assert_eq!(blamed, BTreeSet::from([1, 2]));
        assert_eq!(unexplained, ["error[E0308]"]);
        let no_place: Diagnostic = serde_json::from_value(serde_json::json!({
            "message": "aborting due to 2 previous errors", "code": null, "level": "error",
            "spans": [], "children": [], "rendered": null
        }))
        .unwrap();
        assert_eq!(blame(&[no_place], &placed), (BTreeSet::new(), Vec::new()));
    }
}
