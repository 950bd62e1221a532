//! Verdicts of single tests, each case written as a developer would write it, checked against
//! the verdict and rules the guide gives (docs/verdicts.md, docs/rules/).

use truecov_analyzer::{scan_source, Config, TestCase, Verdict};

const LIB: &str = r#"
pub fn add(a: i32, b: i32) -> i32 { a + b }
pub fn parse(s: &str) -> Result<u32, String> { s.parse().map_err(|_| s.to_string()) }
pub fn find(v: &[u32], x: u32) -> Option<usize> { v.iter().position(|y| *y == x) }
pub struct Stack { items: Vec<u32> }
impl Stack {
    pub fn new() -> Self { Stack { items: Vec::new() } }
    pub fn push(&mut self, x: u32) { self.items.push(x) }
    pub fn pop(&mut self) -> Option<u32> { self.items.pop() }
    pub fn len(&self) -> usize { self.items.len() }
}
"#;

fn scan_tests(tests: &str) -> Vec<TestCase> {
    let src = format!("{LIB}\n#[cfg(test)]\nmod tests {{\n    use super::*;\n{tests}\n}}\n");
    scan_source("src/lib.rs", &src, &Config::default())
        .unwrap_or_else(|w| panic!("{w}"))
        .tests
}

fn verdict_of(test: &str) -> (Verdict, Vec<String>) {
    let tests = scan_tests(test);
    assert_eq!(tests.len(), 1, "one test expected in {test}");
    let t = &tests[0];
    (
        t.verdict,
        t.findings.iter().map(|f| f.rule.clone()).collect(),
    )
}

#[track_caller]
fn expect(verdict: Verdict, rules: &[&str], test: &str) {
    let (got, got_rules) = verdict_of(test);
    assert_eq!(got, verdict, "verdict of:\n{test}\nrules: {got_rules:?}");
    let mut want: Vec<String> = rules.iter().map(|s| s.to_string()).collect();
    let mut got_rules = got_rules;
    want.sort();
    got_rules.sort();
    assert_eq!(got_rules, want, "rules of:\n{test}");
}

use Verdict::*;

#[test]
fn meaningful_assertions_on_results() {
    expect(
        Meaningful,
        &[],
        "#[test] fn adds() { assert_eq!(add(2, 2), 4); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn adds() { let r = add(2, 2); assert!(r == 4); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn adds() { assert_ne!(add(2, 2), 5); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn pops() { let mut s = Stack::new(); s.push(1); assert_eq!(s.pop(), Some(1)); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn len() { let mut s = Stack::new(); s.push(1); assert_eq!(s.len(), 1); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn relation() { let x = 3; assert_eq!(add(2 * x, 0), 2 * add(x, 0)); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn loops() { for i in 0..10 { assert!(add(i, 1) > i); } }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn closures() { (0..3).for_each(|i| assert_eq!(add(i, 0), i)); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn debug() { debug_assert_eq!(add(1, 1), 2); }",
    );
}

#[test]
fn error_observing_oracles_are_meaningful() {
    expect(
        Meaningful,
        &[],
        r#"#[test] fn bad() { assert!(parse("x").is_err()); }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn none() { assert!(find(&[1], 2).is_none()); }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn bad() { parse("x").unwrap_err(); }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn bad() { let e = parse("x").expect_err("must fail"); let _ = e; }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn bad() { assert!(matches!(parse("x"), Err(_))); }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn bad() { assert_eq!(parse("x"), Err("x".to_string())); }"#,
    );
    expect(
        Meaningful,
        &[],
        "#[test] #[should_panic] fn panics() { parse(\"x\").unwrap(); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] #[should_panic(expected = \"boom\")] fn panics() { add(1, 2); }",
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn bad() { let Err(e) = parse("x") else { panic!("should fail") }; assert_eq!(e, "x"); }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn bad() { match parse("x") { Ok(_) => panic!("expected an error"), Err(_) => {} } }"#,
    );
}

#[test]
fn result_tests_that_fail_on_a_mismatch_are_meaningful() {
    expect(
        Meaningful,
        &[],
        r#"#[test] fn r() -> Result<(), String> { let v = parse("3")?; if v != 3 { return Err(format!("got {v}")); } Ok(()) }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn r() -> Result<(), String> { let v = parse("3")?; if v == 3 { Ok(()) } else { Err("mismatch".into()) } }"#,
    );
}

