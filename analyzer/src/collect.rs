//! Collection of one source file's items in their module context: tests (analyzed), test
//! helpers and local macros (analyzed, resolved later), library functions with their error
//! sites, and the `mod x;` declarations to follow.

use crate::body::{self, BodyCtx, BodyFacts};
use crate::cfg::{self, is_cfg_test, CfgEnv};
use crate::expand::MacroRules;
use crate::macro_scope::{is_test_writer, MacroDef, MacroTable, Position, ScopeStep};
use crate::scope::{CrateIndex, CrateScope};
use crate::sites::{error_sites, returns_type};
use crate::source::SourceFile;
use crate::testattr::{self, attr_is, Row};
use proc_macro2::{TokenStream, TokenTree};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Block, FnArg, Item, ItemFn, Signature};
use truecov_model::Config;
use truecov_model::{CfgOff, LibFunction};

/// Where a file sits: its module path in the crate and what kind of code it holds.
#[derive(Clone, Debug)]
pub(crate) struct ModCtx {
    /// Module path inside the crate (empty at the crate root).
    pub module: Vec<String>,
    /// Under `#[cfg(test)]` (or in a test-only target).
    pub test_ctx: bool,
    /// Directory where `mod x;` declared here looks for its file.
    pub child_dir: PathBuf,
    /// The items that open this module, from the crate root (for macros' textual scope).
    pub scope: Vec<ScopeStep>,
    /// The first `cfg` of this module or one around it that does not hold in the build: the
    /// tests in it are not in the binary.
    pub cfg_off: Option<CfgOff>,
}

/// What the collector needs to know about the file's target.
pub(crate) struct TargetCtx<'a> {
    /// Package name.
    pub package: &'a str,
    /// Target label (`lib`, `test:foo`).
    pub label: &'a str,
    /// libtest runs this target's tests.
    pub tested: bool,
    /// Library functions are collected (lib and bin targets).
    pub library: bool,
    /// Functions of this package are test helpers (a test-support crate).
    pub test_support: bool,
    /// Configuration.
    pub config: &'a Config,
    /// Crate names of the package's dependencies outside the workspace.
    pub external_crates: &'a [String],
    /// Items of the workspace's library crates (what resolves to code under test).
    pub index: &'a CrateIndex,
    /// For an integration test or bench target that libtest runs: its name. A crate root with
    /// `fn main` and no test is a `harness = false` target, run as one test of that name.
    pub harnessless_name: Option<&'a str>,
    /// The build whose `cfg`s select macro definitions.
    pub cfg: &'a CfgEnv,
    /// The crate (package and target indexes), as the macro table knows it.
    pub krate: (usize, usize),
}

/// A test function with its rows and analysis.
#[derive(Clone, Debug)]
pub(crate) struct RawTest {
    /// Full libtest names with their rows.
    pub rows: Vec<(String, Row)>,
    /// Workspace-relative file.
    pub file: String,
    /// Line of `fn`.
    pub line: u32,
    /// Findings about the body.
    pub facts: BodyFacts,
    /// The `cfg` (of the function or a module around it) that removes it from the build.
    pub cfg_off: Option<CfgOff>,
    /// The `cfg`s that take parts of its body out of the build (`miri`): what they hold is not
    /// the test's oracle.
    pub compiled_out: Vec<String>,
}

/// A test helper function or a local macro, with its analysis.
#[derive(Clone, Debug)]
pub(crate) struct Helper {
    /// Function or macro name.
    pub name: String,
    /// Target label of the code that defines it; empty for a test-support crate's helpers,
    /// which every package's tests may call.
    pub target: String,
    /// Workspace-relative file.
    pub file: String,
    /// Line of its definition.
    pub line: u32,
    /// Findings about the body.
    pub facts: BodyFacts,
    /// For a method, the type or trait it is defined in: `.name(..)` calls and `Owner::name`
    /// paths reach it, never a path naming another type.
    pub owner: Option<String>,
    /// For a method of a trait impl in test code (a mock, a `#[global_allocator]`): the type
    /// and the trait. Code under test calls it on the values a test hands over.
    pub mock: Option<Mock>,
}

/// A test-defined type implementing a trait: `impl Trait for Type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mock {
    /// The implementing type's name.
    pub ty: String,
    /// The trait's name.
    pub tr: String,
}

