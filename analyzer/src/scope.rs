//! Which names resolve to items of the code under test (SPEC.md "code under test"): the items
//! the workspace's library crates define ([`CrateIndex`]) and, per file, the names that the
//! file's own definitions and `use` declarations bring into scope ([`CrateScope`]). A crate
//! type named `HashMap` is the crate's, not std's, where `use super::*` brings it in.

use crate::aliases::Aliases;
use rayon::prelude::*;
use std::path::Path;
use std::rc::Rc;
use syn::visit::Visit;
use syn::Item;

/// Items the workspace's library crates define, outside their test code.
#[derive(Clone, Debug, Default)]
pub(crate) struct CrateIndex {
    /// Names (as code spells them) of the workspace's library crates.
    pub crates: Vec<String>,
    /// Names of types, traits, functions, macros, constants, statics and modules, sorted and
    /// unique.
    pub items: Vec<String>,
    /// Each trait with the names of its methods and associated consts.
    pub traits: Vec<(String, Vec<String>)>,
    /// Types with a hand-written `PartialEq` impl, sorted (a derived one compares unit
    /// variants by their discriminant, which no change of the crate's code can break).
    pub manual_eq: Vec<String>,
    /// Names of the `macro_rules!` the libraries define outside test code, sorted: calling
    /// one runs code under test.
    pub macros: Vec<String>,
    /// Names of the methods that take `&mut self`, sorted: calling one twice is not asking
    /// the same question twice.
    pub mut_methods: Vec<String>,
}

/// Shared state types whose statics hold what the code under test changes.
#[rustfmt::skip]
const STATE_TYPES: &[&str] = &[
    "Lazy", "LazyLock", "LazyCell", "OnceLock", "OnceCell", "Mutex", "RwLock", "Cell", "RefCell",
    "AtomicBool", "AtomicUsize", "AtomicIsize", "AtomicU8", "AtomicU16", "AtomicU32", "AtomicU64",
    "AtomicI8", "AtomicI16", "AtomicI32", "AtomicI64", "AtomicPtr",
];

