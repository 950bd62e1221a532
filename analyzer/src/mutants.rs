//! Extreme mutants of library functions, in the manner of PIT's Descartes engine and
//! cargo-mutants' `FnValue` genre: a function's whole body is replaced by a value of its return
//! type that a test which checks the function should reject (`0`, `1`, `true`, `false`,
//! `String::new()`, `None`, `vec![]`, `Ok(..)`, `Default::default()`, ...).
//!
//! This module only reads source text: syn finds each function's body and return type, and the
//! values come out as Rust expressions. Building and running them is the coverage engine's
//! business. What cannot be expressed is skipped with a reason rather than guessed; a value that
//! may not compile (`Default::default()` of a type without `Default`) is still produced, and the
//! build tells.
//!
//! Functions are skipped as cargo-mutants skips them, so that both tools judge the same
//! functions: `unsafe fn`s, constructors named `new`, methods of `impl Default`, empty bodies,
//! functions that never return, and those marked `#[mutants::skip]`.

use crate::source::SourceFile;
use quote::ToTokens;
use std::collections::HashMap;
use std::path::Path;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Attribute, Block, GenericArgument, PathArguments, ReturnType, Signature, Type};
use truecov_model::{LibFunction, Pos, SkipReason, Warning};

/// The mutants of one library function: where its body is and which values replace it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionMutants {
    /// Cargo package.
    pub package: String,
    /// The function's name as the scan gives it (`account::Account::withdraw`).
    pub name: String,
    /// Workspace-relative file.
    pub file: String,
    /// 1-based line of `fn`.
    pub line: u32,
    /// Byte offset in the file of the body's first statement: a statement inserted there runs
    /// before anything else the function does.
    pub body_first: usize,
    /// Byte offset in the file of the body's closing brace: replacing `body_first..body_end`
    /// replaces what the body does (inner attributes are kept).
    pub body_end: usize,
    /// An early `return VALUE;` inserted at `body_first` is the same mutant as the replaced
    /// body. Not so for a `const fn` (which cannot test a run-time switch) or a function
    /// returning `impl Trait` (whose hidden type would have to be the value's and the body's at
    /// once): their mutants need the body replaced.
    pub guardable: bool,
    /// For a function returning `impl Bounds` (not a `const fn`): `Box<dyn Bounds>`, a type
    /// every value of it can be boxed into, so that one replaced body can hold all of its
    /// mutants behind a run-time switch. It may not compile (`dyn` needs one non-auto trait):
    /// the builder then replaces the body once per mutant.
    pub boxed: Option<String>,
    /// Replacement values as Rust expressions, without duplicates or the body's own value.
    pub values: Vec<String>,
    /// Why the function has no mutants, when it has none.
    pub skipped: Option<SkipReason>,
}

