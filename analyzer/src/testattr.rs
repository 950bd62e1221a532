//! Which functions libtest runs, and under which exact names: plain `#[test]` and the
//! attribute macros of async runtimes, rstest (`#[case]` rows and `#[values]` matrices) and
//! test-case (`#[test_case(..)]` rows), named the way those macros name their expansions;
//! rstest_reuse templates and the functions that apply them.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, FnArg, Meta, Signature, Token};
use truecov_model::Config;

/// One libtest test produced by a test function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    /// Name segments after the function's own path (`["case_1"]`, `["test_case_2_three"]`).
    pub suffix: Vec<String>,
    /// Listed as ignored by libtest.
    pub ignored: bool,
    /// Expected to panic.
    pub should_panic: bool,
    /// The row carries its own oracle (`#[test_case(.. => expected)]`).
    pub has_expectation: bool,
}

/// Attribute path as written: `tokio::test`, `test`, `rstest`.
pub(crate) fn attr_path(attr: &Attribute) -> String {
    path_string(attr.path())
}

fn path_string(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// Whether the attribute's path is the single identifier `name` (`#[ignore]`).
pub(crate) fn attr_is(attr: &Attribute, name: &str) -> bool {
    attr.path().is_ident(name)
}

/// Whether the attribute path's last segment is `name` (`#[tokio::test]` for `test`).
fn attr_last_is(attr: &Attribute, name: &str) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == name)
}

/// Whether the attribute marks a function that libtest runs (alone or expanded into rows).
pub(crate) fn is_test_attr(attr: &Attribute, config: &Config) -> bool {
    let Some(last) = attr.path().segments.last() else {
        return false;
    };
    last.ident == "test"
        || [
            "rstest",
            "test_case",
            "quickcheck",
            "wasm_bindgen_test",
            "proptest",
        ]
        .iter()
        .any(|n| last.ident == n)
        || (!config.test_attributes.is_empty() && config.is_test_attribute(&attr_path(attr)))
}

/// The libtest rows a function yields, or `None` when it is not a test.
pub(crate) fn test_rows(attrs: &[Attribute], sig: &Signature, config: &Config) -> Option<Vec<Row>> {
    if !attrs.iter().any(|a| is_test_attr(a, config)) {
        return None;
    }
    // rstest: attributes written before a `#[case]` belong to that case; those after the
    // last case to the whole function.
    let after_cases = attrs.iter().rposition(is_case).map_or(0, |i| i + 1);
    let fn_attrs = &attrs[after_cases..];
    let ignored = fn_attrs.iter().any(is_ignore);
    let should_panic = fn_attrs.iter().any(|a| attr_is(a, "should_panic"));
    let base = Row {
        suffix: Vec::new(),
        ignored,
        should_panic,
        has_expectation: false,
    };
    let case_attrs: Vec<_> = attrs
        .iter()
        .filter(|a| attr_last_is(a, "test_case"))
        .collect();
    if !case_attrs.is_empty() {
        return Some(
            case_attrs
                .iter()
                .enumerate()
                .map(|(i, a)| test_case_row(a, i + 1, &base))
                .collect(),
        );
    }
    if attrs.iter().any(|a| attr_last_is(a, "rstest")) {
        return Some(rstest_rows(attrs, sig, &base));
    }
    Some(vec![base])
}

/// rstest_reuse's `#[template]`: the function defines a macro that `#[apply(..)]` uses; it is
/// no test itself.
pub(crate) fn is_template(attr: &Attribute) -> bool {
    attr_last_is(attr, "template") && matches!(attr.meta, Meta::Path(_))
}

/// The template an rstest_reuse `#[apply(name)]` attribute names.
pub(crate) fn applied_template(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        Meta::List(list) if attr_last_is(a, "apply") => list
            .parse_args::<syn::Path>()
            .ok()
            .and_then(|p| p.segments.last().map(|s| s.ident.to_string())),
        _ => None,
    })
}

fn is_case(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .first()
        .is_some_and(|s| s.ident == "case")
}