/// Collects item definitions of a file, skipping `#[cfg(test)]` modules and test functions
/// when `skip_tests`.
struct Defs<'i> {
    skip_tests: bool,
    items: Vec<String>,
    traits: Vec<(String, Vec<String>)>,
    /// `static`s and `const`s with their types.
    values: Vec<(String, bool, &'i syn::Type)>,
    /// Type aliases with the types they name, at any depth (a test's own
    /// `type ByteArray = ArrayVec<u8, 4>;`).
    aliases: Vec<(String, &'i syn::Type)>,
    /// Types given a hand-written `PartialEq`.
    manual_eq: Vec<String>,
    /// `macro_rules!` names, outside function bodies (where a macro is the body's own).
    macros: Vec<String>,
    /// How many blocks are around the item being read.
    in_block: u32,
    /// Methods taking `&mut self`.
    mut_methods: Vec<String>,
}

/// What one file defines.
#[derive(Default)]
struct Defined {
    /// Item names.
    items: Vec<String>,
    /// Traits with their methods and associated consts.
    traits: Vec<(String, Vec<String>)>,
    /// Types with a written `PartialEq`.
    manual_eq: Vec<String>,
    /// `macro_rules!` names.
    macros: Vec<String>,
    /// Methods taking `&mut self`.
    mut_methods: Vec<String>,
}

impl<'i> Defs<'i> {
    fn of(ast: &'i syn::File, skip_tests: bool) -> Self {
        let mut d = Defs {
            skip_tests,
            items: Vec::new(),
            traits: Vec::new(),
            values: Vec::new(),
            aliases: Vec::new(),
            manual_eq: Vec::new(),
            macros: Vec::new(),
            in_block: 0,
            mut_methods: Vec::new(),
        };
        d.visit_file(ast);
        d
    }

    fn into_parts(self) -> Defined {
        Defined {
            items: self.items,
            traits: self.traits,
            manual_eq: self.manual_eq,
            macros: self.macros,
            mut_methods: self.mut_methods,
        }
    }

    fn method(&mut self, sig: &syn::Signature) {
        let mut_self = sig.receiver().is_some_and(|r| match &r.kind {
            syn::ReceiverKind::Reference(_, _, m) => m.is_some(),
            syn::ReceiverKind::Typed(_, ty) => {
                matches!(&**ty, syn::Type::Reference(t) if t.mutability.is_some())
            }
            _ => false,
        });
        if mut_self {
            self.mut_methods.push(sig.ident.to_string());
        }
    }
}

impl<'ast> Visit<'ast> for Defs<'ast> {
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.method(&f.sig);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.method(&f.sig);
        syn::visit::visit_trait_item_fn(self, f);
    }

    fn visit_item(&mut self, item: &'ast Item) {
        let name = match item {
            Item::Struct(i) => Some(&i.ident),
            Item::Enum(i) => Some(&i.ident),
            Item::Union(i) => Some(&i.ident),
            Item::Type(i) => {
                self.aliases.push((i.ident.to_string(), &i.ty));
                Some(&i.ident)
            }
            Item::Fn(i) => Some(&i.sig.ident),
            Item::Macro(i) => i.ident.as_ref(),
            Item::Mod(i) => Some(&i.ident),
            Item::Const(i) => {
                self.values.push((i.ident.to_string(), false, &i.ty));
                Some(&i.ident)
            }
            Item::Static(i) => {
                let mutable = matches!(i.mutability, syn::StaticMutability::Mut(_));
                self.values.push((i.ident.to_string(), mutable, &i.ty));
                Some(&i.ident)
            }
            Item::Trait(t) => {
                let methods = t
                    .items
                    .iter()
                    .filter_map(|ti| match ti {
                        syn::TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
                        syn::TraitItem::Const(c) => Some(c.ident.to_string()),
                        _ => None,
                    })
                    .collect();
                self.traits.push((t.ident.to_string(), methods));
                Some(&t.ident)
            }
            Item::Impl(i) => {
                let eq = i
                    .trait_
                    .as_ref()
                    .is_some_and(|t| t.0.segments.last().is_some_and(|s| s.ident == "PartialEq"));
                if let (true, syn::Type::Path(p)) = (eq, &*i.self_ty) {
                    self.manual_eq
                        .extend(p.path.segments.last().map(|s| s.ident.to_string()));
                }
                None
            }
            _ => None,
        };
        let attrs: &[syn::Attribute] = match item {
            Item::Mod(m) => &m.attrs,
            Item::Fn(f) => &f.attrs,
            Item::Macro(m) => &m.attrs,
            _ => &[],
        };
        if self.skip_tests
            && (crate::cfg::is_cfg_test(attrs)
                || attrs.iter().any(|a| crate::testattr::attr_is(a, "test")))
        {
            return;
        }
        if let (Item::Macro(m), 0) = (item, self.in_block) {
            if m.mac.path.is_ident("macro_rules") {
                self.macros.extend(name.map(|n| n.to_string()));
            } else {
                // A definition another macro writes (anyhow's `__ensure![macro_rules! ensure ..]`).
                defined_macros(m.mac.tokens.clone(), &mut self.macros);
            }
        }
        self.items.extend(name.map(|n| n.to_string()));
        // What any branch of a `cfg_if!` defines is the crate's in some build.
        if let Some(kept) = crate::cfg::cfg_if_items(item, None) {
            let file = syn::File {
                items: kept,
                ..syn::parse_quote!()
            };
            let kept = Defs::of(&file, self.skip_tests).into_parts();
            self.items.extend(kept.items);
            self.traits.extend(kept.traits);
            self.manual_eq.extend(kept.manual_eq);
            self.mut_methods.extend(kept.mut_methods);
            if self.in_block == 0 {
                self.macros.extend(kept.macros);
            }
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.in_block += 1;
        syn::visit::visit_block(self, block);
        self.in_block -= 1;
    }
}

/// The names of the `macro_rules! name` definitions written in raw tokens.
fn defined_macros(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in trees.iter().enumerate() {
        match (tt, trees.get(i + 1), trees.get(i + 2)) {
            (TokenTree::Ident(m), Some(TokenTree::Punct(p)), Some(TokenTree::Ident(name)))
                if m == "macro_rules" && p.as_char() == '!' =>
            {
                out.push(name.to_string());
            }
            (TokenTree::Group(g), _, _) => defined_macros(g.stream(), out),
            _ => {}
        }
    }
}