/// The mutants of `functions`, in their order, reading each file once from under `root`.
/// Functions whose file cannot be read or parsed are left out, with a warning.
pub fn plan(root: &Path, functions: &[&LibFunction]) -> (Vec<FunctionMutants>, Vec<Warning>) {
    let mut by_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in functions.iter().enumerate() {
        by_file.entry(f.file.as_str()).or_default().push(i);
    }
    let mut found: Vec<Option<FunctionMutants>> = vec![None; functions.len()];
    let mut warnings = Vec::new();
    for (rel, indexes) in by_file {
        match SourceFile::load(root, &root.join(rel)) {
            Ok(file) => {
                let of_file: Vec<&LibFunction> = indexes.iter().map(|&i| functions[i]).collect();
                for (i, m) in indexes.iter().zip(plan_file(&file, &of_file)) {
                    found[*i] = Some(m);
                }
            }
            Err(e) => warnings.push(Warning {
                file: e.rel,
                message: e.message,
            }),
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }
    (found.into_iter().flatten().collect(), warnings)
}

/// The mutants of `functions`, all of them in `file`, in their order.
pub(crate) fn plan_file(file: &SourceFile, functions: &[&LibFunction]) -> Vec<FunctionMutants> {
    let mut finder = Finder {
        file,
        in_default_impl: false,
        in_impl_or_trait: false,
        found: HashMap::new(),
    };
    finder.visit_file(&file.ast);
    functions
        .iter()
        .map(|f| {
            finder
                .found
                .get(&f.body_start)
                .map_or_else(|| not_found(f), |site| site.mutants_of(f))
        })
        .collect()
}

fn not_found(f: &LibFunction) -> FunctionMutants {
    FunctionMutants {
        package: f.package.clone(),
        name: f.name.clone(),
        file: f.file.clone(),
        line: f.line,
        body_first: 0,
        body_end: 0,
        guardable: false,
        boxed: None,
        values: Vec::new(),
        skipped: Some(SkipReason::NotFound),
    }
}

/// What the syntax tree says about one function, found by the position of its body.
struct Site {
    body_first: usize,
    body_end: usize,
    guardable: bool,
    boxed: Option<String>,
    values: Vec<String>,
    skipped: Option<SkipReason>,
}

impl Site {
    fn mutants_of(&self, f: &LibFunction) -> FunctionMutants {
        FunctionMutants {
            package: f.package.clone(),
            name: f.name.clone(),
            file: f.file.clone(),
            line: f.line,
            body_first: self.body_first,
            body_end: self.body_end,
            guardable: self.guardable,
            boxed: self.boxed.clone(),
            values: self.values.clone(),
            skipped: self.skipped,
        }
    }
}

/// Walks a file and describes every function with a body, keyed by the body's `{`.
struct Finder<'a> {
    file: &'a SourceFile,
    in_default_impl: bool,
    in_impl_or_trait: bool,
    found: HashMap<Pos, Site>,
}

