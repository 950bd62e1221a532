//! The mutants that survived in a proved run, worded for a reviewer: where, what changed
//! (`>` → `>=`), why it matters ("no test checks the boundary") and the tests that ran it.

use serde::Serialize;
use truecov_model::{short_name, FunctionEntry, MutantEntry, MutantGenre, Report};

/// A mutant every test that ran it let through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SurvivingMutant {
    /// Workspace-relative file.
    pub file: String,
    /// Line of the change (the function's line for a function-value mutant).
    pub line: u32,
    /// Full name of the function it changes.
    pub function: String,
    /// The kind of change.
    pub genre: MutantGenre,
    /// The code it replaced, when its name says (`>` of "replace > with >="); `None` for a
    /// function body.
    pub original: Option<String>,
    /// What replaced it (empty for a deletion).
    pub replacement: String,
    /// The tests that ran with it and passed, by name, sorted (the order they ran in depends
    /// on their durations).
    pub tests: Vec<String>,
}

impl SurvivingMutant {
    /// The change, in code spans: `` `>` → `>=` ``, `` body of `f` → `0` ``, `` `!` deleted ``.
    pub fn change(&self) -> String {
        match (&self.original, self.genre) {
            (_, MutantGenre::FnValue) => format!(
                "body of `{}` → `{}`",
                short_name(&self.function),
                self.replacement
            ),
            (Some(original), _) if self.replacement.is_empty() => {
                format!("`{original}` deleted")
            }
            (Some(original), _) => format!("`{original}` → `{}`", self.replacement),
            (None, _) => format!("→ `{}`", self.replacement),
        }
    }

    /// What no test looks at, for the kind of change.
    pub fn reason(&self) -> &'static str {
        let op = |set: &[&str], s: &str| set.contains(&s);
        const BOUNDS: &[&str] = &["<", "<=", ">", ">="];
        const EQUALITY: &[&str] = &["==", "!="];
        const LOGIC: &[&str] = &["&&", "||"];
        match self.genre {
            MutantGenre::FnValue => "no test checks its result",
            MutantGenre::BinaryOperator => {
                let original = self.original.as_deref().unwrap_or("");
                let with = self.replacement.as_str();
                if op(BOUNDS, original) && op(BOUNDS, with) {
                    "no test checks the boundary"
                } else if op(EQUALITY, original) || op(EQUALITY, with) {
                    "no test checks the comparison"
                } else if op(LOGIC, original) {
                    "no test tells the two conditions apart"
                } else {
                    "no test checks the computed value"
                }
            }
            MutantGenre::UnaryOperator => "no test checks the negation",
            MutantGenre::MatchArm => "no test checks what this arm does",
            MutantGenre::MatchArmGuard => "no test checks the guard",
            MutantGenre::StructField => "no test checks this field",
        }
    }
}

/// The code a mutant replaced, from its cargo-mutants name: `>` of
/// `src/lib.rs:42:15: replace > with >= in f`, `!` of `delete ! in f`, the guard of
/// `replace match guard x > 0 with true in f`.
fn original(m: &MutantEntry) -> Option<String> {
    if m.genre == MutantGenre::FnValue {
        return None;
    }
    let what = m.name.split_once(": ").map_or(m.name.as_str(), |(_, w)| w);
    let what = match what.rsplit_once(" in ") {
        Some((w, _)) => w,
        None => what,
    };
    let text = if let Some(rest) = what.strip_prefix("replace ") {
        rest.rsplit_once(" with ")?.0
    } else {
        what.strip_prefix("delete ")?
    };
    let text = text
        .strip_prefix("match guard ")
        .or_else(|| text.strip_prefix("match arm "))
        .unwrap_or(text);
    Some(text.to_string())
}

/// One surviving mutant of `f` in `report`.
fn surviving(report: &Report, f: &FunctionEntry, m: &MutantEntry) -> SurvivingMutant {
    let mut tests: Vec<String> = m
        .tests_run
        .iter()
        .filter_map(|&t| report.tests.get(t))
        .map(|t| t.name.clone())
        .collect();
    tests.sort();
    tests.dedup();
    SurvivingMutant {
        file: if m.file.is_empty() {
            f.file.clone()
        } else {
            m.file.clone()
        },
        line: if m.line == 0 { f.line } else { m.line },
        function: f.name.clone(),
        genre: m.genre,
        original: original(m),
        replacement: m.replacement.clone(),
        tests,
    }
}

