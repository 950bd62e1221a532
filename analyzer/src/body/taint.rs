//! Whether a value went through code under test: literals and constants, data the test built
//! itself with std, or something the code under test produced or touched.

use crate::body::role::CmpOp;
use crate::scope::CrateScope;
use std::rc::Rc;
use syn::{Expr, Pat};

/// How far a value is from the code under test. Ordered: the join of two is the max.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Taint {
    /// Built only from literals and constants, with no binding in between.
    Const,
    /// Built by the test itself (a binding to a literal, std collections of literals, ...).
    Untouched,
    /// Produced or possibly changed by code under test (or unknown).
    Touched,
}

/// Who defines a constant an assertion reads (see [`Env::cross_source`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConstSource {
    /// The workspace: the code under test.
    Crate,
    /// A dependency crate.
    Dependency,
}

/// What the walker knows about a local binding.
#[derive(Clone, Debug)]
pub(crate) struct Binding {
    /// Taint at this point of the body.
    pub taint: Taint,
    /// The initializer, when the binding is a plain `let x = init;` and nothing it reads has
    /// changed since.
    pub init: Option<Box<Expr>>,
    /// The unsigned integer type it holds, when known (`usize` for a `len()`).
    pub uint: Option<String>,
    /// It holds a value of a type the workspace defines (its methods are code under test).
    pub user_type: bool,
    /// It holds a value made by a dependency crate or std (its methods are not under test).
    pub external: bool,
}

/// Local bindings of a body, in the order the walker meets them (shadowing replaces).
#[derive(Default)]
pub(crate) struct Env {
    /// Bindings in order of appearance; a shadowing `let` replaces the older one.
    bindings: Vec<(String, Binding)>,
    /// Names that lead to code outside the workspace: dependency crates and what the file
    /// imports from them or from std.
    external: Vec<String>,
    /// What resolves to the code under test in the file.
    scope: Rc<CrateScope>,
    /// Functions defined inside the body, with the taint of what calling them returns.
    local_fns: Vec<(String, Taint)>,
}

/// std types whose associated functions build plain data (`Vec::new`, `String::from`).
#[rustfmt::skip]
const STD_TYPES: &[&str] = &[
    "Vec", "String", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "BinaryHeap",
    "Box", "Some", "Ok", "Err", "Option", "Result", "PathBuf", "Path", "OsString", "OsStr",
    "Duration", "Cow", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16",
    "i32", "i64", "i128", "isize", "f32", "f64", "bool", "Wrapping", "Reverse", "NonZeroU32",
    "NonZeroUsize", "NonZeroU64", "Ipv4Addr", "Ipv6Addr", "SocketAddr", "IpAddr",
];

/// First path segments that name std modules (`std::`, `fs::`, `mem::` after a `use`).
#[rustfmt::skip]
const STD_MODULES: &[&str] = &[
    "std", "core", "alloc", "fs", "io", "env", "mem", "iter", "cmp", "thread", "time", "path",
    "collections", "str", "char", "fmt", "ptr", "ops", "hash", "num", "array", "slice", "string",
    "vec", "boxed", "borrow", "convert", "ascii", "net",
];

/// Types whose values share state, so passing them anywhere may change what they hold.
#[rustfmt::skip]
const SHARED_STATE: &[&str] = &[
    "Rc", "Arc", "Cell", "RefCell", "Mutex", "RwLock", "AtomicBool", "AtomicUsize", "AtomicU8",
    "AtomicU16", "AtomicU32", "AtomicU64", "AtomicI32", "AtomicI64", "AtomicIsize", "OnceCell",
    "channel", "sync_channel", "unbounded", "bounded",
];

/// Methods of std types that neither call into the code under test nor hide it.
#[rustfmt::skip]
const STD_METHODS: &[&str] = &[
    "len", "is_empty", "clone", "cloned", "copied", "to_string", "to_owned", "into", "as_str",
    "as_ref", "as_slice", "as_bytes", "iter", "into_iter", "chars", "bytes", "lines", "split",
    "split_whitespace", "trim", "trim_start", "trim_end", "to_lowercase", "to_uppercase",
    "to_ascii_lowercase", "to_ascii_uppercase", "contains", "contains_key", "starts_with",
    "ends_with", "find", "get", "first", "last", "keys", "values", "collect", "map", "filter",
    "filter_map", "flat_map", "enumerate", "zip", "rev", "skip", "take", "step_by", "chain",
    "sum", "product", "count", "min", "max", "fold", "any", "all", "position", "nth", "push",
    "push_str", "pop", "insert", "remove", "extend", "append", "clear", "truncate", "sort",
    "sort_unstable", "dedup", "reverse", "join", "concat", "repeat", "replace", "abs", "pow",
    "sqrt", "floor", "ceil", "round", "clamp", "unwrap", "expect", "unwrap_or",
    "unwrap_or_default", "ok", "err", "is_some", "is_none", "is_ok", "is_err", "as_deref",
    "to_vec", "len_utf8", "is_ascii", "to_str", "to_string_lossy", "display", "with_capacity",
    "wrapping_add", "wrapping_sub", "wrapping_mul", "checked_add", "checked_sub", "checked_mul",
    "saturating_add", "saturating_sub", "iter_mut", "as_mut", "get_mut", "entry", "or_insert",
    "or_default", "split_at", "chunks", "windows", "char_indices", "to_digit", "is_alphabetic",
    "is_numeric", "is_whitespace", "f64", "as_secs", "as_millis", "extend_from_slice",
];

/// Methods whose result is an unsigned integer whatever the receiver.
#[rustfmt::skip]
const UNSIGNED_METHODS: &[&str] = &[
    "len", "count", "capacity", "count_ones", "count_zeros", "leading_zeros", "trailing_zeros",
    "leading_ones", "trailing_ones", "as_secs", "as_millis", "as_micros", "as_nanos",
    "subsec_millis", "subsec_micros", "subsec_nanos", "unsigned_abs", "len_utf8",
];