impl Finder<'_> {
    fn function(&mut self, attrs: &[Attribute], sig: &Signature, block: &Block) {
        let open = block.brace_token.span.open();
        let close = block.brace_token.span.close().byte_range().start;
        let body_first = block
            .stmts
            .first()
            .map_or(close, |s| s.span().byte_range().start);
        let skipped = if matches!(sig.safety, syn::Safety::Unsafe(_)) {
            Some(SkipReason::Unsafe)
        } else if self.in_impl_or_trait && sig.ident == "new" {
            Some(SkipReason::Constructor)
        } else if self.in_default_impl {
            Some(SkipReason::DefaultImpl)
        } else if attrs.iter().any(is_mutants_skip) {
            Some(SkipReason::Attribute)
        } else if block.stmts.is_empty() {
            Some(SkipReason::EmptyBody)
        } else {
            None
        };
        let values = match skipped {
            Some(_) => Vec::new(),
            None => without_body_value(return_values(&sig.output), block),
        };
        let skipped = skipped.or_else(|| values.is_empty().then_some(SkipReason::NoValue));
        let guardable = sig.constness.is_none()
            && match &sig.output {
                ReturnType::Default => true,
                ReturnType::Type(_, ty) => !has_impl_trait(ty),
            };
        let boxed = match &sig.output {
            ReturnType::Type(_, ty) if sig.constness.is_none() => match &**ty {
                Type::ImplTrait(t) => Some(boxed_type(t)),
                _ => None,
            },
            _ => None,
        };
        self.found.insert(
            self.file.pos(open.start()),
            Site {
                body_first,
                body_end: close,
                guardable,
                boxed,
                values,
                skipped,
            },
        );
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        // A nested function is free even inside a method.
        let outer = (self.in_impl_or_trait, self.in_default_impl);
        (self.in_impl_or_trait, self.in_default_impl) = (false, false);
        self.function(&f.attrs, &f.sig, &f.block);
        syn::visit::visit_item_fn(self, f);
        (self.in_impl_or_trait, self.in_default_impl) = outer;
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let outer = (self.in_impl_or_trait, self.in_default_impl);
        self.in_impl_or_trait = true;
        self.in_default_impl = i
            .trait_
            .as_ref()
            .is_some_and(|(path, _)| last_ident_is(path, "Default"));
        syn::visit::visit_item_impl(self, i);
        (self.in_impl_or_trait, self.in_default_impl) = outer;
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.function(&f.attrs, &f.sig, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        let outer = (self.in_impl_or_trait, self.in_default_impl);
        (self.in_impl_or_trait, self.in_default_impl) = (true, false);
        syn::visit::visit_item_trait(self, t);
        (self.in_impl_or_trait, self.in_default_impl) = outer;
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.function(&f.attrs, &f.sig, block);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

/// `#[mutants::skip]`, also inside `#[cfg_attr(.., mutants::skip)]`.
fn is_mutants_skip(attr: &Attribute) -> bool {
    let path = attr.path();
    let named = |p: &syn::Path| {
        p.segments.len() == 2 && p.segments[0].ident == "mutants" && p.segments[1].ident == "skip"
    };
    named(path)
        || (path.is_ident("cfg_attr")
            && attr
                .meta
                .to_token_stream()
                .to_string()
                .replace(' ', "")
                .contains("mutants::skip"))
}

fn last_ident_is(path: &syn::Path, name: &str) -> bool {
    path.segments.last().is_some_and(|s| s.ident == name)
}

/// `Box<dyn Bounds>` for `impl Bounds`, with `+ '_` when the bounds name no lifetime: a trait
/// object's lifetime defaults to `'static`, while an edition-2024 `impl Trait` may borrow from the
/// arguments without saying so.
fn boxed_type(t: &syn::TypeImplTrait) -> String {
    let bounds = t.bounds.to_token_stream();
    let has_lifetime = t
        .bounds
        .iter()
        .any(|b| matches!(b, syn::TypeParamBound::Lifetime(_)));
    if has_lifetime {
        format!("Box<dyn {bounds}>")
    } else {
        format!("Box<dyn {bounds} + '_>")
    }
}

/// Whether `impl Trait` appears anywhere in a type.
fn has_impl_trait(ty: &Type) -> bool {
    struct Seen(bool);
    impl<'ast> Visit<'ast> for Seen {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut seen = Seen(false);
    seen.visit_type(ty);
    seen.0
}

/// `values` without duplicates and without the one the body already is (`fn t() -> bool {
/// true }` gets `false` only).
fn without_body_value(values: Vec<String>, block: &Block) -> Vec<String> {
    let body = match block.stmts.as_slice() {
        [syn::Stmt::Expr(e, None)] => Some(e.to_token_stream().to_string()),
        _ => None,
    };
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let tokens = syn::parse_str::<syn::Expr>(&v).map(|e| e.to_token_stream().to_string());
        let same_as_body = body.is_some() && tokens.ok() == body;
        if !same_as_body && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// The values that replace a body returning `output`.
fn return_values(output: &ReturnType) -> Vec<String> {
    match output {
        ReturnType::Default => vec!["()".into()],
        ReturnType::Type(_, ty) => values(ty),
    }
}

const UNSIGNED: [&str; 6] = ["u8", "u16", "u32", "u64", "u128", "usize"];
const SIGNED: [&str; 6] = ["i8", "i16", "i32", "i64", "i128", "isize"];
const CONTAINERS: [&str; 6] = ["Box", "Rc", "Arc", "Cell", "RefCell", "Mutex"];
const COLLECTIONS: [&str; 5] = [
    "BTreeSet",
    "HashSet",
    "VecDeque",
    "BinaryHeap",
    "LinkedList",
];
const MAPS: [&str; 2] = ["BTreeMap", "HashMap"];

/// Values of a type that a correct test should tell from what the function computes.
fn values(ty: &Type) -> Vec<String> {
    match ty {
        Type::Path(p) if p.qself.is_none() => path_values(&p.path),
        Type::Paren(p) => values(&p.elem),
        Type::Group(g) => values(&g.elem),
        Type::Tuple(t) if t.elems.is_empty() => vec!["()".into()],
        Type::Tuple(t) => {
            let combinations = t
                .elems
                .iter()
                .map(values)
                .fold(vec![Vec::new()], |acc, vs| {
                    acc.iter()
                        .flat_map(|a: &Vec<String>| {
                            vs.iter()
                                .map(move |v| [a.as_slice(), std::slice::from_ref(v)].concat())
                        })
                        .collect()
                });
            combinations
                .into_iter()
                .map(|parts| match parts.as_slice() {
                    [one] => format!("({one},)"),
                    _ => format!("({})", parts.join(", ")),
                })
                .collect()
        }
        Type::Array(a) => {
            let len = a.len.to_token_stream().to_string();
            values(&a.elem)
                .into_iter()
                .map(|v| format!("[{v}; {len}]"))
                .collect()
        }
        Type::Slice(s) => slice_values(&s.elem),
        Type::Reference(r) => match &*r.elem {
            Type::Path(p) if p.path.is_ident("str") => vec!["\"\"".into(), "\"xyzzy\"".into()],
            Type::Slice(s) => slice_values(&s.elem),
            elem => values(elem)
                .into_iter()
                .map(|v| format!("Box::leak(Box::new({v}))"))
                .collect(),
        },
        Type::ImplTrait(t) => iterator_item(t).map_or_else(Vec::new, |item| {
            std::iter::once("::std::iter::empty()".to_string())
                .chain(
                    values(item)
                        .into_iter()
                        .map(|v| format!("::std::iter::once({v})")),
                )
                .collect()
        }),
        Type::Never(_) => Vec::new(),
        _ => vec![DEFAULT.into()],
    }
}

const DEFAULT: &str = "Default::default()";

fn slice_values(elem: &Type) -> Vec<String> {
    std::iter::once("Vec::leak(Vec::new())".to_string())
        .chain(
            values(elem)
                .into_iter()
                .map(|v| format!("Vec::leak(vec![{v}])")),
        )
        .collect()
}

/// Values of a named type: primitives, std's wrappers and collections, else its default.
fn path_values(path: &syn::Path) -> Vec<String> {
    let Some(last) = path.segments.last() else {
        return vec![DEFAULT.into()];
    };
    let name = last.ident.to_string();
    let args = type_args(&last.arguments);
    let ctor = constructor_path(path);
    let wrap = |ty: &Type, f: &dyn Fn(&str) -> String| -> Vec<String> {
        values(ty).iter().map(|v| f(v)).collect()
    };
    let single = path.segments.len() == 1 && args.is_empty();
    match (name.as_str(), args.as_slice()) {
        ("bool", []) if single => vec!["true".into(), "false".into()],
        ("String", []) => vec!["String::new()".into(), "\"xyzzy\".into()".into()],
        ("str", []) if single => vec!["\"\"".into(), "\"xyzzy\"".into()],
        (n, []) if single && UNSIGNED.contains(&n) => vec!["0".into(), "1".into()],
        (n, []) if single && SIGNED.contains(&n) => vec!["0".into(), "1".into(), "-1".into()],
        ("f32" | "f64", []) if single => vec!["0.0".into(), "1.0".into(), "-1.0".into()],
        ("Result", [ok, rest @ ..]) => {
            let mut out = wrap(ok, &|v| format!("Ok({v})"));
            out.extend(error_value(path, rest.first().copied()));
            out
        }
        ("Result", []) => vec![format!("Ok({DEFAULT})")],
        ("Option", [some]) => std::iter::once("None".to_string())
            .chain(wrap(some, &|v| format!("Some({v})")))
            .collect(),
        ("Vec", [elem]) => std::iter::once("vec![]".to_string())
            .chain(wrap(elem, &|v| format!("vec![{v}]")))
            .collect(),
        ("Cow", [borrowed]) => values(borrowed)
            .iter()
            .flat_map(|v| {
                [
                    format!("{ctor}::Borrowed({v})"),
                    format!("{ctor}::Owned({v}.to_owned())"),
                ]
            })
            .collect(),
        (n, [inner]) if CONTAINERS.contains(&n) => wrap(inner, &|v| format!("{ctor}::new({v})")),
        (n, [elem]) if COLLECTIONS.contains(&n) => std::iter::once(format!("{ctor}::new()"))
            .chain(wrap(elem, &|v| format!("{ctor}::from_iter([{v}])")))
            .collect(),
        (n, [key, value]) if MAPS.contains(&n) => {
            let vals = values(value);
            let mut out = vec![format!("{ctor}::new()")];
            for k in values(key) {
                out.extend(
                    vals.iter()
                        .map(|v| format!("{ctor}::from_iter([({k}, {v})])")),
                );
            }
            out
        }
        _ => vec![DEFAULT.into()],
    }
}

/// An `Err` that can be built for a `Result`'s error type without guessing: a message for
/// `String`, `&str`, `Box<dyn Error>`, and `anyhow::anyhow!` for anyhow's results.
fn error_value(result: &syn::Path, error: Option<&Type>) -> Option<String> {
    let anyhow = result.segments.len() == 2 && result.segments[0].ident == "anyhow";
    let Some(error) = error else {
        return anyhow.then(|| "Err(::anyhow::anyhow!(\"mutated\"))".into());
    };
    let text = error.to_token_stream().to_string().replace(' ', "");
    let message = text == "String"
        || text.starts_with("&") && text.ends_with("str")
        || text.starts_with("Box<dyn") && text.contains("Error");
    if message {
        Some("Err(\"mutated\".into())".into())
    } else if text == "anyhow::Error" {
        Some("Err(::anyhow::anyhow!(\"mutated\"))".into())
    } else {
        None
    }
}

/// The type arguments of a path segment (lifetimes and bindings left out).
fn type_args(args: &PathArguments) -> Vec<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The path as written, without generic arguments: `std::sync::Arc<T>` gives `std::sync::Arc`.
fn constructor_path(path: &syn::Path) -> String {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let lead = if path.leading_colon.is_some() {
        "::"
    } else {
        ""
    };
    format!("{lead}{}", names.join("::"))
}

/// `T` of `impl Iterator<Item = T>`.
fn iterator_item(t: &syn::TypeImplTrait) -> Option<&Type> {
    t.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(tb) = bound else {
            return None;
        };
        let last = tb.path.segments.last()?;
        if last.ident != "Iterator" {
            return None;
        }
        let PathArguments::AngleBracketed(a) = &last.arguments else {
            return None;
        };
        a.args.iter().find_map(|arg| match arg {
            GenericArgument::AssocType(at) if at.ident == "Item" => Some(&at.ty),
            _ => None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::Config;

    /// The mutants of every library function of one file's text.
    fn mutants(text: &str) -> Vec<FunctionMutants> {
        let scan = crate::scan_source("src/lib.rs", text, &Config::default()).unwrap();
        let file =
            SourceFile::parse("src/lib.rs".into(), "src/lib.rs".into(), text.into()).unwrap();
        let functions: Vec<&LibFunction> = scan.functions.iter().collect();
        plan_file(&file, &functions)
    }

    fn values_of(text: &str, name: &str) -> Vec<String> {
        let all = mutants(text);
        let f = all.iter().find(|m| m.name == name).unwrap();
        f.values.clone()
    }

    fn ret(ty: &str) -> Vec<String> {
        return_values(&syn::parse_str::<ReturnType>(&format!("-> {ty}")).unwrap())
    }

    #[test]
    fn primitive_values_are_the_extremes() {
        assert_eq!(ret("u32"), ["0", "1"]);
        assert_eq!(ret("i64"), ["0", "1", "-1"]);
        assert_eq!(ret("bool"), ["true", "false"]);
        assert_eq!(ret("f64"), ["0.0", "1.0", "-1.0"]);
        assert_eq!(ret("String"), ["String::new()", "\"xyzzy\".into()"]);
        assert_eq!(ret("&'a str"), ["\"\"", "\"xyzzy\""]);
        assert_eq!(ret("char"), ["Default::default()"]);
        assert_eq!(
            return_values(&syn::parse_str::<ReturnType>("").unwrap()),
            ["()"]
        );
    }

    #[test]
    fn wrapper_values_nest_the_inner_ones() {
        assert_eq!(ret("Option<bool>"), ["None", "Some(true)", "Some(false)"]);
        assert_eq!(ret("Result<u8, MyError>"), ["Ok(0)", "Ok(1)"]);
        assert_eq!(ret("fmt::Result"), ["Ok(Default::default())"]);
        assert_eq!(
            ret("Result<(), String>"),
            ["Ok(())", "Err(\"mutated\".into())"]
        );
        assert_eq!(
            ret("anyhow::Result<Token>"),
            [
                "Ok(Default::default())",
                "Err(::anyhow::anyhow!(\"mutated\"))"
            ]
        );
        assert_eq!(ret("Vec<u8>"), ["vec![]", "vec![0]", "vec![1]"]);
        assert_eq!(
            ret("std::sync::Arc<str>"),
            [
                "std::sync::Arc::new(\"\")",
                "std::sync::Arc::new(\"xyzzy\")"
            ]
        );
        assert_eq!(
            ret("HashMap<bool, u8>").len(),
            5,
            "empty, then every key with every value"
        );
        assert_eq!(
            ret("Cow<'static, str>"),
            [
                "Cow::Borrowed(\"\")",
                "Cow::Owned(\"\".to_owned())",
                "Cow::Borrowed(\"xyzzy\")",
                "Cow::Owned(\"xyzzy\".to_owned())"
            ]
        );
        assert_eq!(
            ret("(bool, u8)"),
            ["(true, 0)", "(true, 1)", "(false, 0)", "(false, 1)"]
        );
        assert_eq!(ret("(bool,)"), ["(true,)", "(false,)"]);
        assert_eq!(ret("[u8; 4]"), ["[0; 4]", "[1; 4]"]);
        assert_eq!(
            ret("&[u8]"),
            [
                "Vec::leak(Vec::new())",
                "Vec::leak(vec![0])",
                "Vec::leak(vec![1])"
            ]
        );
        assert_eq!(ret("&mut bool")[0], "Box::leak(Box::new(true))");
        assert_eq!(
            ret("impl Iterator<Item = u8> + '_"),
            [
                "::std::iter::empty()",
                "::std::iter::once(0)",
                "::std::iter::once(1)"
            ]
        );
        assert_eq!(ret("impl Fn(u8)"), Vec::<String>::new());
        assert_eq!(ret("!"), Vec::<String>::new());
        assert_eq!(ret("Self"), ["Default::default()"]);
    }

    #[test]
    fn every_value_parses_as_an_expression() {
        for ty in [
            "Option<Vec<(u8, String)>>",
            "Result<Box<[i8; 2]>, String>",
            "BTreeSet<&'static str>",
            "Rc<RefCell<bool>>",
        ] {
            for v in ret(ty) {
                let parsed =
                    syn::parse_str::<syn::Expr>(&v).unwrap_or_else(|e| panic!("{ty}: {v}: {e}"));
                let printed = parsed.to_token_stream().to_string();
                assert_eq!(printed.replace(' ', ""), v.replace(' ', ""), "{ty}");
            }
        }
    }

    #[test]
    fn the_body_is_found_by_its_position_and_spliced_by_bytes() {
        let text = "pub fn é() -> u32 { 7 }\npub fn twice(x: u32) -> u32 {\n    #![allow(unused)]\n    x * 2\n}\n";
        let all = mutants(text);
        let twice = all.iter().find(|m| m.name == "twice").unwrap();
        assert_eq!(&text[twice.body_first..twice.body_end], "x * 2\n");
        assert!(twice.guardable);
        assert_eq!(twice.values, ["0", "1"]);
        let accent = all.iter().find(|m| m.name == "é").unwrap();
        assert_eq!(&text[accent.body_first..accent.body_end], "7 ");
    }

    #[test]
    fn the_body_value_itself_is_not_a_mutant() {
        let text = "pub fn yes() -> bool { true }\npub fn zero() -> u8 { 0 }\n";
        assert_eq!(values_of(text, "yes"), ["false"]);
        assert_eq!(values_of(text, "zero"), ["1"]);
    }

    #[test]
    fn skips_what_cargo_mutants_skips() {
        let text = r#"
            pub struct T;
            impl T {
                pub fn new() -> T { T }
                pub unsafe fn raw(&self) -> u8 { 1 }
                #[mutants::skip]
                pub fn kept(&self) -> u8 { 1 }
                pub fn nothing(&self) {}
                pub fn diverge(&self) -> ! { loop {} }
                pub fn closure(&self) -> impl Fn() { || () }
                pub fn check(&self) -> u8 { 2 }
            }
            impl Default for T {
                fn default() -> T { T }
            }
            pub fn new() -> u8 { 3 }
        "#;
        let skipped: Vec<(String, Option<SkipReason>)> = mutants(text)
            .into_iter()
            .map(|m| (m.name, m.skipped))
            .collect();
        assert_eq!(
            skipped,
            [
                ("T::new".to_string(), Some(SkipReason::Constructor)),
                ("T::raw".to_string(), Some(SkipReason::Unsafe)),
                ("T::kept".to_string(), Some(SkipReason::Attribute)),
                ("T::nothing".to_string(), Some(SkipReason::EmptyBody)),
                ("T::diverge".to_string(), Some(SkipReason::NoValue)),
                ("T::closure".to_string(), Some(SkipReason::NoValue)),
                ("T::check".to_string(), None),
                ("T::default".to_string(), Some(SkipReason::DefaultImpl)),
                ("new".to_string(), None),
            ]
        );
    }

    #[test]
    fn const_fns_and_impl_trait_need_the_body_replaced() {
        let text = "pub const fn k() -> u8 { 3 }\npub fn it() -> impl Iterator<Item = u8> + '_ { [1].into_iter() }\npub async fn a() -> u8 { 3 }\npub fn v() -> Vec<impl Fn()> { vec![] }\npub fn d() -> impl std::fmt::Display { 1 }\n";
        let guardable: Vec<(String, bool, Option<String>)> = mutants(text)
            .into_iter()
            .map(|m| (m.name, m.guardable, m.boxed))
            .collect();
        assert_eq!(
            guardable,
            [
                ("k".to_string(), false, None),
                (
                    "it".to_string(),
                    false,
                    Some("Box<dyn Iterator < Item = u8 > + '_>".to_string())
                ),
                ("a".to_string(), true, None),
                ("v".to_string(), false, None),
                (
                    "d".to_string(),
                    false,
                    Some("Box<dyn std :: fmt :: Display + '_>".to_string())
                ),
            ]
        );
    }

    #[test]
    fn a_moved_function_is_reported_not_found() {
        let scan =
            crate::scan_source("src/lib.rs", "pub fn f() -> u8 { 1 }", &Config::default()).unwrap();
        let file = SourceFile::parse(
            "src/lib.rs".into(),
            "src/lib.rs".into(),
            "\npub fn f() -> u8 { 1 }".into(),
        )
        .unwrap();
        let got = plan_file(&file, &[&scan.functions[0]]);
        assert_eq!(got[0].skipped, Some(SkipReason::NotFound));
        assert!(got[0].values.is_empty());
    }

    #[test]
    fn plan_reads_each_file_and_warns_about_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(
            dir.path().join("src/lib.rs"),
            "pub fn f() -> bool { g() }\n",
        )
        .unwrap();
        let scan = crate::scan_source(
            "src/lib.rs",
            "pub fn f() -> bool { g() }\n",
            &Config::default(),
        )
        .unwrap();
        let mut gone = scan.functions[0].clone();
        gone.file = "src/gone.rs".into();
        let (found, warnings) = plan(dir.path(), &[&scan.functions[0], &gone]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].values, ["true", "false"]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].file, "src/gone.rs");
    }
}
