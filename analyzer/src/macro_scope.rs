//! Which `macro_rules!` definition an invocation names, across the files of a crate and from
//! the other crates of the workspace, as rustc resolves it:
//!
//! * textual scope: a definition is visible after it in its module and the modules declared
//!   after it there; `#[macro_use]` on a `mod` item keeps the macros of that module (and of
//!   its `#[macro_use]` children) visible after the `mod` item in the parent, and so on up;
//! * `#[macro_export]`: `crate::name!`, `$crate::name!` and plain `name!` in the crate,
//!   `the_crate::name!` (or plain `name!` after `#[macro_use] extern crate`) in the package's
//!   other targets and the workspace's other crates, unless the definition is test-only;
//! * definitions whose `cfg` does not hold in the build are not there (`#[cfg(miri)]`
//!   alternatives).
//!
//! Definitions are plain data (their rules as token text), so they cross threads: the scan
//! collects them from every file first, then expands invocations with the whole table.

use std::collections::{HashMap, HashSet};

/// One step from a crate root down to a module or a function body: the index of the item that
/// opens it in its parent, and whether that item carries `#[macro_use]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScopeStep {
    /// Index of the opening item among its parent's items.
    pub index: u32,
    /// The item is a `mod` with `#[macro_use]`.
    pub macro_use: bool,
}

/// Where an item sits in its crate, in textual order: the steps to its module and its index
/// among the module's items.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    /// Steps from the crate root to the item's module.
    pub scope: Vec<ScopeStep>,
    /// Index of the item in its module.
    pub index: u32,
}

impl Position {
    fn key(&self) -> impl Iterator<Item = u32> + '_ {
        self.scope
            .iter()
            .map(|s| s.index)
            .chain(std::iter::once(self.index))
    }

    /// Whether a definition here is in textual scope at `at`: `at` comes after it, inside the
    /// module it escapes to through `#[macro_use]` modules.
    fn reaches(&self, at: &Position) -> bool {
        let escape = self.scope.iter().rev().take_while(|s| s.macro_use).count();
        let base = self.scope.len() - escape;
        let inside = at.scope.len() >= base
            && self.scope[..base]
                .iter()
                .zip(&at.scope)
                .all(|(a, b)| a.index == b.index);
        inside && at.key().cmp(self.key()).is_gt()
    }
}

/// A `macro_rules!` definition as plain data.
#[derive(Clone, Debug)]
pub(crate) struct MacroDef {
    /// Its name.
    pub name: String,
    /// The tokens of its rules, as text.
    pub rules: String,
    /// Where it is defined.
    pub at: Position,
    /// `#[macro_export]`.
    pub exported: bool,
    /// Its `cfg`s hold in the build of its own crate's tests.
    pub enabled: bool,
    /// Defined in test code (`#[cfg(test)]`): other crates never see it.
    pub test_only: bool,
    /// Some rule writes a test function itself.
    pub writes_tests: bool,
    /// Names of the macros its rules invoke.
    pub calls: Vec<String>,
}

/// Macros that write tests whatever crate they are called from.
const TEST_WRITING_MACROS: [&str; 2] = ["proptest", "quickcheck"];

/// Whether the scan reads what `name!` writes itself (`proptest!`, `quickcheck!`).
pub(crate) fn is_test_writer(name: &str) -> bool {
    TEST_WRITING_MACROS.contains(&name)
}

/// The macro definitions of every crate of a scan, by crate.
#[derive(Debug, Default)]
pub(crate) struct MacroTable {
    /// Definitions of each crate (a package's target), in no particular order.
    crates: HashMap<(usize, usize), Vec<MacroDef>>,
    /// Library crates by the name code uses for them.
    libs: HashMap<String, (usize, usize)>,
    /// Names of macros that write tests, directly or through the macros they call.
    test_writers: HashSet<String>,
}

