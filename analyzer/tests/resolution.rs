//! What goes through the crate's code is decided by name resolution, not spelling (SPEC.md
//! "code under test"): crate types named like std's, crate trait methods on std types,
//! formatting, comparisons and layout of crate types, statics holding crate state; and the
//! accusations the other way (values built in the assertion, std-only results).

use truecov_analyzer::{scan_source, Config, TestCase, Verdict};
use Verdict::*;

/// A library whose names shadow std's, with a trait for std's `Vec`.
const LIB: &str = r#"
pub struct HashMap<K, V> { items: Vec<(K, V)> }
impl<K, V> HashMap<K, V> {
    pub fn new() -> Self { HashMap { items: Vec::new() } }
    pub fn insert(&mut self, k: K, v: V) -> Option<V> { self.items.push((k, v)); None }
    pub fn len(&self) -> usize { self.items.len() }
}
pub trait BufMut { fn put_u8(&mut self, b: u8); }
impl BufMut for Vec<u8> { fn put_u8(&mut self, b: u8) { self.push(b) } }
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub enum Month { January, February }
#[derive(Debug, Clone, Copy)]
pub enum Level { Low, High }
impl PartialEq for Level { fn eq(&self, _: &Level) -> bool { true } }
pub struct Slot(u8);
impl Slot {
    pub const fn with_value(v: u8) -> Slot { Slot(v) }
    pub fn get(&self) -> Option<u8> { Some(self.0) }
}
#[derive(Debug)]
pub struct Local;
#[derive(Debug)]
pub struct Json(pub u32);
macro_rules! json { ($e:expr) => { Json($e) }; }
pub struct Hex(pub u32);
impl std::fmt::LowerHex for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{:x}", self.0) }
}
"#;

/// Scans `tests` as the body of `mod tests { use super::*; .. }` under [`LIB`] (`head` goes
/// right after the `use`): each test's name, verdict and rules.
fn scan(head: &str, tests: &str) -> Vec<(String, Verdict, Vec<String>, Vec<String>)> {
    let src =
        format!("{LIB}\n#[cfg(test)]\nmod tests {{\n    use super::*;\n{head}\n{tests}\n}}\n");
    let scan =
        scan_source("src/lib.rs", &src, &Config::default()).unwrap_or_else(|w| panic!("{w}"));
    scan.tests.iter().map(summary).collect()
}

fn summary(t: &TestCase) -> (String, Verdict, Vec<String>, Vec<String>) {
    (
        t.name.trim_start_matches("tests::").to_string(),
        t.verdict,
        t.findings.iter().map(|f| f.rule.clone()).collect(),
        t.findings.iter().map(|f| f.message.clone()).collect(),
    )
}

#[track_caller]
fn expect(head: &str, test: &str, verdict: Verdict, rules: &[&str]) {
    let got = scan(head, test);
    assert_eq!(got.len(), 1, "one test in {test}");
    assert_eq!(
        got[0].1, verdict,
        "verdict of:\n{test}\nfindings: {:?}",
        got[0].3
    );
    assert_eq!(got[0].2, rules, "rules of:\n{test}");
}

#[test]
fn a_crate_type_named_like_std_is_the_crates() {
    let test = "#[test] fn insert() { let mut m = HashMap::new(); assert!(m.insert(1, 2).is_none()); assert_eq!(m.len(), 1); }";
    expect("", test, Meaningful, &[]);
    // The same test where the module names std's map instead.
    expect(
        "use std::collections::HashMap;",
        "#[test] fn insert() { let mut m = HashMap::new(); m.insert(1, 2); assert_eq!(m.len(), 1); }",
        Tautological,
        &["tautology/untouched"],
    );
    expect(
        "",
        "#[test] fn annotated() { let m: HashMap<u8, u8> = Default::default(); assert_eq!(m.len(), 0); }",
        Meaningful,
        &[],
    );
}

#[test]
fn a_crate_trait_method_changes_a_std_receiver() {
    let test = "#[test] fn put() { let mut buf = Vec::with_capacity(8); buf.put_u8(33); assert_eq!(b\"\\x21\", &buf[..]); }";
    expect("", test, Meaningful, &[]);
    expect(
        "",
        "#[test] fn push() { let mut buf = Vec::with_capacity(8); buf.push(33u8); assert_eq!(b\"\\x21\", &buf[..]); }",
        Tautological,
        &["tautology/untouched"],
    );
}