#[test]
fn smoke_tests_only_check_that_nothing_failed() {
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() { parse("3").unwrap(); }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() { let _v = parse("3").expect("parses"); }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() { assert!(parse("3").is_ok()); }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn found() { assert!(find(&[1], 1).is_some()); }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() { assert!(matches!(parse("3"), Ok(_))); }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() -> Result<(), String> { parse("3")?; Ok(()) }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() { parse("3").unwrap_or_else(|e| panic!("failed: {e}")); }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() { let Ok(_v) = parse("3") else { panic!() }; }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() { if let Err(e) = parse("3") { panic!("{e}") } }"#,
    );
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn parses() { assert_eq!(parse("3").is_ok(), true); }"#,
    );
}

#[test]
fn tautologies_by_rule() {
    expect(
        Tautological,
        &["tautology/same-operands"],
        "#[test] fn same() { let x = add(1, 2); assert_eq!(x, x); }",
    );
    expect(
        Tautological,
        &["tautology/same-operands"],
        "#[test] fn same() { let a = add(1, 2); assert!(a == a); }",
    );
    expect(
        Tautological,
        &["tautology/same-operands"],
        "#[test] fn same_call() { assert_eq!(add(1, 2), add(1, 2)); }",
    );
    expect(
        Tautological,
        &["tautology/constant"],
        "#[test] fn t() { add(1, 2); assert!(true); }",
    );
    expect(
        Tautological,
        &["tautology/constant"],
        "#[test] fn t() { assert_eq!(2, 2); }",
    );
    expect(
        Tautological,
        &["tautology/constant"],
        "#[test] fn t() { assert!(1 + 1 == 2); }",
    );
    expect(
        Tautological,
        &["tautology/constant"],
        "#[test] fn t() { const N: u32 = 3; assert_eq!(N, 3); }",
    );
    expect(
        Tautological,
        &["tautology/always-true"],
        "#[test] fn t() { let mut s = Stack::new(); s.push(2); assert!(s.len() >= 0); }",
    );
    expect(
        Tautological,
        &["tautology/always-true"],
        "#[test] fn t() { let n: u32 = add(1, 2) as u32; assert!(n >= 0); }",
    );
    expect(
        Tautological,
        &["tautology/exhaustive"],
        r#"#[test] fn t() { let r = parse("3"); assert!(r.is_ok() || r.is_err()); }"#,
    );
    expect(
        Tautological,
        &["tautology/exhaustive"],
        "#[test] fn t() { let x = find(&[1], 1); assert!(x.is_some() || x.is_none()); }",
    );
    expect(
        Tautological,
        &["tautology/self-fulfilling"],
        "#[test] fn t() { let expected = add(1, 2); assert_eq!(add(1, 2), expected); }",
    );
    expect(
        Tautological,
        &["tautology/untouched"],
        "#[test] fn t() { let x = 5; assert_eq!(x, 5); }",
    );
    expect(
        Tautological,
        &["tautology/untouched"],
        r#"#[test] fn t() { let input = String::from("12"); let _ = parse(&input); assert_eq!(input, "12"); }"#,
    );
    expect(
        Tautological,
        &["tautology/untouched"],
        "#[test] fn t() { let v = vec![1, 2, 3]; let _ = find(&v, 2); assert_eq!(v.len(), 3); }",
    );
}

#[test]
fn reflexivity_tests_may_compare_a_value_with_itself() {
    expect(
        Meaningful,
        &[],
        "#[test] fn eq_is_reflexive() { let s = Stack::new(); assert_eq!(s.len(), s.len()); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn hash_is_stable() { let a = add(1, 2); assert_eq!(a, a); }",
    );
}

#[test]
fn assertion_free_tests_check_nothing() {
    expect(AssertionFree, &["test/no-oracle"], "#[test] fn empty() {}");
    expect(
        AssertionFree,
        &["test/no-oracle"],
        r#"#[test] fn t() { let _ = parse("3"); }"#,
    );
    expect(
        AssertionFree,
        &["test/no-oracle"],
        r#"#[test] fn t() { parse("3").ok(); }"#,
    );
    expect(
        AssertionFree,
        &["test/no-oracle"],
        r#"#[test] fn t() { println!("{:?}", parse("3")); }"#,
    );
    expect(
        AssertionFree,
        &["test/no-oracle"],
        "#[test] fn t() { add(1, 2); }",
    );
    expect(
        AssertionFree,
        &["test/no-oracle"],
        "#[test] fn t() {\n // assert_eq!(add(1, 2), 3);\n add(1, 2);\n }",
    );
    expect(
        AssertionFree,
        &["test/no-oracle"],
        r#"#[test] fn t() { let _ = std::panic::catch_unwind(|| { assert_eq!(parse("x"), Ok(1)); }); }"#,
    );
}

