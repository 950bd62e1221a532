//! What a macro invocation in a test body is (an assertion of some family, a panic, a printer,
//! ...), and parsing of macro arguments as expressions where possible.

use super::role::Role;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Pat, Token};
use truecov_model::Config;

/// The role of macro `name` (last path segment, without `!`).
pub(crate) fn role(name: &str, config: &Config) -> Role {
    if config.is_assert_macro(name) {
        return Role::OtherAssert;
    }
    let base = name
        .strip_prefix("debug_")
        .or_else(|| name.strip_prefix("prop_"))
        .unwrap_or(name);
    if let Some(role) = super::catalogue::macro_role(base) {
        return role;
    }
    match base {
        _ if base.starts_with("assert") && base.contains("snapshot") => Role::Snapshot,
        _ if base.starts_with("assert") => Role::OtherAssert,
        "panic" | "unreachable" => Role::Fail,
        "todo" | "unimplemented" => Role::Inert,
        "println" | "print" | "eprintln" | "eprint" | "format" | "write" | "writeln" | "dbg"
        | "vec" | "format_args" | "matches" | "join" | "try_join" | "debug" | "info" | "warn"
        | "error" | "trace" | "black_box" | "block_on" => Role::Walk,
        _ => Role::Unknown,
    }
}

/// Whether macro arguments can hold anything the walker looks for: calls, method calls,
/// macros, `?` or blocks. `println!("{}", x)` cannot, and is not parsed.
pub(crate) fn may_hold_checks(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        TokenTree::Group(_) => true,
        TokenTree::Punct(p) => matches!(p.as_char(), '?' | '.' | '!' | '|'),
        _ => false,
    })
}

/// Parses macro arguments as comma-separated expressions (`name = value` is an assignment).
pub(crate) fn parse_exprs(tokens: &TokenStream) -> Option<Vec<Expr>> {
    Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(tokens.clone())
        .ok()
        .map(|p| p.into_iter().collect())
}

/// Parses the first `n` comma-separated expressions and ignores the rest (messages, `@"..."`
/// inline snapshots, named options).
pub(crate) fn parse_leading_exprs(tokens: &TokenStream, n: usize) -> Option<Vec<Expr>> {
    let parser = |input: ParseStream| {
        let mut out = Vec::new();
        while out.len() < n && !input.is_empty() {
            out.push(input.parse::<Expr>()?);
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            } else {
                break;
            }
        }
        input.parse::<TokenStream>()?;
        Ok(out)
    };
    parser.parse2(tokens.clone()).ok().filter(|v| !v.is_empty())
}

/// The two operands of a comparison macro, skipping float_cmp's leading type
/// (`assert_approx_eq!(f64, a, b, ulps = 2)`) and similar_asserts' labels
/// (`assert_eq!(expected: a, actual: b)`).
pub(crate) fn compared_operands(tokens: &TokenStream) -> Option<Vec<Expr>> {
    let mut args = parse_leading_exprs(&without_labels(tokens), 3)?;
    let is_float_type =
        |e: &Expr| matches!(e, Expr::Path(p) if p.path.is_ident("f32") || p.path.is_ident("f64"));
    if args.first().is_some_and(is_float_type) {
        args.remove(0);
    }
    args.truncate(2);
    Some(args)
}

/// The arguments without `label:` in front of them (`expected: a, actual: b` is `a, b`): no
/// expression starts with an identifier and a single colon.
fn without_labels(tokens: &TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let is_colon = |t: Option<&TokenTree>, spacing| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == spacing);
    let mut out = Vec::with_capacity(trees.len());
    let mut at_start = true;
    let mut i = 0;
    while i < trees.len() {
        let label = at_start
            && matches!(trees[i], TokenTree::Ident(_))
            && is_colon(trees.get(i + 1), proc_macro2::Spacing::Alone);
        if label {
            i += 2;
            at_start = false;
            continue;
        }
        at_start = matches!(&trees[i], TokenTree::Punct(p) if p.as_char() == ',');
        out.push(trees[i].clone());
        i += 1;
    }
    out.into_iter().collect()
}

/// The value an insta snapshot macro records: its first argument, or the second when the first
/// is the snapshot's name (`assert_snapshot!("name", value)`). Inline snapshots (`@".."`) and
/// redactions after the value are skipped.
pub(crate) fn snapshot_value(tokens: &TokenStream) -> Option<Expr> {
    let parser = |input: ParseStream| {
        let first: Expr = input.parse()?;
        let named = matches!(
            &first,
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(_),
                ..
            })
        );
        if named && input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            if !input.peek(Token![@]) {
                if let Ok(second) = input.parse::<Expr>() {
                    input.parse::<TokenStream>()?;
                    return Ok(second);
                }
            }
        }
        input.parse::<TokenStream>()?;
        Ok(first)
    };
    parser.parse2(tokens.clone()).ok()
}

