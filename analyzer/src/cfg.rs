//! `cfg` predicates: parsed once into plain data, then asked either whether they make an item
//! test-only (`cfg(test)`, `cfg(all(test, ..))`) or whether they hold in the build the scan
//! stands for (`test` for unit tests, no `miri`, `debug_assertions`, the package's default
//! features, the host's `target_*`, `unix`/`windows`). `cfg_attr(pred, attrs..)` is followed.
//! [`active_block`] gives a body as the build compiles it, without its cfg'd-off statements.

use proc_macro2::{TokenStream, TokenTree};
use std::borrow::Cow;
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Block, Expr, Stmt};
use truecov_model::CfgOff;

/// A parsed `cfg` predicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cfg {
    /// `name`.
    Name(String),
    /// `key = "value"`.
    Pair(String, String),
    /// `all(..)`.
    All(Vec<Cfg>),
    /// `any(..)`.
    Any(Vec<Cfg>),
    /// `not(..)`.
    Not(Box<Cfg>),
    /// Something else; it holds (the scan keeps what it cannot judge).
    Unknown,
}

/// The build a predicate is evaluated for.
#[derive(Clone, Debug, Default)]
pub(crate) struct CfgEnv {
    /// `cfg(test)`: the crate is compiled as a test harness.
    pub test: bool,
    /// Enabled features.
    pub features: Vec<String>,
    /// `cfg(doc)` and `cfg(doctest)`: rustdoc collecting doctests.
    pub doc: bool,
}

impl Cfg {
    /// Parses the tokens inside `cfg(..)`.
    pub(crate) fn parse(tokens: TokenStream) -> Cfg {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        match trees.as_slice() {
            [TokenTree::Ident(i)] => Cfg::Name(i.to_string()),
            [TokenTree::Ident(k), TokenTree::Punct(eq), TokenTree::Literal(v)]
                if eq.as_char() == '=' =>
            {
                let v = v.to_string();
                Cfg::Pair(k.to_string(), v.trim_matches('"').to_string())
            }
            [TokenTree::Ident(i), TokenTree::Group(g)] => {
                let parts = split_commas(g.stream()).into_iter().map(Cfg::parse);
                match i.to_string().as_str() {
                    "all" => Cfg::All(parts.collect()),
                    "any" => Cfg::Any(parts.collect()),
                    "not" => {
                        let mut parts: Vec<Cfg> = parts.collect();
                        match (parts.pop(), parts.is_empty()) {
                            (Some(p), true) => Cfg::Not(Box::new(p)),
                            _ => Cfg::Unknown,
                        }
                    }
                    _ => Cfg::Unknown,
                }
            }
            _ => Cfg::Unknown,
        }
    }

    /// Whether the predicate holds only under `cfg(test)`.
    pub(crate) fn requires_test(&self) -> bool {
        match self {
            Cfg::Name(n) => n == "test",
            Cfg::All(parts) => parts.iter().any(Cfg::requires_test),
            Cfg::Any(parts) => !parts.is_empty() && parts.iter().all(Cfg::requires_test),
            _ => false,
        }
    }

    /// Whether the predicate holds in the build `env` describes, on the host; what the scan
    /// cannot judge holds.
    pub(crate) fn holds(&self, env: &CfgEnv) -> bool {
        self.value(env, false) != Some(false)
    }

    /// Whether the predicate is false in every build of `env`'s kind on this host, whatever
    /// its features, profile and custom `--cfg`s: only the target, `miri` (never set by
    /// cargo), `test` and `doc` decide.
    pub(crate) fn certainly_off(&self, env: &CfgEnv) -> bool {
        self.value(env, true) == Some(false)
    }

