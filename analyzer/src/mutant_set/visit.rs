//! The walk of one file that finds cargo-mutants' mutants, in its order: each function's
//! `FnValue` replacements first, then the operators, match arms, guards and struct fields of
//! its body as syn visits them (an outer operator before the ones inside its operands).
//!
//! What cargo-mutants leaves alone is left alone: items and expressions under `#[cfg(test)]`,
//! `#[test]` (any attribute path ending in `test`) or `#[mutants::skip]` (also in `cfg_attr`),
//! `unsafe fn`s, methods named `new`, `impl Default` blocks, functions with empty bodies, and
//! the arguments of calls to the configured `skip_calls` (`with_capacity` by default).

use super::mutant::SourceMutant;
use super::options::Options;
use super::pretty::pretty;
use super::values;
use crate::source::SourceFile;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Attribute, BinOp, Block, Expr, ReturnType, Signature, UnOp};
use truecov_model::{MutantGenre as Genre, Pos};

/// One mutant found by the walk, with the function it is in.
pub(crate) struct Found {
    /// The mutant; its `function` is left empty for the caller to name.
    pub(crate) mutant: SourceMutant,
    /// Where the enclosing function's body opens (its `{`), when there is one.
    pub(crate) body: Option<Pos>,
}

/// A `mod x;` the walk met (outside test code), with the inline modules around it.
pub(crate) struct ExternalMod {
    /// Names (or `#[path]` values) of the enclosing inline modules, outermost first, then its own.
    pub(crate) parts: Vec<ModName>,
}

/// One level of a module path as the file system sees it.
#[derive(Clone)]
pub(crate) struct ModName {
    /// The module's name.
    pub(crate) name: String,
    /// Its `#[path = ".."]`, when it has one.
    pub(crate) path: Option<String>,
}

/// The mutants of `file` (of `package`) and the out-of-line modules it declares.
pub(crate) fn walk(
    package: &str,
    file: &SourceFile,
    options: &Options,
) -> (Vec<Found>, Vec<ExternalMod>) {
    let mut walker = Walker {
        package,
        file,
        options,
        namespace: Vec::new(),
        functions: Vec::new(),
        mods: Vec::new(),
        external: Vec::new(),
        found: Vec::new(),
    };
    walker.visit_file(&file.ast);
    (walker.found, walker.external)
}

/// The function the walk is in.
struct Function {
    /// cargo-mutants' name for it: `<impl Display for Version>::fmt`.
    name: String,
    /// Its `-> T`, printed (empty for `()`).
    return_type: String,
    /// Its body's `{`.
    body: Pos,
}

struct Walker<'a> {
    package: &'a str,
    file: &'a SourceFile,
    options: &'a Options,
    namespace: Vec<String>,
    functions: Vec<Function>,
    mods: Vec<ModName>,
    external: Vec<ExternalMod>,
    found: Vec<Found>,
}

