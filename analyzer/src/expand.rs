//! A small `macro_rules!` expander, for the local macros that write tests
//! (`macro_rules! t { ($name:ident: $input:expr => $want:expr) => { #[test] fn $name() { .. } } }`
//! then `t!(one: "a" => "A");`), a common way to write table tests. The scan expands each
//! invocation of such a macro into the functions it writes, so their tests get names, lines and
//! verdicts like any other.
//!
//! It follows `macro_rules!` where the scan needs it: rules tried in order, fragments
//! (`ident`, `expr`, `ty`, `literal`, `tt`, `pat`, `path`, `block`, `stmt`, `item`,
//! `lifetime`, `vis`, `meta`) parsed by syn, repetitions with separators, nested groups, and
//! the same in the transcriber. What it cannot match gives no expansion (the tests stay
//! unscanned, as before), never a panic. Tokens the definition writes take the span of the
//! invocation, so a generated test sits on the line that wrote it.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use std::collections::HashMap;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};

/// A `macro_rules!` definition: its rules, in order.
#[derive(Clone, Debug)]
pub(crate) struct MacroRules {
    rules: Vec<(Vec<Matcher>, TokenStream)>,
}

/// One element of a rule's matcher.
#[derive(Clone, Debug)]
enum Matcher {
    /// A token to find as it is.
    Token(TokenTree),
    /// A delimited group and what it must hold.
    Group(Delimiter, Vec<Matcher>),
    /// `$name:kind`.
    Fragment(String, String),
    /// `$( .. ) sep op`.
    Repeat(Vec<Matcher>, Option<TokenTree>, char),
}

/// What a matcher captured: one fragment, or one capture per repetition.
#[derive(Clone, Debug)]
enum Captured {
    One(TokenStream),
    Many(Vec<Captured>),
}

type Captures = HashMap<String, Captured>;

impl MacroRules {
    /// The rules of `macro_rules! name { tokens }`; `None` when they are not `(..) => {..}`
    /// pairs.
    pub(crate) fn parse(tokens: TokenStream) -> Option<MacroRules> {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut rules = Vec::new();
        let mut i = 0;
        while i < trees.len() {
            let TokenTree::Group(matcher) = &trees[i] else {
                return None;
            };
            let arrow = matches!((trees.get(i + 1), trees.get(i + 2)),
                (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == '=' && b.as_char() == '>');
            let Some(TokenTree::Group(body)) = trees.get(i + 3).filter(|_| arrow) else {
                return None;
            };
            rules.push((matchers(matcher.stream())?, body.stream()));
            i += 4;
            if matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
                i += 1;
            }
        }
        (!rules.is_empty()).then_some(MacroRules { rules })
    }

    /// Whether some rule writes a test function: `#[..test..]` then `fn`.
    pub(crate) fn writes_tests(&self) -> bool {
        self.rules.iter().any(|(_, body)| writes_test(body.clone()))
    }

    /// Names of the macros its rules invoke (`name!(..)`, `path::name! { .. }`).
    pub(crate) fn calls(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (_, body) in &self.rules {
            invoked(body.clone(), &mut out);
        }
        out.sort();
        out.dedup();
        out
    }

    /// The tokens an invocation with `input` expands to (the first rule that matches); the
    /// definition's own tokens get `span`.
    pub(crate) fn expand(&self, input: &TokenStream, span: Span) -> Option<TokenStream> {
        self.rules.iter().find_map(|(matcher, body)| {
            let mut captures = Captures::new();
            match_whole(matcher, input.clone(), &mut captures).ok()?;
            let mut out = TokenStream::new();
            transcribe(body.clone(), &captures, span, &mut out)?;
            Some(out)
        })
    }
}

fn writes_test(body: TokenStream) -> bool {
    let trees: Vec<TokenTree> = body.into_iter().collect();
    let mut attr_test = false;
    for (i, t) in trees.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(g)) = trees.get(i + 1) {
                    attr_test |= g.stream().into_iter().any(
                        |t| matches!(&t, TokenTree::Ident(i) if i == "test" || i == "tokio" || i == "rstest"),
                    );
                }
            }
            TokenTree::Ident(i) if i == "fn" && attr_test => return true,
            TokenTree::Group(g) if writes_test(g.stream()) => return true,
            _ => {}
        }
    }
    false
}