/// Every mutant of `report` that survived, by file and line.
pub fn survivors(report: &Report) -> Vec<SurvivingMutant> {
    survivors_where(report, |_, _| true)
}

/// The mutants of `report` that survived and that `keep` keeps (given the function and the
/// mutant), by file and line.
pub(crate) fn survivors_where(
    report: &Report,
    keep: impl Fn(&FunctionEntry, &MutantEntry) -> bool,
) -> Vec<SurvivingMutant> {
    let keep = &keep;
    let mut out: Vec<SurvivingMutant> = report
        .functions
        .iter()
        .filter_map(|f| Some((f, f.prove.as_ref()?)))
        .flat_map(|(f, p)| {
            p.survivors()
                .filter(move |m| keep(f, m))
                .map(move |m| surviving(report, f, m))
        })
        .collect();
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::MutantOutcome;

    fn mutant(genre: MutantGenre, name: &str, replacement: &str) -> MutantEntry {
        MutantEntry {
            name: name.into(),
            file: "src/lib.rs".into(),
            line: 42,
            column: 15,
            genre,
            replacement: replacement.into(),
            outcome: MutantOutcome::Missed,
            caught_by: None,
            tests_run: vec![0],
            duration_ms: 1,
            error: None,
        }
    }

    fn described(genre: MutantGenre, name: &str, replacement: &str) -> (String, &'static str) {
        let s = SurvivingMutant {
            file: "src/lib.rs".into(),
            line: 42,
            function: "bank::Account::withdraw".into(),
            genre,
            original: original(&mutant(genre, name, replacement)),
            replacement: replacement.into(),
            tests: Vec::new(),
        };
        (s.change(), s.reason())
    }

    #[test]
    fn changes_and_reasons_read_as_a_reviewer_needs_them() {
        use MutantGenre::*;
        assert_eq!(
            described(
                BinaryOperator,
                "src/lib.rs:42:15: replace > with >= in Account::withdraw",
                ">="
            ),
            ("`>` → `>=`".into(), "no test checks the boundary")
        );
        assert_eq!(
            described(
                BinaryOperator,
                "src/a.rs:1:2: replace && with || in f",
                "||"
            ),
            (
                "`&&` → `||`".into(),
                "no test tells the two conditions apart"
            )
        );
        assert_eq!(
            described(
                BinaryOperator,
                "src/a.rs:1:2: replace == with != in f",
                "!="
            ),
            ("`==` → `!=`".into(), "no test checks the comparison")
        );
        assert_eq!(
            described(BinaryOperator, "src/a.rs:1:2: replace + with - in f", "-").1,
            "no test checks the computed value"
        );
        assert_eq!(
            described(UnaryOperator, "src/a.rs:1:2: delete ! in f", ""),
            ("`!` deleted".into(), "no test checks the negation")
        );
        assert_eq!(
            described(
                MatchArmGuard,
                "src/a.rs:1:2: replace match guard n > 0 with true in f",
                "true"
            )
            .0,
            "`n > 0` → `true`"
        );
        assert_eq!(
            described(
                FnValue,
                "src/lib.rs:40:5: replace Account::withdraw -> u64 with 0",
                "0"
            ),
            (
                "body of `Account::withdraw` → `0`".into(),
                "no test checks its result"
            )
        );
        assert_eq!(
            described(BinaryOperator, "", "<=").0,
            "→ `<=`",
            "a mutant without a name still says what replaced it"
        );
    }

    #[test]
    fn survivors_are_the_missed_mutants_with_the_tests_that_ran_them() {
        let mut f: FunctionEntry =
            serde_json::from_value(crate::sample::proved("m::f", 5, &["caught", "missed"]))
                .unwrap();
        let mut op = mutant(
            MutantGenre::BinaryOperator,
            "src/lib.rs:7:3: replace < with <= in f",
            "<=",
        );
        op.line = 7;
        op.tests_run = vec![1, 0];
        f.prove.as_mut().unwrap().mutants.push(op);
        let mut r = crate::sample::report(serde_json::json!([]));
        r.functions.push(f);
        let found = survivors(&r);
        let lines: Vec<(u32, &str, &[String])> = found
            .iter()
            .map(|s| (s.line, s.replacement.as_str(), s.tests.as_slice()))
            .collect();
        assert_eq!(
            lines,
            [
                (5, "v1", &["good".to_string()][..]),
                (7, "<=", &["good".to_string(), "weak".to_string()][..])
            ],
            "the function-value mutant without a line sits on the function's line; the tests \
             of a mutant are listed by name, not in the order they ran"
        );
    }
}
