//! What one assertion or one conditional failure amounts to: a tautology (with its rule), a
//! smoke check, an error-observing check or a meaningful one.

use super::macros::parse_expr_pattern;
use super::role::CmpOp;
use super::taint::{Env, Taint, INT_TYPES, UNSIGNED_TYPES};
use quote::ToTokens;
use syn::{Expr, Pat};
use truecov_model::rules;

/// The outcome of classifying one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Holds whatever the code under test does, by the given rule.
    Taut(&'static str),
    /// Only "it did not fail".
    Smoke,
    /// A failure of the code under test must happen.
    Error,
    /// Depends on what the code under test did.
    Meaningful,
}

impl Class {
    fn rank(self) -> u8 {
        match self {
            Class::Taut(_) => 0,
            Class::Smoke => 1,
            Class::Meaningful => 2,
            Class::Error => 3,
        }
    }

    /// The stronger of two classes.
    pub(crate) fn max(self, other: Class) -> Class {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    /// `!check`: a smoke check becomes error-observing and back; others keep their meaning.
    fn negate(self) -> Class {
        match self {
            Class::Smoke => Class::Error,
            Class::Error => Class::Smoke,
            Class::Taut(r) if r == rules::CONSTANT || r == rules::UNTOUCHED => self,
            Class::Taut(_) => Class::Meaningful,
            Class::Meaningful => Class::Meaningful,
        }
    }
}

/// How a pattern splits `Result`/`Option` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PatClass {
    /// `Ok(_)`, `Some(v)`: any success.
    Success,
    /// `Err(..)`, `None`: a failure.
    Failure,
    /// Matches everything (`Ok(_) | Err(_)`).
    Exhaustive,
    /// `_` or a binding.
    CatchAll,
    /// A particular value or variant.
    Specific,
}

/// Words in a test name that say it checks reflexivity on purpose (as Sonar's rule S5863).
#[rustfmt::skip]
const REFLEXIVE_WORDS: &[&str] = &[
    "eq", "equal", "equals", "equality", "reflexive", "reflexivity", "ord", "ordering", "cmp",
    "hash", "hashing", "partialeq", "partialord",
];

/// Methods whose result may differ between two calls with the same arguments.
#[rustfmt::skip]
const STATEFUL_METHODS: &[&str] = &[
    "next", "next_back", "pop", "pop_front", "pop_back", "recv", "try_recv", "read", "read_line",
    "take", "gen", "random", "now", "elapsed", "generate", "new_v4", "next_id", "fresh",
    "increment", "tick", "advance", "poll", "fetch_add", "swap", "send", "push", "insert",
    "remove", "step", "sample", "shuffle", "rand", "uuid",
];

/// Context of the classification: the bindings and the test's name.
pub(crate) struct Classifier<'a> {
    /// Bindings at the point of the check.
    pub env: &'a Env,
    /// The test's name says it checks reflexivity or determinism.
    pub reflexive_name: bool,
}

/// Whether a test name has a reflexivity word (`eq_is_reflexive`, `hash_consistent`).
pub(crate) fn has_reflexive_word(name: &str) -> bool {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in name.chars() {
        if c == '_' || c == ':' || !c.is_alphanumeric() {
            words.push(std::mem::take(&mut cur));
        } else if c.is_uppercase() && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
            cur.extend(c.to_lowercase());
        } else {
            cur.extend(c.to_lowercase());
        }
    }
    words.push(cur);
    words.iter().any(|w| REFLEXIVE_WORDS.contains(&w.as_str()))
}

/// Strips parentheses, groups, references, derefs and `.clone()` for comparing operands.
pub(crate) fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        Expr::Reference(r) => strip(&r.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => strip(&u.expr),
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(m.method.to_string().as_str(), "clone" | "to_owned") =>
        {
            strip(&m.receiver)
        }
        other => other,
    }
}

/// `x` of `format!("{}", x)`, which is the same value as `x.to_string()`.
fn formatted(e: &Expr) -> Option<Expr> {
    let Expr::Macro(m) = e else { return None };
    if !m.mac.path.is_ident("format") {
        return None;
    }
    let args = super::macros::parse_exprs(&m.mac.tokens)?;
    match args.as_slice() {
        [Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(f),
            ..
        }), x]
            if f.value() == "{}" =>
        {
            Some(x.clone())
        }
        _ => None,
    }
}