/// Directories beside a library's sources that hold no library code (a crate root at the
/// package root has its `target/`, `tests/`, ... next to it).
fn skipped_dir(e: &walkdir::DirEntry) -> bool {
    let name = e.file_name().to_string_lossy();
    e.file_type().is_dir()
        && (name.starts_with('.')
            || matches!(name.as_ref(), "target" | "tests" | "benches" | "examples"))
}

impl CrateIndex {
    /// Indexes every `.rs` file under the directory of each library crate root; `crates`
    /// pairs each library's crate name with its root file. Unreadable or unparsable files are
    /// left out (the scan itself reports them).
    pub(crate) fn build(crates: &[(String, &Path)]) -> CrateIndex {
        let mut files = Vec::new();
        for (_, root) in crates {
            let Some(dir) = root.parent() else { continue };
            files.extend(
                walkdir::WalkDir::new(dir)
                    .into_iter()
                    .filter_entry(|e| e.depth() == 0 || !skipped_dir(e))
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file())
                    .map(|e| e.into_path())
                    .filter(|p| p.extension().is_some_and(|x| x == "rs")),
            );
        }
        files.sort();
        files.dedup();
        let parts: Vec<Defined> = files
            .par_iter()
            .map(|path| {
                let defs = std::fs::read_to_string(path)
                    .ok()
                    .and_then(|text| syn::parse_file(&text).ok())
                    .map(|ast| Defs::of(&ast, true).into_parts())
                    .unwrap_or_default();
                proc_macro2::extra::invalidate_current_thread_spans();
                defs
            })
            .collect();
        Self::of_parts(crates.iter().map(|(c, _)| c.clone()).collect(), parts)
    }

    /// The index of one crate whose whole source is `ast` (a scan of one file's text).
    pub(crate) fn of_file(ast: &syn::File) -> CrateIndex {
        Self::of_parts(Vec::new(), vec![Defs::of(ast, true).into_parts()])
    }

    fn of_parts(crates: Vec<String>, parts: Vec<Defined>) -> CrateIndex {
        let mut index = CrateIndex {
            crates,
            ..CrateIndex::default()
        };
        for part in parts {
            index.items.extend(part.items);
            index.traits.extend(part.traits);
            index.manual_eq.extend(part.manual_eq);
            index.macros.extend(part.macros);
            index.mut_methods.extend(part.mut_methods);
        }
        for names in [
            &mut index.items,
            &mut index.macros,
            &mut index.manual_eq,
            &mut index.mut_methods,
        ] {
            names.sort();
            names.dedup();
        }
        index
    }

    fn trait_methods<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.traits
            .iter()
            .filter(move |(t, _)| t == name)
            .flat_map(|(_, m)| m)
    }
}

/// What resolves to the code under test in one file.
#[derive(Clone, Debug, Default)]
pub(crate) struct CrateScope {
    /// Roots of paths into the workspace's crates: `crate`, `self`, `super` and the library
    /// crate names.
    roots: Vec<String>,
    /// Crate module names that may start a path (`use map::HashMap` in 2018 code), sorted.
    modules: Vec<String>,
    /// Names that resolve to crate items here, sorted.
    names: Vec<String>,
    /// Methods and associated consts of the crate traits in scope here, sorted.
    methods: Vec<String>,
    /// `static`s (and `const`s of crate types) of the file that hold crate state, sorted.
    state: Vec<String>,
    /// Dependency crates outside the workspace, sorted.
    dependencies: Vec<String>,
    /// Crate types with a hand-written `PartialEq`, sorted.
    manual_eq: Vec<String>,
    /// Crate methods that take `&mut self`, sorted (shared by every file's scope).
    mut_methods: Rc<Vec<String>>,
    /// Names imported from elsewhere, with the inline module (relative to the file) of the
    /// `use` that imports them.
    shadowed: Vec<(Vec<String>, String)>,
    /// What the names the file imports stand for (`use itertools::assert_equal as same`).
    aliases: Aliases,
    /// The libraries' `macro_rules!` names, sorted.
    macros: Vec<String>,
    /// Those are in scope by their plain names: the file is a library's (textual scope) or
    /// has `#[macro_use] extern crate` of one.
    plain_macros: bool,
}