/// Parses `expr, pattern [if guard]` (for `assert_matches!` and `matches!`); the flag says
/// whether a guard follows the pattern.
pub(crate) fn parse_expr_pattern(tokens: &TokenStream) -> Option<(Expr, Pat, bool)> {
    let parser = |input: ParseStream| {
        let e: Expr = input.parse()?;
        input.parse::<Token![,]>()?;
        let p = Pat::parse_multi_with_leading_vert(input)?;
        let guarded = input.peek(Token![if]);
        input.parse::<TokenStream>()?;
        Ok((e, p, guarded))
    };
    parser.parse2(tokens.clone()).ok()
}

/// Parses macro arguments as statements of a block (`tokio::select!` arms fail, blocks pass).
pub(crate) fn parse_stmts(tokens: &TokenStream) -> Option<Vec<syn::Stmt>> {
    syn::Block::parse_within.parse2(tokens.clone()).ok()
}

/// A macro-like use found by scanning tokens that do not parse as Rust.
#[derive(Clone, Debug)]
pub(crate) enum TokenUse {
    /// `name!(..)` with the line of `name`.
    Macro(String, u32, TokenStream),
    /// `name(..)`: a call, maybe of a helper.
    Call(String),
    /// `.unwrap()` / `.expect(..)` / `?`.
    Unwrap(u32),
    /// `.unwrap_err()` / `.expect_err(..)`.
    UnwrapErr(u32),
}

/// Scans raw tokens (macro_rules bodies, unparsable macro arguments) for macro invocations,
/// calls and unwraps, descending into every group.
pub(crate) fn scan_tokens(tokens: TokenStream, out: &mut Vec<TokenUse>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in trees.iter().enumerate() {
        match tt {
            TokenTree::Ident(id) => {
                let name = id.to_string();
                let next = trees.get(i + 1);
                let is_punct = |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
                let after_dot = i > 0 && is_punct(trees.get(i - 1), '.');
                if is_punct(next, '!') {
                    if let Some(TokenTree::Group(g)) = trees.get(i + 2) {
                        out.push(TokenUse::Macro(name, line_of(id.span()), g.stream()));
                        continue;
                    }
                }
                // `check::<$ty>()`: a call through a turbofish (of a generic helper).
                if let Some(TokenTree::Group(g)) = turbofish_end(&trees[i + 1..]) {
                    if g.delimiter() == Delimiter::Parenthesis {
                        out.push(TokenUse::Call(name));
                        continue;
                    }
                }
                if let Some(TokenTree::Group(g)) = next {
                    if g.delimiter() == Delimiter::Parenthesis {
                        match name.as_str() {
                            "unwrap" | "expect" if after_dot => {
                                out.push(TokenUse::Unwrap(line_of(id.span())))
                            }
                            "unwrap_err" | "expect_err" if after_dot => {
                                out.push(TokenUse::UnwrapErr(line_of(id.span())))
                            }
                            _ => out.push(TokenUse::Call(name)),
                        }
                    }
                }
            }
            TokenTree::Punct(p) if p.as_char() == '?' && is_try_operator(&trees[..i]) => {
                out.push(TokenUse::Unwrap(line_of(p.span())))
            }
            TokenTree::Group(g) => {
                let prev_is_bang =
                    i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '!');
                if !prev_is_bang {
                    scan_tokens(g.stream(), out);
                }
            }
            _ => {}
        }
    }
}