    /// The predicate's value, `None` when it cannot be judged; with `fixed_only`, only facts
    /// that no feature or profile changes are known.
    fn value(&self, env: &CfgEnv, fixed_only: bool) -> Option<bool> {
        let variable = |known: bool| (!fixed_only).then_some(known);
        match self {
            Cfg::Name(n) => match n.as_str() {
                "test" => Some(env.test),
                "debug_assertions" => variable(true),
                "unix" => Some(cfg!(unix)),
                "windows" => Some(cfg!(windows)),
                "doc" | "doctest" => Some(env.doc),
                "miri" => Some(false),
                // loom, fuzzing, and custom `--cfg`s are off unless RUSTFLAGS set them.
                _ => variable(false),
            },
            Cfg::Pair(k, v) => match k.as_str() {
                "feature" => variable(env.features.iter().any(|f| f == v)),
                "target_os" => Some(v == std::env::consts::OS),
                "target_arch" => Some(v == std::env::consts::ARCH),
                "target_family" => Some(v == std::env::consts::FAMILY),
                "target_pointer_width" => Some(v == &(usize::BITS).to_string()),
                "target_endian" => Some(
                    v == if cfg!(target_endian = "little") {
                        "little"
                    } else {
                        "big"
                    },
                ),
                "panic" => variable(v == "unwind"),
                // target_env, target_vendor, target_has_atomic, ...: not judged.
                _ => None,
            },
            Cfg::All(parts) => {
                let values: Vec<Option<bool>> =
                    parts.iter().map(|p| p.value(env, fixed_only)).collect();
                if values.contains(&Some(false)) {
                    Some(false)
                } else {
                    values.iter().all(Option::is_some).then_some(true)
                }
            }
            Cfg::Any(parts) => {
                let values: Vec<Option<bool>> =
                    parts.iter().map(|p| p.value(env, fixed_only)).collect();
                if values.contains(&Some(true)) {
                    Some(true)
                } else {
                    values.iter().all(Option::is_some).then_some(false)
                }
            }
            Cfg::Not(p) => p.value(env, fixed_only).map(|v| !v),
            Cfg::Unknown => None,
        }
    }
}

/// The predicate as source writes it (`not(feature = "x")`); what was not parsed is `..`.
impl std::fmt::Display for Cfg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |f: &mut std::fmt::Formatter<'_>, name: &str, parts: &[Cfg]| {
            let parts: Vec<String> = parts.iter().map(Cfg::to_string).collect();
            write!(f, "{name}({})", parts.join(", "))
        };
        match self {
            Cfg::Name(n) => f.write_str(n),
            Cfg::Pair(k, v) => write!(f, "{k} = {v:?}"),
            Cfg::All(parts) => list(f, "all", parts),
            Cfg::Any(parts) => list(f, "any", parts),
            Cfg::Not(p) => write!(f, "not({p})"),
            Cfg::Unknown => f.write_str(".."),
        }
    }
}

/// The first `cfg` of the attributes that does not hold in `env` (a test under it is not in
/// the binary), with whether it is off in every build ([`Cfg::certainly_off`]).
pub(crate) fn off(attrs: &[Attribute], env: &CfgEnv) -> Option<CfgOff> {
    cfgs(attrs, Some(env))
        .into_iter()
        .find(|c| !c.holds(env))
        .map(|c| CfgOff {
            cfg: c.to_string(),
            certain: c.certainly_off(env),
        })
}

/// The `cfg` predicates of attributes, those inside a `cfg_attr` whose own predicate holds in
/// `env` included (all `cfg_attr`s count when `env` is `None`).
pub(crate) fn cfgs(attrs: &[Attribute], env: Option<&CfgEnv>) -> Vec<Cfg> {
    let mut out = Vec::new();
    for (name, args) in active_attrs(attrs, env) {
        if name == "cfg" {
            out.push(Cfg::parse(args));
        }
    }
    out
}

/// Whether every `cfg` of the attributes holds in `env`.
pub(crate) fn enabled(attrs: &[Attribute], env: &CfgEnv) -> bool {
    cfgs(attrs, Some(env)).iter().all(|c| c.holds(env))
}