/// Items that test code defines, with the inline module (relative to the file) each is
/// defined in: in a test-only file (an integration test) every item, elsewhere the items of
/// `#[cfg(test)]` modules and test functions. Such an item shadows a crate item of its name
/// that a glob brings into its module (`struct Money` next to `use shelf::*`).
struct TestDefs {
    /// Whether the items visited so far are test code.
    in_tests: bool,
    module: Vec<String>,
    found: Vec<(Vec<String>, String)>,
}

impl<'ast> Visit<'ast> for TestDefs {
    fn visit_item(&mut self, item: &'ast Item) {
        // A test's alias of a crate type stays a crate type (see `of_file`): not listed.
        let (name, attrs) = match item {
            Item::Struct(i) => (Some(&i.ident), &i.attrs),
            Item::Enum(i) => (Some(&i.ident), &i.attrs),
            Item::Union(i) => (Some(&i.ident), &i.attrs),
            Item::Trait(i) => (Some(&i.ident), &i.attrs),
            Item::Const(i) => (Some(&i.ident), &i.attrs),
            Item::Static(i) => (Some(&i.ident), &i.attrs),
            Item::Mod(i) => (None, &i.attrs),
            Item::Fn(i) => (None, &i.attrs),
            _ => return,
        };
        if self.in_tests {
            if let Some(n) = name {
                self.found.push((self.module.clone(), n.to_string()));
            }
        }
        let was = self.in_tests;
        self.in_tests |= crate::cfg::is_cfg_test(attrs)
            || attrs.iter().any(|a| crate::testattr::attr_is(a, "test"));
        if let Item::Mod(m) = item {
            self.module.push(m.ident.to_string());
            syn::visit::visit_item(self, item);
            self.module.pop();
        } else {
            syn::visit::visit_item(self, item);
        }
        self.in_tests = was;
    }
}

/// `use` declarations of a file, at any depth: names from the workspace's crates, names from
/// elsewhere, and whether a glob imports from the workspace's crates.
struct Uses<'s> {
    scope: &'s CrateScope,
    crate_names: Vec<String>,
    /// Original names of crate items imported (a trait imported `as _` is still in scope).
    crate_originals: Vec<String>,
    /// Names imported from elsewhere, with the inline module (relative to the file) of the
    /// `use`.
    other_names: Vec<(Vec<String>, String)>,
    crate_glob: bool,
    /// Inline modules around the `use` being read.
    module: Vec<String>,
    /// How many function bodies are around it: a `use` of std's `HashMap` in one test's body
    /// does not make the crate's `HashMap` std's in the other tests of its module.
    in_fn: u32,
}

impl<'s> Uses<'s> {
    fn new(scope: &'s CrateScope) -> Self {
        Uses {
            scope,
            crate_names: Vec::new(),
            crate_originals: Vec::new(),
            other_names: Vec::new(),
            crate_glob: false,
            module: Vec::new(),
            in_fn: 0,
        }
    }

    fn tree(&mut self, tree: &syn::UseTree, from_crate: Option<bool>) {
        let scope = self.scope;
        let root_is_crate = |i: &syn::Ident| {
            from_crate.unwrap_or_else(|| {
                scope.roots.iter().any(|r| i == r)
                    || scope
                        .modules
                        .binary_search_by(|m| m.as_str().cmp(&i.to_string()))
                        .is_ok()
            })
        };
        match tree {
            syn::UseTree::Path(p) => {
                let c = root_is_crate(&p.ident);
                self.tree(&p.tree, Some(c))
            }
            syn::UseTree::Name(n) if n.ident == "self" => {}
            // A dependency crate the crate re-exports (`use url::form_urlencoded`) is still
            // that dependency.
            syn::UseTree::Name(n) => {
                if root_is_crate(&n.ident) && !scope.is_dependency(&n.ident.to_string()) {
                    self.crate_names.push(n.ident.to_string());
                    self.crate_originals.push(n.ident.to_string());
                } else {
                    if self.in_fn == 0 {
                        self.other_names
                            .push((self.module.clone(), n.ident.to_string()));
                    }
                }
            }
            syn::UseTree::Rename(r) => {
                if root_is_crate(&r.ident) && !scope.is_dependency(&r.ident.to_string()) {
                    self.crate_names.push(r.rename.to_string());
                    self.crate_originals.push(r.ident.to_string());
                } else {
                    if self.in_fn == 0 {
                        self.other_names
                            .push((self.module.clone(), r.rename.to_string()));
                    }
                }
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.tree(t, from_crate)),
            syn::UseTree::Glob(_) => self.crate_glob |= from_crate == Some(true),
        }
    }
}

