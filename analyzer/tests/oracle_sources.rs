//! Oracles that live outside the test body's own asserts: assertion crates of the catalogue,
//! trybuild, mocks and `#[global_allocator]`s, helpers reached by turbofish or owner type,
//! and membership checks. Each case is checked against the verdict SPEC.md gives.

use truecov_analyzer::{scan_source, Config, TestCase, Verdict};

const LIB: &str = r#"
pub trait Sink { fn put(&mut self, b: u8); fn put_all(&mut self, bs: &[u8]) { for &b in bs { self.put(b) } } }
pub fn copy_into(data: &[u8], sink: &mut impl Sink) { sink.put_all(data) }
pub struct Map { keys: Vec<u32> }
impl Map {
    pub fn new() -> Self { Map { keys: Vec::new() } }
    pub fn insert(&mut self, k: u32) { self.keys.push(k) }
    pub fn get(&self, k: u32) -> Option<&u32> { self.keys.iter().find(|x| **x == k) }
    pub fn scaled(&self, f: u32) -> Vec<u32> { self.keys.iter().map(|k| k * f).collect() }
}
"#;

fn scan_with(tests: &str, config: &Config) -> Vec<TestCase> {
    let src = format!("{LIB}\n#[cfg(test)]\nmod tests {{\n    use super::*;\n{tests}\n}}\n");
    scan_source("src/lib.rs", &src, config)
        .unwrap_or_else(|w| panic!("{w}"))
        .tests
}

#[track_caller]
fn verdict(name: &str, tests: &str) -> Verdict {
    test(name, tests, &Config::default()).verdict
}

#[track_caller]
fn test(name: &str, tests: &str, config: &Config) -> TestCase {
    scan_with(tests, config)
        .into_iter()
        .find(|t| t.name == format!("tests::{name}"))
        .unwrap_or_else(|| panic!("no test {name} in:\n{tests}"))
}

use Verdict::*;

#[test]
fn catalogued_functions_compare_their_arguments() {
    let src = r#"
        #[test] fn sorted() { let mut m = Map::new(); m.insert(2); itertools::assert_equal(m.scaled(2), vec![4]); }
        #[test] fn literals() { itertools::assert_equal(vec![1], vec![1]); }
        #[test] fn tokens() { let mut m = Map::new(); m.insert(1); serde_test::assert_tokens(&m, &[]); }
        #[test] fn mine() { my::assert_equal(1, 2); }
    "#;
    assert_eq!(verdict("sorted", src), Meaningful);
    assert_eq!(verdict("literals", src), Tautological);
    assert_eq!(verdict("tokens", src), Meaningful);
    assert_eq!(verdict("mine", src), AssertionFree);
}

#[test]
fn catalogued_macros_and_compile_time_checks() {
    let src = r#"
        #[test] fn relative() { let m = Map::new(); assert_relative_eq!(m.scaled(1).len() as f64, 0.0); }
        #[test] fn ulps_ne() { let m = Map::new(); assert_ulps_ne!(m.scaled(2).len() as f64, 1.0); }
        #[test] fn float_cmp_consts() { assert_approx_eq!(f64, 1.5, 1.5, ulps = 2); }
        #[test] fn some_is_smoke() { let m = Map::new(); assert_some!(m.scaled(1).first()); }
        #[test] fn none_observes() { let m = Map::new(); assert_none!(m.get(1)); }
        #[test] fn static_only() { const_assert!(1 + 1 == 2); assert_impl_all!(Map: Send); }
    "#;
    assert_eq!(verdict("relative", src), Meaningful);
    assert_eq!(verdict("ulps_ne", src), Meaningful);
    assert_eq!(verdict("float_cmp_consts", src), Tautological);
    assert_eq!(verdict("some_is_smoke", src), Smoke);
    let none = test("none_observes", src, &Config::default());
    assert!(none.observes_errors, "{none:?}");
    let ct = test("static_only", src, &Config::default());
    assert_eq!(ct.verdict, AssertionFree);
    assert!(ct.findings[0].message.contains("compile-time"), "{ct:?}");
}

