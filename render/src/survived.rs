//! The mutants that survived, one line each for the tables: where, what changed, why it
//! matters and the tests that ran it.

use truecov_compare::survivors::SurvivingMutant;

/// `` `>` → `>=` survived: no test checks the boundary ``, worded for a reviewer.
pub fn what(s: &SurvivingMutant) -> String {
    format!("{} survived: {}", s.change(), s.reason())
}

/// The tests that ran it: `ran: tests::a, tests::b`, or `no test ran it`.
pub fn ran(s: &SurvivingMutant) -> String {
    if s.tests.is_empty() {
        "no test ran it".to_string()
    } else {
        format!("ran: {}", s.tests.join(", "))
    }
}

/// One line per surviving mutant, at most `limit`.
pub fn lines(survivors: &[SurvivingMutant], limit: usize) -> Vec<String> {
    survivors
        .iter()
        .take(limit)
        .map(|s| {
            format!(
                "  {:<28} {}   ({})",
                format!("{}:{}", s.file, s.line),
                what(s),
                ran(s)
            )
        })
        .collect()
}
