//! What `run` and `prove` do with a report once it is scored.

use crate::cli::RunArgs;
use truecov_model::Report;

/// The gates the user asked for that the report does not pass, each as a one-line reason.
/// A figure that is not available (nothing to divide by) fails its gate.
pub fn gates(report: &Report, args: &RunArgs) -> Vec<String> {
    let s = &report.summary;
    let checks = [
        (
            "meaningful coverage",
            s.meaningful_line_coverage,
            args.fail_under_meaningful,
        ),
        ("truth ratio", s.truth_ratio, args.fail_under_truth),
        (
            "error-path check rate",
            s.error_path_check_rate,
            args.fail_under_error_checks,
        ),
    ];
    checks
        .iter()
        .filter_map(|(name, value, min)| {
            let min = (*min)?;
            match value {
                Some(v) if v * 100.0 + 1e-9 >= min => None,
                Some(v) => Some(format!("{name} {:.1} % is below --fail-under {min} %", v * 100.0)),
                None => Some(format!("{name} is not available (nothing to measure) and a minimum of {min} % was asked")),
            }
        })
        .collect()
}