impl MacroTable {
    /// A table of `defs` by crate (package, target); `libs` names the library crates.
    pub(crate) fn new(
        defs: impl IntoIterator<Item = ((usize, usize), MacroDef)>,
        libs: impl IntoIterator<Item = (String, (usize, usize))>,
    ) -> MacroTable {
        let mut crates: HashMap<(usize, usize), Vec<MacroDef>> = HashMap::new();
        for (krate, def) in defs {
            crates.entry(krate).or_default().push(def);
        }
        let all: Vec<&MacroDef> = crates.values().flatten().filter(|d| d.enabled).collect();
        let mut test_writers: HashSet<String> = TEST_WRITING_MACROS.map(String::from).into();
        // A name writes tests when one of its definitions does or calls one that does; each
        // round adds a name or ends, so this stops.
        loop {
            let before = test_writers.len();
            for d in &all {
                if d.writes_tests || d.calls.iter().any(|c| test_writers.contains(c)) {
                    test_writers.insert(d.name.clone());
                }
            }
            if test_writers.len() == before {
                break;
            }
        }
        MacroTable {
            crates,
            libs: libs.into_iter().collect(),
            test_writers,
        }
    }

    /// Whether some definition named `name` may write tests.
    pub(crate) fn writes_tests(&self, name: &str) -> bool {
        self.test_writers.contains(name) && !TEST_WRITING_MACROS.contains(&name)
    }

    /// The definition an invocation of `path` at `at` in crate `krate` names, if it is a
    /// `macro_rules!` of the workspace that writes tests.
    pub(crate) fn resolve(
        &self,
        krate: (usize, usize),
        path: &[String],
        at: &Position,
    ) -> Option<&MacroDef> {
        let def = match path {
            [name] => self
                .textual(krate, name, at)
                .or_else(|| self.exported(krate, name))
                .or_else(|| {
                    let mut libs: Vec<_> = self.libs.values().filter(|&&k| k != krate).collect();
                    libs.sort();
                    libs.into_iter()
                        .find_map(|&lib| self.exported_from(lib, krate, name))
                }),
            [first, name] if first == "crate" => self.exported(krate, name),
            [first, name] => {
                let lib = *self.libs.get(first.as_str())?;
                self.exported_from(lib, krate, name)
            }
            _ => None,
        }?;
        self.writes_tests(&def.name).then_some(def)
    }

    /// The last definition of `name` before `at` whose textual scope reaches it.
    fn textual(&self, krate: (usize, usize), name: &str, at: &Position) -> Option<&MacroDef> {
        self.crates
            .get(&krate)?
            .iter()
            .filter(|d| d.enabled && d.name == name && d.at.reaches(at))
            .max_by(|a, b| a.at.key().cmp(b.at.key()))
    }

    /// The exported definition of `name` in the crate itself (the last one in textual order).
    fn exported(&self, krate: (usize, usize), name: &str) -> Option<&MacroDef> {
        self.crates
            .get(&krate)?
            .iter()
            .filter(|d| d.enabled && d.exported && d.name == name)
            .max_by(|a, b| a.at.key().cmp(b.at.key()))
    }