/// Whether an attribute named `name` (`macro_use`, `macro_export`) applies, directly or
/// through a `cfg_attr` whose predicate holds in `env`.
pub(crate) fn has_attr(attrs: &[Attribute], name: &str, env: &CfgEnv) -> bool {
    active_attrs(attrs, Some(env))
        .iter()
        .any(|(n, _)| n == name)
}

/// A body as the build `env` describes compiles it: statements (items, `let`s, expressions,
/// macro calls), match arms, struct-literal fields and array, tuple and argument elements whose
/// `cfg` does not hold are gone (`#[cfg(miri)] assert!(..)` checks nothing in the build the scan
/// stands for). Borrowed when nothing is cfg'd off. Also returns the predicates, as written,
/// that took parts out (`miri`), each once.
pub(crate) fn active_block<'b>(block: &'b Block, env: &CfgEnv) -> (Cow<'b, Block>, Vec<String>) {
    let mut find = FindDisabled {
        env,
        found: Vec::new(),
    };
    find.visit_block(block);
    if find.found.is_empty() {
        return (Cow::Borrowed(block), find.found);
    }
    let mut block = block.clone();
    Strip { env }.visit_block_mut(&mut block);
    (Cow::Owned(block), find.found)
}

/// The attributes of a statement.
fn stmt_attrs(stmt: &Stmt) -> &[Attribute] {
    match stmt {
        Stmt::Local(l) => &l.attrs,
        Stmt::Item(i) => item_attrs(i),
        Stmt::Expr(e, _) => expr_attrs(e),
        Stmt::Macro(m) => &m.attrs,
    }
}

/// The outer attributes of an item, for the kinds a body declares.
fn item_attrs(item: &syn::Item) -> &[Attribute] {
    match item {
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        _ => &[],
    }
}

/// The outer attributes of an expression, for the kinds that may carry a `cfg`.
fn expr_attrs(expr: &Expr) -> &[Attribute] {
    match expr {
        Expr::Block(e) => &e.attrs,
        Expr::Call(e) => &e.attrs,
        Expr::MethodCall(e) => &e.attrs,
        Expr::Macro(e) => &e.attrs,
        Expr::Assign(e) => &e.attrs,
        Expr::If(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::ForLoop(e) => &e.attrs,
        Expr::While(e) => &e.attrs,
        Expr::Loop(e) => &e.attrs,
        Expr::Unsafe(e) => &e.attrs,
        Expr::Path(e) => &e.attrs,
        Expr::Lit(e) => &e.attrs,
        Expr::Struct(e) => &e.attrs,
        Expr::Tuple(e) => &e.attrs,
        Expr::Array(e) => &e.attrs,
        Expr::Reference(e) => &e.attrs,
        Expr::Try(e) => &e.attrs,
        Expr::Closure(e) => &e.attrs,
        Expr::Return(e) => &e.attrs,
        _ => &[],
    }
}

/// Finds the predicates that take parts of a body out of the build.
struct FindDisabled<'e> {
    env: &'e CfgEnv,
    found: Vec<String>,
}

impl FindDisabled<'_> {
    /// Notes the predicates of `attrs` that do not hold.
    fn note(&mut self, attrs: &[Attribute]) {
        for (name, tokens) in active_attrs(attrs, Some(self.env)) {
            // `not (miri)` as written: `not(miri)`.
            let text = tokens.to_string().replace(" (", "(").replace(" ,", ",");
            if name == "cfg" && !Cfg::parse(tokens).holds(self.env) && !self.found.contains(&text) {
                self.found.push(text);
            }
        }
    }
}

impl<'ast> Visit<'ast> for FindDisabled<'_> {
    fn visit_stmt(&mut self, stmt: &'ast Stmt) {
        self.note(stmt_attrs(stmt));
        syn::visit::visit_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'ast Expr) {
        self.note(expr_attrs(expr));
        syn::visit::visit_expr(self, expr);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        self.note(&arm.attrs);
        syn::visit::visit_arm(self, arm);
    }

    fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
        self.note(&field.attrs);
        syn::visit::visit_field_value(self, field);
    }
}