impl Walker<'_> {
    fn function(
        &mut self,
        attrs: &[Attribute],
        sig: &Signature,
        block: &Block,
        method: bool,
        visit: impl FnOnce(&mut Self),
    ) {
        let skipped = matches!(sig.safety, syn::Safety::Unsafe(_))
            || excluded(attrs)
            || (method && sig.ident == "new")
            || block.stmts.is_empty();
        if skipped {
            return;
        }
        self.namespace.push(sig.ident.to_string());
        self.functions.push(Function {
            name: self.namespace.join("::"),
            return_type: pretty(&sig.output),
            body: self.file.pos(block.brace_token.span.open().start()),
        });
        self.fn_values(&sig.output, block);
        visit(self);
        self.functions.pop();
        self.namespace.pop();
    }

    fn fn_values(&mut self, output: &ReturnType, block: &Block) {
        let (Some(first), Some(last)) = (block.stmts.first(), block.stmts.last()) else {
            return;
        };
        let (start, end) = (
            first.span().byte_range().start,
            last.span().byte_range().end,
        );
        let original = pretty(block);
        for value in values::replacements(output, &self.options.error_values) {
            if pretty(&quote! { { #value } }) == original {
                continue;
            }
            self.add(Genre::FnValue, first.span(), start..end, &value, None);
        }
    }

    /// Records a mutant replacing `range` (which starts at `start`'s position) with
    /// `replacement`; `described` is what the name says is changed, when not the text itself.
    fn add(
        &mut self,
        genre: Genre,
        start: Span,
        range: std::ops::Range<usize>,
        replacement: &TokenStream,
        described: Option<String>,
    ) {
        let replacement = pretty(replacement);
        let function = self.functions.last();
        let lc = start.start();
        let (line, column) = (lc.line as u32, lc.column as u32 + 1);
        let original = self.file.text.get(range.clone()).unwrap_or("");
        let change = match genre {
            Genre::FnValue => {
                let f = function.expect("a body value is always inside a function");
                let ret = if f.return_type.is_empty() {
                    String::new()
                } else {
                    format!(" {}", f.return_type)
                };
                format!("replace {}{ret} with {replacement}", f.name)
            }
            Genre::MatchArmGuard => format!(
                "replace match guard {} with {replacement}",
                squash_lines(original)
            ),
            Genre::MatchArm => format!(
                "delete match arm {}",
                squash_lines(described.as_deref().unwrap_or(original))
            ),
            Genre::StructField => described.unwrap_or_default(),
            Genre::BinaryOperator | Genre::UnaryOperator if replacement.is_empty() => {
                format!("delete {original}")
            }
            Genre::BinaryOperator | Genre::UnaryOperator => {
                format!("replace {original} with {replacement}")
            }
        };
        let suffix = match function {
            Some(f) if genre != Genre::FnValue => format!(" in {}", f.name),
            _ => String::new(),
        };
        let name = format!("{}:{line}:{column}: {change}{suffix}", self.file.rel);
        if genre != Genre::StructField && !self.options.allows(&name) {
            return;
        }
        self.found.push(Found {
            mutant: SourceMutant {
                package: self.package.to_string(),
                function: String::new(),
                file: self.file.rel.clone(),
                line,
                end_line: line + original.matches('\n').count() as u32,
                column,
                pos: self.file.pos(lc),
                start: range.start,
                end: range.end,
                replacement,
                genre,
                name,
            },
            body: function.map(|f| f.body),
        });
    }

    fn in_namespace(&mut self, name: String, visit: impl FnOnce(&mut Self)) {
        self.namespace.push(name);
        visit(self);
        self.namespace.pop();
    }
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_file(&mut self, f: &'ast syn::File) {
        if !excluded(&f.attrs) {
            syn::visit::visit_file(self, f);
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.function(&f.attrs, &f.sig, &f.block, false, |v| {
            syn::visit::visit_item_fn(v, f)
        });
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.function(&f.attrs, &f.sig, &f.block, true, |v| {
            syn::visit::visit_impl_item_fn(v, f)
        });
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.function(&f.attrs, &f.sig, block, true, |v| {
                syn::visit::visit_trait_item_fn(v, f)
            });
        }
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if excluded(&i.attrs) {
            return;
        }
        let self_ty = pretty(&i.self_ty);
        let name = match &i.trait_ {
            Some((path, _)) if ends_with(path, "Default") => return,
            Some((path, _)) => format!("<impl {} for {self_ty}>", pretty(path)),
            None => self_ty,
        };
        self.in_namespace(name, |v| syn::visit::visit_item_impl(v, i));
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        if !excluded(&t.attrs) {
            self.in_namespace(t.ident.to_string(), |v| syn::visit::visit_item_trait(v, t));
        }
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if excluded(&m.attrs) {
            return;
        }
        let name = syn::ext::IdentExt::unraw(&m.ident).to_string();
        self.mods.push(ModName {
            name: name.clone(),
            path: path_attribute(&m.attrs),
        });
        if m.content.is_none() {
            self.external.push(ExternalMod {
                parts: self.mods.clone(),
            });
        }
        self.in_namespace(name, |v| syn::visit::visit_item_mod(v, m));
        self.mods.pop();
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if excluded(&c.attrs) {
            return;
        }
        if let Expr::Path(p) = &*c.func {
            if self
                .options
                .skip_calls
                .iter()
                .any(|s| ends_with(&p.path, s))
            {
                return;
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, c: &'ast syn::ExprMethodCall) {
        if excluded(&c.attrs) || self.options.skip_calls.iter().any(|s| c.method == s) {
            return;
        }
        syn::visit::visit_expr_method_call(self, c);
    }

    fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
        if excluded(&b.attrs) {
            return;
        }
        let span = b.op.span();
        for rep in binary_replacements(&b.op) {
            self.add(Genre::BinaryOperator, span, span.byte_range(), &rep, None);
        }
        syn::visit::visit_expr_binary(self, b);
    }

    fn visit_expr_unary(&mut self, u: &'ast syn::ExprUnary) {
        if excluded(&u.attrs) {
            return;
        }
        if matches!(u.op, UnOp::Not(_) | UnOp::Neg(_)) {
            let span = u.op.span();
            self.add(
                Genre::UnaryOperator,
                span,
                span.byte_range(),
                &TokenStream::new(),
                None,
            );
        }
        syn::visit::visit_expr_unary(self, u);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        if excluded(&m.attrs) {
            return;
        }
        // syn puts an arm's guard in its pattern; cargo-mutants' syn kept them apart, and a
        // guarded `_` counts there as a catch-all.
        let pat = |arm: &'ast syn::Arm| split_guard(arm).0;
        let guard = |arm: &'ast syn::Arm| split_guard(arm).1;
        let wild = |arm: &&'ast syn::Arm| matches!(pat(arm), syn::Pat::Wild(_));
        if m.arms.iter().any(|a| wild(&a)) {
            for arm in m.arms.iter().filter(|a| !wild(a) && guard(a).is_none()) {
                let span = arm.span();
                self.add(
                    Genre::MatchArm,
                    span,
                    span.byte_range(),
                    &TokenStream::new(),
                    Some(pretty(pat(arm))),
                );
            }
        }
        for guard in m.arms.iter().filter_map(guard) {
            let span = guard.span();
            for rep in [quote! { true }, quote! { false }] {
                self.add(Genre::MatchArmGuard, span, span.byte_range(), &rep, None);
            }
        }
        syn::visit::visit_expr_match(self, m);
    }

    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        if excluded(&s.attrs) {
            return;
        }
        if s.rest.is_some() {
            let struct_name = pretty(&s.path);
            for pair in s.fields.pairs() {
                let field = pair.value();
                let syn::Member::Named(ident) = &field.member else {
                    continue;
                };
                let span = field.span();
                let end = pair
                    .punct()
                    .map_or(span.byte_range().end, |c| c.span().byte_range().end);
                let described =
                    format!("delete field {ident} from struct {struct_name} expression");
                self.add(
                    Genre::StructField,
                    span,
                    span.byte_range().start..end,
                    &TokenStream::new(),
                    Some(described),
                );
            }
        }
        syn::visit::visit_expr_struct(self, s);
    }
}

/// An arm's pattern and guard.
fn split_guard(arm: &syn::Arm) -> (&syn::Pat, Option<&Expr>) {
    match &arm.pat {
        syn::Pat::Guard(g) => (&g.pat, Some(&g.guard)),
        pat => (pat, None),
    }
}

/// cargo-mutants' replacements of a binary operator, in its order.
fn binary_replacements(op: &BinOp) -> Vec<TokenStream> {
    match op {
        BinOp::Eq(_) => vec![quote! { != }],
        BinOp::Ne(_) => vec![quote! { == }],
        BinOp::And(_) => vec![quote! { || }],
        BinOp::Or(_) => vec![quote! { && }],
        BinOp::Lt(_) => vec![quote! { == }, quote! { > }, quote! { <= }],
        BinOp::Gt(_) => vec![quote! { == }, quote! { < }, quote! { >= }],
        BinOp::Le(_) => vec![quote! { > }],
        BinOp::Ge(_) => vec![quote! { < }],
        BinOp::Add(_) => vec![quote! { - }, quote! { * }],
        BinOp::AddAssign(_) => vec![quote! { -= }, quote! { *= }],
        BinOp::Sub(_) | BinOp::Mul(_) => vec![quote! { + }, quote! { / }],
        BinOp::SubAssign(_) | BinOp::MulAssign(_) => vec![quote! { += }, quote! { /= }],
        BinOp::Div(_) => vec![quote! { % }, quote! { * }],
        BinOp::DivAssign(_) => vec![quote! { %= }, quote! { *= }],
        BinOp::Rem(_) => vec![quote! { / }, quote! { + }],
        BinOp::RemAssign(_) => vec![quote! { /= }, quote! { += }],
        BinOp::Shl(_) => vec![quote! { >> }],
        BinOp::ShlAssign(_) => vec![quote! { >>= }],
        BinOp::Shr(_) => vec![quote! { << }],
        BinOp::ShrAssign(_) => vec![quote! { <<= }],
        BinOp::BitAnd(_) => vec![quote! { | }, quote! { ^ }],
        BinOp::BitAndAssign(_) => vec![quote! { |= }],
        BinOp::BitOr(_) => vec![quote! { & }, quote! { ^ }],
        BinOp::BitOrAssign(_) => vec![quote! { &= }],
        BinOp::BitXor(_) => vec![quote! { | }, quote! { & }],
        BinOp::BitXorAssign(_) => vec![quote! { |= }, quote! { &= }],
        _ => Vec::new(),
    }
}

/// Text spread over lines joined onto one, as cargo-mutants shows a multi-line guard.
fn squash_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut indent = false;
    for c in text.chars() {
        match c {
            ' ' | '\t' | '\n' if indent => {}
            '\n' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                indent = true;
            }
            c => {
                indent = false;
                out.push(c);
            }
        }
    }
    out
}