/// Whether two operands are the same expression, after [`strip`] (spans ignored);
/// `format!("{}", x)` is `x.to_string()`.
pub(crate) fn same(a: &Expr, b: &Expr) -> bool {
    let (a, b) = (strip(a), strip(b));
    if a == b {
        return true;
    }
    let to_string_of = |e: &Expr| match e {
        Expr::MethodCall(m) if m.method == "to_string" && m.args.is_empty() => {
            Some(strip(&m.receiver).clone())
        }
        _ => None,
    };
    match (formatted(a), formatted(b)) {
        (Some(x), None) => to_string_of(b).is_some_and(|y| strip(&x) == &y),
        (None, Some(y)) => to_string_of(a).is_some_and(|x| strip(&y) == &x),
        _ => false,
    }
}

fn method_name(e: &Expr) -> Option<(String, &Expr)> {
    match strip(e) {
        Expr::MethodCall(m) => Some((m.method.to_string(), &m.receiver)),
        _ => None,
    }
}

fn is_bool_lit(e: &Expr) -> Option<bool> {
    match strip(e) {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        }) => Some(b.value),
        _ => None,
    }
}

fn is_zero(e: &Expr) -> bool {
    match strip(e) {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_digits() == "0",
        _ => false,
    }
}

/// `u32::MAX`, `usize::MIN`, ...: `Some(true)` for MAX, `Some(false)` for MIN.
fn int_bound(e: &Expr) -> Option<bool> {
    let Expr::Path(p) = strip(e) else { return None };
    let segs: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segs.as_slice() {
        [ty, bound] if INT_TYPES.contains(&ty.as_str()) => match bound.as_str() {
            "MAX" => Some(true),
            "MIN" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Methods that look something up: `None` (or `Err`) from them is a wrong answer, not a
/// failure, so `is_some()` on their result is a membership check.
#[rustfmt::skip]
const LOOKUP_METHODS: &[&str] = &[
    "get", "get_mut", "get_key_value", "get_full", "get_full_mut", "get_index", "get_index_of",
    "get_index_mut", "find", "find_map", "rfind", "position", "rposition", "first", "last",
    "first_key_value", "last_key_value", "next", "next_back", "nth", "binary_search",
    "binary_search_by", "binary_search_by_key", "find_entry", "lookup", "search", "index_of",
    "range_of", "first_entry", "last_entry", "downcast_ref", "downcast_mut", "downcast",
];

/// Free functions that look a member up by type: std's provider API
/// (`error::request_ref::<Backtrace>(&e)`) asks an error for what its `provide` supplies.
const LOOKUP_FUNCTIONS: &[&str] = &["request_ref", "request_value"];

/// Whether `e` is the answer of a lookup (`map.get(&k)`, `v.iter().position(..)`,
/// `error::request_ref::<T>(&e)`).
fn is_lookup(e: &Expr) -> bool {
    match strip(e) {
        Expr::Await(a) => is_lookup(&a.base),
        Expr::MethodCall(m) => LOOKUP_METHODS.contains(&m.method.to_string().as_str()),
        Expr::Call(c) => match strip(&c.func) {
            Expr::Path(p) => p
                .path
                .segments
                .last()
                .is_some_and(|s| LOOKUP_FUNCTIONS.contains(&s.ident.to_string().as_str())),
            _ => false,
        },
        _ => false,
    }
}

fn is_stateful(e: &Expr) -> bool {
    super::taint::mentions_any(e, STATEFUL_METHODS)
}

/// Whether `e` calls a method for which `pred` holds.
fn calls_method(e: &Expr, pred: &dyn Fn(&str) -> bool) -> bool {
    struct Finder<'p> {
        pred: &'p dyn Fn(&str) -> bool,
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for Finder<'_> {
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            self.found |= (self.pred)(&m.method.to_string());
            syn::visit::visit_expr_method_call(self, m);
        }
    }
    let mut f = Finder { pred, found: false };
    syn::visit::Visit::visit_expr(&mut f, e);
    f.found
}

/// Identifiers that say an expression looks at a failure.
#[rustfmt::skip]
const ERROR_WORDS: &[&str] = &[
    "Err", "None", "is_err", "is_none", "unwrap_err", "expect_err", "err", "is_err_and",
];

/// Whether an expression looks at a failure: `Err(..)`, `None`, `is_err()`, `unwrap_err()`.
pub(crate) fn mentions_error(e: &Expr) -> bool {
    super::taint::mentions_any(e, ERROR_WORDS)
}

/// Whether a boolean expression looks at a failure itself (`r.is_err()`, `x == None`), not
/// only passes one to a call: `!dir_contains_target(&target, dir, None)` checks an answer.
fn looks_at_error(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => mentions_error(&c.func),
        Expr::MethodCall(m) => {
            ERROR_WORDS.iter().any(|w| m.method == w) || looks_at_error(&m.receiver)
        }
        Expr::Paren(p) => looks_at_error(&p.expr),
        Expr::Unary(u) => looks_at_error(&u.expr),
        Expr::Reference(r) => looks_at_error(&r.expr),
        other => mentions_error(other),
    }
}

