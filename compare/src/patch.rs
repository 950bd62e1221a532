//! Patch truth: of the library lines a change adds or modifies (`git diff base...HEAD`), how
//! many run under tests and how many under a meaningful test, and the changed functions that
//! are not well checked. Parsing of `git diff --unified=0` and the count are pure.

use crate::keys::function_keys;
use crate::survivors::{survivors_where, SurvivingMutant};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use truecov_model::{FunctionClass, FunctionEntry, MutantEntry, MutantGenre, Report, Verdict};

/// Lines added or modified, per workspace-relative file.
pub type ChangedLines = BTreeMap<String, BTreeSet<u32>>;

/// A test that reaches a changed function.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reacher {
    /// Exact libtest name.
    pub name: String,
    /// Its verdict.
    pub verdict: Verdict,
}

/// A changed function that is not well checked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PatchFunction {
    /// Full name.
    pub name: String,
    /// Workspace-relative file.
    pub file: String,
    /// Line of `fn`.
    pub line: u32,
    /// Class in the head.
    pub class: FunctionClass,
    /// Not in the base.
    pub new: bool,
    /// Its changed library lines.
    pub lines: u64,
    /// Of those, executed by a test.
    pub executed: u64,
    /// Of those, executed by a meaningful test.
    pub meaningful: u64,
    /// The tests that execute it, when none of them is meaningful.
    pub reached_only_by: Vec<Reacher>,
}

/// The library lines of a change and how well they are tested.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Patch {
    /// The git range compared (`main...HEAD`).
    pub range: String,
    /// Coverable library lines added or modified.
    pub lines: u64,
    /// Of those, executed by a test.
    pub executed: u64,
    /// Of those, executed by a meaningful test.
    pub meaningful: u64,
    /// Of those, proven (docs/scores.md#proven-coverage), when the head run was proved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proven: Option<u64>,
    /// Changed functions whose class is not checked (or has no error paths), or whose changed
    /// lines are not all run by a meaningful test, by file and line.
    pub functions: Vec<PatchFunction>,
    /// The mutants of the head run that survived on a changed line (a function value: in a
    /// function with a changed line), by file and line: the change's behaviour no test checks.
    pub survivors: Vec<SurvivingMutant>,
}

/// Unquotes a path as git prints it (`"a\tb"` with C escapes) and drops its `b/` prefix.
fn diff_path(raw: &str) -> Option<String> {
    let raw = raw.trim_end();
    let path = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(quoted) => {
            let mut bytes = Vec::new();
            let mut chars = quoted.bytes();
            while let Some(b) = chars.next() {
                if b != b'\\' {
                    bytes.push(b);
                    continue;
                }
                match chars.next()? {
                    b'n' => bytes.push(b'\n'),
                    b't' => bytes.push(b'\t'),
                    d @ b'0'..=b'7' => {
                        let mut v = u32::from(d - b'0');
                        for _ in 0..2 {
                            v = v * 8 + u32::from(chars.next()?.checked_sub(b'0')?);
                        }
                        bytes.push(u8::try_from(v).ok()?);
                    }
                    other => bytes.push(other),
                }
            }
            String::from_utf8(bytes).ok()?
        }
        None => raw.to_string(),
    };
    path.strip_prefix("b/").map(str::to_string)
}

/// `+c,d` of a hunk header: the first new line and the count (1 when omitted).
fn new_range(header: &str) -> Option<(u32, u32, u32)> {
    let mut parts = header.strip_prefix("@@ -")?.split(' ');
    let old = parts.next()?;
    let new = parts.next()?.strip_prefix('+')?;
    let count = |s: &str| -> Option<(u32, u32)> {
        match s.split_once(',') {
            Some((a, n)) => Some((a.parse().ok()?, n.parse().ok()?)),
            None => Some((s.parse().ok()?, 1)),
        }
    };
    let (_, old_count) = count(old)?;
    let (start, new_count) = count(new)?;
    Some((old_count, start, new_count))
}

/// The lines each file gains or changes in `git diff --unified=0` output (paths as printed
/// after `b/`). Deleted files have none; bodies are skipped by their counts, so content that
/// looks like a header is not taken for one.
pub fn changed_lines(diff: &str) -> ChangedLines {
    let mut out = ChangedLines::new();
    let mut file: Option<String> = None;
    let mut lines = diff.lines();
    while let Some(line) = lines.next() {
        if let Some(path) = line.strip_prefix("+++ ") {
            file = diff_path(path);
        } else if line.starts_with("diff --git ") {
            file = None;
        } else if let Some((mut old, start, new)) = new_range(line) {
            if let Some(f) = &file {
                out.entry(f.clone())
                    .or_default()
                    .extend(start..start.saturating_add(new));
            }
            let mut new_left = new;
            while old + new_left > 0 {
                match lines.next() {
                    Some(l) if l.starts_with('-') => old = old.saturating_sub(1),
                    Some(l) if l.starts_with('+') => new_left = new_left.saturating_sub(1),
                    Some(_) => {}
                    None => break,
                }
            }
        }
    }
    out.retain(|_, lines| !lines.is_empty());
    out
}