#[test]
fn strongest_check_wins_and_findings_stay() {
    expect(
        Meaningful,
        &["tautology/constant"],
        "#[test] fn t() { assert!(true); assert_eq!(add(1, 2), 3); }",
    );
    expect(
        Smoke,
        &["tautology/constant", "test/smoke-only"],
        r#"#[test] fn t() { parse("1").unwrap(); assert!(true); }"#,
    );
}

#[test]
fn other_findings() {
    expect(
        Meaningful,
        &["test/ignored"],
        "#[test] #[ignore] fn slow() { assert_eq!(add(1, 2), 3); }",
    );
    expect(Meaningful, &["test/sleep"], "#[test] fn slow() { std::thread::sleep(std::time::Duration::from_millis(5)); assert_eq!(add(1, 2), 3); }");
}

#[test]
fn helpers_in_the_test_module_count_transitively_and_cycles_end() {
    let tests = scan_tests(
        r#"
    fn check_sum(a: i32, b: i32, want: i32) { assert_eq!(add(a, b), want); }
    fn check_twice(a: i32) { check_sum(a, a, 2 * a); }
    fn ping(n: u32) { if n > 0 { pong(n - 1) } }
    fn pong(n: u32) { if n > 0 { ping(n - 1) } }
    #[test] fn via_helper() { check_twice(3); }
    #[test] fn via_cycle() { ping(3); }
    macro_rules! check { ($a:expr, $b:expr) => { assert_eq!($a, $b) }; }
    #[test] fn via_macro() { check!(add(1, 1), 2); }
    "#,
    );
    let v: Vec<(&str, Verdict)> = tests.iter().map(|t| (t.name.as_str(), t.verdict)).collect();
    assert_eq!(
        v,
        [
            ("tests::via_cycle", AssertionFree),
            ("tests::via_helper", Meaningful),
            ("tests::via_macro", Meaningful)
        ]
    );
}

#[test]
fn test_case_rows_with_expectations_are_meaningful() {
    let tests = scan_tests(
        r#"
    #[test_case(1, 2 => 3)]
    #[test_case(2, 2 => 4 ; "two and two")]
    fn sums(a: i32, b: i32) -> i32 { add(a, b) }
    "#,
    );
    let names: Vec<(&str, Verdict)> = tests.iter().map(|t| (t.name.as_str(), t.verdict)).collect();
    assert_eq!(
        names,
        [
            ("tests::sums::test_case_1_1_2_expects_3", Meaningful),
            ("tests::sums::test_case_2_two_and_two", Meaningful)
        ]
    );
}

#[test]
fn proptest_functions_are_tests() {
    let tests = scan_tests(
        r#"
    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(10))]
        #[test]
        fn add_commutes(a in 0i32..100, b in 0i32..100) {
            prop_assert_eq!(add(a, b), add(b, a));
        }
        #[test]
        fn parse_ok(s in "[0-9]{1,3}") {
            prop_assert!(parse(&s).is_ok());
        }
    }
    "#,
    );
    let v: Vec<(&str, Verdict)> = tests.iter().map(|t| (t.name.as_str(), t.verdict)).collect();
    assert_eq!(
        v,
        [
            ("tests::add_commutes", Meaningful),
            ("tests::parse_ok", Smoke)
        ]
    );
}

#[test]
fn async_tests_and_snapshots() {
    expect(
        Meaningful,
        &[],
        "#[tokio::test] async fn a() { let v = async { add(1, 2) }.await; assert_eq!(v, 3); }",
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn snap() { insta::assert_snapshot!(add(1, 2).to_string(), @"3"); }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn snap() { insta::assert_debug_snapshot!(parse("x")); }"#,
    );
}

#[test]
fn claims_macros() {
    expect(
        Smoke,
        &["test/smoke-only"],
        r#"#[test] fn c() { claims::assert_ok!(parse("1")); }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn c() { claims::assert_err!(parse("x")); }"#,
    );
    expect(
        Meaningful,
        &[],
        r#"#[test] fn c() { claims::assert_ok_eq!(parse("1"), 1); }"#,
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn c() { claims::assert_lt!(add(1, 1), 3); }",
    );
}

