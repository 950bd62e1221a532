//! The analyzer never panics, whatever it reads: token soup, mutated real sources, and test
//! bodies assembled from fragments of every construct it looks at.

use proptest::prelude::*;
use truecov_analyzer::{scan_source, Config, Verdict};

const TOKENS: &[&str] = &[
    "fn",
    "let",
    "mut",
    "if",
    "else",
    "match",
    "=>",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    "#",
    "!",
    "?",
    ".",
    "::",
    "=",
    "==",
    "!=",
    ">=",
    "<=",
    "||",
    "&&",
    "|",
    "&",
    "*",
    "-",
    "assert",
    "assert_eq",
    "assert_ne",
    "matches",
    "panic",
    "unwrap",
    "expect",
    "Err",
    "Ok",
    "None",
    "Some",
    "test",
    "cfg",
    "mod",
    "tests",
    "proptest",
    "macro_rules",
    "$",
    "x",
    "y",
    "1",
    "0",
    "\"s\"",
    "true",
    "false",
    "impl",
    "for",
    "in",
    "return",
    "async",
    "await",
    "move",
    "'a",
    "<",
    ">",
    "->",
    "rstest",
    "case",
    "test_case",
    "should_panic",
    "ignore",
];

const STMTS: &[&str] = &[
    "let x = f(1);",
    "let x = 5;",
    "let mut v = vec![1, 2];",
    "v.push(g());",
    "assert_eq!(x, x);",
    "assert_eq!(f(1), 2);",
    "assert!(x.len() >= 0);",
    "assert!(r.is_ok() || r.is_err());",
    "assert!(matches!(f(2), Err(E::A { .. }) | Ok(_)));",
    "let Ok(v) = f(3) else { panic!() };",
    "if x != 3 { return Err(\"no\".into()); }",
    "match f(1) { Ok(v) if v > 2 => {}, Err(e) => panic!(\"{e}\"), _ => unreachable!() }",
    "f(1).unwrap_or_else(|e| panic!(\"{e}\"));",
    "let _ = std::panic::catch_unwind(|| assert!(false));",
    "for i in 0..3 { assert!(i < 3); }",
    "(0..3).for_each(|i| assert_ne!(i, 9));",
    "std::thread::sleep(d);",
    "check!(1, 2);",
    "weird!{ => ;; $x:expr };",
    "prop_assert!(x.is_some());",
    "insta::assert_snapshot!(x, @\"1\");",
    "claims::assert_ok!(f(1));",
    "let y = x?;",
    "f(&mut v);",
    "x = f(2);",
    "x += 1;",
    "let s: Stack<u8> = (0..3).collect();",
    "assert_matches!(f(1), Ok(n) if n > 1);",
    "tokio::select! { _ = a => {}, }",
    "let expected = f(1); assert_eq!(f(1), expected);",
    "helper();",
    "assert!(Some(f(1)).is_some());",
    "let r: Result<u8, _> = \"x\".parse::<u8>(); assert!(r.is_err());",
];

/// The finding SPEC.md says a verdict comes with, if any.
fn justifying_rule(verdict: Verdict) -> Option<&'static str> {
    match verdict {
        Verdict::Tautological => Some("tautology/"),
        Verdict::AssertionFree => Some("test/no-oracle"),
        Verdict::Smoke => Some("test/smoke-only"),
        Verdict::Meaningful => None,
        Verdict::NotBuilt | Verdict::Unknown => unreachable!("a scan gives verdicts, not states"),
    }
}