/// Unsigned integer type names with their maximum values (64-bit `usize`).
pub(crate) const UNSIGNED_TYPES: &[(&str, &str)] = &[
    ("u8", "255"),
    ("u16", "65535"),
    ("u32", "4294967295"),
    ("u64", "18446744073709551615"),
    ("u128", "340282366920938463463374607431768211455"),
    ("usize", "18446744073709551615"),
];

/// Integer type names (for `T::MAX` / `T::MIN`).
#[rustfmt::skip]
pub(crate) const INT_TYPES: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
];

/// Macros that build plain data from their arguments.
#[rustfmt::skip]
const DATA_MACROS: &[&str] = &[
    "vec", "format", "concat", "stringify", "include_str", "include_bytes", "env", "hashmap",
    "btreemap", "hashset", "maplit", "json",
];

/// Whether a name is written like a constant (`MAX_LEN`, `EPSILON`).
pub(crate) fn is_screaming(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn is_pascal(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// Whether a method is a std method that does not reach into the code under test.
pub(crate) fn is_std_method(name: &str) -> bool {
    STD_METHODS.contains(&name)
}

/// Associated functions of std types that std itself defines. `Vec::from_hex` is not one of
/// them: a trait of the code under test may add associated functions to std types.
#[rustfmt::skip]
const STD_ASSOC_FNS: &[&str] = &[
    "new", "with_capacity", "from", "default", "from_iter", "from_utf8", "from_utf8_lossy",
    "from_secs", "from_millis", "from_micros", "from_nanos", "from_secs_f32", "from_secs_f64",
    "now", "from_le_bytes", "from_be_bytes", "from_ne_bytes", "from_str_radix", "from_u32",
    "from_digit", "repeat", "new_in", "from_raw_parts", "copied", "cloned", "unwrap_or_default",
    "from_str", "try_from", "max", "min", "pow", "abs", "of", "from_fn", "once", "empty",
];

/// Associated functions std defines for some of its types only (`from_str_radix` for the
/// integers): on another std type, a function of that name is a trait's.
#[rustfmt::skip]
const STD_FNS_OF_SOME_TYPES: &[(&str, &[&str])] = &[
    ("from_str_radix", INT_TYPES),
    ("from_u32", &["char"]),
    ("from_digit", &["char"]),
];

/// Associated consts of std's primitive types: `u8::MAX` is std's, whatever trait is in
/// scope.
#[rustfmt::skip]
const STD_ASSOC_CONSTS: &[&str] = &[
    "MAX", "MIN", "BITS", "EPSILON", "NAN", "INFINITY", "NEG_INFINITY", "MIN_POSITIVE",
    "RADIX", "MANTISSA_DIGITS", "DIGITS", "MAX_EXP", "MIN_EXP", "MAX_10_EXP", "MIN_10_EXP",
    "REPLACEMENT_CHARACTER", "UNICODE_VERSION",
];

/// Methods of std's `Iterator` among [`STD_METHODS`]: on an iterator they are std's.
#[rustfmt::skip]
const ITERATOR_METHODS: &[&str] = &[
    "cloned", "copied", "map", "filter", "filter_map", "flat_map", "enumerate", "zip", "rev",
    "skip", "take", "step_by", "chain", "sum", "product", "count", "min", "max", "fold", "any",
    "all", "position", "nth", "find", "last", "collect", "into_iter",
];

/// std methods whose result is an iterator.
#[rustfmt::skip]
const ITERATOR_SOURCES: &[&str] = &[
    "iter", "into_iter", "iter_mut", "chars", "bytes", "lines", "split", "split_whitespace",
    "char_indices", "keys", "values", "drain", "windows", "chunks",
];

/// Whether `e` is certainly an iterator: a std method that makes one, or an adapter of one.
fn is_iterator(e: &Expr) -> bool {
    match e {
        Expr::MethodCall(m) => {
            let name = m.method.to_string();
            ITERATOR_SOURCES.contains(&name.as_str())
                || (ITERATOR_METHODS.contains(&name.as_str())
                    && !matches!(
                        name.as_str(),
                        "sum"
                            | "product"
                            | "count"
                            | "min"
                            | "max"
                            | "fold"
                            | "any"
                            | "all"
                            | "position"
                            | "nth"
                            | "find"
                            | "last"
                            | "collect"
                    )
                    && is_iterator(&m.receiver))
        }
        Expr::Paren(p) => is_iterator(&p.expr),
        _ => false,
    }
}

/// The last segment of a path, as a string (`assert_eq` of `pretty_assertions::assert_eq`).
pub(crate) fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Whether a name is one of std's container or primitive types (`Vec`, `String`, `u8`).
pub(crate) fn is_std_type(name: &str) -> bool {
    STD_TYPES.contains(&name)
}

/// Whether a call path names std code (`Vec::new`, `std::fs::read`, `Some`).
pub(crate) fn is_std_path(path: &syn::Path) -> bool {
    let segs = &path.segments;
    let named = |i: usize, list: &[&str]| list.contains(&segs[i].ident.to_string().as_str());
    match segs.len() {
        0 => false,
        1 => named(0, STD_TYPES),
        n => named(0, STD_MODULES) || (named(n - 2, STD_TYPES) && named(n - 1, STD_ASSOC_FNS)),
    }
}

/// Names that `use` items (at any module depth of the file) import from std or a dependency.
/// std's container and primitive types are left out: code under test often gives them
/// associated functions through its traits (`Vec::from_hex`), so their paths are judged one by
/// one (see [`is_std_path`]).
pub(crate) fn imported_names(items: &[syn::Item], crates: &[String], out: &mut Vec<String>) {
    fn walk(tree: &syn::UseTree, root: Option<&str>, crates: &[String], out: &mut Vec<String>) {
        let outside = |r: &str, name: &str| {
            crates.iter().any(|c| c == r)
                || (matches!(r, "std" | "core" | "alloc") && !is_std_type(name))
        };
        match tree {
            syn::UseTree::Path(p) => {
                let seg = p.ident.to_string();
                walk(&p.tree, Some(root.unwrap_or(&seg)), crates, out);
            }
            syn::UseTree::Name(n) => {
                let own = n.ident.to_string();
                if outside(root.unwrap_or(&own), &own) && n.ident != "self" {
                    out.push(own);
                }
            }
            // A std type renamed (`use std::collections::HashMap as Map`) is no longer
            // spelled like one: its new name is std's.
            syn::UseTree::Rename(r) => {
                let own = r.ident.to_string();
                let root = root.unwrap_or(&own);
                if outside(root, &own)
                    || (matches!(root, "std" | "core" | "alloc") && r.rename != r.ident)
                {
                    out.push(r.rename.to_string());
                }
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, root, crates, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    for item in items {
        match item {
            syn::Item::Use(u) => walk(&u.tree, None, crates, out),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    imported_names(inner, crates, out);
                }
            }
            _ => {}
        }
    }
}

/// The identifier at the root of a place expression: `x` in `x.a.b[0]`, `&mut x`, `*x`.
pub(crate) fn root_ident(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(p.path.segments[0].ident.to_string())
        }
        Expr::Field(f) => root_ident(&f.base),
        Expr::Index(i) => root_ident(&i.expr),
        Expr::Reference(r) => root_ident(&r.expr),
        Expr::Unary(u) => root_ident(&u.expr),
        Expr::Paren(p) => root_ident(&p.expr),
        Expr::Group(g) => root_ident(&g.expr),
        Expr::MethodCall(m) if is_std_method(&m.method.to_string()) => root_ident(&m.receiver),
        _ => None,
    }
}

/// Identifiers bound by a pattern.
pub(crate) fn pattern_idents<'p>(pat: &'p Pat, out: &mut Vec<(String, Option<&'p syn::Type>)>) {
    match pat {
        Pat::Ident(p) => {
            out.push((p.ident.to_string(), None));
            if let Some((_, sub)) = &p.subpat {
                pattern_idents(sub, out);
            }
        }
        Pat::Type(t) => {
            let start = out.len();
            pattern_idents(&t.pat, out);
            if out.len() == start + 1 {
                out[start].1 = Some(&t.ty);
            }
        }
        Pat::Tuple(t) => t.elems.iter().for_each(|p| pattern_idents(p, out)),
        Pat::TupleStruct(t) => t.elems.iter().for_each(|p| pattern_idents(p, out)),
        Pat::Struct(s) => s.fields.iter().for_each(|f| pattern_idents(&f.pat, out)),
        Pat::Slice(s) => s.elems.iter().for_each(|p| pattern_idents(p, out)),
        Pat::Reference(r) => pattern_idents(&r.pat, out),
        Pat::Guard(g) => pattern_idents(&g.pat, out),
        Pat::Paren(p) => pattern_idents(&p.pat, out),
        Pat::Or(o) => {
            if let Some(first) = o.cases.first() {
                pattern_idents(first, out)
            }
        }
        _ => {}
    }
}

/// The unsigned type a type annotation names (`u8`, `&usize`).
fn uint_type(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p
            .path
            .get_ident()
            .map(|i| i.to_string())
            .filter(|n| UNSIGNED_TYPES.iter().any(|(t, _)| t == n)),
        syn::Type::Reference(r) => uint_type(&r.elem),
        _ => None,
    }
}