/// Pushes the names of the macros `body` invokes: an identifier, `!`, then a group.
fn invoked(body: TokenStream, out: &mut Vec<String>) {
    let trees: Vec<TokenTree> = body.into_iter().collect();
    for (i, t) in trees.iter().enumerate() {
        match (t, trees.get(i + 1), trees.get(i + 2)) {
            (TokenTree::Ident(name), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(_)))
                if bang.as_char() == '!' =>
            {
                out.push(name.to_string())
            }
            (TokenTree::Group(g), _, _) => invoked(g.stream(), out),
            _ => {}
        }
    }
}

/// The matcher elements of a rule's pattern.
fn matchers(tokens: TokenStream) -> Option<Vec<Matcher>> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match trees.get(i + 1)? {
                TokenTree::Ident(name) => {
                    let colon =
                        matches!(trees.get(i + 2), Some(TokenTree::Punct(c)) if c.as_char() == ':');
                    let Some(TokenTree::Ident(kind)) = trees.get(i + 3).filter(|_| colon) else {
                        return None;
                    };
                    out.push(Matcher::Fragment(name.to_string(), kind.to_string()));
                    i += 4;
                }
                TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
                    let inner = matchers(g.stream())?;
                    let (sep, op, used) = repetition_tail(&trees[i + 2..])?;
                    out.push(Matcher::Repeat(inner, sep, op));
                    i += 2 + used;
                }
                _ => return None,
            },
            TokenTree::Group(g) => {
                out.push(Matcher::Group(g.delimiter(), matchers(g.stream())?));
                i += 1;
            }
            t => {
                out.push(Matcher::Token(t.clone()));
                i += 1;
            }
        }
    }
    Some(out)
}

/// After `$( .. )`: the separator (if any), the operator and how many tokens they took.
fn repetition_tail(rest: &[TokenTree]) -> Option<(Option<TokenTree>, char, usize)> {
    let op = |t: Option<&TokenTree>| match t {
        Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?') => Some(p.as_char()),
        _ => None,
    };
    if let Some(c) = op(rest.first()) {
        return Some((None, c, 1));
    }
    let c = op(rest.get(1))?;
    Some((Some(rest[0].clone()), c, 2))
}

fn same_token(a: &TokenTree, b: &TokenTree) -> bool {
    match (a, b) {
        (TokenTree::Ident(x), TokenTree::Ident(y)) => x == y,
        (TokenTree::Punct(x), TokenTree::Punct(y)) => x.as_char() == y.as_char(),
        (TokenTree::Literal(x), TokenTree::Literal(y)) => x.to_string() == y.to_string(),
        _ => false,
    }
}

/// Matches `matchers` against all of `tokens`, nothing left over.
fn match_whole(matchers: &[Matcher], tokens: TokenStream, out: &mut Captures) -> syn::Result<()> {
    let parser = |s: ParseStream| {
        match_all(matchers, s, out)?;
        if s.is_empty() {
            Ok(())
        } else {
            Err(s.error("tokens left over"))
        }
    };
    parser.parse2(tokens)
}

fn match_all(matchers: &[Matcher], input: ParseStream, out: &mut Captures) -> syn::Result<()> {
    for m in matchers {
        match m {
            Matcher::Token(want) => {
                let got: TokenTree = input.parse()?;
                if !same_token(&got, want) {
                    return Err(syn::Error::new(got.span(), "unexpected token"));
                }
            }
            Matcher::Group(delimiter, inner) => {
                let TokenTree::Group(g) = input.parse::<TokenTree>()? else {
                    return Err(input.error("expected a group"));
                };
                if g.delimiter() != *delimiter {
                    return Err(input.error("other delimiter"));
                }
                match_whole(inner, g.stream(), out)?;
            }
            Matcher::Fragment(name, kind) => {
                let tokens = fragment(kind, input)?;
                out.insert(name.clone(), Captured::One(tokens));
            }
            Matcher::Repeat(inner, sep, op) => {
                let rounds = repeat(inner, sep.as_ref(), *op, input)?;
                for name in names(inner) {
                    let each = rounds
                        .iter()
                        .filter_map(|r| r.get(&name).cloned())
                        .collect();
                    out.insert(name, Captured::Many(each));
                }
            }
        }
    }
    Ok(())
}