/// Scans `text` and checks what holds for any input: every position points into the file,
/// every verdict but meaningful comes with the finding that justifies it, and a refused
/// file is named with a reason.
fn scan(text: &str) {
    let lines = text.lines().count().max(1) as u32;
    match scan_source("src/lib.rs", text, &Config::default()) {
        Ok(scan) => {
            for t in &scan.tests {
                assert!(
                    (1..=lines).contains(&t.line),
                    "{} at line {}",
                    t.name,
                    t.line
                );
                for f in &t.findings {
                    assert!((1..=lines).contains(&f.line), "{f:?} outside 1..={lines}");
                }
                if let Some(rule) = justifying_rule(t.verdict) {
                    assert!(
                        t.findings.iter().any(|f| f.rule.starts_with(rule)),
                        "{} is {:?} without a `{rule}` finding: {:?}",
                        t.name,
                        t.verdict,
                        t.findings
                    );
                }
            }
            for f in &scan.functions {
                assert!(f.line <= f.end_line && f.end_line <= lines, "{f:?}");
            }
        }
        Err(w) => {
            assert_eq!(w.file, "src/lib.rs");
            assert!(!w.message.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn token_soup(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..200)) {
        scan(&tokens.join(" "));
    }

    #[test]
    fn assembled_test_bodies(
        stmts in proptest::collection::vec(proptest::sample::select(STMTS), 0..12),
        attrs in proptest::sample::select(vec!["#[test]", "#[tokio::test] async", "#[test] #[should_panic]", "#[rstest] #[case(1)]", "#[test_case(1 => 2)]"]),
        result in any::<bool>(),
        helper_stmts in proptest::collection::vec(proptest::sample::select(STMTS), 0..4),
        only_helper in any::<bool>(),
    ) {
        let ret = if result { " -> Result<(), String>" } else { "" };
        // Half the tests check only through the helper.
        let body = if only_helper { "helper();".to_string() } else { stmts.join("\n") };
        let helper_body = helper_stmts.join("\n");
        let text = format!("fn f(x: u8) -> Result<u8, String> {{ Ok(x) }}\n#[cfg(test)]\nmod tests {{\n{attrs} fn t(){ret} {{\n{body}\n}}\nfn helper() {{ {helper_body} }}\nmacro_rules! check {{ ($a:expr, $b:expr) => {{ {body} }} }}\n}}\n");
        scan(&text);
    }

    #[test]
    fn test_writing_macros(
        matcher in proptest::sample::select(vec!["$n:ident", "$n:ident, $e:expr", "$n:ident : $e:expr => $w:expr", "$($n:ident),*", "$($n:ident => $e:expr),+ $(,)?", "$n:ident $t:tt", "$($t:tt)*"]),
        body in proptest::sample::select(vec!["#[test] fn $n() { assert_eq!($e, $w); }", "$( #[test] fn $n() { let _ = $e; } )*", "#[test] fn $n() {}", "mod $n { #[test] fn t() { assert!(true) } }", "#[test] fn $n() { $t }", "m! { $($t)* }", "$($t)*"]),
        args in proptest::collection::vec(proptest::sample::select(TOKENS), 0..12),
    ) {
        let args = args.join(" ");
        let text = format!("#[cfg(test)]\nmod tests {{\nmacro_rules! m {{ ({matcher}) => {{ {body} }}; }}\nm!({args});\nm!(a);\nm!(a, 1);\nm!(a: 1 => 2);\nm! {{ #[test] fn x() {{}} }}\n}}\n");
        scan(&text);
    }

    #[test]
    fn mutated_real_source(cut in 0usize..4000, len in 0usize..200, insert in proptest::sample::select(TOKENS)) {
        let text = include_str!("verdicts.rs");
        let cut = cut.min(text.len());
        let end = (cut + len).min(text.len());
        if text.is_char_boundary(cut) && text.is_char_boundary(end) {
            scan(&format!("{}{}{}", &text[..cut], insert, &text[end..]));
        }
    }
}

#[test]
fn pathological_nesting_is_an_error_not_a_crash() {
    let text = format!(
        "#[test] fn t() {{ let x = {}1{}; }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let err = scan_source("src/lib.rs", &text, &Config::default()).unwrap_err();
    assert!(err.message.contains("nesting"), "{}", err.message);
}
