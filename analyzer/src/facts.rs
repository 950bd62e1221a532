//! What `prove` needs to know about a library function's body besides its mutants (those are
//! cargo-mutants' set, from `mutant_set`): whether an early `return VALUE;` can stand for a
//! replaced body, the box an `impl Trait` value fits in, and why a function has no mutant.
//!
//! Functions are skipped as cargo-mutants skips them, so that both tools judge the same
//! functions: `unsafe fn`s, constructors named `new`, methods of `impl Default`, empty bodies,
//! functions no value can be written for (`!`, most `impl Trait`), and those marked
//! `#[mutants::skip]`.

use crate::mutant_set::values::replacements;
use crate::source::SourceFile;
use quote::ToTokens;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use syn::visit::Visit;
use syn::{Attribute, Block, ReturnType, Signature, Type};
use truecov_model::{LibFunction, Pos, SkipReason, Warning};

/// The body facts of one library function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionFacts {
    /// The function's name as the scan gives it (`account::Account::withdraw`).
    pub name: String,
    /// Workspace-relative file.
    pub file: String,
    /// 1-based line of `fn`.
    pub line: u32,
    /// An early `return VALUE;` inserted before the body's first statement is the same mutant
    /// as the replaced body. Not so for a `const fn` (which cannot test a run-time switch) or
    /// a function returning `impl Trait` (whose hidden type would have to be the value's and
    /// the body's at once): their mutants need the body replaced.
    pub guardable: bool,
    /// For a function returning `impl Bounds` (not a `const fn`): `Box<dyn Bounds>`, a type
    /// every value of it can be boxed into, so that one replaced body can hold all of its
    /// mutants behind a run-time switch. It may not compile (`dyn` needs one non-auto trait):
    /// the builder then replaces the body once per mutant.
    pub boxed: Option<String>,
    /// Why the function has no mutants, when cargo-mutants gives it none.
    pub skipped: Option<SkipReason>,
    /// For a `const fn`: the `fn` lines of the other functions of its file that call it. A
    /// `const fn` called only in `const` contexts never runs under a test, yet its value is
    /// what those functions' constants hold: their tests are the ones that can judge it.
    pub const_callers: Vec<u32>,
}