/// Whether a type annotation is spelled like a type the workspace (not std) defines.
fn is_user_type(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) => {
            p.path.segments.last().is_some_and(|s| {
                let name = s.ident.to_string();
                !STD_TYPES.contains(&name.as_str()) && name != "Self" && is_pascal(&name)
            }) && !p
                .path
                .segments
                .first()
                .is_some_and(|s| STD_MODULES.contains(&s.ident.to_string().as_str()))
        }
        syn::Type::Reference(r) => is_user_type(&r.elem),
        _ => false,
    }
}

fn mentions_shared_state(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => {
            let path_hit = match &*c.func {
                Expr::Path(p) => p
                    .path
                    .segments
                    .iter()
                    .any(|s| SHARED_STATE.contains(&s.ident.to_string().as_str())),
                _ => false,
            };
            path_hit || c.args.iter().any(mentions_shared_state)
        }
        Expr::MethodCall(m) => mentions_shared_state(&m.receiver),
        Expr::Paren(p) => mentions_shared_state(&p.expr),
        Expr::Reference(r) => mentions_shared_state(&r.expr),
        _ => false,
    }
}

/// Identifiers in raw tokens (macro arguments), descending into groups.
pub(crate) fn token_idents(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(i) => out.push(i.to_string()),
            proc_macro2::TokenTree::Group(g) => token_idents(g.stream(), out),
            _ => {}
        }
    }
}

/// Identifiers an expression mentions, macro arguments included, sorted and unique.
pub(crate) fn idents_of(e: &Expr) -> Vec<String> {
    struct Idents(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Idents {
        fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
            self.0.push(i.to_string());
        }
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            token_idents(m.tokens.clone(), &mut self.0);
        }
    }
    let mut v = Idents(Vec::new());
    syn::visit::Visit::visit_expr(&mut v, e);
    v.0.sort();
    v.0.dedup();
    v.0
}

/// Whether an expression mentions one of `names` as an identifier (macro arguments included),
/// without allocating.
pub(crate) fn mentions_any(e: &Expr, names: &[&str]) -> bool {
    struct Finder<'n> {
        names: &'n [&'n str],
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder<'_> {
        fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
            self.found |= self.names.iter().any(|n| i == n);
        }
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            syn::visit::visit_path(self, &m.path);
            self.found |= tokens_mention(m.tokens.clone(), self.names);
        }
    }
    let mut f = Finder {
        names,
        found: false,
    };
    syn::visit::Visit::visit_expr(&mut f, e);
    f.found
}