/// A `mod x;` to follow.
#[derive(Clone, Debug)]
pub(crate) struct ChildMod {
    /// The module's file.
    pub file: PathBuf,
    /// Its context.
    pub ctx: ModCtx,
}

/// Everything collected from one file in one context.
#[derive(Default)]
pub(crate) struct Collected {
    /// Test functions.
    pub tests: Vec<RawTest>,
    /// Test helper functions.
    pub helpers: Vec<Helper>,
    /// `macro_rules!` definitions.
    pub macros: Vec<Helper>,
    /// Library functions.
    pub functions: Vec<LibFunction>,
    /// Module files to read next.
    pub children: Vec<ChildMod>,
    /// Problems (missing module files).
    pub warnings: Vec<String>,
    /// Names of functions that return an unsigned integer.
    pub unsigned_fns: Vec<String>,
    /// The file is library code (a lib or bin target's, not test-only).
    pub library_file: bool,
    /// Line ranges of test code in a library file.
    pub test_code: Vec<(u32, u32)>,
    /// Types of the `#[global_allocator]` statics of test code: every test of the target
    /// runs code under test through them.
    pub allocators: Vec<String>,
    /// `macro_rules!` definitions, for the crate's macro table.
    pub macro_defs: Vec<MacroDef>,
    /// Names of item-level macro invocations the collector did not expand or read.
    pub unresolved: Vec<String>,
}

impl Collected {
    /// Adds what a second pass over the same file found (see [`collect_expansions`]).
    pub(crate) fn absorb(&mut self, more: Collected) {
        self.tests.extend(more.tests);
        self.helpers.extend(more.helpers);
        self.macros.extend(more.macros);
        self.functions.extend(more.functions);
        self.unsigned_fns.extend(more.unsigned_fns);
        self.allocators.extend(more.allocators);
        self.test_code.extend(more.test_code);
        self.warnings.extend(more.warnings);
    }
}

/// The impl or trait a function is defined in.
#[derive(Default)]
struct Owner {
    /// The type or trait name (empty for a free function).
    path: Vec<String>,
    /// For a trait impl: the type and the trait.
    mock: Option<Mock>,
}

/// A function of any kind (free, method, trait default) seen through its parts.
struct FnRef<'f> {
    attrs: &'f [Attribute],
    sig: &'f Signature,
    block: &'f Block,
}

impl<'f> FnRef<'f> {
    fn of(f: &'f ItemFn) -> Self {
        FnRef {
            attrs: &f.attrs,
            sig: &f.sig,
            block: &f.block,
        }
    }
}

struct Collector<'a> {
    file: &'a SourceFile,
    target: &'a TargetCtx<'a>,
    /// Dependency crates and the names this file imports from them or std.
    external: Vec<String>,
    /// What resolves to the code under test in this file.
    scope: Rc<CrateScope>,
    /// The same inside the inline modules (module path relative to the file) that import
    /// a crate name from elsewhere.
    module_scopes: Vec<(Vec<String>, Rc<CrateScope>)>,
    /// Module path of the file itself.
    file_module: Vec<String>,
    out: Collected,
    /// The `macro_rules!` defined so far in this file that write tests, by name.
    test_macros: HashMap<String, MacroRules>,
    /// How deep in expansions of those the collector is.
    expanding: usize,
    /// Expansions left for this file.
    expansions_left: usize,
    /// Index of the current item in its module (outside expansions).
    item_index: u32,
    /// Every crate's macro definitions, once they are all known.
    table: Option<&'a MacroTable>,
    /// rstest_reuse templates of the file: name, attributes and signature.
    templates: Vec<(String, &'a [Attribute], &'a Signature)>,
}

/// The rstest_reuse `#[template]` functions of a file, at any module depth.
fn templates_of(ast: &syn::File) -> Vec<(String, &[Attribute], &Signature)> {
    struct Templates<'a>(Vec<(String, &'a [Attribute], &'a Signature)>);
    impl<'a> syn::visit::Visit<'a> for Templates<'a> {
        fn visit_item_fn(&mut self, f: &'a ItemFn) {
            if f.attrs.iter().any(testattr::is_template) {
                self.0.push((f.sig.ident.to_string(), &f.attrs, &f.sig));
            }
        }
    }
    let mut t = Templates(Vec::new());
    syn::visit::Visit::visit_file(&mut t, ast);
    t.0
}