#[test]
fn checks_that_never_run_do_not_count() {
    expect(AssertionFree, &["test/no-oracle"], "#[test] fn t() { let cases: &[(i32, i32)] = &[]; for &(a, b) in cases { assert_eq!(add(a, 0), b); } }");
    expect(
        AssertionFree,
        &["test/no-oracle"],
        "#[test] fn t() { let _check = |v: i32| assert_eq!(v, 3); add(1, 2); }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn t() { let check = |v: i32| assert_eq!(v, 3); check(add(1, 2)); }",
    );
}

#[test]
fn values_counted_under_conditions_on_code_under_test_are_touched() {
    expect(Meaningful, &[], "#[test] fn t() { let mut n = 0; for i in 0..5 { if add(i, 1) > 2 { n += 1; } } assert_eq!(n, 3); }");
}

#[test]
fn std_setup_and_panic_propagation_are_not_smoke() {
    expect(
        AssertionFree,
        &["test/no-oracle"],
        "#[test] fn t() { let m = std::sync::Mutex::new(1); *m.lock().unwrap() += add(1, 1); }",
    );
    expect(
        AssertionFree,
        &["test/no-oracle"],
        "#[test] fn t() { let h = std::thread::spawn(|| add(1, 2)); h.join().unwrap(); }",
    );
    expect(AssertionFree, &["test/no-oracle"], "#[test] fn t() { let text = std::fs::read_to_string(\"Cargo.toml\").unwrap(); add(text.len() as i32, 1); }");
}

#[test]
fn equivalent_spellings_of_the_same_computation_are_self_fulfilling() {
    expect(Tautological, &["tautology/self-fulfilling"], "#[test] fn t() { let s = Stack::new(); let expected = format!(\"{}\", s.len()); assert_eq!(s.len().to_string(), expected); }");
    expect(Tautological, &["tautology/self-fulfilling"], "#[test] fn t() { let expected = add(1, 2) as f64; assert!((add(1, 2) as f64 - expected).abs() < 1e-9); }");
    expect(
        Meaningful,
        &[],
        "#[test] fn t() { assert!((add(1, 2) as f64 - 3.0).abs() < 1e-9); }",
    );
}

#[test]
fn state_changes_between_two_reads_make_a_real_check() {
    expect(Meaningful, &[], "#[test] fn t() { let mut s = Stack::new(); let before = s.len(); s.push(1); s.pop(); assert_eq!(s.len(), before); }");
}

#[test]
fn quickcheck_properties_are_oracles() {
    expect(
        Meaningful,
        &[],
        "#[quickcheck] fn prop(a: i32) -> bool { add(a, 0) == a }",
    );
    let tests = scan_tests("#[test] fn t() { fn prop(a: i32) -> bool { add(a, 0) == a } quickcheck::quickcheck(prop as fn(i32) -> bool); }\n#[quickcheck] fn r(a: i32) -> quickcheck::TestResult { quickcheck::TestResult::from_bool(add(a, 0) == a) }");
    assert!(tests.iter().all(|t| t.verdict == Meaningful), "{tests:#?}");
}

#[test]
fn std_types_can_carry_associated_functions_of_the_code_under_test() {
    // `FromHex`-style traits give `Vec` an associated function: it is code under test.
    expect(
        Meaningful,
        &[],
        "#[test] fn t() { assert_eq!(Vec::from_hex(\"6f\").unwrap(), b\"o\"); }",
    );
    expect(
        Tautological,
        &["tautology/constant"],
        "#[test] fn t() { assert_eq!(Vec::<u8>::new(), b\"\"); }",
    );
}

#[test]
fn dependencies_given_workspace_values_run_their_trait_impls() {
    // serde_json serializes a workspace type through its (derived or custom) Serialize impl.
    let src = "
    #[test] fn t() {
        let s = serde_json::to_string(&Stack { items: vec![1] }).unwrap();
        assert_eq!(s, \"[1]\");
    }";
    expect(Meaningful, &[], src);
}

#[test]
fn other_crates_assertion_macros_with_literal_arguments_still_check() {
    expect(
        Meaningful,
        &[],
        "#[test] fn t() { version_sync::assert_markdown_deps_updated!(\"README.md\"); }",
    );
}

/// The message of the `test/no-oracle` finding of the one test in `test`.
fn no_oracle_message(test: &str) -> String {
    let tests = scan_tests(test);
    let f = tests[0]
        .findings
        .iter()
        .find(|f| f.rule == "test/no-oracle")
        .unwrap_or_else(|| panic!("no test/no-oracle finding on {test}"));
    f.message.clone()
}

