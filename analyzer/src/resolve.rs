//! Joins each test's own checks with the checks of the helpers and local macros it calls
//! (transitively, across the package's test code, cycles included) into its verdict and
//! findings.

use crate::body::{tautology_message, BodyFacts, Check};
use crate::collect::{Helper, RawTest};
use std::collections::HashMap;
use truecov_model::{rules, Finding, Oracle, OracleKind, TestCase, Verdict};

/// Strength of the checks of a body: 0 none, 1 tautological, 2 smoke, 3 meaningful; and
/// whether a meaningful check observes a failure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Strength {
    level: u8,
    error: bool,
}

impl Strength {
    fn of_kind(kind: OracleKind) -> Strength {
        match kind {
            OracleKind::Tautological => Strength {
                level: 1,
                error: false,
            },
            OracleKind::Smoke => Strength {
                level: 2,
                error: false,
            },
            OracleKind::Meaningful => Strength {
                level: 3,
                error: false,
            },
            OracleKind::ErrorObserving => Strength {
                level: 3,
                error: true,
            },
        }
    }

    fn join(self, other: Strength) -> Strength {
        Strength {
            level: self.level.max(other.level),
            error: self.error || other.error,
        }
    }

    fn of_facts(facts: &BodyFacts) -> Strength {
        facts
            .checks
            .iter()
            .map(|c| Strength::of_kind(c.kind))
            .fold(Strength::default(), Strength::join)
    }

    fn kind(self) -> Option<OracleKind> {
        match (self.level, self.error) {
            (0, _) => None,
            (1, _) => Some(OracleKind::Tautological),
            (2, _) => Some(OracleKind::Smoke),
            (_, true) => Some(OracleKind::ErrorObserving),
            _ => Some(OracleKind::Meaningful),
        }
    }

    fn verdict(self) -> Verdict {
        match self.level {
            0 => Verdict::AssertionFree,
            1 => Verdict::Tautological,
            2 => Verdict::Smoke,
            _ => Verdict::Meaningful,
        }
    }
}

/// Settles the checks that depend on the whole package: a `>= 0` on a call to a function
/// that returns an unsigned integer is always true; an assertion-like macro that is a local
/// `macro_rules!` is judged by its body (through the macro table) instead of its arguments.
pub(crate) fn settle_checks(facts: &mut BodyFacts, unsigned_fns: &[String], macros: &[Helper]) {
    facts.checks.retain(|c| {
        c.via_macro
            .as_ref()
            .is_none_or(|m| !macros.iter().any(|h| &h.name == m))
    });
    for c in &mut facts.checks {
        let always_true = c
            .unsigned_callee
            .as_ref()
            .is_some_and(|f| unsigned_fns.binary_search(f).is_ok());
        if always_true && c.kind != OracleKind::Tautological {
            c.kind = OracleKind::Tautological;
            c.rule = Some(rules::ALWAYS_TRUE);
        }
    }
}

/// Why a test has no oracle, and what its cfg'd-off parts are when it has some (an
/// `assert!` under `#[cfg(miri)]` is not compiled in the build the scan stands for).
fn no_oracle_message(raw: &RawTest) -> String {
    let reason = no_oracle_reason(&raw.facts);
    if raw.compiled_out.is_empty() {
        return reason.to_string();
    }
    let cfgs: Vec<String> = raw
        .compiled_out
        .iter()
        .map(|c| format!("`#[cfg({c})]`"))
        .collect();
    format!(
        "{reason} (code under {} is not compiled in this build)",
        cfgs.join(", ")
    )
}