/// Matches `inner` as many times as it goes (at most once for `?`), separated by `sep`.
fn repeat(
    inner: &[Matcher],
    sep: Option<&TokenTree>,
    op: char,
    input: ParseStream,
) -> syn::Result<Vec<Captures>> {
    let mut rounds = Vec::new();
    while !input.is_empty() {
        let fork = input.fork();
        if let (Some(sep), false) = (sep, rounds.is_empty()) {
            match fork.parse::<TokenTree>() {
                Ok(t) if same_token(&t, sep) => {}
                _ => break,
            }
        }
        let mut captures = Captures::new();
        if match_all(inner, &fork, &mut captures).is_err() {
            break;
        }
        use syn::parse::discouraged::Speculative;
        input.advance_to(&fork);
        rounds.push(captures);
        if op == '?' {
            break;
        }
    }
    if op == '+' && rounds.is_empty() {
        return Err(input.error("expected at least one repetition"));
    }
    Ok(rounds)
}

/// The names captured by matchers (repetitions included).
fn names(matchers: &[Matcher]) -> Vec<String> {
    let mut out = Vec::new();
    for m in matchers {
        match m {
            Matcher::Fragment(name, _) => out.push(name.clone()),
            Matcher::Group(_, inner) | Matcher::Repeat(inner, _, _) => out.extend(names(inner)),
            Matcher::Token(_) => {}
        }
    }
    out
}

/// Parses one fragment of `kind` and returns its tokens. An expression of several tokens is
/// parenthesized, as the compiler keeps it one operand.
fn fragment(kind: &str, input: ParseStream) -> syn::Result<TokenStream> {
    use quote::ToTokens;
    Ok(match kind {
        "ident" => input.call(syn::Ident::parse_any)?.into_token_stream(),
        "expr" | "expr_2021" => {
            let e: syn::Expr = input.parse()?;
            let tokens = e.into_token_stream();
            if tokens.clone().into_iter().count() > 1 {
                TokenTree::Group(Group::new(Delimiter::Parenthesis, tokens)).into()
            } else {
                tokens
            }
        }
        "ty" => input.parse::<syn::Type>()?.into_token_stream(),
        "literal" => {
            let mut tokens = TokenStream::new();
            if input.peek(syn::Token![-]) {
                tokens.extend(input.parse::<syn::Token![-]>()?.into_token_stream());
            }
            tokens.extend(input.parse::<syn::Lit>()?.into_token_stream());
            tokens
        }
        "tt" => input.parse::<TokenTree>()?.into(),
        "pat" => syn::Pat::parse_multi_with_leading_vert(input)?.into_token_stream(),
        "pat_param" => syn::Pat::parse_single(input)?.into_token_stream(),
        "path" => input.parse::<syn::Path>()?.into_token_stream(),
        "block" => input.parse::<syn::Block>()?.into_token_stream(),
        "stmt" => input.parse::<syn::Stmt>()?.into_token_stream(),
        "item" => input.parse::<syn::Item>()?.into_token_stream(),
        "lifetime" => input.parse::<syn::Lifetime>()?.into_token_stream(),
        "vis" => input.parse::<syn::Visibility>()?.into_token_stream(),
        "meta" => input.parse::<syn::Meta>()?.into_token_stream(),
        _ => return Err(input.error("unknown fragment kind")),
    })
}

/// Writes `body` with the captures substituted; `None` when it uses a capture at the wrong
/// depth or a repetition whose captures disagree on their count.
fn transcribe(
    body: TokenStream,
    captures: &Captures,
    span: Span,
    out: &mut TokenStream,
) -> Option<()> {
    let trees: Vec<TokenTree> = body.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match trees.get(i + 1) {
                Some(TokenTree::Ident(name)) => {
                    match captures.get(&name.to_string()) {
                        Some(Captured::One(tokens)) => out.extend(tokens.clone()),
                        Some(Captured::Many(_)) => return None,
                        None if name == "crate" => {
                            out.extend([TokenTree::Ident(syn::Ident::new("crate", span))])
                        }
                        None => return None,
                    }
                    i += 2;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let (sep, _, used) = repetition_tail(&trees[i + 2..])?;
                    let inside = used_names(g.stream());
                    let counts: Vec<usize> = inside
                        .iter()
                        .filter_map(|n| match captures.get(n) {
                            Some(Captured::Many(v)) => Some(v.len()),
                            _ => None,
                        })
                        .collect();
                    let n = *counts.first()?;
                    if counts.iter().any(|&c| c != n) {
                        return None;
                    }
                    for round in 0..n {
                        if round > 0 {
                            if let Some(sep) = &sep {
                                out.extend([respan(sep.clone(), span)]);
                            }
                        }
                        let mut these = captures.clone();
                        for name in &inside {
                            if let Some(Captured::Many(v)) = captures.get(name) {
                                these.insert(name.clone(), v[round].clone());
                            }
                        }
                        transcribe(g.stream(), &these, span, out)?;
                    }
                    i += 2 + used;
                }
                _ => {
                    out.extend([respan(trees[i].clone(), span)]);
                    i += 1;
                }
            },
            TokenTree::Group(g) => {
                let mut inner = TokenStream::new();
                transcribe(g.stream(), captures, span, &mut inner)?;
                let mut group = Group::new(g.delimiter(), inner);
                group.set_span(span);
                out.extend([TokenTree::Group(group)]);
                i += 1;
            }
            t => {
                out.extend([respan(t.clone(), span)]);
                i += 1;
            }
        }
    }
    Some(())
}