/// The token after a turbofish `::<..>` that `after` starts with, if it does.
fn turbofish_end(after: &[TokenTree]) -> Option<&TokenTree> {
    let punct = |i: usize| match after.get(i) {
        Some(TokenTree::Punct(p)) => Some(p.as_char()),
        _ => None,
    };
    if (punct(0), punct(1), punct(2)) != (Some(':'), Some(':'), Some('<')) {
        return None;
    }
    let mut depth = 0usize;
    for (i, tt) in after.iter().enumerate().skip(2) {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
            // `->` inside `Fn(u8) -> u8` closes nothing.
            TokenTree::Punct(p) if p.as_char() == '>' && punct(i - 1) != Some('-') => {
                depth -= 1;
                if depth == 0 {
                    return after.get(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a `?` after these tokens is the try operator: it follows an operand (a name, a
/// literal, a closing bracket), not a macro repetition nor punctuation (log's capture syntax
/// `key:? = value` formats with `Debug`, it unwraps nothing).
fn is_try_operator(before: &[TokenTree]) -> bool {
    matches!(
        before.last(),
        Some(TokenTree::Ident(_) | TokenTree::Literal(_) | TokenTree::Group(_))
    ) && !after_repetition(before)
}

/// Whether the tokens end with a macro repetition `$( .. )` (optionally with a separator):
/// a `?` there is the repetition operator, not the try operator.
fn after_repetition(before: &[TokenTree]) -> bool {
    let n = before.len();
    let dollar =
        |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == '$');
    match before.last() {
        Some(TokenTree::Group(_)) => dollar(n.checked_sub(2).and_then(|i| before.get(i))),
        Some(TokenTree::Punct(_)) => {
            matches!(
                n.checked_sub(2).and_then(|i| before.get(i)),
                Some(TokenTree::Group(_))
            ) && dollar(n.checked_sub(3).and_then(|i| before.get(i)))
        }
        _ => false,
    }
}

/// 1-based line of a span.
pub(crate) fn line_of(span: proc_macro2::Span) -> u32 {
    span.start().line as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::role::{CmpOp, Fixed};

    #[test]
    fn roles_of_common_assertion_macros() {
        let c = Config::default();
        assert_eq!(role("assert", &c), Role::Bool);
        assert_eq!(role("debug_assert_eq", &c), Role::Compare(CmpOp::Eq));
        assert_eq!(role("prop_assert_ne", &c), Role::Compare(CmpOp::Ne));
        assert_eq!(role("assert_ok", &c), Role::Fixed(Fixed::Smoke));
        assert_eq!(role("assert_err", &c), Role::Fixed(Fixed::Error));
        assert_eq!(role("assert_debug_snapshot", &c), Role::Snapshot);
        assert_eq!(role("assert_matches", &c), Role::Pattern);
        assert_eq!(role("unreachable", &c), Role::Fail);
        assert_eq!(role("verify", &c), Role::Unknown);
        let c = Config {
            assert_macros: vec!["verify".into()],
            ..Config::default()
        };
        assert_eq!(role("verify", &c), Role::OtherAssert);
    }

    #[test]
    fn compared_operands_skip_labels_and_float_types() {
        let operands = |src: &str| {
            let tokens: TokenStream = src.parse().unwrap();
            compared_operands(&tokens)
                .unwrap()
                .iter()
                .map(|e| quote::ToTokens::to_token_stream(e).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(operands("expected: 2, actual: f(x)"), ["2", "f (x)"]);
        assert_eq!(operands("f64, a, b, ulps = 2"), ["a", "b"]);
        assert_eq!(
            operands("Foo::BAR, x::y(1), \"msg\""),
            ["Foo :: BAR", "x :: y (1)"]
        );
    }

    #[test]
    fn leading_exprs_skip_inline_snapshots_and_messages() {
        let tokens: TokenStream = "value.render(), @\"inline\"".parse().unwrap();
        let exprs = parse_leading_exprs(&tokens, 1).unwrap();
        assert_eq!(exprs.len(), 1);
        assert!(parse_exprs(&tokens).is_none());
    }

    #[test]
    fn snapshot_values_skip_names_and_inline_snapshots() {
        let value = |src: &str| {
            let tokens: TokenStream = src.parse().unwrap();
            quote::ToTokens::to_token_stream(&snapshot_value(&tokens).unwrap()).to_string()
        };
        assert_eq!(value("render(x), @\"inline\""), "render (x)");
        assert_eq!(value("\"name\", render(x)"), "render (x)");
        assert_eq!(value("\"hello\", @\"hello\""), "\"hello\"");
        assert_eq!(value("\"hello\""), "\"hello\"");
    }

    #[test]
    fn token_scan_finds_nested_macros_calls_and_unwraps() {
        let tokens: TokenStream =
            "($a:expr) => {{ let v = check($a).unwrap(); assert_eq!(v, 1); }}"
                .parse()
                .unwrap();
        let mut uses = Vec::new();
        scan_tokens(tokens, &mut uses);
        assert!(uses
            .iter()
            .any(|u| matches!(u, TokenUse::Call(n) if n == "check")));
        assert!(uses.iter().any(|u| matches!(u, TokenUse::Unwrap(_))));
        assert!(uses
            .iter()
            .any(|u| matches!(u, TokenUse::Macro(n, _, _) if n == "assert_eq")));
    }

    #[test]
    fn token_scan_finds_calls_through_a_turbofish() {
        let calls = |src: &str| -> Vec<String> {
            let mut uses = Vec::new();
            scan_tokens(src.parse().unwrap(), &mut uses);
            uses.into_iter()
                .filter_map(|u| match u {
                    TokenUse::Call(n) => Some(n),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(calls("$( check::<$ty>(); )+"), ["check"]);
        assert_eq!(calls("run::<Vec<Box<dyn Fn(u8) -> u8>>>(x)")[0], "run");
        assert!(calls("let v = Vec::<u8>::new;").is_empty(), "no call");
    }

    #[test]
    fn a_question_mark_is_the_try_operator_only_after_an_operand() {
        let unwraps = |src: &str| {
            let mut uses = Vec::new();
            scan_tokens(src.parse().unwrap(), &mut uses);
            uses.iter()
                .filter(|u| matches!(u, TokenUse::Unwrap(_)))
                .count()
        };
        assert_eq!(unwraps("a = f()?, b = x?, c = v[0]?, d = 1?"), 4);
        assert_eq!(
            unwraps("a:? = 42, b:debug = 42; \"hello\""),
            0,
            "log's capture syntax"
        );
        assert_eq!(unwraps("$($x:expr),+ $(,)?"), 0, "a repetition");
    }
}