#[test]
fn trybuild_cases_are_oracles() {
    let src = r#"
        #[test] fn ui() { let t = trybuild::TestCases::new(); t.compile_fail("tests/ui/*.rs"); }
        #[test] fn ui_pass() { trybuild::TestCases::new().pass("tests/pass/*.rs"); }
        #[test] fn other_pass() { let m = Map::new(); m.pass(1); }
    "#;
    assert_eq!(verdict("ui", src), Meaningful);
    assert_eq!(verdict("ui_pass", src), Meaningful);
    assert_eq!(verdict("other_pass", src), AssertionFree);
}

/// tokio-util's `retry_on_io_interrupted`: the mock panics on IO other than its script.
#[test]
fn tokio_test_io_mocks_are_oracles() {
    let src = r#"
        #[test] fn scripted() { let mut m = Map::new(); let mock = tokio_test::io::Builder::new().write(b"a").build(); m.insert(1); drop(mock); }
        #[test] fn imported() { use tokio_test::io::Builder; let io = Builder::new().read(b"x").build(); Map::new().insert(io.len()); }
        #[test] fn runtime() { let rt = tokio::runtime::Builder::new_current_thread().build().unwrap(); rt.block_on(async { Map::new().insert(1) }); }
    "#;
    assert_eq!(verdict("scripted", src), Meaningful);
    assert_eq!(verdict("imported", src), Meaningful);
    assert_ne!(
        verdict("runtime", src),
        Meaningful,
        "tokio's runtime Builder is no mock"
    );
}

/// thiserror's `test_explicit_source`: the downcast fails on a source of another type.
#[test]
fn a_downcast_of_the_crates_answer_checks_its_type() {
    let src = r#"
        #[test] fn typed() { let m = Map::new(); let any: &dyn std::any::Any = m.get(1).unwrap(); any.downcast_ref::<u32>().unwrap(); }
        #[test] fn present() { let m = Map::new(); assert!(m.get(1).unwrap().downcast_ref::<u32>().is_some()); }
        #[test] fn plain() { let m = Map::new(); m.get(1).unwrap(); }
    "#;
    assert_eq!(verdict("typed", src), Meaningful);
    assert_eq!(verdict("present", src), Meaningful);
    assert_eq!(verdict("plain", src), Smoke);
}

/// thiserror's `test_backtrace`: std's provider API asks the crate's error for a member;
/// `None` is a wrong answer of the crate's `provide`, not a failure.
#[test]
fn a_request_of_a_provided_member_is_a_lookup() {
    let src = r#"
        #[test] fn provided() { let m = Map::new(); assert!(core::error::request_ref::<u32>(&m).is_some()); }
        #[test] fn built() { let m = Map::new(); assert!(Some(m.scaled(2)).is_some()); }
        #[test] fn returned() { let m = Map::new(); assert!(std::convert::identity(m.get(1)).is_some()); }
    "#;
    assert_eq!(verdict("provided", src), Meaningful);
    assert_ne!(
        verdict("built", src),
        Meaningful,
        "a Some built in the assertion"
    );
    assert_eq!(
        verdict("returned", src),
        Smoke,
        "only the provider API's names are lookups"
    );
}

#[test]
fn quickcheck_test_results_fail_where_returned() {
    let src = r#"
        #[test] fn prop() -> quickcheck::TestResult { let m = Map::new(); if m.get(1).is_some() { return quickcheck::TestResult::failed(); } quickcheck::TestResult::passed() }
    "#;
    let t = test("prop", src, &Config::default());
    assert_eq!(t.verdict, Meaningful, "{t:?}");
}