/// Removes the cfg'd-off parts of a body.
struct Strip<'e> {
    env: &'e CfgEnv,
}

impl Strip<'_> {
    /// Drops the elements whose `cfg` is off.
    fn retain<T, P: Default>(
        &self,
        list: &mut Punctuated<T, P>,
        attrs: impl Fn(&T) -> &[Attribute],
    ) {
        if list.iter().all(|e| enabled(attrs(e), self.env)) {
            return;
        }
        *list = std::mem::take(list)
            .into_iter()
            .filter(|e| enabled(attrs(e), self.env))
            .collect();
    }
}

impl VisitMut for Strip<'_> {
    fn visit_block_mut(&mut self, block: &mut Block) {
        block.stmts.retain(|s| enabled(stmt_attrs(s), self.env));
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        m.arms.retain(|a| enabled(&a.attrs, self.env));
        syn::visit_mut::visit_expr_match_mut(self, m);
    }

    fn visit_expr_struct_mut(&mut self, s: &mut syn::ExprStruct) {
        self.retain(&mut s.fields, |f| &f.attrs);
        syn::visit_mut::visit_expr_struct_mut(self, s);
    }

    fn visit_expr_array_mut(&mut self, a: &mut syn::ExprArray) {
        self.retain(&mut a.elems, expr_attrs);
        syn::visit_mut::visit_expr_array_mut(self, a);
    }

    fn visit_expr_tuple_mut(&mut self, t: &mut syn::ExprTuple) {
        self.retain(&mut t.elems, expr_attrs);
        syn::visit_mut::visit_expr_tuple_mut(self, t);
    }

    fn visit_expr_call_mut(&mut self, c: &mut syn::ExprCall) {
        self.retain(&mut c.args, expr_attrs);
        syn::visit_mut::visit_expr_call_mut(self, c);
    }

    fn visit_expr_method_call_mut(&mut self, c: &mut syn::ExprMethodCall) {
        self.retain(&mut c.args, expr_attrs);
        syn::visit_mut::visit_expr_method_call_mut(self, c);
    }
}

/// Whether `#[cfg(..)]` attributes make an item test-only (`cfg(test)`, `cfg(all(test, ..))`).
pub(crate) fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<TokenStream>()
                .is_ok_and(|t| Cfg::parse(t).requires_test())
    })
}

/// Each attribute as (name, arguments), with `cfg_attr(pred, a, b)` replaced by `a`, `b` when
/// `pred` holds in `env` (always when `env` is `None`).
fn active_attrs(attrs: &[Attribute], env: Option<&CfgEnv>) -> Vec<(String, TokenStream)> {
    let mut out = Vec::new();
    for a in attrs {
        let name = a
            .path()
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        let args = a.parse_args::<TokenStream>().unwrap_or_default();
        if name == "cfg_attr" {
            let mut parts = split_commas(args).into_iter();
            let Some(pred) = parts.next() else { continue };
            if env.is_none_or(|env| Cfg::parse(pred).holds(env)) {
                out.extend(parts.map(attr_parts));
            }
        } else {
            out.push((name, args));
        }
    }
    out
}

/// What an attribute applies in `env`: its own meta, or for `cfg_attr(pred, a, b)` the metas
/// `a`, `b` (their own `cfg_attr`s followed) when `pred` holds, none when it does not.
/// `#![cfg_attr(feature = "alloc", doc = "```")]` is a doc fragment only with `alloc` on.
pub(crate) fn applied_metas(attr: &Attribute, env: &CfgEnv) -> Vec<syn::Meta> {
    fn expand(meta: syn::Meta, env: &CfgEnv, out: &mut Vec<syn::Meta>) {
        let syn::Meta::List(list) = &meta else {
            out.push(meta);
            return;
        };
        if !list.path.is_ident("cfg_attr") {
            out.push(meta);
            return;
        }
        let mut parts = split_commas(list.tokens.clone()).into_iter();
        let Some(pred) = parts.next() else { return };
        if !Cfg::parse(pred).holds(env) {
            return;
        }
        for part in parts {
            if let Ok(inner) = syn::parse2::<syn::Meta>(part) {
                expand(inner, env, out);
            }
        }
    }
    let mut out = Vec::new();
    expand(attr.meta.clone(), env, &mut out);
    out
}