/// Names used as `$name` in a transcriber.
fn used_names(body: TokenStream) -> Vec<String> {
    let trees: Vec<TokenTree> = body.into_iter().collect();
    let mut out = Vec::new();
    for (i, t) in trees.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                if let Some(TokenTree::Ident(name)) = trees.get(i + 1) {
                    out.push(name.to_string());
                }
            }
            TokenTree::Group(g) => out.extend(used_names(g.stream())),
            _ => {}
        }
    }
    out
}

fn respan(mut t: TokenTree, span: Span) -> TokenTree {
    t.set_span(span);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn expand(def: TokenStream, call: TokenStream) -> Option<String> {
        let rules = MacroRules::parse(def)?;
        Some(rules.expand(&call, Span::call_site())?.to_string())
    }

    #[test]
    fn a_table_test_macro_writes_one_test_per_invocation() {
        let def = quote! {
            ($t:ident : $s1:expr => $s2:expr) => {
                #[test]
                fn $t() { assert_eq!($s1.to_kebab_case(), $s2) }
            };
        };
        assert!(MacroRules::parse(def.clone()).unwrap().writes_tests());
        assert_eq!(
            expand(def, quote!(test1: "CamelCase" => "camel-case")).unwrap(),
            quote! { #[test] fn test1() { assert_eq!("CamelCase".to_kebab_case(), "camel-case") } }
                .to_string()
        );
    }

    #[test]
    fn rules_are_tried_in_order_and_repetitions_expand_with_their_separators() {
        let def = quote! {
            (one $name:ident) => { fn $name() {} };
            ($($name:ident = $v:expr),+ $(,)?) => { $( #[test] fn $name() { assert!($v); } )* };
        };
        let rules = MacroRules::parse(def).unwrap();
        let out = rules
            .expand(&quote!(a = x > 1, b = true,), Span::call_site())
            .unwrap()
            .to_string();
        assert_eq!(
            out,
            quote! { #[test] fn a() { assert!((x > 1)); } #[test] fn b() { assert!(true); } }
                .to_string()
        );
        let one = rules.expand(&quote!(one f), Span::call_site()).unwrap();
        assert_eq!(
            one.to_string(),
            quote!(
                fn f() {}
            )
            .to_string()
        );
        assert!(rules.expand(&quote!(= ;), Span::call_site()).is_none());
    }

    #[test]
    fn what_it_cannot_follow_gives_no_expansion() {
        assert!(MacroRules::parse(quote!(garbage)).is_none());
        assert!(MacroRules::parse(quote!(($x:expr) => )).is_none());
        let def = quote! { ($x:ident) => { $y } };
        assert_eq!(expand(def, quote!(a)), None, "an unknown capture");
        let depth = quote! { ($($x:ident)*) => { $x } };
        assert_eq!(expand(depth, quote!(a b)), None, "a repetition used bare");
        let plain = quote! { () => { fn helper() {} } };
        assert!(!MacroRules::parse(plain).unwrap().writes_tests());
    }

    #[test]
    fn definition_tokens_take_the_invocation_span() {
        let rules = MacroRules::parse(quote! { ($t:ident) => { #[test] fn $t() {} } }).unwrap();
        let here: TokenStream = "\n\n    here".parse().unwrap();
        let span = here.into_iter().next().unwrap().span();
        let out = rules.expand(&quote!(name), span).unwrap();
        let fn_token = out.into_iter().nth(2).unwrap();
        assert_eq!(fn_token.to_string(), "fn");
        assert_eq!(fn_token.span().start().line, 3);
    }
}