/// The facts of `functions`, in their order, reading each file once from under `root`.
/// Functions whose file cannot be read or parsed are left out, with a warning.
pub fn function_facts(
    root: &Path,
    functions: &[&LibFunction],
) -> (Vec<FunctionFacts>, Vec<Warning>) {
    let mut by_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in functions.iter().enumerate() {
        by_file.entry(f.file.as_str()).or_default().push(i);
    }
    let mut found: Vec<Option<FunctionFacts>> = vec![None; functions.len()];
    let mut warnings = Vec::new();
    for (rel, indexes) in by_file {
        match SourceFile::load(root, &root.join(rel)) {
            Ok(file) => {
                let of_file: Vec<&LibFunction> = indexes.iter().map(|&i| functions[i]).collect();
                for (i, m) in indexes.iter().zip(facts_of_file(&file, &of_file)) {
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

/// The facts of `functions`, all of them in `file`, in their order.
fn facts_of_file(file: &SourceFile, functions: &[&LibFunction]) -> Vec<FunctionFacts> {
    let mut finder = Finder {
        file,
        in_default_impl: false,
        in_impl_or_trait: false,
        found: HashMap::new(),
        enclosing: Vec::new(),
        callers: HashMap::new(),
    };
    finder.visit_file(&file.ast);
    functions
        .iter()
        .map(|f| {
            let site = finder.found.get(&f.body_start);
            let const_callers = site
                .and_then(|s| s.const_ident.as_ref())
                .and_then(|ident| finder.callers.get(ident))
                .map_or_else(Vec::new, |lines| {
                    lines.iter().copied().filter(|&l| l != f.line).collect()
                });
            FunctionFacts {
                name: f.name.clone(),
                file: f.file.clone(),
                line: f.line,
                guardable: site.is_some_and(|s| s.guardable),
                boxed: site.and_then(|s| s.boxed.clone()),
                skipped: site.map_or(Some(SkipReason::NotFound), |s| s.skipped),
                const_callers,
            }
        })
        .collect()
}

/// What the syntax tree says about one function, found by the position of its body.
struct Site {
    guardable: bool,
    boxed: Option<String>,
    skipped: Option<SkipReason>,
    /// The name of a `const fn`.
    const_ident: Option<String>,
}

/// Walks a file for the functions' bodies, knowing whether it is inside an `impl` or trait,
/// and an `impl Default`, and which function calls what.
struct Finder<'f> {
    file: &'f SourceFile,
    in_default_impl: bool,
    in_impl_or_trait: bool,
    found: HashMap<Pos, Site>,
    /// The `fn` lines of the functions being walked, innermost last.
    enclosing: Vec<u32>,
    /// Per name called (a path's last segment or a method), the `fn` lines of the functions
    /// whose bodies call it (innermost function only).
    callers: HashMap<String, BTreeSet<u32>>,
}

impl Finder<'_> {
    fn function(&mut self, attrs: &[Attribute], sig: &Signature, block: &Block) {
        let open = block.brace_token.span.open();
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
        } else if replacements(&sig.output, &[]).is_empty() {
            Some(SkipReason::NoValue)
        } else {
            None
        };
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
                guardable,
                boxed,
                skipped,
                const_ident: sig.constness.map(|_| sig.ident.to_string()),
            },
        );
    }

    /// Walks a function's body with its `fn` line as the caller of what the body calls.
    fn within(&mut self, sig: &Signature, walk: impl FnOnce(&mut Self)) {
        self.enclosing
            .push(self.file.pos(sig.fn_token.span.start()).line);
        walk(self);
        self.enclosing.pop();
    }

    fn called(&mut self, name: String) {
        if let Some(&line) = self.enclosing.last() {
            self.callers.entry(name).or_default().insert(line);
        }
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        // A nested function is free even inside a method.
        let outer = (self.in_impl_or_trait, self.in_default_impl);
        (self.in_impl_or_trait, self.in_default_impl) = (false, false);
        self.function(&f.attrs, &f.sig, &f.block);
        self.within(&f.sig, |s| syn::visit::visit_item_fn(s, f));
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
        self.within(&f.sig, |s| syn::visit::visit_impl_item_fn(s, f));
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
        self.within(&f.sig, |s| syn::visit::visit_trait_item_fn(s, f));
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            if let Some(last) = p.path.segments.last() {
                self.called(last.ident.to_string());
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        self.called(c.method.to_string());
        syn::visit::visit_expr_method_call(self, c);
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

#[cfg(test)]
mod tests {
    use super::*;
    use truecov_model::Config;

    /// The facts of every library function of one file's text.
    fn facts(text: &str) -> Vec<FunctionFacts> {
        let scan = crate::scan_source("src/lib.rs", text, &Config::default()).unwrap();
        let file =
            SourceFile::parse("src/lib.rs".into(), "src/lib.rs".into(), text.into()).unwrap();
        let functions: Vec<&LibFunction> = scan.functions.iter().collect();
        facts_of_file(&file, &functions)
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
        let skipped: Vec<(String, Option<SkipReason>)> = facts(text)
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
        let guardable: Vec<(String, bool, Option<String>)> = facts(text)
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
    fn a_const_fn_knows_the_functions_that_call_it() {
        let text = "const fn ok(c: u8) -> bool {\n    c > 1 || ok(c + 1)\n}\nfn fast(c: u8) -> bool {\n    const MASK: u8 = { if ok(3) { 1 } else { 0 } };\n    MASK == c\n}\nfn other() -> bool {\n    true\n}\nconst fn unused() -> u8 {\n    1\n}\nfn plain() -> bool {\n    fast(1)\n}\n";
        let callers: Vec<(String, Vec<u32>)> = facts(text)
            .into_iter()
            .map(|m| (m.name, m.const_callers))
            .collect();
        assert_eq!(
            callers,
            [
                ("ok".to_string(), vec![4]),
                ("fast".to_string(), vec![]),
                ("other".to_string(), vec![]),
                ("unused".to_string(), vec![]),
                ("plain".to_string(), vec![]),
            ],
            "only a const fn has callers, its own recursion left out; fast is no const fn"
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
        let got = facts_of_file(&file, &[&scan.functions[0]]);
        assert_eq!(got[0].skipped, Some(SkipReason::NotFound));
    }

    #[test]
    fn facts_read_each_file_and_warns_about_missing_ones() {
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
        let (found, warnings) = function_facts(dir.path(), &[&scan.functions[0], &gone]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].skipped), (1, None));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].file, "src/gone.rs");
    }
}