/// The items a `cfg_if::cfg_if! { if #[cfg(a)] { .. } else if #[cfg(b)] { .. } else { .. } }`
/// item keeps in `env`: those of the first branch whose `cfg` holds (every branch's when
/// `env` is `None`). `None` when the item is no `cfg_if!` or does not parse as one.
pub(crate) fn cfg_if_items(item: &syn::Item, env: Option<&CfgEnv>) -> Option<Vec<syn::Item>> {
    use syn::parse::{ParseStream, Parser};
    let syn::Item::Macro(m) = item else {
        return None;
    };
    if m.mac.path.segments.last()?.ident != "cfg_if" {
        return None;
    }
    let parser = |input: ParseStream| {
        let mut branches: Vec<(Vec<Attribute>, Vec<syn::Item>)> = Vec::new();
        loop {
            let attrs = if input.peek(syn::Token![if]) {
                input.parse::<syn::Token![if]>()?;
                input.call(Attribute::parse_outer)?
            } else {
                Vec::new()
            };
            let content;
            syn::braced!(content in input);
            let mut items = Vec::new();
            while !content.is_empty() {
                items.push(content.parse::<syn::Item>()?);
            }
            branches.push((attrs, items));
            if input.is_empty() {
                return Ok(branches);
            }
            input.parse::<syn::Token![else]>()?;
        }
    };
    let branches = parser.parse2(m.mac.tokens.clone()).ok()?;
    Some(match env {
        Some(env) => branches
            .into_iter()
            .find(|(attrs, _)| enabled(attrs, env))
            .map(|(_, items)| items)
            .unwrap_or_default(),
        None => branches.into_iter().flat_map(|(_, items)| items).collect(),
    })
}

/// `name(args)` or `name` as (name, args).
fn attr_parts(tokens: TokenStream) -> (String, TokenStream) {
    let mut trees = tokens.into_iter();
    let name = match trees.next() {
        Some(TokenTree::Ident(i)) => i.to_string(),
        _ => String::new(),
    };
    let args = match trees.next() {
        Some(TokenTree::Group(g)) => g.stream(),
        _ => TokenStream::new(),
    };
    (name, args)
}