/// `#[ignore]` or `#[ignore = "why"]` (a `cfg_attr(.., ignore)` is not ignored by default).
pub(crate) fn is_ignore(attr: &Attribute) -> bool {
    attr_is(attr, "ignore")
}

// ---------------------------------------------------------------- test-case

/// What follows `=>` in a `#[test_case]` row.
struct Expectation {
    inconclusive: bool,
    panics: bool,
    display: String,
}

struct TestCaseArgs {
    args: Vec<Expr>,
    expectation: Option<Expectation>,
    comment: Option<String>,
}

impl Parse for TestCaseArgs {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut args = Vec::new();
        while !input.is_empty() && !input.peek(Token![=>]) && !input.peek(Token![;]) {
            args.push(input.parse::<Expr>()?);
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            } else {
                break;
            }
        }
        let mut expectation = None;
        if input.peek(Token![=>]) {
            input.parse::<Token![=>]>()?;
            let mut tokens = TokenStream::new();
            while !input.is_empty() && !input.peek(Token![;]) {
                tokens.extend(std::iter::once(input.parse::<TokenTree>()?));
            }
            expectation = Some(expectation_of(tokens));
        }
        let mut comment = None;
        if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
            comment = Some(input.parse::<syn::LitStr>()?.value());
        }
        Ok(TestCaseArgs {
            args,
            expectation,
            comment,
        })
    }
}

/// Reproduces test-case's `TestCaseExpression` display (its words are what the name keeps).
fn expectation_of(tokens: TokenStream) -> Expectation {
    let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut prefix = String::new();
    let mut inconclusive = false;
    if let Some(TokenTree::Ident(id)) = trees.first() {
        if id == "ignore" || id == "inconclusive" {
            inconclusive = true;
            prefix.push_str("inconclusive");
            trees.remove(0);
            if let Some(TokenTree::Group(_)) = trees.first() {
                trees.remove(0);
            }
        }
    }
    let first = match trees.first() {
        Some(TokenTree::Ident(id)) => id.to_string(),
        _ => String::new(),
    };
    let rest = || -> TokenStream { trees[1..].iter().cloned().collect() };
    let mut panics = false;
    let body = match first.as_str() {
        "matches" => format!("matching {} ", rest()),
        "panics" => {
            panics = true;
            let r = rest().to_string();
            if r.is_empty() {
                "panicking None".to_string()
            } else {
                format!("panicking Some({r:?})")
            }
        }
        "with" => format!("with {}", rest()),
        "using" => format!("use {}", rest()),
        "it" | "is" => format!("complex {}", complex_words(&rest())),
        _ if trees.is_empty() => "empty".to_string(),
        _ => trees.iter().cloned().collect::<TokenStream>().to_string(),
    };
    Expectation {
        inconclusive,
        panics,
        display: format!("{prefix}{body}"),
    }
}