fn tokens_mention(tokens: proc_macro2::TokenStream, names: &[&str]) -> bool {
    tokens.into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => names.iter().any(|n| i == n),
        proc_macro2::TokenTree::Group(g) => tokens_mention(g.stream(), names),
        _ => false,
    })
}

impl Env {
    /// An empty environment; `external` names dependency crates and imported outside names,
    /// `scope` what resolves to the code under test.
    pub(crate) fn new(external: Vec<String>, scope: Rc<CrateScope>) -> Env {
        Env {
            bindings: Vec::new(),
            external,
            scope,
            local_fns: Vec::new(),
        }
    }

    /// What resolves to the code under test in the file.
    pub(crate) fn scope(&self) -> &CrateScope {
        &self.scope
    }

    /// The scope in force, to restore when the block that changed it ends.
    pub(crate) fn scope_rc(&self) -> Rc<CrateScope> {
        Rc::clone(&self.scope)
    }

    /// Restores a scope saved with [`scope_rc`](Self::scope_rc), with the names imported
    /// from outside so far (a block's `use` ends with the block).
    pub(crate) fn restore_scope(&mut self, scope: Rc<CrateScope>, external: usize) {
        self.scope = scope;
        self.external.truncate(external);
    }

    /// How many outside names are known (for [`restore_scope`](Self::restore_scope)).
    pub(crate) fn external_len(&self) -> usize {
        self.external.len()
    }

    /// A `use` inside the body: for the rest of its block, the names it imports from std or
    /// a dependency are theirs, not the crate's, and the crate names it imports are the
    /// crate's.
    pub(crate) fn import(&mut self, u: &syn::ItemUse) {
        let item = syn::Item::Use(u.clone());
        imported_names(
            std::slice::from_ref(&item),
            self.scope.dependencies(),
            &mut self.external,
        );
        self.scope = Rc::new(self.scope.after_use(u));
    }

    /// Whether a call path names std code, unless its name resolves to a crate item
    /// (`HashMap::new` where `HashMap` is the crate's).
    pub(crate) fn is_std_path(&self, path: &syn::Path) -> bool {
        !self.scope.is_crate_path(path) && is_std_path(path) && !self.crate_fn_on_std_type(path)
    }

    /// `f32::from_str_radix` with num-traits' `Num` in scope: an associated function of a
    /// crate trait, on a std type std gives no function of that name (std's
    /// `from_str_radix` is the integers' only).
    fn crate_fn_on_std_type(&self, path: &syn::Path) -> bool {
        let segs = &path.segments;
        let n = segs.len();
        if n < 2 || !self.scope.is_crate_method(&segs[n - 1].ident.to_string()) {
            return false;
        }
        let ty = segs[n - 2].ident.to_string();
        STD_FNS_OF_SOME_TYPES
            .iter()
            .find(|(f, _)| segs[n - 1].ident == f)
            .is_some_and(|(_, types)| !types.contains(&ty.as_str()))
    }

    /// Whether a method called on `receiver` is a crate trait's, in scope: not one of std's
    /// own methods (inherent methods win over trait methods), unless the receiver is an
    /// iterator, which has no such method (`iter().join(", ")` with itertools' `Itertools`
    /// in scope: `join` is the slices' only).
    pub(crate) fn is_crate_method(&self, name: &str, receiver: &Expr) -> bool {
        self.scope.is_crate_method(name)
            && (!is_std_method(name)
                || (is_iterator(receiver) && !ITERATOR_METHODS.contains(&name)))
    }

    /// Whether a type annotation names a crate type (resolved) or is spelled like one.
    fn is_user_type(&self, ty: &syn::Type) -> bool {
        self.scope.is_crate_type(ty) || is_user_type(ty)
    }

    /// Whether `e` is a value of a crate type by name resolution: a path or constructor
    /// through a crate type (`Month::May`, `Bytes::new()`, `Point { .. }`), through plain
    /// bindings to one. Comparing or formatting it runs the crate's impls.
    pub(crate) fn crate_value(&self, e: &Expr) -> bool {
        self.crate_type_of(e, 0).is_some()
    }

    /// Whether `left <op> right` runs the crate's comparison: an ordering of a crate value
    /// (derived orders follow the crate's declaration order), or an equality of a crate type
    /// whose `PartialEq` is written by hand.
    pub(crate) fn crate_compare(&self, op: CmpOp, left: &Expr, right: &Expr) -> bool {
        let mut types = [left, right]
            .into_iter()
            .filter_map(|e| self.crate_type_of(e, 0));
        match op {
            CmpOp::Eq | CmpOp::Ne => types.any(|t| self.scope.has_manual_eq(&t)),
            _ => types.next().is_some(),
        }
    }

    /// Whether `left` and `right` are constants from two sources: one the workspace defines,
    /// one a dependency defines (`EMOJI_VERSION.major <= unic_ucd_version::UNICODE_VERSION.major`).
    /// Such an assertion checks the crate's data against data it does not own; it fails when
    /// either side changes alone, unlike a constant restated as a literal.
    pub(crate) fn cross_source(&self, left: &Expr, right: &Expr) -> bool {
        let sources = [left, right].map(|e| self.const_source(e));
        matches!(
            sources,
            [Some(ConstSource::Crate), Some(ConstSource::Dependency)]
                | [Some(ConstSource::Dependency), Some(ConstSource::Crate)]
        )
    }