/// Splits tokens at top-level commas, dropping empty parts.
pub(crate) fn split_commas(tokens: TokenStream) -> Vec<TokenStream> {
    let mut parts = vec![TokenStream::new()];
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => parts.push(TokenStream::new()),
            _ => parts.last_mut().expect("never empty").extend([tt]),
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn attrs(tokens: TokenStream) -> Vec<Attribute> {
        let item: syn::ItemFn = syn::parse2(quote!(#tokens fn f() {})).unwrap();
        item.attrs
    }

    #[test]
    fn the_build_has_test_and_default_features_but_no_miri() {
        let env = CfgEnv {
            test: true,
            features: vec!["std".into()],
            doc: false,
        };
        let holds = |t: TokenStream| Cfg::parse(t).holds(&env);
        let os = std::env::consts::OS;
        assert!(holds(quote!(test)));
        assert!(!holds(quote!(miri)));
        assert!(holds(quote!(not(miri))));
        assert!(holds(quote!(all(test, feature = "std", debug_assertions))));
        assert!(!holds(quote!(any(miri, feature = "alloc"))));
        assert!(holds(quote!(target_os = #os)));
        assert!(!holds(quote!(target_arch = "no-such-arch")));
        assert_eq!(holds(quote!(unix)), cfg!(unix));
        assert!(
            holds(quote!(some_custom_key = "x")),
            "unknown keys are not judged"
        );
    }

    #[test]
    fn a_negated_predicate_the_scan_cannot_judge_still_holds() {
        let env = CfgEnv::default();
        assert!(Cfg::parse(quote!(not(target_env = "musl"))).holds(&env));
        assert!(Cfg::parse(quote!(not(not(a, b)))).holds(&env));
        assert!(!Cfg::parse(quote!(all(target_env = "musl", miri))).holds(&env));
    }

    #[test]
    fn only_the_target_and_miri_make_a_predicate_certainly_off() {
        let env = CfgEnv {
            test: true,
            features: vec!["std".into()],
            doc: false,
        };
        let off = |t: TokenStream| {
            let c = Cfg::parse(t);
            (c.holds(&env), c.certainly_off(&env))
        };
        let arch = if cfg!(target_arch = "wasm32") {
            "x86_64"
        } else {
            "wasm32"
        };
        assert_eq!(off(quote!(miri)), (false, true));
        assert_eq!(off(quote!(target_arch = #arch)), (false, true));
        assert_eq!(
            off(quote!(all(feature = "std", target_arch = #arch))),
            (false, true)
        );
        assert_eq!(
            off(quote!(not(feature = "std"))),
            (false, false),
            "features can change"
        );
        assert_eq!(off(quote!(feature = "alloc")), (false, false));
        assert_eq!(
            off(quote!(not(debug_assertions))),
            (false, false),
            "--release"
        );
        assert_eq!(off(quote!(loom)), (false, false), "RUSTFLAGS can set it");
        assert_eq!(off(quote!(any(miri, feature = "alloc"))), (false, false));
        assert_eq!(off(quote!(not(miri))), (true, false));
    }

    #[test]
    fn the_first_cfg_that_does_not_hold_is_shown_as_written() {
        let env = CfgEnv::default();
        let found = off(
            &attrs(quote!(#[cfg(unix)] #[cfg(feature = "unicode-case")] #[cfg(miri)])),
            &env,
        );
        let first = if cfg!(unix) {
            "feature = \"unicode-case\""
        } else {
            "unix"
        };
        assert_eq!(found.map(|o| o.cfg), Some(first.to_string()));
        assert_eq!(
            Cfg::parse(quote!(all(target_os = "wasi", any(miri, loom)))).to_string(),
            "all(target_os = \"wasi\", any(miri, loom))"
        );
        let test = CfgEnv { test: true, ..env };
        assert_eq!(off(&attrs(quote!(#[cfg(test)] #[inline])), &test), None);
    }

    #[test]
    fn cfg_attr_applies_its_attributes_only_when_its_predicate_holds() {
        let env = CfgEnv::default();
        let on = attrs(quote!(#[cfg_attr(not(miri), macro_export)] #[cfg(not(test))]));
        assert!(has_attr(&on, "macro_export", &env));
        assert!(enabled(&on, &env));
        assert!(!enabled(
            &on,
            &CfgEnv {
                test: true,
                ..env.clone()
            }
        ));
        let off = attrs(quote!(#[cfg_attr(miri, macro_export, cfg(test))]));
        assert!(!has_attr(&off, "macro_export", &env));
        assert!(
            enabled(&off, &env),
            "the cfg inside a false cfg_attr does not apply"
        );
        assert_eq!(cfgs(&off, None), vec![Cfg::Name("test".into())]);
    }

    #[test]
    fn cfg_attr_applies_its_metas_nested_ones_included_when_its_predicate_holds() {
        let env = CfgEnv {
            features: vec!["alloc".into()],
            ..CfgEnv::default()
        };
        let texts = |tokens: TokenStream| -> Vec<String> {
            let attr = &attrs(tokens)[0];
            applied_metas(attr, &env)
                .iter()
                .map(|m| quote!(#m).to_string().replace(' ', ""))
                .collect()
        };
        assert_eq!(
            texts(quote!(#[cfg_attr(feature = "alloc", doc = "```", inline)])),
            ["doc=\"```\"", "inline"]
        );
        assert!(texts(quote!(#[cfg_attr(not(feature = "alloc"), doc = "```ignore")])).is_empty());
        assert_eq!(
            texts(quote!(#[cfg_attr(feature = "alloc", cfg_attr(not(miri), doc = "x"))])),
            ["doc=\"x\""]
        );
        assert_eq!(texts(quote!(#[doc = "plain"])), ["doc=\"plain\""]);
    }

    #[test]
    fn a_body_loses_what_its_cfgs_leave_out_of_the_build() {
        let env = CfgEnv {
            test: true,
            ..CfgEnv::default()
        };
        let block: Block = syn::parse2(quote!({
            let n = f();
            #[cfg(miri)]
            assert_eq!(n, 1);
            #[cfg(not(miri))]
            assert_eq!(n, 2);
            #[cfg(feature = "off")]
            {
                check(n);
            }
            match n {
                #[cfg(miri)]
                _ => {}
                _ => g(
                    S {
                        a: 1,
                        #[cfg(miri)]
                        b: 2,
                    },
                    [
                        1,
                        #[cfg(miri)]
                        2,
                    ],
                ),
            }
        }))
        .unwrap();
        let (active, out) = active_block(&block, &env);
        // (syn may print a trailing comma after the last argument.)
        let text = quote!(#active)
            .to_string()
            .replace(' ', "")
            .replace(",)", ")");
        assert_eq!(out, ["miri", "feature = \"off\""]);
        assert_eq!(
            text,
            "{letn=f();#[cfg(not(miri))]assert_eq!(n,2);matchn{_=>g(S{a:1},[1]),}}"
        );
        let kept: Block = syn::parse2(quote!({
            #[cfg(test)]
            check();
        }))
        .unwrap();
        let (same, none) = active_block(&kept, &env);
        assert!(matches!(same, Cow::Borrowed(_)) && none.is_empty());
    }

    #[test]
    fn cfg_if_keeps_the_first_branch_whose_cfg_holds() {
        let item: syn::Item = syn::parse2(quote!(cfg_if::cfg_if! {
            if #[cfg(miri)] {
                mod slow;
            } else if #[cfg(not(miri))] {
                mod fast;
                fn helper() {}
            } else {
                mod other;
            }
        }))
        .unwrap();
        let names = |env: Option<&CfgEnv>| -> Vec<String> {
            cfg_if_items(&item, env)
                .unwrap()
                .iter()
                .map(|i| match i {
                    syn::Item::Mod(m) => m.ident.to_string(),
                    syn::Item::Fn(f) => f.sig.ident.to_string(),
                    _ => String::new(),
                })
                .collect()
        };
        assert_eq!(names(Some(&CfgEnv::default())), ["fast", "helper"]);
        assert_eq!(names(None), ["slow", "fast", "helper", "other"]);
        let other: syn::Item = syn::parse2(quote!(other! { if #[cfg(miri)] {} })).unwrap();
        assert!(cfg_if_items(&other, None).is_none());
    }

    #[test]
    fn test_only_items_are_those_whose_cfg_needs_test() {
        assert!(is_cfg_test(&attrs(quote!(#[cfg(all(test, unix))]))));
        assert!(is_cfg_test(&attrs(quote!(#[cfg(any(test, all(test, x)))]))));
        assert!(!is_cfg_test(&attrs(
            quote!(#[cfg(any(test, feature = "x"))])
        )));
        assert!(!is_cfg_test(&attrs(quote!(#[cfg(not(test))]))));
        assert_eq!(Cfg::parse(quote!(not(a, b))), Cfg::Unknown);
    }
}
