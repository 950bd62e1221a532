//! What `prove`'s mutants say about each function: its status from its mutants' outcomes
//! (docs/prove.md), and the totals of a run. Pure: the mutants are built and run elsewhere.

use truecov_model::{
    MutantEntry, MutantOutcome, ProveEntry, ProveStatus, ProveSummary, Report, SkipReason,
};

/// The entry of a function from its mutants. `executed`: some passing test runs it;
/// `skipped`: why it has no mutants, if so.
pub fn entry(executed: bool, skipped: Option<SkipReason>, mutants: Vec<MutantEntry>) -> ProveEntry {
    let count = |o: MutantOutcome| mutants.iter().filter(|m| m.outcome == o).count() as u64;
    let (caught, missed) = (count(MutantOutcome::Caught), count(MutantOutcome::Missed));
    let (unviable, timeout) = (
        count(MutantOutcome::Unviable),
        count(MutantOutcome::Timeout),
    );
    let detected = caught + timeout;
    let status = if !executed {
        ProveStatus::NotCovered
    } else if detected + missed == 0 {
        if unviable > 0 {
            ProveStatus::Unviable
        } else {
            ProveStatus::Skipped
        }
    } else if missed == 0 {
        ProveStatus::Tested
    } else if detected == 0 {
        ProveStatus::PseudoTested
    } else {
        ProveStatus::PartiallyTested
    };
    let skipped = match status {
        ProveStatus::Skipped => Some(skipped.unwrap_or(SkipReason::NoPassingTest)),
        _ => None,
    };
    ProveEntry {
        status,
        skipped,
        caught,
        missed,
        unviable,
        timeout,
        mutants,
    }
}

/// The totals of the `prove` entries of `report`'s functions.
pub fn summary(report: &Report, builds: u64, duration_ms: u64) -> ProveSummary {
    let mut summary = ProveSummary {
        builds,
        duration_ms,
        ..ProveSummary::default()
    };
    for p in report.functions.iter().filter_map(|f| f.prove.as_ref()) {
        *summary.functions.entry(p.status).or_default() += 1;
        for m in &p.mutants {
            *summary.mutants.entry(m.outcome).or_default() += 1;
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use MutantOutcome::*;

    fn mutant(outcome: MutantOutcome) -> MutantEntry {
        MutantEntry {
            name: String::new(),
            file: String::new(),
            line: 0,
            column: 0,
            genre: Default::default(),
            replacement: "0".into(),
            outcome,
            caught_by: None,
            tests_run: Vec::new(),
            duration_ms: 1,
            error: None,
        }
    }

    fn status_of(executed: bool, outcomes: &[MutantOutcome]) -> ProveStatus {
        entry(
            executed,
            None,
            outcomes.iter().map(|&o| mutant(o)).collect(),
        )
        .status
    }

    #[test]
    fn status_follows_the_viable_mutants() {
        assert_eq!(
            status_of(true, &[Caught, Timeout, Unviable]),
            ProveStatus::Tested
        );
        assert_eq!(
            status_of(true, &[Caught, Missed]),
            ProveStatus::PartiallyTested
        );
        assert_eq!(
            status_of(true, &[Timeout, Missed]),
            ProveStatus::PartiallyTested
        );
        assert_eq!(
            status_of(true, &[Missed, Unviable]),
            ProveStatus::PseudoTested
        );
        assert_eq!(
            status_of(true, &[Unviable, Unviable]),
            ProveStatus::Unviable
        );
        assert_eq!(status_of(false, &[]), ProveStatus::NotCovered);
    }

    #[test]
    fn counts_and_skip_reasons() {
        let e = entry(
            true,
            None,
            vec![mutant(Caught), mutant(Missed), mutant(Missed)],
        );
        assert_eq!((e.caught, e.missed, e.unviable, e.timeout), (1, 2, 0, 0));
        assert!(e.doubted());
        assert_eq!(e.missed_values(), ["0", "0"]);
        assert!(!entry(true, None, vec![mutant(Caught)]).doubted());
        assert_eq!(e.skipped, None);
        let none = entry(true, Some(SkipReason::Constructor), Vec::new());
        assert_eq!(none.status, ProveStatus::Skipped);
        assert_eq!(none.skipped, Some(SkipReason::Constructor));
        let unjudged = entry(true, None, vec![mutant(NotRun)]);
        assert_eq!(unjudged.skipped, Some(SkipReason::NoPassingTest));
        let unrun = entry(false, None, vec![mutant(NotCovered), mutant(NotCovered)]);
        assert_eq!(unrun.status, ProveStatus::NotCovered);
        assert_eq!(
            unrun.mutants.len(),
            2,
            "a function no test runs lists its mutants"
        );
    }

    #[test]
    fn totals_count_functions_per_status_and_mutants_per_outcome() {
        let report: Report = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "tool_version": "0", "workspace": "/w",
            "summary": {"raw_line_coverage": null, "meaningful_line_coverage": null,
                "truth_ratio": null, "error_path_check_rate": null, "lines_coverable": null,
                "lines_raw": null, "lines_meaningful": null,
                "tests": {"total": 0, "meaningful": 0, "smoke": 0, "tautological": 0,
                    "assertion_free": 0, "ignored": 0, "failed": 0}},
            "tests": [], "functions": []
        }))
        .unwrap();
        let mut report = report;
        for (i, outcomes) in [&[Caught, Missed][..], &[Missed], &[Caught, Unviable]]
            .iter()
            .enumerate()
        {
            let mut f: truecov_model::FunctionEntry = serde_json::from_value(serde_json::json!({
                "package": "p", "name": format!("f{i}"), "file": "src/lib.rs", "line": i,
                "class": "no_error_paths", "lines_coverable": 1, "lines_raw": 1,
                "lines_meaningful": 1, "error_sites": 0, "error_sites_executed": 0,
                "error_sites_checked": 0
            }))
            .unwrap();
            f.prove = Some(entry(
                true,
                None,
                outcomes.iter().map(|&o| mutant(o)).collect(),
            ));
            report.functions.push(f);
        }
        let s = summary(&report, 2, 30);
        assert_eq!(s.count(ProveStatus::PartiallyTested), 1);
        assert_eq!(s.count(ProveStatus::PseudoTested), 1);
        assert_eq!(s.count(ProveStatus::Tested), 1);
        assert_eq!(s.mutants_with(Caught), 2);
        assert_eq!(s.mutants_with(Missed), 2);
        assert_eq!(s.mutants_with(Unviable), 1);
        assert_eq!((s.builds, s.duration_ms), (2, 30));
    }
}