/// Why a test has no oracle, in a few words that say what its body does.
fn no_oracle_reason(facts: &BodyFacts) -> &'static str {
    let calls = !(facts.calls.is_empty() && facts.methods.is_empty() && facts.macros.is_empty());
    if facts.ends_process {
        "ends the process (`exit`/`abort`) instead of failing: nothing is checked"
    } else if facts.unfinished {
        "unfinished (`todo!`/`unimplemented!`): nothing is checked"
    } else if facts.prints {
        "only prints: nothing checks the output"
    } else if !facts.discarded.is_empty() {
        "result dropped: nothing checks what the code returned"
    } else if facts.compile_time && !calls {
        "only compile-time checks: nothing is checked when it runs"
    } else if !facts.runs && facts.declares {
        "only declares items and types: nothing runs and nothing is checked"
    } else if !facts.runs {
        "empty body: it runs nothing and checks nothing"
    } else if !calls {
        "only builds values: nothing checks them"
    } else {
        "no oracle: it runs code and checks nothing about it"
    }
}

/// Helpers and macros of one package with their transitive strengths.
pub(crate) struct HelperTable<'a> {
    helpers: &'a [Helper],
    macros: &'a [Helper],
    by_fn: HashMap<&'a str, Vec<usize>>,
    by_macro: HashMap<&'a str, Vec<usize>>,
    /// Methods of test-defined trait impls, by implementing type.
    by_mock: HashMap<&'a str, Vec<usize>>,
    /// `(target, type)` of each `#[global_allocator]` in test code.
    allocators: &'a [(String, String)],
    strength: Vec<Strength>,
}