    /// The exported definition of `name` in library `lib`, as crate `from` sees it.
    fn exported_from(
        &self,
        lib: (usize, usize),
        from: (usize, usize),
        name: &str,
    ) -> Option<&MacroDef> {
        if lib == from {
            return self.exported(lib, name);
        }
        self.crates
            .get(&lib)?
            .iter()
            .filter(|d| d.enabled && !d.test_only && d.exported && d.name == name)
            .max_by(|a, b| a.at.key().cmp(b.at.key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(index: u32, macro_use: bool) -> ScopeStep {
        ScopeStep { index, macro_use }
    }

    fn def(name: &str, scope: Vec<ScopeStep>, index: u32) -> MacroDef {
        MacroDef {
            name: name.into(),
            rules: String::new(),
            at: Position { scope, index },
            exported: false,
            enabled: true,
            test_only: false,
            writes_tests: true,
            calls: Vec::new(),
        }
    }

    fn at(scope: &[u32], index: u32) -> Position {
        Position {
            scope: scope.iter().map(|&i| step(i, false)).collect(),
            index,
        }
    }

    const LIB: (usize, usize) = (0, 0);
    const TESTS: (usize, usize) = (0, 1);

    #[test]
    fn macro_use_modules_keep_their_macros_visible_after_them_in_the_parent() {
        // lib.rs: item 3 `#[macro_use] mod tests;`, in it item 0 `#[macro_use] mod prop;`
        // defining `m` at item 2; `mod plain;` (item 1) defines `p` at item 0.
        let m = def("m", vec![step(3, true), step(0, true)], 2);
        let p = def("p", vec![step(1, false)], 0);
        let table = MacroTable::new([(LIB, m), (LIB, p)], []);
        let path = |n: &str| vec![n.to_string()];
        assert!(
            table.resolve(LIB, &path("m"), &at(&[5, 0], 4)).is_some(),
            "a later module"
        );
        assert!(
            table.resolve(LIB, &path("m"), &at(&[3, 1], 0)).is_some(),
            "a later sibling"
        );
        assert!(
            table.resolve(LIB, &path("m"), &at(&[2], 0)).is_none(),
            "an earlier module"
        );
        assert!(
            table.resolve(LIB, &path("m"), &at(&[3, 0], 1)).is_none(),
            "before it"
        );
        assert!(
            table.resolve(LIB, &path("p"), &at(&[1], 3)).is_some(),
            "its own module"
        );
        assert!(
            table.resolve(LIB, &path("p"), &at(&[4], 0)).is_none(),
            "no macro_use"
        );
        assert!(
            table.resolve(TESTS, &path("m"), &at(&[], 9)).is_none(),
            "another crate"
        );
    }

    #[test]
    fn exported_macros_are_reached_by_path_and_from_other_crates_unless_test_only() {
        let mut m = def("m", vec![step(7, false)], 0);
        m.exported = true;
        let mut t = def("t", vec![step(8, false)], 0);
        t.exported = true;
        t.test_only = true;
        let table = MacroTable::new([(LIB, m), (LIB, t)], [("krate".to_string(), LIB)]);
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let early = at(&[0], 0);
        assert!(table.resolve(LIB, &path(&["crate", "m"]), &early).is_some());
        assert!(table.resolve(LIB, &path(&["m"]), &early).is_some());
        assert!(
            table.resolve(LIB, &path(&["t"]), &early).is_some(),
            "its own tests see it"
        );
        assert!(table
            .resolve(TESTS, &path(&["krate", "m"]), &early)
            .is_some());
        assert!(
            table.resolve(TESTS, &path(&["m"]), &early).is_some(),
            "macro_use extern crate"
        );
        assert!(table
            .resolve(TESTS, &path(&["krate", "t"]), &early)
            .is_none());
        assert!(table
            .resolve(TESTS, &path(&["other", "m"]), &early)
            .is_none());
        assert!(table
            .resolve(LIB, &path(&["a", "b", "m"]), &early)
            .is_none());
    }

    #[test]
    fn disabled_alternatives_are_skipped_and_callers_of_test_writers_write_tests() {
        let mut miri = def("q", vec![], 0);
        miri.enabled = false;
        miri.rules = "miri".into();
        let mut real = def("q", vec![], 1);
        real.writes_tests = false;
        real.calls = vec!["quickcheck".into()];
        let mut outer = def("outer", vec![], 2);
        outer.writes_tests = false;
        outer.calls = vec!["q".into(), "outer".into()];
        let mut plain = def("plain", vec![], 3);
        plain.writes_tests = false;
        plain.calls = vec!["plain".into()];
        let table = MacroTable::new([(LIB, miri), (LIB, real), (LIB, outer), (LIB, plain)], []);
        let found = table.resolve(LIB, &["q".to_string()], &at(&[], 5)).unwrap();
        assert_eq!(found.at.index, 1);
        assert!(table.writes_tests("outer"));
        assert!(
            !table.writes_tests("plain"),
            "a macro calling only itself writes nothing"
        );
        assert!(table
            .resolve(LIB, &["plain".to_string()], &at(&[], 5))
            .is_none());
        assert!(
            !table.writes_tests("quickcheck"),
            "the scan reads quickcheck! itself"
        );
    }
}