#[test]
fn ending_the_process_is_no_assertion() {
    for test in [
        "#[test] fn exits() { add(1, 1); std::process::exit(0); }",
        "#[test] fn guarded() { if add(1, 1) != 2 { std::process::exit(1) } }",
        "#[test] fn aborts() { if add(1, 1) != 2 { std::process::abort() } }",
        "#[test] fn imported() { use std::process::exit; if add(1, 1) != 2 { exit(1) } }",
    ] {
        expect(AssertionFree, &["test/no-oracle"], test);
        assert!(
            no_oracle_message(test).contains("ends the process"),
            "{test}: {}",
            no_oracle_message(test)
        );
    }
    expect(
        Meaningful,
        &[],
        "#[test] fn then_exits() { assert_eq!(add(1, 1), 2); std::process::exit(0); }",
    );
}

#[test]
fn no_oracle_messages_say_what_the_body_does() {
    let msg = no_oracle_message;
    assert!(msg("#[test] fn e() {}").contains("empty body"));
    assert!(msg("#[test] fn e() { todo!() }").contains("unfinished"));
    assert!(msg("#[test] fn e() { let _v = (1, 2); }").contains("only builds values"));
    assert!(msg("#[test] fn e() { add(1, 2); }").contains("result dropped"));
    assert!(msg("#[test] fn e() { println!(\"{}\", add(1, 2)); }").contains("only prints"));
    assert!(!msg("#[test] fn e() { let _v = (1, 2); }").contains("empty body"));
}

#[test]
fn calling_a_local_function_that_only_states_a_bound_is_a_compile_time_check() {
    for test in [
        "#[test] fn send() { fn assert_send<T: Send>() {} assert_send::<Stack>(); }",
        "#[test] fn sync() { fn check<T>() where T: Sync {} check::<Stack>(); }",
    ] {
        expect(AssertionFree, &["test/no-oracle"], test);
        let message = no_oracle_message(test);
        assert!(
            message.contains("only compile-time checks"),
            "{test}: {message}"
        );
    }
    // A local function with a body, or one given a value, runs code: its result is dropped.
    for test in [
        "#[test] fn runs() { fn go<T: Default>() { add(1, 2); } go::<u8>(); }",
        "#[test] fn takes() { fn take<T: Send>(_t: T) {} take(add(1, 2)); }",
    ] {
        let message = no_oracle_message(test);
        assert!(!message.contains("compile-time"), "{test}: {message}");
    }
}

#[test]
fn a_loop_that_waits_for_the_value_the_test_wants_can_fail() {
    // The test ends only when the code under test gives the expected value: a wrong value
    // hangs it, and the runner's timeout fails it (cargo-mutants counts such a mutant caught).
    expect(
        Meaningful,
        &[],
        "#[test] fn pops_three() { let mut s = Stack::new(); s.push(3); s.push(4); while s.pop() != Some(3) {} }",
    );
    expect(
        Meaningful,
        &[],
        "#[test] fn finds_each() { for x in [1u32, 2] { while find(&[1, 2], x) != Some(x as usize - 1) {} } }",
    );
    // The goal is the test's own data, which the loop strikes off by the code's answers.
    expect(
        Meaningful,
        &[],
        "#[test] fn pops_all() { let mut s = Stack::new(); s.push(1); s.push(2); let mut want = vec![1, 2]; while !want.is_empty() { let got = s.pop(); want.retain(|w| Some(*w) != got); } }",
    );
}

#[test]
fn a_loop_that_only_drives_the_code_checks_nothing() {
    for test in [
        "#[test] fn drains() { let mut s = Stack::new(); s.push(1); while s.pop().is_some() {} }",
        "#[test] fn drains() { let mut s = Stack::new(); s.push(1); while let Some(_) = s.pop() {} }",
        "#[test] fn counts() { let mut s = Stack::new(); s.push(1); let mut i = 0; while i < s.len() { i += 1; } }",
        "#[test] fn spins() { let mut left = vec![1, 2]; while !left.is_empty() { left.pop(); add(1, 2); } }",
        "#[test] fn tries() { let mut s = Stack::new(); s.push(1); let mut n = 0; while s.pop() != Some(1) { n += 1; if n > 9 { break; } } }",
    ] {
        expect(AssertionFree, &["test/no-oracle"], test);
    }
}