impl<'ast> Visit<'ast> for Uses<'_> {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.tree(&u.tree, None);
    }

    /// `extern crate shelf as s;` makes `s::..` a path into the crate.
    fn visit_item_extern_crate(&mut self, e: &'ast syn::ItemExternCrate) {
        if let Some((_, rename)) = &e.rename {
            if self.scope.roots.iter().any(|r| e.ident == r) {
                self.crate_names.push(rename.to_string());
            }
        }
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        self.in_fn += 1;
        syn::visit::visit_block(self, b);
        self.in_fn -= 1;
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.module.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
        self.module.pop();
    }
}

impl CrateScope {
    /// The scope of a file: its own definitions, what its `use` declarations import from the
    /// workspace's crates (a glob import brings in every crate item, unless the file names it
    /// from elsewhere), the methods of the crate traits among those, and its statics that
    /// hold state. `dependencies` are the package's crates outside the workspace;
    /// `test_file`: the whole file is test code (an integration test, bench or example), so
    /// none of its items is the crate's.
    pub(crate) fn of_file(
        ast: &syn::File,
        index: &CrateIndex,
        dependencies: &[String],
        test_file: bool,
    ) -> CrateScope {
        let mut scope = CrateScope {
            roots: ["crate", "self", "super"]
                .iter()
                .map(|s| s.to_string())
                .chain(index.crates.iter().cloned())
                .collect(),
            dependencies: dependencies.to_vec(),
            manual_eq: index.manual_eq.clone(),
            macros: index.macros.clone(),
            mut_methods: Rc::new(index.mut_methods.clone()),
            ..CrateScope::default()
        };
        scope.plain_macros = ast.items.iter().any(|i| {
            matches!(i, Item::ExternCrate(e) if index.crates.iter().any(|c| e.ident == c)
                && e.attrs.iter().any(|a| a.path().is_ident("macro_use")))
        });
        scope.dependencies.sort();
        let defs = Defs::of(ast, false);
        scope.modules = index
            .items
            .iter()
            .filter(|n| n.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter(|n| !scope.is_dependency(n) && !matches!(n.as_str(), "std" | "core" | "alloc"))
            .cloned()
            .collect();
        let mut uses = Uses::new(&scope);
        uses.visit_file(ast);
        let Uses {
            crate_names,
            crate_originals,
            other_names,
            crate_glob,
            ..
        } = uses;
        // The file's own definitions are crate items unless they are test code.
        let mut names: Vec<String> = defs
            .items
            .into_iter()
            .filter(|n| index.items.binary_search(n).is_ok())
            .collect();
        let mut originals = crate_originals;
        originals.extend(names.iter().cloned());
        names.extend(crate_names);
        let mut methods: Vec<String> = Vec::new();
        if crate_glob {
            names.extend(index.items.iter().cloned());
            methods.extend(index.traits.iter().flat_map(|(_, m)| m.iter().cloned()));
        }
        for o in &originals {
            methods.extend(index.trait_methods(o).cloned());
        }
        names.sort();
        names.dedup();
        methods.sort();
        methods.dedup();
        scope.names = names;
        // A type alias of a crate type is a crate type (an alias of an alias too).
        for _ in 0..2 {
            let aliases: Vec<String> = defs
                .aliases
                .iter()
                .filter(|(n, ty)| !scope.is_crate_name(n) && scope.is_crate_type(ty))
                .map(|(n, _)| n.clone())
                .collect();
            scope.names.extend(aliases);
            scope.names.sort();
            scope.names.dedup();
        }
        scope.methods = methods;
        let mut state: Vec<String> = defs
            .values
            .iter()
            .filter(|(_, mutable, ty)| *mutable || scope.holds_state(ty))
            .map(|(n, _, _)| n.clone())
            .collect();
        state.sort();
        state.dedup();
        scope.state = state;
        let mut test_defs = TestDefs {
            in_tests: test_file,
            module: Vec::new(),
            found: Vec::new(),
        };
        test_defs.visit_file(ast);
        scope.shadowed = other_names;
        scope.shadowed.extend(test_defs.found);
        scope.aliases = Aliases::of_file(ast);
        scope
    }

    /// What the names the file imports stand for.
    pub(crate) fn aliases(&self) -> &Aliases {
        &self.aliases
    }

    /// Inline modules of the file (relative to it) where a `use` of a name from elsewhere
    /// shadows a crate name.
    pub(crate) fn shadowing_modules(&self) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = self
            .shadowed
            .iter()
            .filter(|(_, n)| self.is_crate_name(n))
            .map(|(m, _)| m.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The scope inside the inline module `module` (relative to the file): the names it
    /// imports from elsewhere (`use std::collections::HashMap`) are not the crate's there.
    pub(crate) fn in_module(&self, module: &[String]) -> CrateScope {
        let mut scope = self.clone();
        scope
            .names
            .retain(|n| !self.shadowed.iter().any(|(m, s)| m == module && s == n));
        scope
    }

    /// The scope after a `use` inside a function body, for the rest of that body: what it
    /// imports from elsewhere (`use std::collections::HashMap;`) is no longer the crate's,
    /// what it imports from the crate is.
    pub(crate) fn after_use(&self, u: &syn::ItemUse) -> CrateScope {
        let mut uses = Uses::new(self);
        uses.tree(&u.tree, None);
        let (crate_names, other_names) = (uses.crate_names, uses.other_names);
        let mut scope = self.clone();
        scope
            .names
            .retain(|n| !other_names.iter().any(|(_, o)| o == n));
        scope.names.extend(crate_names);
        scope.names.sort();
        scope.names.dedup();
        scope
    }

    /// Dependency crates outside the workspace, sorted.
    pub(crate) fn dependencies(&self) -> &[String] {
        &self.dependencies
    }

    /// Whether `name` resolves to a crate item here.
    pub(crate) fn is_crate_name(&self, name: &str) -> bool {
        self.names
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// The scope of a library's own file, where its macros are in scope by their plain names
    /// (textually, or as `#[macro_export]`ed ones).
    pub(crate) fn in_library(mut self) -> CrateScope {
        self.plain_macros = true;
        self
    }

    /// Whether a macro invocation's path names a `macro_rules!` of the libraries:
    /// `crate::m!`, `the_crate::m!`, an imported `m!`, or a plain `m!` where the library's
    /// macros are in scope.
    pub(crate) fn is_crate_macro(&self, path: &syn::Path) -> bool {
        let Some(last) = path.segments.last() else {
            return false;
        };
        let name = last.ident.to_string();
        if self.macros.binary_search(&name).is_err() {
            return false;
        }
        if path.segments.len() == 1 {
            self.plain_macros || self.is_crate_name(&name)
        } else {
            self.is_crate_path(path)
        }
    }

    /// Whether `name` is a method of a crate trait in scope here.
    pub(crate) fn is_crate_method(&self, name: &str) -> bool {
        self.methods
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// Whether `name` is a `static` (or a `const` of a crate type) that holds crate state.
    pub(crate) fn is_state(&self, name: &str) -> bool {
        self.state
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// Whether the crate type `name` has a hand-written `PartialEq`.
    pub(crate) fn has_manual_eq(&self, name: &str) -> bool {
        self.manual_eq
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// Whether a crate method named `name` takes `&mut self`.
    pub(crate) fn is_mut_method(&self, name: &str) -> bool {
        self.mut_methods
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// Whether `name` is a dependency crate outside the workspace.
    pub(crate) fn is_dependency(&self, name: &str) -> bool {
        self.dependencies
            .binary_search_by(|n| n.as_str().cmp(name))
            .is_ok()
    }

    /// Whether a path resolves into the workspace's crates: it starts at a crate root
    /// (`crate::`, `super::`, a library crate's name) or at a name that resolves to a crate
    /// item (`HashMap::new` where `HashMap` is the crate's).
    pub(crate) fn is_crate_path(&self, path: &syn::Path) -> bool {
        path.segments.first().is_some_and(|s| {
            self.roots.iter().any(|r| s.ident == r) || self.is_crate_name(&s.ident.to_string())
        })
    }

    /// Whether a type is (or is a reference to, or is generic over) a crate type.
    pub(crate) fn is_crate_type(&self, ty: &syn::Type) -> bool {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => {
                self.is_crate_path(&p.path)
                    || p.path.segments.iter().any(|s| match &s.arguments {
                        syn::PathArguments::AngleBracketed(a) => a.args.iter().any(
                            |g| matches!(g, syn::GenericArgument::Type(t) if self.is_crate_type(t)),
                        ),
                        _ => false,
                    })
            }
            syn::Type::Reference(r) => self.is_crate_type(&r.elem),
            syn::Type::Slice(s) => self.is_crate_type(&s.elem),
            syn::Type::Array(a) => self.is_crate_type(&a.elem),
            syn::Type::Paren(p) => self.is_crate_type(&p.elem),
            syn::Type::Tuple(t) => t.elems.iter().any(|e| self.is_crate_type(e)),
            _ => false,
        }
    }

    /// Whether a `static`'s type holds state: a crate type or a cell, lock or atomic.
    fn holds_state(&self, ty: &syn::Type) -> bool {
        self.is_crate_type(ty)
            || matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| {
                STATE_TYPES.iter().any(|t| s.ident == t)
            }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> CrateIndex {
        CrateIndex {
            crates: vec!["shelf".into()],
            items: vec![
                "BufMut".into(),
                "HashMap".into(),
                "map".into(),
                "Month".into(),
            ],
            traits: vec![("BufMut".into(), vec!["put_u8".into(), "len".into()])],
            manual_eq: Vec::new(),
            macros: vec!["ensure".into()],
            mut_methods: Vec::new(),
        }
    }

    fn scope_of(src: &str) -> CrateScope {
        let ast = syn::parse_file(src).expect("test source parses");
        let mut idx = index();
        idx.items.sort();
        CrateScope::of_file(&ast, &idx, &["form_urlencoded".to_string()], false)
    }

    #[test]
    fn a_glob_from_the_crate_brings_its_items_unless_named_from_std() {
        let s = scope_of(
            "mod t { use super::*; fn f() { use std::collections::HashMap; } \
             mod u { use std::collections::HashMap; } }",
        );
        assert!(s.is_crate_name("Month"));
        assert!(s.is_crate_name("HashMap"), "in `t`");
        assert!(s.is_crate_method("put_u8"));
        let u = ["t".to_string(), "u".to_string()];
        assert_eq!(s.shadowing_modules(), [u.to_vec()]);
        assert!(!s.in_module(&u).is_crate_name("HashMap"), "in `t::u`");
        assert!(s.in_module(&u).is_crate_name("Month"));
    }

    #[test]
    fn named_and_renamed_imports_resolve_by_their_root() {
        let s = scope_of("use shelf::BufMut as _; use shelf::map::HashMap as Map; use std::fmt;");
        assert!(s.is_crate_method("put_u8"));
        assert!(s.is_crate_name("Map"));
        assert!(!s.is_crate_name("HashMap"));
        assert!(!s.in_module(&[]).is_crate_name("fmt"));
        let s = scope_of("use shelf::{form_urlencoded, Month};");
        assert!(s.is_crate_name("Month"));
        assert!(
            !s.is_crate_name("form_urlencoded"),
            "a re-exported dependency"
        );
        let s = scope_of("use map::HashMap;");
        assert!(
            s.is_crate_name("HashMap"),
            "a crate module as the path's root"
        );
        let s = scope_of("use other::HashMap;");
        assert!(!s.is_crate_name("HashMap"));
        assert!(!s.is_crate_method("put_u8"));
    }

    #[test]
    fn the_index_reads_library_sources_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write("lib.rs", "pub struct Shelf; impl PartialEq for Shelf { fn eq(&self, _: &Shelf) -> bool { true } } \
            #[macro_export] macro_rules! shelve { () => {} } #[cfg(test)] macro_rules! in_test { () => {} } \
            fn check() { macro_rules! local { () => {} } } \
            define! { #[macro_export] macro_rules! written { () => {} } } \
            impl Shelf { pub fn take(&mut self) {} pub fn peek(&self) {} }");
        write(
            "sub/put.rs",
            "pub trait Put { fn put(&self); } #[cfg(test)] mod tests { struct Mock; }",
        );
        write("target/debug/gen.rs", "pub struct Generated;");
        write("tests/t.rs", "pub struct InTest;");
        write("sub/broken.rs", "fn (");
        let root = dir.path().join("lib.rs");
        let index = CrateIndex::build(&[("shelf".to_string(), root.as_path())]);
        assert_eq!(index.crates, ["shelf"]);
        assert_eq!(
            index.items,
            ["Put", "Shelf", "check", "local", "shelve"],
            "no test, target or tests/ item"
        );
        assert_eq!(
            index.macros,
            ["shelve", "written"],
            "macros outside test code and function bodies"
        );
        assert_eq!(index.traits, [("Put".to_string(), vec!["put".to_string()])]);
        assert_eq!(index.manual_eq, ["Shelf"]);
        assert_eq!(index.mut_methods, ["take"], "methods taking `&mut self`");
    }

    #[test]
    fn extern_crate_renames_and_aliases_of_crate_types_are_the_crates() {
        let s = scope_of(
            "extern crate shelf as sh; use shelf::Month; \
             fn t() { type Cal = Vec<Month>; type Cal2 = Cal; type Plain = u8; }",
        );
        assert!(s.is_crate_name("sh"));
        let path: syn::Path = syn::parse_quote!(sh::HashMap::new);
        assert!(s.is_crate_path(&path));
        assert!(s.is_crate_name("Cal"), "an alias of a crate type");
        assert!(s.is_crate_name("Cal2"), "an alias of that alias");
        assert!(!s.is_crate_name("Plain"));
    }

    #[test]
    fn a_use_in_a_body_shadows_for_the_rest_of_it() {
        let s = scope_of("use shelf::*;");
        let u: syn::ItemUse = syn::parse_quote!(
            use std::collections::HashMap;
        );
        let inner = s.after_use(&u);
        assert!(!inner.is_crate_name("HashMap"));
        assert!(inner.is_crate_name("Month"));
        let u: syn::ItemUse = syn::parse_quote!(
            use std::collections::{HashMap as Month};
        );
        assert!(!s.after_use(&u).is_crate_name("Month"), "renamed");
    }

    #[test]
    fn test_code_definitions_shadow_the_glob_in_their_module() {
        let src = "mod t { use shelf::*; enum Month { A } } mod u { use shelf::*; }";
        let ast = syn::parse_file(src).expect("test source parses");
        let mut idx = index();
        idx.items.sort();
        let s = CrateScope::of_file(&ast, &idx, &[], true);
        let t = ["t".to_string()];
        assert!(
            !s.in_module(&t).is_crate_name("Month"),
            "the test's own Month"
        );
        assert!(s.in_module(&["u".to_string()]).is_crate_name("Month"));
        let lib = CrateScope::of_file(&ast, &idx, &[], false);
        assert!(
            lib.in_module(&t).is_crate_name("Month"),
            "a library module's item is the crate's"
        );
    }

    #[test]
    fn library_macros_are_reached_by_path_import_or_where_they_are_in_scope() {
        let path = |p: &str| syn::parse_str::<syn::Path>(p).expect("a path");
        let s = scope_of("use shelf::ensure;");
        assert!(s.is_crate_macro(&path("ensure")), "imported");
        assert!(s.is_crate_macro(&path("shelf::ensure")));
        assert!(
            !s.is_crate_macro(&path("anyhow::ensure")),
            "another crate's"
        );
        assert!(!s.is_crate_macro(&path("shelf::Month")), "not a macro");
        let plain = scope_of("fn f() {}");
        assert!(!plain.is_crate_macro(&path("ensure")), "not in scope");
        assert!(plain.is_crate_macro(&path("crate::ensure")));
        assert!(
            plain.in_library().is_crate_macro(&path("ensure")),
            "textual scope"
        );
        let old = scope_of("#[macro_use] extern crate shelf;");
        assert!(
            old.is_crate_macro(&path("ensure")),
            "macro_use extern crate"
        );
    }

    #[test]
    fn statics_of_crate_types_and_cells_are_state() {
        let s = scope_of(
            "use shelf::Month; static M: Month = Month::May; static N: u8 = 1; \
             static mut C: u8 = 0; fn f() { static L: Lazy<u8> = Lazy::new(|| 1); }",
        );
        assert!(s.is_state("M"));
        assert!(s.is_state("C"));
        assert!(s.is_state("L"));
        assert!(!s.is_state("N"));
        assert!(s.is_dependency("form_urlencoded"));
    }
}