fn ends_with(path: &syn::Path, name: &str) -> bool {
    path.segments.last().is_some_and(|s| s.ident == name)
}

fn path_is(path: &syn::Path, names: &[&str]) -> bool {
    path.segments.iter().map(|s| &s.ident).eq(names.iter())
}

/// Whether cargo-mutants leaves an item or expression with these attributes alone.
fn excluded(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| cfg_test(a) || ends_with(a.path(), "test") || mutants_skip(a))
}

/// Whether any of an attribute's top-level nested metas satisfies `hit`, as syn's
/// `parse_nested_meta` reads them: an argument it cannot read (`feature = "x"`, `all(..)`)
/// makes the whole attribute count as not matching, as in cargo-mutants.
fn nested_meta_any(attr: &Attribute, hit: impl Fn(&syn::Path) -> bool) -> bool {
    let mut found = false;
    let parsed = attr.parse_nested_meta(|meta| {
        found |= hit(&meta.path);
        Ok(())
    });
    parsed.is_ok() && found
}

/// `#[cfg(test)]` (or `test` among `cfg`'s top-level arguments).
fn cfg_test(attr: &Attribute) -> bool {
    path_is(attr.path(), &["cfg"]) && nested_meta_any(attr, |p| p.is_ident("test"))
}

/// `#[mutants::skip]`, or `mutants::skip` among a `cfg_attr`'s arguments.
fn mutants_skip(attr: &Attribute) -> bool {
    path_is(attr.path(), &["mutants", "skip"])
        || (path_is(attr.path(), &["cfg_attr"])
            && nested_meta_any(attr, |p| path_is(p, &["mutants", "skip"])))
}

/// A module's `#[path = ".."]` (absolute paths ignored, as cargo-mutants refuses them).
fn path_attribute(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()).filter(|p| !p.starts_with('/')),
            _ => None,
        },
        _ => None,
    })
}