/// test-case's complex assertions print normalised keywords.
fn complex_words(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .split_whitespace()
        .map(|w| match w {
            "equal_to" => "eq",
            "less_than" => "lt",
            "greater_than" => "gt",
            "less_or_equal_than" => "leq",
            "greater_or_equal_than" => "geq",
            "almost_equal_to" => "almost",
            "precision" => "p",
            "existing_path" => "path",
            "contains_in_order" => "contains in order",
            "has_length" => "len",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// test-case's `escape_test_name`: lowercase, every run of other characters becomes one `_`,
/// and a leading `_` when the name would not start with a letter.
pub(crate) fn escape_test_case_name(input: &str) -> String {
    if input.is_empty() {
        return "_empty".to_string();
    }
    let mut last_under = false;
    let mut ident: String = input
        .to_ascii_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() {
                last_under = false;
                Some(c.to_ascii_lowercase())
            } else if !last_under {
                last_under = true;
                Some('_')
            } else {
                None
            }
        })
        .collect();
    if !ident.starts_with(|c: char| c == '_' || c.is_ascii_alphabetic()) {
        ident = format!("_{ident}");
    }
    ident
}

fn test_case_row(attr: &Attribute, number: usize, base: &Row) -> Row {
    let parsed = match &attr.meta {
        Meta::List(list) => TestCaseArgs::parse.parse2(list.tokens.clone()).ok(),
        _ => None,
    };
    let Some(parsed) = parsed else {
        return Row {
            suffix: vec![format!("test_case_{number}")],
            ..base.clone()
        };
    };
    let desc = parsed.comment.clone().unwrap_or_else(|| {
        let mut acc = String::new();
        for arg in &parsed.args {
            acc.push_str(&arg.to_token_stream().to_string());
            acc.push('_');
        }
        acc.push_str("expects");
        if let Some(e) = &parsed.expectation {
            acc.push(' ');
            acc.push_str(&e.display);
        }
        acc
    });
    let name = escape_test_case_name(&desc);
    let sep = if name.starts_with('_') { "" } else { "_" };
    let exp = parsed.expectation.as_ref();
    Row {
        suffix: vec![format!("test_case_{number}{sep}{name}")],
        ignored: base.ignored || exp.is_some_and(|e| e.inconclusive),
        should_panic: base.should_panic || exp.is_some_and(|e| e.panics),
        has_expectation: exp.is_some_and(|e| !e.display.ends_with("empty")),
    }
}

// ---------------------------------------------------------------- rstest

struct Case {
    description: Option<String>,
    ignored: bool,
    should_panic: bool,
}

/// rstest's `sanitize_ident` for value descriptions.
fn sanitize_ident(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '"' | '\'' => "__".to_owned(),
            ':' | '(' | ')' | '{' | '}' | '[' | ']' | ',' | '.' | '*' | '+' | '/' | '-' | '%'
            | '^' | '!' | '&' | '|' => "_".to_owned(),
            _ => c.to_string(),
        })
        .collect::<String>()
        .chars()
        .filter(|&c| c == '_' || unicode_ident::is_xid_continue(c))
        .collect()
}

fn rstest_rows(attrs: &[Attribute], sig: &Signature, base: &Row) -> Vec<Row> {
    // Cases, with the attributes written since the previous `#[case]` belonging to each.
    let mut cases: Vec<Case> = Vec::new();
    let (mut ignored, mut should_panic) = (false, false);
    for attr in attrs {
        let path = attr_path(attr);
        let segs: Vec<&str> = path.split("::").collect();
        if segs[0] == "case" {
            cases.push(Case {
                description: segs.get(1).map(|s| s.to_string()),
                ignored: std::mem::take(&mut ignored),
                should_panic: std::mem::take(&mut should_panic),
            });
        } else {
            ignored |= is_ignore(attr);
            should_panic |= path == "should_panic";
        }
    }
    // `#[values(..)]` arguments, in argument order.
    let matrices: Vec<Vec<String>> = sig
        .inputs
        .iter()
        .filter_map(|input| {
            let FnArg::Typed(pt) = input else { return None };
            let values = pt.attrs.iter().find(|a| attr_is(a, "values"))?;
            let arg = match &*pt.pat {
                syn::Pat::Ident(id) => id.ident.to_string(),
                other => other.to_token_stream().to_string(),
            };
            let list = values
                .parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated)
                .ok()?;
            let width = list.len().to_string().len();
            Some(
                list.iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let desc = sanitize_ident(&e.to_token_stream().to_string());
                        let desc: String = desc.chars().take(64).collect();
                        format!("{arg}_{:0width$}_{desc}", i + 1)
                    })
                    .collect(),
            )
        })
        .collect();
    let mut value_paths: Vec<Vec<String>> = vec![Vec::new()];
    for values in &matrices {
        value_paths = value_paths
            .iter()
            .flat_map(|p| {
                values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push(v.clone());
                    q
                })
            })
            .collect();
    }
    if cases.is_empty() && matrices.is_empty() {
        return vec![base.clone()];
    }
    let name = sig.ident.to_string();
    let mut rows = Vec::new();
    if cases.is_empty() {
        for p in value_paths {
            let mut suffix = vec![name.clone()];
            suffix.extend(p);
            rows.push(Row {
                suffix,
                ..base.clone()
            });
        }
        return rows;
    }
    let width = cases.len().to_string().len();
    for (i, case) in cases.iter().enumerate() {
        let desc = case
            .description
            .as_ref()
            .map(|d| format!("_{d}"))
            .unwrap_or_default();
        for p in &value_paths {
            let mut suffix = vec![name.clone(), format!("case_{:0width$}{desc}", i + 1)];
            suffix.extend(p.iter().cloned());
            rows.push(Row {
                suffix,
                ignored: base.ignored || case.ignored,
                should_panic: base.should_panic || case.should_panic,
                has_expectation: false,
            });
        }
    }
    rows
}