    /// Who defines the constant a path names, through fields, references, parentheses and
    /// casts (std's constants are facts of the language, not another source: `None`).
    fn const_source(&self, e: &Expr) -> Option<ConstSource> {
        match e {
            Expr::Field(f) => self.const_source(&f.base),
            Expr::Paren(p) => self.const_source(&p.expr),
            Expr::Reference(r) => self.const_source(&r.expr),
            Expr::Cast(c) => self.const_source(&c.expr),
            Expr::Path(p) if p.qself.is_none() => {
                let path = &p.path;
                let first = path.segments.first()?.ident.to_string();
                if path.segments.len() == 1 {
                    let crate_item = self.get_ident(&path.segments[0].ident).is_none()
                        && self.scope.is_crate_name(&first);
                    return crate_item.then_some(ConstSource::Crate);
                }
                if self.scope.is_crate_path(path) {
                    Some(ConstSource::Crate)
                } else if !matches!(first.as_str(), "std" | "core" | "alloc")
                    && !is_std_path(path)
                    && self.external.contains(&first)
                {
                    Some(ConstSource::Dependency)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// The crate type of a [`crate_value`](Self::crate_value).
    fn crate_type_of(&self, e: &Expr, depth: u32) -> Option<String> {
        let through_type = |path: &syn::Path| {
            let segs = &path.segments;
            let n = segs.len();
            let ty = match n {
                1 => segs[0].ident.to_string(),
                _ => segs[n - 2].ident.to_string(),
            };
            (self.scope.is_crate_path(path) && is_pascal(&ty) && !is_screaming(&ty)).then_some(ty)
        };
        match e {
            Expr::Path(p) if p.qself.is_none() => match p.path.get_ident() {
                Some(i) if self.get_ident(i).is_some() => {
                    let init = self.get_ident(i)?.init.as_deref()?;
                    (depth < 3).then(|| self.crate_type_of(init, depth + 1))?
                }
                _ => through_type(&p.path),
            },
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => through_type(&p.path),
                _ => None,
            },
            Expr::Struct(s) if self.scope.is_crate_path(&s.path) => Some(last_segment(&s.path)),
            Expr::Paren(p) => self.crate_type_of(&p.expr, depth),
            Expr::Group(g) => self.crate_type_of(&g.expr, depth),
            Expr::Reference(r) => self.crate_type_of(&r.expr, depth),
            _ => None,
        }
    }

    /// A binding by name.
    pub(crate) fn get(&self, name: &str) -> Option<&Binding> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b)
    }

    /// A binding by identifier (no allocation).
    pub(crate) fn get_ident(&self, ident: &proc_macro2::Ident) -> Option<&Binding> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| ident == n.as_str())
            .map(|(_, b)| b)
    }

    /// The binding a single-identifier path names.
    pub(crate) fn of_path(&self, e: &Expr) -> Option<&Binding> {
        match e {
            Expr::Path(p) if p.qself.is_none() => self.get_ident(p.path.get_ident()?),
            _ => None,
        }
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Binding> {
        self.bindings
            .iter_mut()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b)
    }

    fn insert(&mut self, name: String, b: Binding) {
        // A shadowing `let` makes earlier expressions that read the name mean another value.
        self.mutated(&name);
        self.bindings.retain(|(n, _)| *n != name);
        self.bindings.push((name, b));
    }

    /// Binds every identifier of `pat` (a `let`, a `for`, a closure parameter).
    pub(crate) fn bind(&mut self, pat: &Pat, init: Option<&Expr>, taint: Taint) {
        let mut idents = Vec::new();
        pattern_idents(pat, &mut idents);
        let single = idents.len() == 1 && matches!(strip_type(pat), Pat::Ident(_));
        let init = init.filter(|_| single);
        let external = init.is_some_and(|e| self.external_chain(e));
        let user = init.is_some_and(|e| self.user_typed(e));
        for (name, ty) in idents {
            let user_type = user || ty.is_some_and(|t| self.is_user_type(t));
            let uint = ty
                .and_then(uint_type)
                .or_else(|| init.and_then(|e| self.uint_of(e)));
            let taint = if ty.is_some_and(|t| self.is_user_type(t)) {
                Taint::Touched
            } else {
                taint
            };
            self.insert(
                name,
                Binding {
                    taint,
                    init: init.map(|e| Box::new(e.clone())),
                    uint,
                    user_type,
                    external,
                },
            );
        }
    }

    /// Binds the pattern of a `for` loop over `iterable`: an element that is a crate value
    /// (`for (level, name) in &[(Level::Warn, "WARN")]`) makes its binding a crate value, so
    /// `level.as_str()` runs the crate's method.
    pub(crate) fn bind_elements(&mut self, pat: &Pat, iterable: &Expr, taint: Taint) {
        self.bind(pat, None, taint);
        if let Some(element) = self.element_of(iterable, 0) {
            self.mark_crate_values(pat, &element);
        }
    }

    /// The first element of an array, slice or `vec!` that `e` iterates, through bindings.
    fn element_of(&self, e: &Expr, depth: u32) -> Option<Expr> {
        match e {
            Expr::Array(a) => a.elems.first().cloned(),
            Expr::Reference(r) => self.element_of(&r.expr, depth),
            Expr::Paren(p) => self.element_of(&p.expr, depth),
            Expr::Group(g) => self.element_of(&g.expr, depth),
            Expr::MethodCall(m)
                if matches!(m.method.to_string().as_str(), "iter" | "into_iter") =>
            {
                self.element_of(&m.receiver, depth)
            }
            Expr::Macro(m) if last_segment(&m.mac.path) == "vec" => {
                crate::body::macros::parse_exprs(&m.mac.tokens)?
                    .into_iter()
                    .next()
            }
            Expr::Path(_) if depth < 3 => {
                let init = self.of_path(e)?.init.as_deref()?;
                self.element_of(init, depth + 1)
            }
            _ => None,
        }
    }

    /// Marks the bindings of `pat` whose part of `element` is a crate value.
    fn mark_crate_values(&mut self, pat: &Pat, element: &Expr) {
        match (pat, element) {
            (Pat::Tuple(p), Expr::Tuple(t)) => {
                for (sub, part) in p.elems.iter().zip(&t.elems) {
                    self.mark_crate_values(sub, part);
                }
            }
            (Pat::Reference(r), _) => self.mark_crate_values(&r.pat, element),
            (Pat::Paren(p), _) => self.mark_crate_values(&p.pat, element),
            (Pat::Ident(i), _) if i.subpat.is_none() && self.crate_value(element) => {
                if let Some(b) = self.get_mut(&i.ident.to_string()) {
                    b.user_type = true;
                }
            }
            _ => {}
        }
    }

    /// Binds a function defined inside the body, which shadows a crate item of its name:
    /// calling it is as far from the crate as its body, when that is one expression of its
    /// parameters (`fn double(x: u32) -> u32 { x * 2 }`); anything longer may reach the crate.
    pub(crate) fn bind_local_fn(&mut self, f: &syn::ItemFn) {
        let generic = !f.sig.generics.params.is_empty()
            || f.sig.inputs.iter().any(
                |i| matches!(i, syn::FnArg::Typed(t) if matches!(&*t.ty, syn::Type::ImplTrait(_))),
            );
        let taint = match f.block.stmts.as_slice() {
            // A generic one may run the crate's impls of its bounds.
            _ if generic => Taint::Touched,
            [syn::Stmt::Expr(tail, None)] => {
                let mut inner = Env {
                    bindings: self.bindings.clone(),
                    external: self.external.clone(),
                    scope: Rc::clone(&self.scope),
                    local_fns: self.local_fns.clone(),
                };
                for input in &f.sig.inputs {
                    if let syn::FnArg::Typed(t) = input {
                        inner.bind(&t.pat, None, Taint::Untouched);
                    }
                }
                inner.taint(tail).max(Taint::Untouched)
            }
            _ => Taint::Touched,
        };
        let name = f.sig.ident.to_string();
        self.local_fns.retain(|(n, _)| *n != name);
        self.local_fns.push((name, taint));
    }

    /// The taint of calling `func` when it names a local closure or function (which shadow
    /// crate items of their names).
    fn local_callee(&self, func: &Expr) -> Option<Taint> {
        if let Some(b) = self.of_path(func) {
            return Some(b.taint);
        }
        let Expr::Path(p) = func else { return None };
        let ident = p.path.get_ident()?;
        self.local_fns
            .iter()
            .rev()
            .find(|(n, _)| ident == n.as_str())
            .map(|(_, t)| *t)
    }

    /// Binds `name` as produced by unknown code (a parameter).
    pub(crate) fn bind_touched(&mut self, name: String) {
        self.insert(
            name,
            Binding {
                taint: Taint::Touched,
                init: None,
                uint: None,
                user_type: false,
                external: false,
            },
        );
    }

    /// Marks a binding as changed by code under test (or by unknown code).
    pub(crate) fn touch(&mut self, name: &str) {
        if let Some(b) = self.get_mut(name) {
            b.taint = Taint::Touched;
        }
        self.mutated(name);
    }

    /// Something may have changed what `name` holds: values computed from it earlier are no
    /// longer the same expression as a fresh computation.
    pub(crate) fn mutated(&mut self, name: &str) {
        for (n, b) in self.bindings.iter_mut() {
            if n == name || b.init.as_deref().is_some_and(|e| mentions_any(e, &[name])) {
                b.init = None;
            }
        }
    }

    /// Replaces what a binding holds after `x = e`.
    pub(crate) fn assign(&mut self, name: &str, value: &Expr) {
        let taint = self.binding_taint(value);
        if let Some(b) = self.get_mut(name) {
            b.taint = b.taint.max(taint);
        }
        self.mutated(name);
    }

    /// Taint of a value stored in a new binding: a binding to a constant is `Untouched`.
    pub(crate) fn binding_taint(&self, init: &Expr) -> Taint {
        if mentions_shared_state(init) {
            return Taint::Touched;
        }
        match self.taint(init) {
            Taint::Const => Taint::Untouched,
            t => t,
        }
    }

    /// Whether a path names std or a dependency (its first segment is a dependency crate or
    /// a name imported from one), unless it resolves to a crate item.
    pub(crate) fn is_external_path(&self, path: &syn::Path) -> bool {
        self.is_std_path(path)
            || path
                .segments
                .first()
                .is_some_and(|s| self.external.iter().any(|e| s.ident == e))
    }

    /// Whether a value comes from std or a dependency crate, through a chain of calls.
    pub(crate) fn external_chain(&self, e: &Expr) -> bool {
        match e {
            Expr::Call(c) => matches!(&*c.func, Expr::Path(p) if self.is_external_path(&p.path)),
            Expr::MethodCall(m) => self.external_chain(&m.receiver),
            Expr::Try(t) => self.external_chain(&t.expr),
            Expr::Await(a) => self.external_chain(&a.base),
            Expr::Paren(p) => self.external_chain(&p.expr),
            Expr::Reference(r) => self.external_chain(&r.expr),
            Expr::Field(f) => self.external_chain(&f.base),
            Expr::Path(p) => match p.path.get_ident() {
                Some(i) => self.get_ident(i).is_some_and(|b| b.external),
                None => self.is_external_path(&p.path),
            },
            _ => false,
        }
    }

    /// Whether a value is of a type the workspace defines (so its methods are under test).
    pub(crate) fn user_typed(&self, e: &Expr) -> bool {
        match e {
            Expr::Struct(s) => !self.is_std_path(&s.path),
            Expr::Path(p) => match p.path.get_ident() {
                Some(i) => match self.get_ident(i) {
                    Some(b) => b.user_type,
                    None => self.crate_value(e),
                },
                None => {
                    let first = p.path.segments[0].ident.to_string();
                    (is_pascal(&first)
                        && !STD_TYPES.contains(&first.as_str())
                        && !self.is_external_path(&p.path))
                        || self.crate_value(e)
                }
            },
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => {
                    let last = p
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    (p.path.segments.len() == 1
                        && is_pascal(&last)
                        && !STD_TYPES.contains(&last.as_str()))
                        || self.crate_value(e)
                }
                _ => false,
            },
            Expr::MethodCall(m) => {
                matches!(m.method.to_string().as_str(), "clone" | "to_owned")
                    && self.user_typed(&m.receiver)
            }
            Expr::Paren(p) => self.user_typed(&p.expr),
            Expr::Reference(r) => self.user_typed(&r.expr),
            _ => false,
        }
    }

    /// How far `e` is from the code under test.
    pub(crate) fn taint(&self, e: &Expr) -> Taint {
        match e {
            Expr::Lit(_) => Taint::Const,
            Expr::Path(p) => {
                let segs = &p.path.segments;
                if segs.len() == 1 {
                    if let Some(b) = self.get_ident(&segs[0].ident) {
                        return b.taint;
                    }
                    let name = segs[0].ident.to_string();
                    if self.scope.is_state(&name) {
                        return Taint::Touched;
                    }
                    if is_screaming(&name) || name == "None" || is_pascal(&name) {
                        return Taint::Const;
                    }
                    return Taint::Touched;
                }
                let last = segs.last().map(|s| s.ident.to_string()).unwrap_or_default();
                // `i8::MAX_STR_LEN` with itoa's `Integer` in scope: each type's impl of a
                // crate trait chooses the value.
                if self.scope.is_crate_method(&last) && !STD_ASSOC_CONSTS.contains(&last.as_str()) {
                    return Taint::Touched;
                }
                if is_screaming(&last) || is_pascal(&last) {
                    Taint::Const
                } else {
                    Taint::Touched
                }
            }
            // A local closure (or a function bound to a name) shadows any crate item of
            // that name: its result is as far from the crate as it and its arguments are.
            Expr::Call(c) if self.local_callee(&c.func).is_some() => {
                let callee = self.local_callee(&c.func).unwrap_or(Taint::Touched);
                callee.max(self.join(c.args.iter()))
            }
            Expr::Call(c) => {
                let (external, ctor) = match &*c.func {
                    Expr::Path(p) => (
                        self.is_external_path(&p.path),
                        p.path.segments.len() == 1
                            && is_pascal(&p.path.segments[0].ident.to_string()),
                    ),
                    _ => (false, false),
                };
                // Code outside the workspace given a value of a workspace type may run that
                // type's trait impls (`serde_json::to_string(&value)`), and so does a function
                // generic over a crate type: its layout (`size_of::<Bytes>()`), its derived
                // impls (`rkyv::from_bytes::<Local>(..)`).
                if self.generic_over_crate_type(&c.func) {
                    return Taint::Touched;
                }
                if ctor || (external && !c.args.iter().any(|a| self.user_typed(a))) {
                    self.join(c.args.iter())
                } else {
                    Taint::Touched
                }
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                let copies = matches!(name.as_str(), "clone" | "to_owned") && m.args.is_empty();
                if (name == "parse" && !parses_to_primitive(m))
                    || (self.user_typed(&m.receiver) && !copies)
                    || self.turbofish_names_user_type(m)
                {
                    return Taint::Touched;
                }
                // A method of a crate trait runs crate code whatever the receiver
                // (`vec.put_u8(1)` with `BufMut` in scope).
                if (is_std_method(&name) || name == "parse" || self.external_chain(&m.receiver))
                    && !self.is_crate_method(&name, &m.receiver)
                    && !m.args.iter().any(|a| self.user_typed(a))
                {
                    self.join(std::iter::once(&*m.receiver).chain(m.args.iter()))
                } else {
                    Taint::Touched
                }
            }
            Expr::Macro(m) => {
                let name = last_segment(&m.mac.path);
                // The crate's own `json!` builds the crate's values.
                let crate_macro = self.scope.is_crate_name(&name)
                    || self.scope.is_crate_macro(&m.mac.path)
                    || (m.mac.path.segments.len() > 1 && self.scope.is_crate_path(&m.mac.path));
                if !DATA_MACROS.contains(&name.as_str()) || crate_macro {
                    return Taint::Touched;
                }
                match crate::body::macros::parse_exprs(&m.mac.tokens) {
                    Some(args) => self.format_taint(&args),
                    None => Taint::Const,
                }
            }
            Expr::Struct(s) => {
                let fields = self.join(s.fields.iter().map(|f| &f.expr));
                match &s.rest {
                    Some(rest) => fields.max(self.taint(rest)),
                    None => fields,
                }
            }
            // The closure's parameters come from whoever calls it: code outside the crate
            // when the closure is handed to it (a crate call is touched anyway).
            Expr::Closure(c) => {
                let mut inner = Env {
                    bindings: self.bindings.clone(),
                    external: self.external.clone(),
                    scope: Rc::clone(&self.scope),
                    local_fns: self.local_fns.clone(),
                };
                for input in &c.inputs {
                    inner.bind(input, None, Taint::Untouched);
                }
                inner.taint(&c.body)
            }
            // An operator on a crate value runs the crate's impl (`a | b`, `a < b`).
            Expr::Binary(b)
                if match CmpOp::of(&b.op) {
                    Some(op) => self.crate_compare(op, &b.left, &b.right),
                    None => {
                        !matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_))
                            && (self.crate_value(&b.left) || self.crate_value(&b.right))
                    }
                } =>
            {
                Taint::Touched
            }
            Expr::Binary(b) => self.taint(&b.left).max(self.taint(&b.right)),
            // `!flags`, `-amount`, `*wrapper` run the crate's `Not`, `Neg`, `Deref`.
            Expr::Unary(u) if self.crate_value(&u.expr) => Taint::Touched,
            Expr::Unary(u) => self.taint(&u.expr),
            Expr::Paren(p) => self.taint(&p.expr),
            Expr::Group(g) => self.taint(&g.expr),
            Expr::Reference(r) => self.taint(&r.expr),
            Expr::Cast(c) => self.taint(&c.expr),
            Expr::Field(f) => self.taint(&f.base),
            // `row[1]` on a crate value runs its `Index` (or `Deref`) impl.
            Expr::Index(i) if self.crate_value(&i.expr) => Taint::Touched,
            Expr::Index(i) => self.taint(&i.expr).max(self.taint(&i.index)),
            Expr::Array(a) => self.join(a.elems.iter()),
            Expr::Tuple(t) => self.join(t.elems.iter()),
            Expr::Repeat(r) => self.taint(&r.expr).max(self.taint(&r.len)),
            Expr::Try(t) if self.external_chain(&t.expr) => self.taint(&t.expr),
            Expr::Range(r) => {
                let s = r.start.as_deref().map_or(Taint::Const, |e| self.taint(e));
                let e = r.end.as_deref().map_or(Taint::Const, |e| self.taint(e));
                s.max(e)
            }
            _ => Taint::Touched,
        }
    }

    /// Taint of what a formatting macro writes from `args` (the format string first):
    /// `format!("{}", value)` and `format!("{value:x}")` run the value's `Display` /
    /// `LowerHex`, so a value of a workspace type makes it touched.
    pub(crate) fn format_taint(&self, args: &[Expr]) -> Taint {
        let captured: Vec<Expr> = args
            .first()
            .map(format_captures)
            .unwrap_or_default()
            .iter()
            .map(|n| {
                let ident = syn::Ident::new(n, proc_macro2::Span::call_site());
                syn::parse_quote!(#ident)
            })
            .collect();
        if args.iter().chain(&captured).any(|a| self.user_typed(a)) {
            Taint::Touched
        } else {
            self.join(args.iter().chain(&captured))
        }
    }

    fn join<'e>(&self, items: impl Iterator<Item = &'e Expr>) -> Taint {
        items.map(|e| self.taint(e)).max().unwrap_or(Taint::Const)
    }

    /// The unsigned integer type `e` certainly holds, if any.
    pub(crate) fn uint_of(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                UNSIGNED_METHODS.contains(&name.as_str()).then(|| {
                    match name.as_str() {
                        "count_ones" | "count_zeros" | "leading_zeros" | "trailing_zeros"
                        | "leading_ones" | "trailing_ones" | "subsec_millis" | "subsec_micros"
                        | "subsec_nanos" => "u32",
                        "as_secs" => "u64",
                        "as_millis" | "as_micros" | "as_nanos" => "u128",
                        _ => "usize",
                    }
                    .to_string()
                })
            }
            Expr::Cast(c) => uint_type(&c.ty),
            Expr::Lit(l) => match &l.lit {
                syn::Lit::Int(i) => Some(i.suffix().to_string())
                    .filter(|s| UNSIGNED_TYPES.iter().any(|(t, _)| t == s)),
                _ => None,
            },
            Expr::Path(p) => p
                .path
                .get_ident()
                .and_then(|i| self.get_ident(i))
                .and_then(|b| b.uint.clone()),
            Expr::Paren(p) => self.uint_of(&p.expr),
            Expr::Reference(r) => self.uint_of(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.uint_of(&u.expr),
            _ => None,
        }
    }

    /// Whether `e` certainly holds an unsigned integer.
    pub(crate) fn is_unsigned(&self, e: &Expr) -> bool {
        self.uint_of(e).is_some()
    }
}