/// The function of `functions` (of one file, sorted by line) that holds `line`: the innermost
/// one whose extent contains it (the last one starting at or before it, for reports that do
/// not record where functions end).
fn holder(functions: &[(usize, &FunctionEntry)], line: u32) -> Option<usize> {
    functions
        .iter()
        .rev()
        .find(|(_, f)| f.line <= line && (f.end_line == 0 || line <= f.end_line))
        .map(|(i, _)| *i)
}

/// Whether mutant `m` of `f` changes a changed line: an operator's line, or for a function
/// value (which replaces the whole body), any line of its function.
fn on_changed_line(changed: &ChangedLines, f: &FunctionEntry, m: &MutantEntry) -> bool {
    let file = if m.file.is_empty() { &f.file } else { &m.file };
    let Some(lines) = changed.get(file) else {
        return false;
    };
    if m.genre == MutantGenre::FnValue || m.line == 0 {
        lines
            .range(f.line..=f.end_line.max(f.line))
            .next()
            .is_some()
    } else {
        lines.contains(&m.line)
    }
}

/// Counts the changed library lines of `head` and finds the changed functions that are not
/// well checked. `base` tells which functions are new.
pub fn truth(range: String, changed: &ChangedLines, head: &Report, base: Option<&Report>) -> Patch {
    let base_keys: Option<HashSet<_>> = base.map(|b| function_keys(b).into_iter().collect());
    let head_keys = function_keys(head);
    let mut per_function: BTreeMap<usize, [u64; 3]> = BTreeMap::new();
    let mut totals = [0u64; 3];
    let mut proven = head.prove.as_ref().map(|_| 0u64);
    for file in &head.files {
        let Some(lines) = changed.get(&file.file) else {
            continue;
        };
        let mut functions: Vec<(usize, &FunctionEntry)> = head
            .functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.file == file.file)
            .collect();
        functions.sort_by_key(|(_, f)| f.line);
        let executed: HashSet<u32> = file.executed.iter().copied().collect();
        let meaningful: HashSet<u32> = file.meaningful.iter().copied().collect();
        let proven_here: HashSet<u32> = file.proven.iter().flatten().copied().collect();
        for line in file.coverable.iter().filter(|l| lines.contains(l)) {
            if let Some(p) = proven.as_mut() {
                *p += u64::from(proven_here.contains(line));
            }
            let counts = [
                1,
                u64::from(executed.contains(line)),
                u64::from(meaningful.contains(line)),
            ];
            let add = |into: &mut [u64; 3]| {
                for (t, c) in into.iter_mut().zip(counts) {
                    *t += c;
                }
            };
            add(&mut totals);
            if let Some(i) = holder(&functions, *line) {
                add(per_function.entry(i).or_default());
            }
        }
    }
    let mut functions: Vec<PatchFunction> = per_function
        .into_iter()
        .filter_map(|(i, [lines, executed, meaningful])| {
            let f = &head.functions[i];
            let well_checked = f.class.is_best() && meaningful == lines;
            if well_checked {
                return None;
            }
            let reachers: Vec<_> = f
                .executed_by
                .iter()
                .filter_map(|t| head.tests.get(*t))
                .collect();
            let reached_only_by = if reachers.iter().any(|t| t.counts_as_meaningful()) {
                Vec::new()
            } else {
                reachers
                    .iter()
                    .map(|t| Reacher {
                        name: t.name.clone(),
                        verdict: t.verdict,
                    })
                    .collect()
            };
            Some(PatchFunction {
                name: f.name.clone(),
                file: f.file.clone(),
                line: f.line,
                class: f.class,
                new: base_keys
                    .as_ref()
                    .is_some_and(|k| !k.contains(&head_keys[i])),
                lines,
                executed,
                meaningful,
                reached_only_by,
            })
        })
        .collect();
    functions.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Patch {
        range,
        lines: totals[0],
        executed: totals[1],
        meaningful: totals[2],
        proven,
        functions,
        survivors: survivors_where(head, |f, m| on_changed_line(changed, f, m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "\
diff --git a/src/lib.rs b/src/lib.rs
index 1111111..2222222 100644
--- a/src/lib.rs
+++ b/src/lib.rs
@@ -3,0 +4,2 @@ fn a() {
+    let x = 1;
+++ looks like a header but is an added line
@@ -10 +12 @@ fn b() {
-    old();
+    new();
@@ -20,2 +21,0 @@ fn c() {
-    gone();
-    gone_too();
diff --git a/src/old.rs b/src/old.rs
deleted file mode 100644
--- a/src/old.rs
+++ /dev/null
@@ -1,2 +0,0 @@
-fn old() {}
-
diff --git a/\"src/sp ace.rs\" b/\"src/t\\303\\251st\\tx.rs\"
--- a/\"src/sp ace.rs\"
+++ \"b/src/t\\303\\251st\\tx.rs\"
@@ -1 +1 @@
-a
+b
";

    #[test]
    fn added_and_modified_lines_per_file_from_a_zero_context_diff() {
        let changed = changed_lines(DIFF);
        let files: Vec<&str> = changed.keys().map(String::as_str).collect();
        assert_eq!(files, ["src/lib.rs", "src/tést\tx.rs"]);
        assert_eq!(
            changed["src/lib.rs"].iter().copied().collect::<Vec<_>>(),
            [4, 5, 12]
        );
        assert_eq!(
            changed["src/tést\tx.rs"]
                .iter()
                .copied()
                .collect::<Vec<_>>(),
            [1]
        );
    }

    use crate::sample::{function, report};

    #[test]
    fn changed_library_lines_are_counted_and_weakly_checked_functions_named() {
        let a = function("a", 1, "no_error_paths", &[0]);
        let b = function("m::b", 10, "error_paths_untested", &[0, 1]);
        let c = function("m::c", 20, "no_error_paths", &[1]);
        let head = report(serde_json::json!([a, b, c]));
        let base = report(serde_json::json!([a, b]));
        let changed = ChangedLines::from([
            (
                "src/lib.rs".to_string(),
                BTreeSet::from([2, 5, 11, 12, 13, 21]),
            ),
            ("README.md".to_string(), BTreeSet::from([1])),
        ]);
        let p = truth("main...HEAD".into(), &changed, &head, Some(&base));
        assert_eq!((p.lines, p.executed, p.meaningful), (5, 4, 2));
        assert_eq!(p.proven, None, "the head was not proved");
        let listed: Vec<(&str, bool, [u64; 3])> = p
            .functions
            .iter()
            .map(|f| (f.name.as_str(), f.new, [f.lines, f.executed, f.meaningful]))
            .collect();
        assert_eq!(
            listed,
            [("m::b", false, [3, 2, 1]), ("m::c", true, [1, 1, 0])]
        );
        assert!(p.functions[0].reached_only_by.is_empty());
        assert_eq!(
            p.functions[1].reached_only_by,
            [Reacher {
                name: "weak".into(),
                verdict: Verdict::Smoke
            }]
        );
    }

    #[test]
    fn changed_lines_count_as_proven_only_in_a_proved_run() {
        let mut head = report(serde_json::json!([function(
            "a",
            1,
            "no_error_paths",
            &[0]
        )]));
        head.prove = Some(Default::default());
        head.files[0].proven = Some(vec![1, 2, 11]);
        let changed =
            ChangedLines::from([("src/lib.rs".to_string(), BTreeSet::from([2, 3, 11, 13]))]);
        let p = truth("main...HEAD".into(), &changed, &head, None);
        assert_eq!((p.lines, p.meaningful, p.proven), (4, 3, Some(2)));
    }

    #[test]
    fn the_survivors_of_a_change_are_those_on_its_lines_and_the_values_of_its_functions() {
        let mut a: FunctionEntry =
            serde_json::from_value(crate::sample::proved("m::a", 10, &["missed"])).unwrap();
        a.end_line = 13;
        let p = a.prove.as_mut().unwrap();
        for (line, replacement) in [(11, "<"), (12, ">=")] {
            let mut op = p.mutants[0].clone();
            op.genre = MutantGenre::BinaryOperator;
            op.name = format!("src/lib.rs:{line}:9: replace > with {replacement} in m::a");
            op.line = line;
            op.replacement = replacement.into();
            p.mutants.push(op);
        }
        let b: FunctionEntry =
            serde_json::from_value(crate::sample::proved("m::b", 20, &["missed"])).unwrap();
        let mut head = report(serde_json::json!([]));
        head.functions = vec![a, b];
        let changed = ChangedLines::from([("src/lib.rs".to_string(), BTreeSet::from([12]))]);
        let p = truth("main...HEAD".into(), &changed, &head, None);
        let found: Vec<(u32, &str, &str)> = p
            .survivors
            .iter()
            .map(|s| (s.line, s.function.as_str(), s.replacement.as_str()))
            .collect();
        assert_eq!(
            found,
            [(10, "m::a", "v0"), (12, "m::a", ">=")],
            "`a`'s value (its body holds line 12) and the operator of line 12; not line 11, \
             not `b`, which the change does not touch"
        );
    }

    #[test]
    fn malformed_diff_text_gives_no_lines_rather_than_a_panic() {
        for text in [
            "+++ b/x\n@@ -1 +zz @@\n",
            "+++ \"b/\\9\"\n@@ -0,0 +1 @@\n+x\n",
            "@@ -0,0 +1,4294967295 @@\n",
            "+++ b/x\n@@ -0,0 +4294967295,3 @@\n+a\n",
        ] {
            let changed = changed_lines(text);
            assert!(
                changed.values().all(|l| l.len() <= 3),
                "{text:?}: {changed:?}"
            );
        }
        assert!(changed_lines("+++ b/x\n@@ -1 +zz @@\n").is_empty());
    }
}