/// Full libtest names of a test function's rows: its module path, then its own name unless an
/// expansion (rstest, test-case) replaces it with a module of rows.
pub(crate) fn row_names(module: &[String], fn_name: &str, rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|row| {
            let mut parts: Vec<&str> = module.iter().map(String::as_str).collect();
            if row.suffix.first().map(String::as_str) == Some(fn_name) {
                parts.extend(row.suffix.iter().map(String::as_str));
            } else {
                parts.push(fn_name);
                parts.extend(row.suffix.iter().map(String::as_str));
            }
            parts.join("::")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(src: &str) -> Vec<(String, bool, bool, bool)> {
        let f: syn::ItemFn = syn::parse_str(src).unwrap();
        let rows = test_rows(&f.attrs, &f.sig, &Config::default()).unwrap_or_default();
        row_names(&["tests".to_string()], &f.sig.ident.to_string(), &rows)
            .into_iter()
            .zip(rows)
            .map(|(n, r)| (n, r.ignored, r.should_panic, r.has_expectation))
            .collect()
    }

    fn just_names(src: &str) -> Vec<String> {
        names(src).into_iter().map(|r| r.0).collect()
    }

    // Expected names below were copied from `--list` output of rstest 0.26 / test-case 3.3.

    #[test]
    fn rstest_cases_are_numbered_padded_and_described() {
        assert_eq!(
            just_names("#[rstest] #[case(1, 2)] #[case::two(2, 4)] #[case(3, 6)] fn rs(#[case] x: u32, #[case] y: u32) {}"),
            ["tests::rs::case_1", "tests::rs::case_2_two", "tests::rs::case_3"]
        );
        let many = just_names(&format!(
            "#[rstest] {} fn many(#[case] x: u32) {{}}",
            "#[case(1)] ".repeat(10)
        ));
        assert_eq!(many[0], "tests::many::case_01");
        assert_eq!(many[9], "tests::many::case_10");
    }

    #[test]
    fn rstest_values_make_nested_modules() {
        assert_eq!(
            just_names(
                r#"#[rstest] fn matrix(#[values(1, 2)] x: u32, #[values("a", "bb")] s: &str) {}"#
            ),
            [
                "tests::matrix::x_1_1::s_1___a__",
                "tests::matrix::x_1_1::s_2___bb__",
                "tests::matrix::x_2_2::s_1___a__",
                "tests::matrix::x_2_2::s_2___bb__"
            ]
        );
        assert_eq!(
            just_names("#[rstest] #[case(1)] #[case(2)] fn casemat(#[case] x: u32, #[values(1, 2)] y: u32) {}"),
            [
                "tests::casemat::case_1::y_1_1",
                "tests::casemat::case_1::y_2_2",
                "tests::casemat::case_2::y_1_1",
                "tests::casemat::case_2::y_2_2"
            ]
        );
        assert_eq!(just_names("#[rstest] fn plain() {}"), ["tests::plain"]);
    }

    #[test]
    fn rstest_reuse_templates_and_applications() {
        let f: syn::ItemFn = syn::parse_quote! {
            #[template] #[rstest] #[case::one(1)] fn factors(#[case] f: i64) {}
        };
        assert!(f.attrs.iter().any(is_template));
        let g: syn::ItemFn = syn::parse_quote! {
            #[rstest_reuse::apply(factors)] fn scales(#[case] f: i64) {}
        };
        assert!(!g.attrs.iter().any(is_template));
        assert_eq!(applied_template(&g.attrs).as_deref(), Some("factors"));
        assert_eq!(applied_template(&f.attrs), None);
        let h: syn::ItemFn = syn::parse_quote! { #[template = "x"] fn other() {} };
        assert!(!h.attrs.iter().any(is_template), "only the bare attribute");
    }

    #[test]
    fn rstest_case_attributes_apply_to_their_case_only() {
        // As rstest reads them: attributes before a case are that case's, after the last
        // case the function's.
        let rows = names("#[rstest] #[case(1)] #[should_panic] #[case(0)] #[case(2)] #[ignore] fn div(#[case] x: u32) {}");
        assert_eq!(
            rows[0],
            ("tests::div::case_1".to_string(), true, false, false)
        );
        assert_eq!(
            rows[1],
            ("tests::div::case_2".to_string(), true, true, false)
        );
        assert_eq!(
            rows[2],
            ("tests::div::case_3".to_string(), true, false, false)
        );
    }

    #[test]
    fn test_case_names_follow_test_case_escaping() {
        let src = r#"
            #[test_case(2, 4 ; "two gives four")]
            #[test_case(3, 6)]
            #[test_case(-1, -2)]
            #[test_case(1.5, 3.0)]
            #[test_case("a b", 0)]
            fn tc(x: i32, y: i32) {}"#;
        assert_eq!(
            just_names(src),
            [
                "tests::tc::test_case_1_two_gives_four",
                "tests::tc::test_case_2_3_6_expects",
                "tests::tc::test_case_3_1_2_expects",
                "tests::tc::test_case_4_1_5_3_0_expects",
                "tests::tc::test_case_5_a_b_0_expects"
            ]
        );
    }

    #[test]
    fn test_case_expectations_name_and_mark_rows() {
        let src = r#"
            #[test_case(2 => 4)]
            #[test_case(3 => 6 ; "three")]
            #[test_case(5 => matches 10)]
            #[test_case(6 => panics "x")]
            #[test_case(7 => ignore 6)]
            #[test_case(double(2) => 8)]
            #[test_case(vec![1, 2] => 2 ; "Vec Len")]
            fn tc2(x: u32) -> u32 { x }"#;
        let rows = names(src);
        let got: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            got,
            [
                "tests::tc2::test_case_1_2_expects_4",
                "tests::tc2::test_case_2_three",
                "tests::tc2::test_case_3_5_expects_matching_10_",
                "tests::tc2::test_case_4_6_expects_panicking_some_x_",
                "tests::tc2::test_case_5_7_expects_inconclusive6",
                "tests::tc2::test_case_6_double_2_expects_8",
                "tests::tc2::test_case_7_vec_len"
            ]
        );
        assert!(rows.iter().all(|r| r.3), "every row has an expectation");
        assert!(rows[3].2, "`=> panics` expects a panic");
        assert!(rows[4].1, "`=> ignore` rows are ignored");
        assert!(!rows[0].1 && !rows[0].2);
    }

    #[test]
    fn async_runtime_attributes_are_tests_and_cfg_test_is_not() {
        assert_eq!(just_names("#[tokio::test] async fn a() {}"), ["tests::a"]);
        assert_eq!(just_names("#[test_log::test] fn b() {}"), ["tests::b"]);
        assert_eq!(
            just_names("#[async_std::test] async fn c() {}"),
            ["tests::c"]
        );
        assert!(just_names("#[cfg(test)] fn d() {}").is_empty());
        assert!(just_names("fn e() {}").is_empty());
        let ignored = names("#[test] #[ignore = \"slow\"] fn f() {}");
        assert_eq!(ignored, [("tests::f".to_string(), true, false, false)]);
    }

    #[test]
    fn configured_attributes_mark_tests() {
        let f: syn::ItemFn = syn::parse_str("#[my_rt::check] fn g() {}").unwrap();
        assert!(test_rows(&f.attrs, &f.sig, &Config::default()).is_none());
        let config = Config {
            test_attributes: vec!["my_rt::check".into()],
            ..Config::default()
        };
        assert_eq!(
            test_rows(&f.attrs, &f.sig, &config).map(|r| r.len()),
            Some(1)
        );
    }
}