impl Env {
    /// `collect::<Stack<_>>()`, `into::<Version>()`: the result is built by code under test.
    fn turbofish_names_user_type(&self, m: &syn::ExprMethodCall) -> bool {
        m.turbofish.as_ref().is_some_and(|t| {
            t.args
                .iter()
                .any(|a| matches!(a, syn::GenericArgument::Type(ty) if self.is_user_type(ty)))
        })
    }

    /// A function given a crate type as its own generic argument: `mem::size_of::<Bytes>()`,
    /// `serde_json::from_str::<Config>(..)` (not `Vec::<Month>::new()`, whose argument is
    /// the type's).
    fn generic_over_crate_type(&self, func: &Expr) -> bool {
        let Expr::Path(p) = func else { return false };
        let Some(last) = p.path.segments.last() else {
            return false;
        };
        matches!(&last.arguments, syn::PathArguments::AngleBracketed(a) if a.args.iter().any(|g| {
            matches!(g, syn::GenericArgument::Type(t) if self.scope.is_crate_type(t))
        }))
    }
}

/// Names a format string captures inline: `value` of `"{value:x}"`, `{x}`; not positional
/// (`{0}`) or escaped (`{{`) ones.
pub(crate) fn format_captures(fmt: &Expr) -> Vec<String> {
    let Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = fmt
    else {
        return Vec::new();
    };
    let text = s.value();
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix('{') {
            rest = after;
            continue;
        }
        let end = rest.find(['}', ':']).unwrap_or(rest.len());
        let name = rest[..end].trim();
        if name.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            out.push(name.to_string());
        }
        rest = &rest[end..];
    }
    out
}

fn strip_type(pat: &Pat) -> &Pat {
    match pat {
        Pat::Type(t) => strip_type(&t.pat),
        other => other,
    }
}

/// `"5".parse::<u32>()` parses with std; `"1.2".parse::<Version>()` runs code under test.
fn parses_to_primitive(m: &syn::ExprMethodCall) -> bool {
    let Some(turbofish) = &m.turbofish else {
        return false;
    };
    turbofish.args.iter().all(|a| match a {
        syn::GenericArgument::Type(syn::Type::Path(p)) => p.path.get_ident().is_some_and(|i| {
            let s = i.to_string();
            INT_TYPES.contains(&s.as_str())
                || matches!(s.as_str(), "f32" | "f64" | "bool" | "char" | "String")
        }),
        _ => false,
    })
}