fn pat_mentions_error(pat: &Pat) -> bool {
    let text = pat.to_token_stream().to_string();
    text.split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|w| ERROR_WORDS.contains(&w))
}

fn pat_class(pat: &Pat) -> PatClass {
    match pat {
        Pat::Wild(_) | Pat::Rest(_) => PatClass::CatchAll,
        Pat::Ident(p) => {
            if let Some((_, sub)) = &p.subpat {
                return pat_class(sub);
            }
            let name = p.ident.to_string();
            if name == "None" {
                PatClass::Failure
            } else if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                PatClass::Specific
            } else {
                PatClass::CatchAll
            }
        }
        Pat::Path(p) => {
            if p.path.is_ident("None") {
                PatClass::Failure
            } else {
                PatClass::Specific
            }
        }
        Pat::TupleStruct(t) => {
            let name = t
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            match name.as_str() {
                "Err" => PatClass::Failure,
                "Ok" | "Some" => {
                    if t.elems.iter().all(|p| pat_class(p) == PatClass::CatchAll) {
                        PatClass::Success
                    } else {
                        PatClass::Specific
                    }
                }
                _ => PatClass::Specific,
            }
        }
        Pat::Tuple(t) if t.elems.iter().all(|p| pat_class(p) == PatClass::CatchAll) => {
            PatClass::CatchAll
        }
        Pat::Reference(r) => pat_class(&r.pat),
        Pat::Guard(_) => PatClass::Specific,
        Pat::Paren(p) => pat_class(&p.pat),
        Pat::Type(t) => pat_class(&t.pat),
        Pat::Or(o) => {
            let classes: Vec<PatClass> = o.cases.iter().map(pat_class).collect();
            let has = |c: PatClass| classes.contains(&c);
            if has(PatClass::CatchAll)
                || has(PatClass::Exhaustive)
                || (has(PatClass::Success) && has(PatClass::Failure))
            {
                PatClass::Exhaustive
            } else if classes.iter().all(|c| *c == PatClass::Failure) {
                PatClass::Failure
            } else if classes.iter().all(|c| *c == PatClass::Success) {
                PatClass::Success
            } else {
                PatClass::Specific
            }
        }
        _ => PatClass::Specific,
    }
}