#[test]
fn configured_assertion_functions_count() {
    let config = Config {
        assert_functions: vec!["my_crate::verify_all".into()],
        ..Config::default()
    };
    let src = r#"#[test] fn checked() { let m = Map::new(); my_crate::verify_all(&m); }"#;
    assert_eq!(test("checked", src, &config).verdict, Meaningful);
    assert_eq!(verdict("checked", src), AssertionFree);
}

#[test]
fn mocks_handed_to_the_code_carry_their_oracles() {
    let src = r#"
        struct BulkOnly;
        impl Sink for BulkOnly {
            fn put(&mut self, _: u8) { unreachable!("must use put_all") }
            fn put_all(&mut self, _: &[u8]) {}
        }
        struct Quiet;
        impl Sink for Quiet { fn put(&mut self, _: u8) {} }
        #[test] fn forwards() { copy_into(b"ab", &mut BulkOnly); }
        #[test] fn quiet() { copy_into(b"ab", &mut Quiet); }
        #[test] fn same_method_name_elsewhere() { let mut v: Vec<u8> = Vec::new(); v.put(1); }
    "#;
    let t = test("forwards", src, &Config::default());
    assert_eq!(t.verdict, Meaningful);
    assert!(
        t.oracles
            .iter()
            .any(|o| o.what.contains("impl Sink for BulkOnly")),
        "{:?}",
        t.oracles
    );
    assert_eq!(verdict("quiet", src), AssertionFree);
    assert_eq!(verdict("same_method_name_elsewhere", src), AssertionFree);
}

#[test]
fn a_checking_global_allocator_is_an_oracle_of_tests_that_run_code() {
    let src = r#"
        struct Checked;
        unsafe impl std::alloc::GlobalAlloc for Checked {
            unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 { std::alloc::System.alloc(l) }
            unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
                assert!(!p.is_null());
                std::alloc::System.dealloc(p, l)
            }
        }
        #[global_allocator]
        static A: Checked = Checked;
        #[test] fn runs_code() { let mut m = Map::new(); m.insert(1); }
        #[test] fn runs_nothing() {}
    "#;
    assert_eq!(verdict("runs_code", src), Meaningful);
    assert_eq!(verdict("runs_nothing", src), AssertionFree);
}

#[test]
fn helpers_by_turbofish_and_by_owner_type_only() {
    let src = r#"
        fn check<T: Default>() { let mut m = Map::new(); m.insert(3); assert_eq!(m.scaled(2), vec![6]); }
        fn insert(m: &mut Map) { assert!(m.get(9).is_none()); }
        struct Fixture;
        impl Fixture { fn make() -> Map { let m = Map::new(); assert!(m.get(1).is_none()); m } }
        #[test] fn turbofish() { check::<u8>(); }
        #[test] fn method_named_like_free_fn() { let mut m = Map::new(); m.insert(1); }
        #[test] fn owner_path() { let _m = Fixture::make(); }
        #[test] fn other_owner_path() { let _m = Map::make(); }
    "#;
    assert_eq!(verdict("turbofish", src), Meaningful);
    assert_eq!(verdict("method_named_like_free_fn", src), AssertionFree);
    assert_eq!(verdict("owner_path", src), Meaningful);
    assert_eq!(verdict("other_owner_path", src), AssertionFree);
}

#[test]
fn membership_on_a_lookup_is_meaningful_not_smoke() {
    let src = r#"
        #[test] fn found() { let mut m = Map::new(); m.insert(1); assert!(m.get(1).is_some(), "no {}", 1); }
        #[test] fn found_pattern() { let mut m = Map::new(); m.insert(1); assert!(matches!(m.get(1), Some(_))); }
        #[test] fn found_if() { let mut m = Map::new(); m.insert(1); if m.get(1).is_none() { panic!() } }
        #[test] fn computed() { let m = Map::new(); assert!(m.scaled(2).pop().is_some()); }
    "#;
    assert_eq!(verdict("found", src), Meaningful);
    assert_eq!(verdict("found_pattern", src), Meaningful);
    assert_eq!(verdict("found_if", src), Meaningful);
    assert_eq!(verdict("computed", src), Smoke);
}