/// Expansions of test-writing macros inside expansions, at most.
const MAX_EXPANSION_DEPTH: usize = 4;

/// Expansions in one file, at most: macros that call several others cannot multiply the work
/// without bound.
const MAX_EXPANSIONS: usize = 4096;

/// Collects a whole file.
pub(crate) fn collect_file(file: &SourceFile, target: &TargetCtx, ctx: &ModCtx) -> Collected {
    let mut c = Collector::new(file, target, None, &ctx.module);
    c.out.library_file = target.library && !ctx.test_ctx;
    let ctx = c.cfg_ctx(ctx, &file.ast.attrs);
    c.items(file.ast.items.iter(), &ctx, true);
    if let Some(name) = target.harnessless_name.filter(|_| ctx.module.is_empty()) {
        c.harnessless_main(name);
    }
    c.out
}

/// Second pass over a file [`collect_file`] has read, once every crate's macro definitions are
/// known: collects only what the module-level invocations of test-writing macros defined in
/// other files write (what the first pass could not expand).
pub(crate) fn collect_expansions(
    file: &SourceFile,
    target: &TargetCtx,
    ctx: &ModCtx,
    table: &MacroTable,
) -> Collected {
    let mut c = Collector::new(file, target, Some(table), &ctx.module);
    let ctx = c.cfg_ctx(ctx, &file.ast.attrs);
    c.items(file.ast.items.iter(), &ctx, true);
    c.out
}

impl<'a> Collector<'a> {
    fn new(
        file: &'a SourceFile,
        target: &'a TargetCtx<'a>,
        table: Option<&'a MacroTable>,
        file_module: &[String],
    ) -> Collector<'a> {
        let mut external = target.external_crates.to_vec();
        body::taint::imported_names(&file.ast.items, target.external_crates, &mut external);
        external.sort();
        external.dedup();
        let mut scope = CrateScope::of_file(
            &file.ast,
            target.index,
            target.external_crates,
            !target.library,
        );
        if target.label == "lib" {
            scope = scope.in_library();
        }
        let module_scopes = scope
            .shadowing_modules()
            .into_iter()
            .map(|m| {
                let inner = Rc::new(scope.in_module(&m));
                (m, inner)
            })
            .collect();
        Collector {
            file,
            target,
            external,
            scope: Rc::new(scope),
            module_scopes,
            file_module: file_module.to_vec(),
            out: Collected::default(),
            test_macros: HashMap::new(),
            expanding: 0,
            expansions_left: MAX_EXPANSIONS,
            item_index: 0,
            table,
            templates: templates_of(&file.ast),
        }
    }

    /// In the second pass, outside expansions: the first pass has read this item.
    fn read_before(&self) -> bool {
        self.table.is_some() && self.expanding == 0
    }
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

pub(crate) fn param_names(sig: &Signature) -> Vec<String> {
    let mut out = Vec::new();
    for input in &sig.inputs {
        if let FnArg::Typed(pt) = input {
            let mut idents = Vec::new();
            body::taint::pattern_idents(&pt.pat, &mut idents);
            out.extend(idents.into_iter().map(|(n, _)| n));
        }
    }
    out
}

fn returns_uint(sig: &Signature) -> bool {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => {
            matches!(&**ty, syn::Type::Path(p) if p.path.get_ident().is_some_and(|i| {
                body::taint::UNSIGNED_TYPES.iter().any(|(t, _)| i == t)
            }))
        }
        syn::ReturnType::Default => false,
    }
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => crate::body::taint::last_segment(&p.path),
        syn::Type::Reference(r) => type_name(&r.elem),
        other => quote::ToTokens::to_token_stream(other).to_string(),
    }
}