#[test]
fn formatting_ordering_and_layout_run_crate_code() {
    expect(
        "",
        "#[test] fn hex() { let value = Hex(0xC0DE); assert_eq!(\"c0de\", format!(\"{value:x}\")); }",
        Meaningful,
        &[],
    );
    expect(
        "",
        "#[test] fn unit() { let local = Local; assert_eq!(format!(\"{:?}\", local), \"Local\"); }",
        Meaningful,
        &[],
    );
    expect(
        "",
        "#[test] fn own_json() { assert_eq!(format!(\"{:?}\", json!(1)), \"Json(1)\"); }",
        Meaningful,
        &[],
    );
    expect(
        "",
        "#[test] fn plain() { let x = 5; assert_eq!(format!(\"{x}\"), \"5\"); }",
        Tautological,
        &["tautology/untouched"],
    );
    expect(
        "",
        "#[test] fn order() { assert!(Month::January < Month::February); }",
        Meaningful,
        &[],
    );
    // A derived equality of two unit variants cannot change; a written one can.
    expect(
        "",
        "#[test] fn differ() { assert_ne!(Month::January, Month::February); }",
        Tautological,
        &["tautology/constant"],
    );
    expect(
        "",
        "#[test] fn levels() { assert_ne!(Level::Low, Level::High); }",
        Meaningful,
        &[],
    );
    expect(
        "",
        "#[test] fn layout() { assert!(std::mem::size_of::<Slot>() <= 8); }",
        Meaningful,
        &[],
    );
    // arrayvec's `test_compact_size`: an alias written in the test body names a crate type.
    expect(
        "",
        "#[test] fn alias_layout() { type Bytes = HashMap<u8, u8>; assert!(std::mem::size_of::<Bytes>() <= 32); }",
        Meaningful,
        &[],
    );
    expect(
        "",
        "#[test] fn std_alias_layout() { type Word = u64; assert_eq!(std::mem::size_of::<Word>(), 8); }",
        Tautological,
        &["tautology/constant"],
    );
    expect(
        "",
        "#[test] fn std_layout() { assert_eq!(std::mem::size_of::<u64>(), 8); }",
        Tautological,
        &["tautology/constant"],
    );
}

#[test]
fn statics_hold_crate_state_and_consts_stay_constants() {
    expect(
        "",
        "#[test] fn cell() { static CELL: Slot = Slot::with_value(12); assert_eq!(CELL.get(), Some(12)); }",
        Meaningful,
        &[],
    );
    expect(
        "",
        "#[test] fn limit() { const N: u8 = 3; assert_eq!(N, 3); }",
        Tautological,
        &["tautology/constant"],
    );
}

#[test]
fn values_built_to_pass_are_tautologies() {
    expect(
        "",
        "#[test] fn wrapped() { assert!(Some(HashMap::<u8, u8>::new()).is_some()); }",
        Tautological,
        &["tautology/always-true"],
    );
    // arrayvec's `test_still_works_with_option_arrayvec`: the `Some` is built in a `let`.
    expect(
        "",
        "#[test] fn bound() { let m = Some(HashMap::<u8, u8>::new()); assert!(m.is_some()); }",
        Tautological,
        &["tautology/always-true"],
    );
    expect(
        "",
        "#[test] fn taken() { let mut m = Some(HashMap::<u8, u8>::new()); m.take(); assert!(m.is_some()); }",
        Smoke,
        &["test/smoke-only"],
    );
    expect(
        "",
        "#[test] fn std_parse() { let r: Result<u8, _> = \"x\".parse::<u8>(); assert!(r.is_err()); }",
        Tautological,
        &["tautology/untouched"],
    );
    expect(
        "",
        "#[test] fn std_map() { let v: Vec<u32> = vec![1, 2].iter().map(|x| x * 2).collect(); assert_eq!(v, vec![2, 4]); }",
        Tautological,
        &["tautology/untouched"],
    );
}

#[test]
fn a_test_tautological_through_its_helper_carries_the_helpers_finding() {
    let got = scan(
        "fn check() { let x = 5; assert_eq!(x, 5); }",
        "#[test] fn via() { check(); }",
    );
    assert_eq!(got[0].1, Tautological);
    assert_eq!(got[0].2, ["tautology/untouched"]);
    assert!(got[0].3[0].contains("in `check`"), "{:?}", got[0].3);
}