impl Classifier<'_> {
    /// Classifies the condition of `assert!(cond)`.
    pub(crate) fn bool_cond(&self, e: &Expr) -> Class {
        self.bool_cond_depth(e, 0)
    }

    /// `Some(x).is_some()`, or `x.is_some()` where the test bound `let x = Some(..)` and
    /// nothing changed `x` since: the value was built to pass the check.
    fn built_to_match(&self, m: &syn::ExprMethodCall) -> bool {
        let method = m.method.to_string();
        built_to_match(&method, &m.receiver)
            || matches!(strip(&m.receiver), Expr::Path(_))
                && self
                    .env
                    .of_path(&m.receiver)
                    .and_then(|b| b.init.as_deref())
                    .is_some_and(|init| built_to_match(&method, init))
    }

    fn bool_cond_depth(&self, e: &Expr, depth: u32) -> Class {
        let e = strip(e);
        if let Some(true) = is_bool_lit(e) {
            return Class::Taut(rules::CONSTANT);
        }
        match e {
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
                self.bool_cond_depth(&u.expr, depth).negate()
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Or(_)) => {
                let mut terms = Vec::new();
                flatten(e, &mut terms, |op| matches!(op, syn::BinOp::Or(_)));
                if self.exhaustive(&terms) {
                    return Class::Taut(rules::EXHAUSTIVE);
                }
                self.combine(&terms, depth)
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                let mut terms = Vec::new();
                flatten(e, &mut terms, |op| matches!(op, syn::BinOp::And(_)));
                self.combine(&terms, depth)
            }
            Expr::Binary(b) => match CmpOp::of(&b.op) {
                Some(op) => self.compare(op, &b.left, &b.right),
                None => self.by_taint(e),
            },
            Expr::MethodCall(m) if self.built_to_match(m) => Class::Taut(rules::ALWAYS_TRUE),
            Expr::MethodCall(m) => {
                let recv = self.env.taint(&m.receiver);
                let name = m.method.to_string();
                let class = match name.as_str() {
                    "is_ok" | "is_some" if is_lookup(&m.receiver) => Class::Meaningful,
                    "is_ok" | "is_some" => Class::Smoke,
                    "is_err" | "is_none" | "is_err_and" => Class::Error,
                    _ => return self.by_taint(e),
                };
                match recv {
                    Taint::Const => Class::Taut(rules::CONSTANT),
                    Taint::Untouched => Class::Taut(rules::UNTOUCHED),
                    Taint::Touched => class,
                }
            }
            Expr::Macro(m) if m.mac.path.is_ident("matches") => {
                match parse_expr_pattern(&m.mac.tokens) {
                    Some((scrutinee, pat, guarded)) => self.pattern(&scrutinee, &pat, guarded),
                    None => Class::Meaningful,
                }
            }
            Expr::Path(_) if depth < 3 => {
                let binding = self.env.of_path(e);
                match binding {
                    Some(b) if b.taint == Taint::Untouched => Class::Taut(rules::UNTOUCHED),
                    Some(b) => match &b.init {
                        Some(init) => self.bool_cond_depth(init, depth + 1),
                        None => Class::Meaningful,
                    },
                    None => self.by_taint(e),
                }
            }
            _ => self.by_taint(e),
        }
    }

    fn combine(&self, terms: &[&Expr], depth: u32) -> Class {
        let classes: Vec<Class> = terms
            .iter()
            .map(|t| self.bool_cond_depth(t, depth))
            .collect();
        if let Some(Class::Taut(rule)) = classes.iter().find(|c| matches!(c, Class::Taut(_))) {
            if classes.iter().all(|c| matches!(c, Class::Taut(_))) {
                return Class::Taut(rule);
            }
        }
        classes
            .into_iter()
            .filter(|c| !matches!(c, Class::Taut(_)))
            .fold(Class::Taut(rules::CONSTANT), Class::max)
    }

    /// Whether evaluating `e` may change state, so that evaluating it again may give another
    /// value: a std method that changes its receiver, or a crate method taking `&mut self`
    /// (`slab.vacant_entry()`).
    fn is_stateful(&self, e: &Expr) -> bool {
        is_stateful(e) || calls_method(e, &|n| self.env.scope().is_mut_method(n))
    }

    fn by_taint(&self, e: &Expr) -> Class {
        match self.env.taint(e) {
            Taint::Const => Class::Taut(rules::CONSTANT),
            Taint::Untouched => Class::Taut(rules::UNTOUCHED),
            Taint::Touched if looks_at_error(e) => Class::Error,
            Taint::Touched => Class::Meaningful,
        }
    }

    /// Whether a disjunction covers every case: `r.is_ok() || r.is_err()`, `a || !a`,
    /// `x < y || x >= y`, `matches!(r, Ok(_) | Err(_))`.
    fn exhaustive(&self, terms: &[&Expr]) -> bool {
        let key = |e: &Expr| -> Option<(String, Expr)> {
            let e = strip(e);
            match e {
                Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
                    Some(("!".into(), strip(&u.expr).clone()))
                }
                Expr::MethodCall(m) if m.args.is_empty() => {
                    Some((m.method.to_string(), strip(&m.receiver).clone()))
                }
                _ => None,
            }
        };
        for (i, a) in terms.iter().enumerate() {
            if let Expr::Macro(m) = strip(a) {
                if m.mac.path.is_ident("matches") {
                    if let Some((_, pat, false)) = parse_expr_pattern(&m.mac.tokens) {
                        if pat_class(&pat) == PatClass::Exhaustive {
                            return true;
                        }
                    }
                }
            }
            for b in &terms[i + 1..] {
                if let Some(ka) = key(a) {
                    if ka.0 == "!" && same(&ka.1, b) {
                        return true;
                    }
                }
                if let Some(kb) = key(b) {
                    if kb.0 == "!" && same(&kb.1, a) {
                        return true;
                    }
                }
                if let (Some((ma, ra)), Some((mb, rb))) = (key(a), key(b)) {
                    let pair = |x: &str, y: &str| (ma == x && mb == y) || (ma == y && mb == x);
                    if same(&ra, &rb) && (pair("is_ok", "is_err") || pair("is_some", "is_none")) {
                        return true;
                    }
                }
                if let (Expr::Binary(x), Expr::Binary(y)) = (strip(a), strip(b)) {
                    if let (Some(ox), Some(oy)) = (CmpOp::of(&x.op), CmpOp::of(&y.op)) {
                        if ox.complement() == oy
                            && same(&x.left, &y.left)
                            && same(&x.right, &y.right)
                        {
                            return true;
                        }
                    }
                }
            }
        }
        false
    }

    /// Classifies `left <op> right` (from `assert!(a == b)` or `assert_eq!(a, b)`).
    pub(crate) fn compare(&self, op: CmpOp, left: &Expr, right: &Expr) -> Class {
        if let Some((a, b)) = approx_equality(op, left, right) {
            if self.env.taint(right) == Taint::Const {
                return match self.compare(CmpOp::Eq, a, b) {
                    taut @ Class::Taut(_) => taut,
                    _ => Class::Meaningful,
                };
            }
        }
        let (tl, tr) =
            if self.env.crate_compare(op, left, right) || self.env.cross_source(left, right) {
                (Taint::Touched, Taint::Touched)
            } else {
                (self.env.taint(left), self.env.taint(right))
            };
        if tl == Taint::Const && tr == Taint::Const {
            return Class::Taut(rules::CONSTANT);
        }
        let inclusive = matches!(op, CmpOp::Eq | CmpOp::Le | CmpOp::Ge);
        if same(left, right) {
            return if inclusive && !self.reflexive_name && !self.is_stateful(left) {
                Class::Taut(rules::SAME_OPERANDS)
            } else {
                Class::Meaningful
            };
        }
        let always_true = match op {
            CmpOp::Ge => {
                (is_zero(right) && self.env.is_unsigned(left))
                    || int_bound(left) == Some(true)
                    || int_bound(right) == Some(false)
                    || self.is_type_max(right, left)
            }
            CmpOp::Le => {
                (is_zero(left) && self.env.is_unsigned(right))
                    || int_bound(right) == Some(true)
                    || int_bound(left) == Some(false)
                    || self.is_type_max(left, right)
            }
            _ => false,
        };
        if always_true {
            return Class::Taut(rules::ALWAYS_TRUE);
        }
        if inclusive && tl == Taint::Touched && !self.reflexive_name {
            let (rl, bl) = self.resolve(left);
            let (rr, br) = self.resolve(right);
            if (bl || br)
                && same(rl, rr)
                && contains_call(rl)
                && !self.is_stateful(left)
                && !self.is_stateful(right)
                && !self.is_stateful(rl)
            {
                return Class::Taut(rules::SELF_FULFILLING);
            }
        }
        if tl <= Taint::Untouched && tr <= Taint::Untouched {
            return Class::Taut(rules::UNTOUCHED);
        }
        if let Some(class) = self.bool_literal_compare(op, left, right) {
            return class;
        }
        if mentions_error(left) || mentions_error(right) {
            Class::Error
        } else {
            Class::Meaningful
        }
    }

    /// `value <= limit` where `limit` is the maximum of `value`'s unsigned type (`c <= 255`
    /// for a `u8`).
    fn is_type_max(&self, value: &Expr, limit: &Expr) -> bool {
        let Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) = strip(limit)
        else {
            return false;
        };
        self.env.uint_of(value).is_some_and(|ty| {
            UNSIGNED_TYPES
                .iter()
                .any(|(t, max)| *t == ty && *max == i.base10_digits())
        })
    }

    /// For `x >= 0` (or `0 <= x`) where `x` comes from a call whose return type the scan of
    /// this body cannot see: the called function's name. The check is always true when that
    /// function returns an unsigned integer.
    pub(crate) fn unsigned_candidate(
        &self,
        op: CmpOp,
        left: &Expr,
        right: &Expr,
    ) -> Option<String> {
        let value = match op {
            CmpOp::Ge if is_zero(right) => left,
            CmpOp::Le if is_zero(left) => right,
            _ => return None,
        };
        self.callee(value, 0)
    }

    fn callee(&self, e: &Expr, depth: u32) -> Option<String> {
        match strip(e) {
            Expr::Await(a) => self.callee(&a.base, depth),
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            },
            Expr::MethodCall(m) => Some(m.method.to_string()),
            Expr::Path(_) if depth < 3 => {
                let b = self.env.of_path(strip(e))?;
                self.callee(b.init.as_deref()?, depth + 1)
            }
            _ => None,
        }
    }

    /// `assert_eq!(r.is_ok(), true)` is `assert!(r.is_ok())`.
    fn bool_literal_compare(&self, op: CmpOp, left: &Expr, right: &Expr) -> Option<Class> {
        let (lit, other) = match (is_bool_lit(left), is_bool_lit(right)) {
            (Some(b), None) => (b, right),
            (None, Some(b)) => (b, left),
            _ => return None,
        };
        let (name, _) = method_name(other)?;
        if !matches!(name.as_str(), "is_ok" | "is_some" | "is_err" | "is_none") {
            return None;
        }
        let base = self.bool_cond(other);
        let positive = (op == CmpOp::Eq) == lit;
        Some(if positive { base } else { base.negate() })
    }

    /// An operand with a plain binding replaced by its initializer, and whether a
    /// replacement happened.
    fn resolve<'e>(&'e self, e: &'e Expr) -> (&'e Expr, bool) {
        let e = strip(e);
        match self.env.of_path(e).and_then(|b| b.init.as_deref()) {
            Some(init) => (init, true),
            None => (e, false),
        }
    }

    /// Classifies `matches!(scrutinee, pat [if guard])` used as an assertion.
    pub(crate) fn pattern(&self, scrutinee: &Expr, pat: &Pat, guarded: bool) -> Class {
        match self.env.taint(scrutinee) {
            Taint::Const => return Class::Taut(rules::CONSTANT),
            Taint::Untouched => return Class::Taut(rules::UNTOUCHED),
            Taint::Touched => {}
        }
        let class = if guarded {
            PatClass::Specific
        } else {
            pat_class(pat)
        };
        match class {
            PatClass::Success if is_lookup(scrutinee) => Class::Meaningful,
            PatClass::Success => Class::Smoke,
            PatClass::Failure => Class::Error,
            PatClass::Exhaustive | PatClass::CatchAll => Class::Taut(rules::EXHAUSTIVE),
            PatClass::Specific => {
                if pat_mentions_error(pat) {
                    Class::Error
                } else {
                    Class::Meaningful
                }
            }
        }
    }

    /// What a failure (panic, `return Err`) under `if cond` amounts to; `negated` for the
    /// `else` branch. `None` when the failure is unconditional or unreachable.
    pub(crate) fn fail_if(&self, cond: &Expr, negated: bool) -> Option<Class> {
        let cond = strip(cond);
        if let Expr::Unary(u) = cond {
            if matches!(u.op, syn::UnOp::Not(_)) {
                return self.fail_if(&u.expr, !negated);
            }
        }
        if is_bool_lit(cond).is_some() || self.env.taint(cond) == Taint::Const {
            return None;
        }
        if let Some((name, receiver)) = method_name(cond) {
            let fails_on_error = match name.as_str() {
                _ if is_lookup(receiver) => None,
                "is_err" | "is_none" => Some(true),
                "is_ok" | "is_some" => Some(false),
                _ => None,
            };
            if let Some(on_error) = fails_on_error {
                return Some(if on_error != negated {
                    Class::Smoke
                } else {
                    Class::Error
                });
            }
        }
        Some(if mentions_error(cond) {
            Class::Error
        } else {
            Class::Meaningful
        })
    }

    /// What a failure in a `match` arm (`matched`) or in the `else` of a `let .. else` /
    /// `if let` (`!matched`) amounts to. `others` are the other arms' patterns.
    pub(crate) fn fail_on_pattern(
        &self,
        pat: &Pat,
        matched: bool,
        others: &[&Pat],
    ) -> Option<Class> {
        let class = pat_class(pat);
        if !matched {
            return match class {
                PatClass::Success => Some(Class::Smoke),
                PatClass::Failure => Some(Class::Error),
                PatClass::Specific => Some(Class::Meaningful),
                PatClass::CatchAll | PatClass::Exhaustive => None,
            };
        }
        match class {
            PatClass::Failure => Some(Class::Smoke),
            PatClass::Success => Some(Class::Error),
            PatClass::Specific => Some(Class::Meaningful),
            PatClass::Exhaustive => None,
            PatClass::CatchAll => {
                let classes: Vec<PatClass> = others.iter().map(|p| pat_class(p)).collect();
                if classes.is_empty() {
                    None
                } else if classes.contains(&PatClass::Specific) {
                    Some(if classes.contains(&PatClass::Failure) {
                        Class::Error
                    } else {
                        Class::Meaningful
                    })
                } else if classes.contains(&PatClass::Failure) {
                    Some(Class::Error)
                } else if classes.iter().all(|c| *c == PatClass::Success) {
                    Some(Class::Smoke)
                } else {
                    Some(Class::Meaningful)
                }
            }
        }
    }
}