impl Collector<'_> {
    fn line(&self, span: proc_macro2::Span) -> u32 {
        span.start().line as u32
    }

    /// Records the lines of a test-only item of a library file.
    fn note_test_code(&mut self, item: &Item) {
        let config = self.target.config;
        let (attrs, is_test_fn, end) = match item {
            Item::Fn(f) => (
                &f.attrs,
                f.attrs.iter().any(|a| testattr::is_test_attr(a, config)),
                Some(f.block.brace_token.span.close()),
            ),
            Item::Mod(m) => (
                &m.attrs,
                false,
                m.content.as_ref().map(|(b, _)| b.span.close()),
            ),
            Item::Impl(i) => (&i.attrs, false, Some(i.brace_token.span.close())),
            Item::Use(u) => (&u.attrs, false, None),
            Item::Struct(s) => (&s.attrs, false, None),
            Item::Enum(e) => (&e.attrs, false, Some(e.brace_token.span.close())),
            Item::Const(c) => (&c.attrs, false, None),
            Item::Static(s) => (&s.attrs, false, None),
            Item::Macro(m) => (&m.attrs, false, None),
            Item::Trait(t) => (&t.attrs, false, Some(t.brace_token.span.close())),
            _ => return,
        };
        if is_test_fn || is_cfg_test(attrs) {
            // The item's extent from its first attribute to its closing brace; the whole
            // item's tokens only when it has no braces of its own.
            let start = attrs.first().map_or_else(
                || syn::spanned::Spanned::span(item).start(),
                |a| a.pound_token.span.start(),
            );
            let end = end.map_or_else(|| syn::spanned::Spanned::span(item).end(), |s| s.end());
            self.out
                .test_code
                .push((start.line as u32, end.line as u32));
        }
    }

    /// A `harness = false` target's `main`, analyzed as its single test.
    fn harnessless_main(&mut self, name: &str) {
        if !self.out.tests.is_empty() {
            return;
        }
        let main = self.file.ast.items.iter().find_map(|i| match i {
            Item::Fn(f) if f.sig.ident == "main" => Some(f),
            _ => None,
        });
        let Some(main) = main else { return };
        let returns_value = !matches!(main.sig.output, syn::ReturnType::Default);
        let (block, compiled_out) = cfg::active_block(&main.block, self.target.cfg);
        let facts = body::analyze(&block, &self.body_ctx(name, returns_value, Vec::new(), &[]));
        self.out.tests.push(RawTest {
            rows: vec![(
                name.to_string(),
                Row {
                    suffix: Vec::new(),
                    ignored: false,
                    should_panic: false,
                    has_expectation: false,
                },
            )],
            file: self.file.rel.clone(),
            line: self.line(main.sig.fn_token.span),
            facts,
            cfg_off: None,
            compiled_out,
        });
    }

    fn helper_target(&self) -> String {
        if self.target.test_support {
            String::new()
        } else {
            self.target.label.to_string()
        }
    }

    fn helpers_here(&self, ctx: &ModCtx) -> bool {
        ctx.test_ctx || self.target.test_support
    }

    fn items<'i>(
        &mut self,
        items: impl IntoIterator<Item = &'i Item>,
        ctx: &ModCtx,
        file_level: bool,
    ) {
        // A `cfg_if!` stands for the items of its branch the build keeps, in its place.
        let mut flat: Vec<(usize, Cow<'i, Item>)> = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            keep_items(index, Cow::Borrowed(item), self.target.cfg, &mut flat);
        }
        for (index, item) in &flat {
            let item: &Item = item;
            if self.expanding == 0 {
                self.item_index = u32::try_from(*index).unwrap_or(u32::MAX);
            }
            if self.read_before() {
                match item {
                    Item::Mod(m) if m.content.is_some() => self.mod_item(m, ctx, file_level),
                    Item::Macro(m) => self.macro_item(m, ctx),
                    _ => {}
                }
                continue;
            }
            if self.out.library_file && !ctx.test_ctx {
                self.note_test_code(item);
            }
            match item {
                Item::Fn(f) => self.fn_item(&FnRef::of(f), ctx, &Owner::default()),
                Item::Impl(imp) => {
                    let ctx = self.nested_ctx(ctx, &imp.attrs);
                    let ty = type_name(&imp.self_ty);
                    let owner = Owner {
                        path: vec![ty.clone()],
                        mock: imp.trait_.as_ref().map(|(tr, _)| Mock {
                            ty,
                            tr: crate::body::taint::last_segment(tr),
                        }),
                    };
                    for ii in &imp.items {
                        if let syn::ImplItem::Fn(f) = ii {
                            let f = FnRef {
                                attrs: &f.attrs,
                                sig: &f.sig,
                                block: &f.block,
                            };
                            self.fn_item(&f, &ctx, &owner);
                        }
                    }
                }
                Item::Static(st)
                    if st.attrs.iter().any(|a| attr_is(a, "global_allocator"))
                        && self.nested_ctx(ctx, &st.attrs).test_ctx =>
                {
                    self.out.allocators.push(type_name(&st.ty));
                }
                Item::Trait(t) => {
                    let ctx = self.nested_ctx(ctx, &t.attrs);
                    let owner = Owner {
                        path: vec![t.ident.to_string()],
                        mock: None,
                    };
                    for ti in &t.items {
                        if let syn::TraitItem::Fn(f) = ti {
                            if let Some(block) = &f.default {
                                let f = FnRef {
                                    attrs: &f.attrs,
                                    sig: &f.sig,
                                    block,
                                };
                                self.fn_item(&f, &ctx, &owner);
                            }
                        }
                    }
                }
                Item::Mod(m) => self.mod_item(m, ctx, file_level),
                Item::Macro(m) => self.macro_item(m, ctx),
                _ => {}
            }
        }
    }

    /// The context of an item: its parent's, made test-only by a `#[cfg(test)]`, and with the
    /// item's `cfg` that does not hold in the build.
    fn nested_ctx<'c>(&self, ctx: &'c ModCtx, attrs: &[Attribute]) -> Cow<'c, ModCtx> {
        let ctx = self.cfg_ctx(ctx, attrs);
        if !ctx.test_ctx && is_cfg_test(attrs) {
            let mut c = ctx.into_owned();
            c.test_ctx = true;
            Cow::Owned(c)
        } else {
            ctx
        }
    }

    /// `ctx` with the first `cfg` of `attrs` that does not hold in the build, unless one
    /// around it already does not.
    fn cfg_ctx<'c>(&self, ctx: &'c ModCtx, attrs: &[Attribute]) -> Cow<'c, ModCtx> {
        match ctx.cfg_off {
            None => match cfg::off(attrs, self.target.cfg) {
                Some(off) => Cow::Owned(ModCtx {
                    cfg_off: Some(off),
                    ..ctx.clone()
                }),
                None => Cow::Borrowed(ctx),
            },
            Some(_) => Cow::Borrowed(ctx),
        }
    }

    fn mod_item(&mut self, m: &syn::ItemMod, ctx: &ModCtx, file_level: bool) {
        let name = m.ident.to_string();
        let mut child = self.nested_ctx(ctx, &m.attrs).into_owned();
        child.module.push(name.clone());
        child.scope.push(ScopeStep {
            index: self.item_index,
            macro_use: cfg::has_attr(&m.attrs, "macro_use", self.target.cfg),
        });
        let path = path_attr(&m.attrs);
        match &m.content {
            Some((_, items)) => {
                child.child_dir = ctx.child_dir.join(path.as_deref().unwrap_or(&name));
                self.items(items.iter(), &child, false);
            }
            None => {
                let (file, child_dir) = match &path {
                    Some(p) => {
                        let base = if file_level {
                            self.file
                                .path
                                .parent()
                                .unwrap_or(Path::new("."))
                                .to_path_buf()
                        } else {
                            ctx.child_dir.clone()
                        };
                        let file = base.join(p);
                        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
                        (Some(file), dir)
                    }
                    None => {
                        let flat = ctx.child_dir.join(format!("{name}.rs"));
                        let nested = ctx.child_dir.join(&name).join("mod.rs");
                        let file = [flat, nested].into_iter().find(|p| p.is_file());
                        (file, ctx.child_dir.join(&name))
                    }
                };
                match file.filter(|f| f.is_file()) {
                    Some(file) => {
                        child.child_dir = child_dir;
                        self.out.children.push(ChildMod { file, ctx: child });
                    }
                    None if !m.attrs.iter().any(|a| attr_is(a, "cfg")) => {
                        self.out.warnings.push(format!(
                            "{}: file for module `{name}` not found",
                            self.line(m.ident.span())
                        ));
                    }
                    None => {}
                }
            }
        }
    }

    fn macro_item(&mut self, m: &syn::ItemMacro, ctx: &ModCtx) {
        let name = crate::body::taint::last_segment(&m.mac.path);
        if name == "macro_rules" {
            if let Some(ident) = &m.ident {
                self.macro_rules(ident, m, ctx);
            }
            return;
        }
        let single = m.mac.path.get_ident().map(|i| i.to_string());
        let expanded_before =
            is_test_writer(&name) || single.is_some_and(|n| self.test_macros.contains_key(&n));
        if self.read_before() && expanded_before {
            return;
        }
        if self.expand_test_macro(m, ctx) {
            return;
        }
        let is_prop = name == "proptest";
        if is_prop || name == "quickcheck" {
            for f in macro_fns(&m.mac.tokens, is_prop) {
                self.fn_item(&FnRef::of(&f), ctx, &Owner::default());
            }
        } else {
            self.out.unresolved.push(name);
        }
    }

    /// A `macro_rules!` definition: a helper when its body asserts, an entry of the crate's
    /// macro table, and a local test-writing macro when it writes tests in this build.
    fn macro_rules(&mut self, ident: &syn::Ident, m: &syn::ItemMacro, ctx: &ModCtx) {
        let name = ident.to_string();
        let first_read = !self.read_before();
        if first_read {
            let facts = body::analyze_macro_rules(
                m.mac.tokens.clone(),
                &self.body_ctx("", false, Vec::new(), &ctx.module),
            );
            self.out.macros.push(Helper {
                name: name.clone(),
                target: self.helper_target(),
                file: self.file.rel.clone(),
                line: self.line(ident.span()),
                facts,
                owner: None,
                mock: None,
            });
        }
        let Some(rules) = MacroRules::parse(m.mac.tokens.clone()) else {
            return;
        };
        let enabled = cfg::enabled(&m.attrs, self.target.cfg);
        let calls = rules.calls();
        let writes_tests = rules.writes_tests();
        if enabled
            && (writes_tests
                || calls
                    .iter()
                    .any(|c| is_test_writer(c) || self.test_macros.contains_key(c)))
        {
            self.test_macros.insert(name.clone(), rules);
        }
        if !first_read {
            return;
        }
        self.out.macro_defs.push(MacroDef {
            name,
            rules: m.mac.tokens.to_string(),
            at: self.position(ctx),
            exported: cfg::has_attr(&m.attrs, "macro_export", self.target.cfg),
            enabled,
            test_only: ctx.test_ctx || is_cfg_test(&m.attrs),
            writes_tests,
            calls,
        });
    }

    /// Where the current item sits in the crate.
    fn position(&self, ctx: &ModCtx) -> Position {
        Position {
            scope: ctx.scope.clone(),
            index: self.item_index,
        }
    }

    /// Expands an invocation of a macro that writes tests (defined earlier in this file, or
    /// anywhere the crate's macro table says it is in scope), and collects the tests (and
    /// test modules) it writes, on the invocation's line; `false` when the path names no such
    /// macro or the invocation does not match it.
    fn expand_test_macro(&mut self, m: &syn::ItemMacro, ctx: &ModCtx) -> bool {
        if self.expanding >= MAX_EXPANSION_DEPTH || self.expansions_left == 0 {
            return false;
        }
        let path: Vec<String> = m
            .mac
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let span = m
            .mac
            .path
            .segments
            .last()
            .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
        let local = match path.as_slice() {
            [name] => self.test_macros.get(name),
            _ => None,
        };
        let tokens = local
            .and_then(|rules| rules.expand(&m.mac.tokens, span))
            .or_else(|| {
                let def = self
                    .table?
                    .resolve(self.target.krate, &path, &self.position(ctx))?;
                MacroRules::parse(def.rules.parse().ok()?)?.expand(&m.mac.tokens, span)
            });
        let Some(tokens) = tokens else {
            return false;
        };
        self.expansions_left -= 1;
        let Ok(syn::File { items, .. }) = syn::parse2(tokens) else {
            return false;
        };
        // What a test-writing macro writes is test code, whatever module it is called in.
        let mut test_ctx = ctx.clone();
        test_ctx.test_ctx = true;
        self.expanding += 1;
        self.items(&items, &test_ctx, false);
        self.expanding -= 1;
        true
    }

    /// The context of a body in `module` (the crate module path).
    fn body_ctx<'b>(
        &'b self,
        name: &'b str,
        returns_value: bool,
        params: Vec<String>,
        module: &[String],
    ) -> BodyCtx<'b> {
        let inner = module.strip_prefix(self.file_module.as_slice());
        let scope = self
            .module_scopes
            .iter()
            .find(|(m, _)| Some(m.as_slice()) == inner)
            .map_or(&self.scope, |(_, s)| s);
        BodyCtx {
            config: self.target.config,
            name,
            returns_value,
            returns_bool: false,
            helper: false,
            fails_when_called: false,
            params,
            file: self.file,
            external: &self.external,
            scope,
        }
    }

    fn fn_item(&mut self, f: &FnRef, ctx: &ModCtx, owner: &Owner) {
        let fn_ctx = self.nested_ctx(ctx, f.attrs);
        let line = self.line(f.sig.fn_token.span);
        let name = f.sig.ident.to_string();
        if f.attrs.iter().any(testattr::is_template) {
            return;
        }
        // rstest_reuse: `#[apply(t)]` gives the function template `t`'s attributes and cases.
        let template = testattr::applied_template(f.attrs)
            .and_then(|t| self.templates.iter().find(|(n, _, _)| *n == t));
        let rows = match template {
            Some((_, attrs, sig)) => {
                let attrs: Vec<Attribute> = attrs
                    .iter()
                    .filter(|a| !testattr::is_template(a))
                    .chain(f.attrs)
                    .cloned()
                    .collect();
                // The template's `#[case]`/`#[values]` arguments, under the function's name.
                let mut sig = (*sig).clone();
                sig.ident = f.sig.ident.clone();
                testattr::test_rows(&attrs, &sig, self.target.config)
            }
            None => testattr::test_rows(f.attrs, f.sig, self.target.config),
        };
        let returns_value = !matches!(f.sig.output, syn::ReturnType::Default);
        // What the build compiles: a `#[cfg(miri)]` assertion checks nothing here.
        let (active, compiled_out) = cfg::active_block(f.block, self.target.cfg);
        let block: &Block = &active;
        if returns_uint(f.sig) {
            self.out.unsigned_fns.push(name.clone());
        }
        if let Some(rows) = rows {
            if self.target.tested && owner.path.is_empty() {
                let mut bctx =
                    self.body_ctx(&name, returns_value, param_names(f.sig), &fn_ctx.module);
                bctx.returns_bool = returns_type(f.sig, "bool");
                let facts = body::analyze(block, &bctx);
                let names = testattr::row_names(&fn_ctx.module, &name, &rows);
                self.out.tests.push(RawTest {
                    rows: names.into_iter().zip(rows).collect(),
                    file: self.file.rel.clone(),
                    line,
                    facts,
                    cfg_off: fn_ctx.cfg_off.clone(),
                    compiled_out,
                });
            }
            self.nested_items(block, &fn_ctx);
            return;
        }
        if self.helpers_here(&fn_ctx) {
            let mut bctx = self.body_ctx("", returns_value, param_names(f.sig), &fn_ctx.module);
            bctx.returns_bool = returns_type(f.sig, "bool");
            bctx.helper = true;
            bctx.fails_when_called = owner.mock.is_some();
            let facts = body::analyze(block, &bctx);
            self.out.helpers.push(Helper {
                name: name.clone(),
                target: self.helper_target(),
                file: self.file.rel.clone(),
                line,
                facts,
                owner: owner.path.last().cloned(),
                mock: owner.mock.clone(),
            });
            self.nested_items(block, &fn_ctx);
            if fn_ctx.test_ctx {
                return;
            }
        }
        if self.target.library && !fn_ctx.test_ctx {
            let mut path: Vec<String> = fn_ctx.module.clone();
            path.extend(owner.path.iter().cloned());
            path.push(name);
            let body_start = self.file.pos(f.block.brace_token.span.open().start());
            self.out.functions.push(LibFunction {
                package: self.target.package.to_string(),
                name: path.join("::"),
                file: self.file.rel.clone(),
                line,
                body_start,
                end_line: f.block.brace_token.span.close().end().line as u32,
                error_sites: error_sites(f.sig, block, self.file),
            });
            let mut inner: Vec<String> = owner.path.clone();
            inner.push(f.sig.ident.to_string());
            self.nested_items_in(block, &fn_ctx, &inner);
        }
    }

    /// Functions and macros defined inside a function body.
    fn nested_items(&mut self, block: &Block, ctx: &ModCtx) {
        self.nested_items_in(block, ctx, &[]);
    }

    /// Items inside a function body, in a module path extended by `inner`.
    fn nested_items_in(&mut self, block: &Block, ctx: &ModCtx, inner: &[String]) {
        let items: Vec<&Item> = block
            .stmts
            .iter()
            .filter_map(|s| match s {
                syn::Stmt::Item(
                    i @ (Item::Fn(_) | Item::Macro(_) | Item::Impl(_) | Item::Mod(_)),
                ) => Some(i),
                _ => None,
            })
            .collect();
        if items.is_empty() {
            return;
        }
        let mut c = ctx.clone();
        c.module.extend(inner.iter().cloned());
        c.scope.push(ScopeStep {
            index: self.item_index,
            macro_use: false,
        });
        self.items(items, &c, false);
    }
}