#[test]
fn findings_say_what_an_oracle_free_body_does() {
    let src = r#"
        #[test] fn empty() {}
        #[test] fn declares() { enum Never {} let _: Option<Never>; }
        #[test] fn builds() { let _v: Vec<u8> = (0..3).map(|x| x).collect(); }
        #[test] fn drops() { let m = Map::new(); m.scaled(2); }
    "#;
    let message = |name: &str| {
        let t = test(name, src, &Config::default());
        assert_eq!(t.verdict, AssertionFree);
        t.findings[0].message.clone()
    };
    assert!(message("empty").starts_with("empty body"));
    assert!(message("declares").starts_with("only declares"));
    assert!(message("builds").starts_with("only builds values"));
    assert!(message("drops").starts_with("result dropped"));
}

#[test]
fn catalogued_items_are_found_through_renames_and_crate_aliases() {
    let src = r#"
        use itertools::assert_equal as same;
        use itertools as iters;
        use approx::assert_relative_eq as close;
        use assert2::check;
        #[test] fn renamed() { let m = Map::new(); same(m.scaled(2), Vec::<u32>::new()); }
        #[test] fn renamed_literals() { same(vec![1], vec![1]); }
        #[test] fn aliased() { let m = Map::new(); iters::assert_equal(m.scaled(2), Vec::<u32>::new()); }
        #[test] fn macro_renamed() { let m = Map::new(); close!(m.scaled(1).len() as f64, 0.0); }
        #[test] fn assert2_check() { let m = Map::new(); check!(m.get(1).is_none()); }
        #[test] fn assert2_by_path() { let m = Map::new(); assert2::check!(m.scaled(1).is_empty()); }
        #[test] fn other_check() { let m = Map::new(); mine::check!(m.scaled(1).is_empty()); }
    "#;
    assert_eq!(verdict("renamed", src), Meaningful);
    assert_eq!(verdict("renamed_literals", src), Tautological);
    assert_eq!(verdict("aliased", src), Meaningful);
    assert_eq!(verdict("macro_renamed", src), Meaningful);
    assert_eq!(verdict("assert2_check", src), Meaningful);
    assert_eq!(verdict("assert2_by_path", src), Meaningful);
    assert_eq!(
        verdict("other_check", src),
        AssertionFree,
        "`check!` of another crate is not assert2's"
    );
}

#[test]
fn configured_functions_are_found_through_renames() {
    let config = Config {
        assert_functions: vec!["my_checks::verify".into()],
        ..Config::default()
    };
    let src = r#"
        use my_checks::verify as ok_map;
        #[test] fn renamed() { let m = Map::new(); ok_map(&m); }
        #[test] fn unrelated() { let m = Map::new(); other(&m); }
    "#;
    assert_eq!(test("renamed", src, &config).verdict, Meaningful);
    assert_eq!(test("unrelated", src, &config).verdict, AssertionFree);
}

#[test]
fn glob_imports_and_labelled_operands() {
    let src = r#"
        #[test] fn globbed() { use itertools::*; let m = Map::new(); assert_equal(m.scaled(2), Vec::<u32>::new()); }
        #[test] fn labelled() { let m = Map::new(); similar_asserts::assert_eq!(expected: 0, actual: m.scaled(1).len()); }
        #[test] fn labelled_literals() { similar_asserts::assert_eq!(expected: 2, actual: 2); }
    "#;
    assert_eq!(verdict("globbed", src), Meaningful);
    let other = r#"
        #[test] fn not_globbed() { use other::*; let m = Map::new(); assert_equal(m.scaled(2), Vec::<u32>::new()); }
    "#;
    assert_eq!(verdict("not_globbed", other), AssertionFree);
    assert_eq!(verdict("labelled", src), Meaningful);
    assert_eq!(verdict("labelled_literals", src), Tautological);
}