impl<'a> HelperTable<'a> {
    /// Builds the table and computes every helper's strength to a fixpoint.
    pub(crate) fn new(
        helpers: &'a [Helper],
        macros: &'a [Helper],
        allocators: &'a [(String, String)],
    ) -> Self {
        let mut by_fn: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_mock: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, h) in helpers.iter().enumerate() {
            // A mock's methods are reached through its type only: `buf.put(..)` on another
            // value calls the library's trait method, not the mock's.
            match &h.mock {
                Some(m) => by_mock.entry(m.ty.as_str()).or_default().push(i),
                None => by_fn.entry(h.name.as_str()).or_default().push(i),
            }
        }
        let mut by_macro: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, m) in macros.iter().enumerate() {
            by_macro
                .entry(m.name.as_str())
                .or_default()
                .push(helpers.len() + i);
        }
        let mut table = HelperTable {
            helpers,
            macros,
            by_fn,
            by_macro,
            by_mock,
            allocators,
            strength: helpers
                .iter()
                .chain(macros)
                .map(|h| Strength::of_facts(&h.facts))
                .collect(),
        };
        let node_count = table.strength.len();
        for _ in 0..=node_count {
            let mut changed = false;
            for i in 0..node_count {
                let node = table.node(i);
                let s = table
                    .callees(&node.facts, &node.file, &node.target)
                    .into_iter()
                    .fold(table.strength[i], |acc, j| {
                        acc.join(table.call_strength(j, &node.facts))
                    });
                if s != table.strength[i] {
                    table.strength[i] = s;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        table
    }

    fn node(&self, i: usize) -> &'a Helper {
        if i < self.helpers.len() {
            &self.helpers[i]
        } else {
            &self.macros[i - self.helpers.len()]
        }
    }

    /// Strength a call contributes: a `bool` property function passed as a value
    /// (`quickcheck(prop as fn(..) -> bool)`) adds the check its result is.
    fn call_strength(&self, j: usize, facts: &BodyFacts) -> Strength {
        let h = self.node(j);
        let s = self.strength[j];
        match &h.facts.tail_oracle {
            Some(c) if facts.fn_values.iter().any(|v| v == &h.name) => {
                s.join(Strength::of_kind(c.kind))
            }
            _ => s,
        }
    }

    /// Helpers and macros a body calls: a name defined in the caller's own file wins, then
    /// one of the caller's target (test modules and included files), then test-support crates.
    /// A method call reaches methods only; a test-defined type with trait impls (a mock)
    /// reaches their methods where the body names it, and a `#[global_allocator]`'s wherever
    /// the body runs code.
    fn callees(&self, facts: &BodyFacts, file: &str, target: &str) -> Vec<usize> {
        let pick = |ids: &Vec<usize>| -> Vec<usize> {
            let scopes: [&dyn Fn(&Helper) -> bool; 3] =
                [&|h| h.file == file, &|h| h.target == target, &|h| {
                    h.target.is_empty()
                }];
            scopes
                .iter()
                .map(|in_scope| {
                    ids.iter()
                        .copied()
                        .filter(|&i| in_scope(self.node(i)))
                        .collect::<Vec<usize>>()
                })
                .find(|v| !v.is_empty())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        let reach = |name: &str, owner: &dyn Fn(Option<&str>) -> bool| -> Vec<usize> {
            let ids: Vec<usize> = self.by_fn.get(name).map_or_else(Vec::new, |ids| {
                ids.iter()
                    .copied()
                    .filter(|&i| owner(self.helpers[i].owner.as_deref()))
                    .collect()
            });
            pick(&ids)
        };
        for call in facts.calls.iter().chain(&facts.fn_values) {
            out.extend(match call.rsplit_once("::") {
                Some((ty, name)) => reach(name, &|o| o == Some(ty)),
                None => reach(call, &|_| true),
            });
        }
        for name in &facts.methods {
            out.extend(reach(name, &|o| o.is_some()));
        }
        let runs_code = !(facts.calls.is_empty() && facts.methods.is_empty());
        let allocators = self
            .allocators
            .iter()
            .filter(|(t, _)| runs_code && t == target)
            .map(|(_, ty)| ty);
        for ty in facts.types.iter().chain(allocators) {
            if let Some(ids) = self.by_mock.get(ty.as_str()) {
                out.extend(pick(ids));
            }
        }
        for name in &facts.macros {
            if let Some(ids) = self.by_macro.get(name.as_str()) {
                out.extend(pick(ids));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The first tautology a tautological helper or macro makes, followed through the
    /// tautological helpers it calls: its rule and a message naming where it is. `caller` is
    /// the body that reaches it: a property it passes as a value (`quickcheck(prop as fn(..)
    /// -> bool)`) makes the tautology the property's result is.
    fn tautology_of(
        &self,
        i: usize,
        caller: &BodyFacts,
        seen: &mut Vec<usize>,
    ) -> Option<(&'static str, String)> {
        if seen.contains(&i) {
            return None;
        }
        let h = self.node(i);
        let finding = |c: &Check| {
            let rule = c.rule?;
            let why = tautology_message(rule, &c.what, c.dependency.as_deref());
            Some((
                rule,
                format!("in `{}` ({}:{}): {why}", h.name, h.file, c.line),
            ))
        };
        let passed = caller.fn_values.iter().any(|v| v == &h.name);
        if let Some(found) = h
            .facts
            .tail_oracle
            .iter()
            .filter(|_| passed)
            .find_map(finding)
        {
            return Some(found);
        }
        if self.strength[i].level != 1 {
            return None;
        }
        seen.push(i);
        h.facts.checks.iter().find_map(finding).or_else(|| {
            self.callees(&h.facts, &h.file, &h.target)
                .into_iter()
                .find_map(|j| self.tautology_of(j, &h.facts, seen))
        })
    }

    /// Builds the test cases of one test function.
    pub(crate) fn test_cases(&self, package: &str, target: &str, raw: &RawTest) -> Vec<TestCase> {
        let own = Strength::of_facts(&raw.facts);
        let callees = self.callees(&raw.facts, &raw.file, target);
        let via = callees.iter().fold(Strength::default(), |acc, &j| {
            acc.join(self.call_strength(j, &raw.facts))
        });
        let mut oracles: Vec<Oracle> = raw
            .facts
            .checks
            .iter()
            .map(|c| Oracle {
                kind: c.kind,
                line: c.line,
                file: raw.file.clone(),
                what: c.what.clone(),
            })
            .collect();
        for &j in &callees {
            if let Some(kind) = self.call_strength(j, &raw.facts).kind() {
                let h = self.node(j);
                let what = match &h.mock {
                    _ if j >= self.helpers.len() => format!("via macro `{}!`", h.name),
                    Some(m) => format!("via `{}` of `impl {} for {}`", h.name, m.tr, m.ty),
                    None => format!("via helper `{}`", h.name),
                };
                oracles.push(Oracle {
                    kind,
                    line: h.line,
                    file: h.file.clone(),
                    what,
                });
            }
        }
        let mut base_findings: Vec<Finding> = raw
            .facts
            .checks
            .iter()
            .filter_map(|c| {
                c.rule.map(|rule| Finding {
                    rule: rule.to_string(),
                    line: c.line,
                    message: tautology_message(rule, &c.what, c.dependency.as_deref()),
                })
            })
            .collect();
        // A test judged tautological through its helpers carries the helper's finding.
        if own.join(via).level == 1 && base_findings.is_empty() {
            let mut seen = Vec::new();
            base_findings.extend(callees.iter().find_map(|&j| {
                let (rule, message) = self.tautology_of(j, &raw.facts, &mut seen)?;
                // On the line that calls the helper, else on the test's.
                let name = &self.node(j).name;
                let line = raw
                    .facts
                    .call_lines
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(raw.line, |&(_, l)| l);
                Some(Finding {
                    rule: rule.to_string(),
                    line,
                    message,
                })
            }));
        }
        base_findings.extend(raw.facts.sleeps.iter().map(|&line| {
            Finding {
                rule: rules::SLEEP.to_string(),
                line,
                message: "thread::sleep in a test: slow and flaky; wait for the condition instead"
                    .to_string(),
            }
        }));
        raw.rows
            .iter()
            .map(|(name, row)| {
                let mut s = own.join(via);
                if row.should_panic {
                    s = s.join(Strength { level: 3, error: true });
                }
                if row.has_expectation {
                    s = s.join(Strength { level: 3, error: false });
                }
                let verdict = s.verdict();
                let mut findings = base_findings.clone();
                if row.ignored {
                    findings.push(Finding {
                        rule: rules::IGNORED.to_string(),
                        line: raw.line,
                        message: "#[ignore]d: not run by default".to_string(),
                    });
                }
                match verdict {
                    Verdict::AssertionFree => findings.push(Finding {
                        rule: rules::NO_ORACLE.to_string(),
                        line: raw.line,
                        message: no_oracle_message(raw),
                    }),
                    Verdict::Smoke => findings.push(Finding {
                        rule: rules::SMOKE_ONLY.to_string(),
                        line: raw.line,
                        message: "only checks that nothing failed (`unwrap`, `?`, `is_ok`), not the values"
                            .to_string(),
                    }),
                    _ => {}
                }
                findings.sort_by(|a, b| (a.line, &a.rule).cmp(&(b.line, &b.rule)));
                let mut test_oracles = oracles.clone();
                if row.should_panic {
                    test_oracles.push(Oracle {
                        kind: OracleKind::ErrorObserving,
                        line: raw.line,
                        file: raw.file.clone(),
                        what: "#[should_panic]".to_string(),
                    });
                }
                if row.has_expectation {
                    test_oracles.push(Oracle {
                        kind: OracleKind::Meaningful,
                        line: raw.line,
                        file: raw.file.clone(),
                        what: "#[test_case(.. => expected)]".to_string(),
                    });
                }
                TestCase {
                    package: package.to_string(),
                    target: target.to_string(),
                    name: name.clone(),
                    file: raw.file.clone(),
                    line: raw.line,
                    verdict,
                    ignored: row.ignored,
                    should_panic: row.should_panic,
                    observes_errors: verdict == Verdict::Meaningful && s.error,
                    findings,
                    oracles: test_oracles,
                    cfg_off: raw.cfg_off.clone(),
                }
            })
            .collect()
    }
}
