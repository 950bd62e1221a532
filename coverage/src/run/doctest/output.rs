//! What a doctest run prints on stdout (libtest's pretty format, as rustdoc and edition 2024
//! merged doctest binaries print it): one result line per doctest, then a section per failure.

/// How rustdoc treats a doctest, from the suffix libtest prints after its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Built and run (no suffix).
    Run,
    /// `no_run`: built, never run (` - compile`).
    NoRun,
    /// `compile_fail`: must not build, never run (` - compile fail`).
    CompileFail,
    /// `should_panic` in a merged binary (` - should panic`; standalone ones print no suffix).
    ShouldPanic,
}

/// How the run reported a doctest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Result {
    /// `ok`.
    Ok,
    /// `FAILED`.
    Failed,
    /// `ignored` (with or without a reason).
    Ignored,
}

/// One doctest's result line, and its failure section when it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reported {
    /// The name as `--list` prints it, suffix removed.
    pub name: String,
    /// What the suffix said.
    pub mode: Mode,
    /// What the line ended with.
    pub result: Result,
    /// The text of its `---- <name> stdout ----` section (empty when none).
    pub failure: String,
}

impl Reported {
    /// rustdoc said a standalone `should_panic` doctest failed because its binary exited 0
    /// (which the runtool that only records binaries always does).
    pub(crate) fn should_have_panicked(&self) -> bool {
        self.result == Result::Failed && self.failure.contains("marked `should_panic`")
    }
}

/// Every doctest result line of `stdout`, in order, each with its failure section.
pub(crate) fn parse(stdout: &str) -> Vec<Reported> {
    let mut out: Vec<Reported> = stdout.lines().filter_map(result_line).collect();
    for (name, text) in failure_sections(stdout) {
        if let Some(r) = out.iter_mut().find(|r| r.name == name) {
            r.failure = text;
        }
    }
    out
}

/// `test <name>[ - <mode>] ... <result>`.
fn result_line(line: &str) -> Option<Reported> {
    let (test, result) = line.strip_prefix("test ")?.rsplit_once(" ... ")?;
    let result = match result {
        "ok" => Result::Ok,
        "FAILED" => Result::Failed,
        r if r == "ignored" || r.starts_with("ignored, ") => Result::Ignored,
        _ => return None,
    };
    // A doctest's name ends with `(line N)`; libtest's mode suffix comes after.
    let end = test.rfind(')')? + 1;
    let (name, suffix) = test.split_at(end);
    let mode = match suffix {
        "" => Mode::Run,
        " - compile" => Mode::NoRun,
        " - compile fail" => Mode::CompileFail,
        " - should panic" => Mode::ShouldPanic,
        _ => return None,
    };
    Some(Reported {
        name: name.to_owned(),
        mode,
        result,
        failure: String::new(),
    })
}

/// `---- <name> stdout ----` sections, each up to the next section or the `failures:` list.
fn failure_sections(stdout: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in stdout.lines() {
        let header = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"));
        if header.is_some() || line == "failures:" {
            out.extend(current.take());
        }
        if let Some(name) = header {
            current = Some((name.to_owned(), String::new()));
        } else if let Some((_, text)) = &mut current {
            text.push_str(line);
            text.push('\n');
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::{parse, Mode, Reported, Result};
    use proptest::prelude::*;

    /// Output of `cargo test --doc` on the doctests fixture with a runtool that exits 0.
    const RUN: &str = "\nrunning 5 tests\n\
test src/lib.rs - (line 5) ... ok\n\
test src/lib.rs - parse (line 41) - compile fail ... ok\n\
test src/lib.rs - parse (line 45) - compile ... ok\n\
test src/lib.rs - parse (line 50) ... ignored\n\
test src/lib.rs - parse (line 37) ... FAILED\n\
test src/lib.rs - Pair<A,B>::first (line 98) ... ignored, slow\n\
\nfailures:\n\n---- src/lib.rs - parse (line 37) stdout ----\n\
Test executable succeeded, but it's marked `should_panic`.\n\n\
failures:\n    src/lib.rs - parse (line 37)\n\n\
test result: FAILED. 3 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out\n";

    fn reported(name: &str, mode: Mode, result: Result) -> Reported {
        Reported {
            name: name.into(),
            mode,
            result,
            failure: String::new(),
        }
    }

    #[test]
    fn reads_names_modes_results_and_failure_sections() {
        let got = parse(RUN);
        assert_eq!(
            got[..4],
            [
                reported("src/lib.rs - (line 5)", Mode::Run, Result::Ok),
                reported(
                    "src/lib.rs - parse (line 41)",
                    Mode::CompileFail,
                    Result::Ok
                ),
                reported("src/lib.rs - parse (line 45)", Mode::NoRun, Result::Ok),
                reported("src/lib.rs - parse (line 50)", Mode::Run, Result::Ignored),
            ]
        );
        assert_eq!(got[4].name, "src/lib.rs - parse (line 37)");
        assert_eq!(
            got[4].failure,
            "Test executable succeeded, but it's marked `should_panic`.\n\n"
        );
        assert!(got[4].should_have_panicked());
        assert!(!got[0].should_have_panicked());
        assert_eq!(got[5].result, Result::Ignored);
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn merged_binaries_print_should_panic_as_a_suffix() {
        let got = parse("test src/a.rs - f (line 3) - should panic ... ok\n");
        assert_eq!(
            got,
            [reported(
                "src/a.rs - f (line 3)",
                Mode::ShouldPanic,
                Result::Ok
            )]
        );
    }

    #[test]
    fn other_lines_are_not_results() {
        for line in [
            "test result: ok. 1 passed",
            "test src/lib.rs - f (line 1) ... bench",
            "test src/lib.rs - f (line 1) - weird ... ok",
            "running 3 tests",
        ] {
            assert_eq!(parse(line), [], "{line}");
        }
    }

    proptest! {
        #[test]
        fn every_result_read_is_a_named_result_line_of_the_text(text in "(test |---- | \\.\\.\\. |ok|\\(line 1\\)|\n|[a-z ]){0,40}") {
            for r in parse(&text) {
                prop_assert!(r.name.ends_with(')'), "{:?}", r.name);
                let line = format!("test {}", r.name);
                prop_assert!(text.lines().any(|l| l.starts_with(&line)), "{line:?}");
            }
        }
    }
}