/// Adds `item` at `index`, or for a `cfg_if!` the items it keeps in `env`, nested ones
/// followed.
fn keep_items<'i>(
    index: usize,
    item: Cow<'i, Item>,
    env: &CfgEnv,
    out: &mut Vec<(usize, Cow<'i, Item>)>,
) {
    match cfg::cfg_if_items(&item, Some(env)) {
        Some(kept) => {
            for i in kept {
                keep_items(index, Cow::Owned(i), env, out);
            }
        }
        None => out.push((index, item)),
    }
}

/// The functions inside `proptest! { .. }` (whose arguments are `x in strategy`) or
/// `quickcheck! { .. }`. proptest runs only those marked `#[test]`; quickcheck runs all.
fn macro_fns(tokens: &TokenStream, proptest: bool) -> Vec<ItemFn> {
    let parser = |input: ParseStream| {
        let mut fns = Vec::new();
        let _ = input.call(Attribute::parse_inner)?;
        while !input.is_empty() {
            let mut attrs = input.call(Attribute::parse_outer)?;
            if !input.peek(syn::Token![fn]) {
                input.parse::<TokenTree>()?;
                continue;
            }
            let fn_token: syn::Token![fn] = input.parse()?;
            let ident: syn::Ident = input.parse()?;
            let args: proc_macro2::Group = input.parse()?;
            let mut ret = TokenStream::new();
            while !input.is_empty() && !input.peek(syn::token::Brace) {
                ret.extend([input.parse::<TokenTree>()?]);
            }
            let block: Block = input.parse()?;
            let params = prop_params(args.stream());
            if !proptest && !attrs.iter().any(|a| attr_is(a, "test")) {
                attrs.push(syn::parse_quote!(#[test]));
            }
            let output = if ret.is_empty() {
                syn::ReturnType::Default
            } else {
                syn::parse2::<syn::ReturnType>(ret).unwrap_or(syn::ReturnType::Default)
            };
            let mut sig: Signature = syn::parse_quote!(fn #ident());
            sig.fn_token = fn_token;
            sig.inputs = params;
            sig.output = output;
            fns.push(ItemFn {
                attrs,
                vis: syn::Visibility::Inherited,
                modifiers: Default::default(),
                sig,
                block: Box::new(block),
            });
        }
        Ok(fns)
    };
    parser.parse2(tokens.clone()).unwrap_or_default()
}

/// Parameters of a proptest function (`x in 0..10, ref s in ".*"`) as plain typed arguments.
fn prop_params(tokens: TokenStream) -> syn::punctuated::Punctuated<FnArg, syn::Token![,]> {
    let mut out = syn::punctuated::Punctuated::new();
    let mut expect_name = true;
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => expect_name = true,
            TokenTree::Ident(i) if expect_name && i != "ref" && i != "mut" => {
                let ident = i.clone();
                if let Ok(arg) = syn::parse2::<FnArg>(quote::quote!(#ident: _)) {
                    out.push(arg);
                }
                expect_name = false;
            }
            _ => {}
        }
    }
    out
}