/// `Some(x).is_some()`, `Ok(x).is_ok()`, `Err(e).is_err()`, `None.is_none()`: the value was
/// built in the assertion to pass it.
fn built_to_match(method: &str, receiver: &Expr) -> bool {
    let ctor = match strip(receiver) {
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => super::taint::last_segment(&p.path),
            _ => return false,
        },
        Expr::Path(p) if p.path.is_ident("None") => "None".to_string(),
        _ => return false,
    };
    matches!(
        (method, ctor.as_str()),
        ("is_some", "Some") | ("is_ok", "Ok") | ("is_err", "Err") | ("is_none", "None")
    )
}

/// `(a - b).abs() < eps` compares `a` with `b`.
fn approx_equality<'e>(op: CmpOp, left: &'e Expr, _eps: &Expr) -> Option<(&'e Expr, &'e Expr)> {
    if !matches!(op, CmpOp::Lt | CmpOp::Le) {
        return None;
    }
    let Expr::MethodCall(m) = strip(left) else {
        return None;
    };
    if m.method != "abs" {
        return None;
    }
    match strip(&m.receiver) {
        Expr::Binary(b) if matches!(b.op, syn::BinOp::Sub(_)) => Some((&b.left, &b.right)),
        _ => None,
    }
}

/// Whether an expression calls anything (a function, a method or a macro).
fn contains_call(e: &Expr) -> bool {
    struct Calls(bool);
    impl<'ast> syn::visit::Visit<'ast> for Calls {
        fn visit_expr_call(&mut self, _: &'ast syn::ExprCall) {
            self.0 = true;
        }
        fn visit_expr_method_call(&mut self, _: &'ast syn::ExprMethodCall) {
            self.0 = true;
        }
        fn visit_macro(&mut self, _: &'ast syn::Macro) {
            self.0 = true;
        }
    }
    let mut c = Calls(false);
    syn::visit::Visit::visit_expr(&mut c, e);
    c.0
}

fn flatten<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>, is_op: fn(&syn::BinOp) -> bool) {
    match strip(e) {
        Expr::Binary(b) if is_op(&b.op) => {
            flatten(&b.left, out, is_op);
            flatten(&b.right, out, is_op);
        }
        other => out.push(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflexive_words_split_snake_and_camel_case() {
        assert!(has_reflexive_word("tests::eq_is_reflexive"));
        assert!(has_reflexive_word("hash_matches_for_equal_values"));
        assert!(has_reflexive_word("partialEqWorks"));
        assert!(!has_reflexive_word("tests::sequence_adds"));
        assert!(!has_reflexive_word("tests::frequency"));
    }
}
