//! Oracle analysis of one function body (a test or a test helper): every check it makes, what
//! each amounts to, and the helpers and macros it calls (resolved later, across files).

pub(crate) mod catalogue;
pub(crate) mod classify;
pub(crate) mod macros;
pub(crate) mod role;
pub(crate) mod taint;
mod wait;

use crate::scope::CrateScope;
use crate::source::SourceFile;
use classify::{has_reflexive_word, strip, Class, Classifier};
use macros::{
    line_of, parse_expr_pattern, parse_exprs, parse_leading_exprs, parse_stmts, TokenUse,
};
use proc_macro2::TokenStream;
use role::{CmpOp, Fixed, Role};
use std::rc::Rc;
use syn::spanned::Spanned;
use syn::{Block, Expr, Pat, Stmt};
use taint::{is_std_method, last_segment, root_ident, Env, Taint};
use truecov_model::Config;
use truecov_model::{rules, OracleKind};

/// One check found in a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Check {
    /// What the check amounts to.
    pub kind: OracleKind,
    /// Tautology rule id, for tautological checks.
    pub rule: Option<&'static str>,
    /// 1-based line.
    pub line: u32,
    /// The check's source text, shortened.
    pub what: String,
    /// For a `>= 0` check on a call's result: the called function. The check is always true
    /// when that function returns an unsigned integer (resolved across the package).
    pub unsigned_callee: Option<String>,
    /// The check is a macro named like an assertion: a local `macro_rules!` of that name, when
    /// there is one, decides instead.
    pub via_macro: Option<String>,
    /// For a `tautology/untouched` check on what a dependency crate produced: that crate.
    pub dependency: Option<String>,
}

/// Everything the analysis of a body found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BodyFacts {
    /// Checks, in source order.
    pub checks: Vec<Check>,
    /// Names of functions called by path (candidate helpers): `name`, or `Type::name` for an
    /// associated function of a named type, which reaches that type's methods only.
    pub calls: Vec<String>,
    /// Names of methods called with `.name(..)` (candidate helper methods only: never a free
    /// function of that name).
    pub methods: Vec<String>,
    /// Capitalised names the body mentions (types, unit structs, variants): a test-defined
    /// type with a trait impl whose methods check (a mock) is an oracle where it is used.
    pub types: Vec<String>,
    /// Some statement runs (not only items and `let x: T;` declarations).
    pub runs: bool,
    /// The body defines items or declares bindings without a value.
    pub declares: bool,
    /// The body has checks the compiler makes (`const_assert!`, `assert_impl_all!`).
    pub compile_time: bool,
    /// Each function or method the walker saw called or passed as a value (by its plain
    /// name) with its line, in order.
    pub call_lines: Vec<(String, u32)>,
    /// Names of macros that are not known assertion or std macros (candidate local macros).
    pub macros: Vec<String>,
    /// Lines of `thread::sleep` calls.
    pub sleeps: Vec<u32>,
    /// Names of functions and methods called as statements, their results dropped.
    pub discarded: Vec<String>,
    /// The body prints (`println!`, `dbg!`, logging macros).
    pub prints: bool,
    /// The body ends the process (`std::process::exit`, `abort`): libtest then reports no
    /// failure, so it is no oracle.
    pub ends_process: bool,
    /// The body has `todo!()` or `unimplemented!()`.
    pub unfinished: bool,
    /// Functions named as values (`quickcheck(prop as fn(..) -> bool)`, `.map(check)`).
    pub fn_values: Vec<String>,
    /// For a helper returning `bool`: what its result checks, counted when the helper is
    /// passed as a property (`fn_values`) rather than called.
    pub tail_oracle: Option<Check>,
}

/// What the analysis needs to know about the function whose body it reads.
pub(crate) struct BodyCtx<'a> {
    /// Workspace and package configuration.
    pub config: &'a Config,
    /// The test's name (reflexivity tests may compare a value with itself).
    pub name: &'a str,
    /// The function returns a value (a `Result` test): `return Err(..)` is a failure.
    pub returns_value: bool,
    /// The function returns `bool` (a quickcheck property): its value is the oracle.
    pub returns_bool: bool,
    /// The body is a helper's (its `bool` result is an oracle only where it is a property).
    pub helper: bool,
    /// The body is a method of a test-defined trait impl (a mock), which code under test
    /// calls: a panic there, even unconditional, fails the test when the code calls what it
    /// should not.
    pub fails_when_called: bool,
    /// Parameter names: values that come from outside (fixtures, cases, generated inputs).
    pub params: Vec<String>,
    /// The file, for snippets.
    pub file: &'a SourceFile,
    /// Dependency crates and names imported from them or std: calls through them are not
    /// code under test.
    pub external: &'a [String],
    /// What resolves to the code under test in the file.
    pub scope: &'a Rc<CrateScope>,
}

/// Analyzes a function body.
pub(crate) fn analyze(block: &Block, ctx: &BodyCtx) -> BodyFacts {
    let mut w = Walker::new(ctx);
    w.block(block, true);
    let mut idents = Vec::new();
    taint::token_idents(quote::ToTokens::to_token_stream(block), &mut idents);
    idents.retain(|i| i.starts_with(|c: char| c.is_ascii_uppercase()));
    idents.sort();
    idents.dedup();
    w.facts.types = idents;
    w.facts
}

/// Analyzes the tokens of a `macro_rules!` definition (they do not parse as Rust): the
/// transcriber of every rule, `(matcher) => { transcriber }`.
pub(crate) fn analyze_macro_rules(tokens: TokenStream, ctx: &BodyCtx) -> BodyFacts {
    let mut w = Walker::new(ctx);
    let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    for (i, tt) in trees.iter().enumerate() {
        let after_arrow = i >= 2
            && matches!(&trees[i - 1], proc_macro2::TokenTree::Punct(p) if p.as_char() == '>')
            && matches!(&trees[i - 2], proc_macro2::TokenTree::Punct(p) if p.as_char() == '=');
        if let (true, proc_macro2::TokenTree::Group(g)) = (after_arrow, tt) {
            w.token_uses(g.stream());
        }
    }
    w.facts
}

struct Walker<'c> {
    ctx: &'c BodyCtx<'c>,
    env: Env,
    /// Classes of enclosing conditions, innermost last; `None` where a failure cannot happen.
    guards: Vec<Option<Class>>,
    closure_depth: u32,
    /// Inside a `catch_unwind` whose result is dropped, a loop over nothing, or a closure
    /// nobody calls: checks there are swallowed.
    swallow: u32,
    /// Inside branches or loops whose condition depends on code under test: what is assigned
    /// here depends on it too.
    control: u32,
    /// The test's name says it checks reflexivity.
    reflexive_name: bool,
    /// Goals of the enclosing `while` loops that wait for the test's own data to change.
    goals: Vec<wait::Goal>,
    /// Local functions that only state trait bounds (`fn assert_send<T: Send>() {}`): calling
    /// one is a check the compiler makes.
    bound_checks: Vec<String>,
    facts: BodyFacts,
}

/// `fn assert_send<T: Send>() {}`: no inputs, an empty body and a bound to check.
fn is_bound_check(f: &syn::ItemFn) -> bool {
    let bounded = f.sig.generics.where_clause.is_some()
        || f.sig
            .generics
            .params
            .iter()
            .any(|p| matches!(p, syn::GenericParam::Type(t) if !t.bounds.is_empty()));
    bounded && f.sig.inputs.is_empty() && f.block.stmts.is_empty()
}

fn is_err_ctor(e: &Expr) -> bool {
    matches!(strip(e), Expr::Call(c) if matches!(&*c.func, Expr::Path(p) if last_segment(&p.path) == "Err"))
}

fn class_kind(class: Class) -> (OracleKind, Option<&'static str>) {
    match class {
        Class::Taut(rule) => (OracleKind::Tautological, Some(rule)),
        Class::Smoke => (OracleKind::Smoke, None),
        Class::Error => (OracleKind::ErrorObserving, None),
        Class::Meaningful => (OracleKind::Meaningful, None),
    }
}

impl<'c> Walker<'c> {
    fn new(ctx: &'c BodyCtx<'c>) -> Self {
        let mut env = Env::new(ctx.external.to_vec(), Rc::clone(ctx.scope));
        for p in &ctx.params {
            env.bind_touched(p.clone());
        }
        Walker {
            ctx,
            env,
            guards: if ctx.fails_when_called {
                vec![Some(Class::Meaningful)]
            } else {
                Vec::new()
            },
            closure_depth: 0,
            swallow: 0,
            control: 0,
            reflexive_name: has_reflexive_word(ctx.name),
            goals: Vec::new(),
            bound_checks: Vec::new(),
            facts: BodyFacts::default(),
        }
    }

    fn classifier(&self) -> Classifier<'_> {
        Classifier {
            env: &self.env,
            reflexive_name: self.reflexive_name,
        }
    }

    fn record(&mut self, class: Class, line: u32, what: String) {
        self.record_check(class, line, what, None, None);
    }

    fn record_check(
        &mut self,
        class: Class,
        line: u32,
        what: String,
        unsigned_callee: Option<String>,
        via_macro: Option<String>,
    ) {
        if self.swallow > 0 {
            return;
        }
        let (kind, rule) = class_kind(class);
        self.facts.checks.push(Check {
            kind,
            rule,
            line,
            what,
            unsigned_callee,
            via_macro,
            dependency: None,
        });
    }

    /// Names the dependency crate an untouched check just recorded (after `before` checks)
    /// looks at, when its operands come from one.
    fn name_dependency(&mut self, before: usize, operands: &[&Expr]) {
        if self.facts.checks.len() <= before {
            return;
        }
        let dependency = operands.iter().find_map(|e| self.dependency_of(e, 0));
        if let Some(last) = self.facts.checks.last_mut() {
            if last.rule == Some(rules::UNTOUCHED) {
                last.dependency = dependency;
            }
        }
    }

    /// The first dependency crate `e` names, directly or through the bindings it reads.
    fn dependency_of(&self, e: &Expr, depth: u32) -> Option<String> {
        let scope = self.env.scope();
        taint::idents_of(e).into_iter().find_map(|name| {
            if scope.is_dependency(&name) {
                return Some(name);
            }
            let init = self.env.get(&name)?.init.as_deref()?;
            (depth < 3).then(|| self.dependency_of(init, depth + 1))?
        })
    }

    /// Records a comparison, noting when it may be an unsigned value `>= 0`.
    fn record_compare(&mut self, op: CmpOp, left: &Expr, right: &Expr, line: u32, what: String) {
        let c = self.classifier();
        let class = c.compare(op, left, right);
        let candidate = match class {
            Class::Meaningful => c.unsigned_candidate(op, left, right),
            _ => None,
        };
        let before = self.facts.checks.len();
        self.record_check(class, line, what, candidate, None);
        self.name_dependency(before, &[left, right]);
    }

    fn snippet(&self, node: &impl Spanned) -> String {
        let span = node.span();
        self.ctx.file.snippet(span.start(), span.end())
    }

    /// A point where the test fails (`panic!`, `return Err`): it checks whatever the
    /// innermost enclosing condition tests.
    fn fail(&mut self, line: u32, what: String) {
        if let Some(Some(class)) = self.guards.last().copied() {
            self.record(class, line, what);
        }
    }

    fn guarded(&mut self, class: Option<Class>, f: impl FnOnce(&mut Self)) {
        self.guards.push(class);
        f(self);
        self.guards.pop();
    }

    // ------------------------------------------------------------ statements

    fn block(&mut self, block: &Block, tail: bool) {
        let (scope, external) = (self.env.scope_rc(), self.env.external_len());
        self.stmts(&block.stmts, tail);
        self.env.restore_scope(scope, external);
    }

    fn stmts(&mut self, stmts: &[Stmt], tail: bool) {
        let n = stmts.len();
        // Items are visible in the whole block: a local `fn parse` or `use` shadows the
        // crate's `parse` from the block's first statement on.
        for stmt in stmts {
            match stmt {
                Stmt::Item(syn::Item::Use(u)) => self.env.import(u),
                Stmt::Item(syn::Item::Fn(f)) => {
                    if is_bound_check(f) {
                        self.bound_checks.push(f.sig.ident.to_string());
                    }
                    self.env.bind_local_fn(f)
                }
                _ => {}
            }
        }
        for (i, stmt) in stmts.iter().enumerate() {
            let is_tail = tail && i + 1 == n;
            match stmt {
                Stmt::Item(_) | Stmt::Local(syn::Local { init: None, .. }) => {
                    self.facts.declares = true
                }
                _ => self.facts.runs = true,
            }
            match stmt {
                Stmt::Local(local) => {
                    let unused = unused_closure(local, &stmts[i + 1..]);
                    self.swallow += u32::from(unused);
                    self.local(local);
                    self.swallow -= u32::from(unused);
                }
                Stmt::Item(_) => {}
                Stmt::Expr(e, None)
                    if is_tail && self.ctx.returns_bool && self.closure_depth == 0 =>
                {
                    self.expr(e, false, false);
                    let class = self.classifier().bool_cond(e);
                    let what = self.snippet(e);
                    if self.ctx.helper {
                        let (kind, rule) = class_kind(class);
                        self.facts.tail_oracle = Some(Check {
                            kind,
                            rule,
                            line: line_of(e.span()),
                            what,
                            unsigned_callee: None,
                            via_macro: None,
                            dependency: None,
                        });
                    } else {
                        self.record(class, line_of(e.span()), what);
                    }
                }
                Stmt::Expr(e, semi) => self.expr(e, is_tail && semi.is_none(), semi.is_some()),
                Stmt::Macro(m) => self.mac(&m.mac, true),
            }
        }
    }

    fn local(&mut self, local: &syn::Local) {
        let Some(init) = &local.init else {
            self.env.bind(&local.pat, None, Taint::Touched);
            return;
        };
        let dropped = matches!(local.pat, Pat::Wild(_));
        self.expr(&init.expr, false, dropped);
        let taint = self.env.binding_taint(&init.expr);
        if let Some((_, diverge)) = &init.diverge {
            let class = self.classifier().fail_on_pattern(&local.pat, false, &[]);
            self.guarded(class, |w| w.expr(diverge, false, true));
        }
        self.env.bind(&local.pat, Some(&init.expr), taint);
    }

    // ------------------------------------------------------------ expressions

    /// Walks an expression. `tail`: its value is the function's result (a `Result` test
    /// fails when it is `Err`). `dropped`: its value is thrown away.
    fn expr(&mut self, e: &Expr, tail: bool, dropped: bool) {
        match e {
            Expr::Macro(m) => self.mac(&m.mac, dropped),
            Expr::MethodCall(m) => {
                if dropped {
                    self.facts.discarded.push(m.method.to_string());
                }
                self.method_call(m)
            }
            Expr::Call(c) => {
                if tail && self.ctx.returns_value && self.closure_depth == 0 && is_err_ctor(e) {
                    self.fail(line_of(c.func.span()), self.snippet(e));
                }
                self.call(c, dropped)
            }
            Expr::Try(t) => {
                if is_err_ctor(&t.expr) {
                    self.fail(line_of(t.question_token.span), self.snippet(e));
                    return;
                }
                self.expr(&t.expr, false, false);
                if self.fallible_under_test(&t.expr) {
                    self.record(
                        Class::Smoke,
                        line_of(t.question_token.span),
                        self.snippet(e),
                    );
                }
            }
            Expr::Return(r) => {
                if let Some(value) = &r.expr {
                    if self.ctx.returns_value && self.closure_depth == 0 && is_err_ctor(value) {
                        self.fail(line_of(r.return_token.span), self.snippet(e));
                    }
                    self.expr(value, false, false);
                }
            }
            Expr::If(i) => self.if_expr(i, tail),
            Expr::Match(m) => {
                self.expr(&m.expr, false, false);
                let taint = self.env.taint(&m.expr);
                let dependent = u32::from(taint == Taint::Touched);
                self.control += dependent;
                for (idx, arm) in m.arms.iter().enumerate() {
                    let others: Vec<&Pat> = m
                        .arms
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != idx)
                        .map(|(_, a)| &a.pat)
                        .collect();
                    let class = self.classifier().fail_on_pattern(&arm.pat, true, &others);
                    if let Pat::Guard(g) = &arm.pat {
                        self.expr(&g.guard, false, false);
                    }
                    self.env.bind(&arm.pat, None, taint.max(Taint::Untouched));
                    self.guarded(class, |w| w.expr(&arm.body, tail, false));
                }
                self.control -= dependent;
            }
            Expr::Closure(c) => self.closure(c, Some(Class::Meaningful)),
            Expr::ForLoop(f) => {
                self.expr(&f.expr, false, false);
                if let Expr::Reference(r) = strip_group(&f.expr) {
                    if r.mutability.is_some() {
                        if let Some(root) = root_ident(&r.expr) {
                            self.env.touch(&root);
                        }
                    }
                }
                let taint = self.env.binding_taint(&f.expr);
                self.env.bind_elements(&f.pat, &f.expr, taint);
                let empty = u32::from(self.iterates_nothing(&f.expr));
                let dependent = u32::from(taint == Taint::Touched);
                self.swallow += empty;
                self.control += dependent;
                self.guarded(Some(Class::Meaningful), |w| w.block(&f.body, false));
                self.swallow -= empty;
                self.control -= dependent;
            }
            Expr::While(wh) => {
                let goal = wait::Goal::of(&wh.cond, &self.env);
                self.cond(&wh.cond);
                let waits = wait::waits_for_value(&wh.cond, &self.env);
                let has_goal = goal.is_some();
                self.goals.extend(goal);
                self.control += 1;
                self.guarded(Some(Class::Meaningful), |w| w.block(&wh.body, false));
                self.control -= 1;
                let struck = has_goal && self.goals.pop().is_some_and(|g| g.struck());
                if (waits || struck) && !wait::leaves_early(&wh.body) {
                    let what = format!("waits until `{}`", self.snippet(&*wh.cond));
                    self.record(Class::Meaningful, line_of(wh.while_token.span), what);
                }
            }
            Expr::Loop(l) => {
                self.control += 1;
                self.guarded(Some(Class::Meaningful), |w| w.block(&l.body, false));
                self.control -= 1;
            }
            Expr::Block(b) => self.block(&b.block, tail),
            Expr::Unsafe(u) => self.block(&u.block, tail),
            Expr::Async(a) => self.block(&a.block, false),
            Expr::Const(c) => self.block(&c.block, false),
            Expr::TryBlock(t) => self.block(&t.block, false),
            Expr::Await(a) => match &*a.base {
                Expr::Call(c) if is_sleep_call(c) => {
                    c.args.iter().for_each(|x| self.expr(x, false, false))
                }
                base => self.expr(base, false, dropped),
            },
            Expr::Assign(a) => {
                self.expr(&a.right, false, false);
                match &*a.left {
                    Expr::Path(p) if p.path.get_ident().is_some() => {
                        let name = p.path.segments[0].ident.to_string();
                        self.env.assign(&name, &a.right);
                        if self.control > 0 {
                            self.env.touch(&name);
                        }
                    }
                    left => {
                        if self.env.taint(&a.right) == Taint::Touched {
                            if let Some(root) = root_ident(left) {
                                self.env.touch(&root);
                            }
                        }
                    }
                }
            }
            Expr::Binary(b) => {
                self.expr(&b.left, false, false);
                self.expr(&b.right, false, false);
                if is_compound_assign(&b.op)
                    && (self.control > 0 || self.env.taint(&b.right) == Taint::Touched)
                {
                    if let Some(root) = root_ident(&b.left) {
                        self.env.touch(&root);
                    }
                }
            }
            Expr::Let(l) => self.expr(&l.expr, false, false),
            Expr::Unary(u) => self.expr(&u.expr, false, dropped),
            Expr::Paren(p) => self.expr(&p.expr, tail, dropped),
            Expr::Group(g) => self.expr(&g.expr, tail, dropped),
            Expr::Field(f) => self.expr(&f.base, false, false),
            Expr::Index(i) => {
                self.expr(&i.expr, false, false);
                self.expr(&i.index, false, false);
            }
            Expr::Reference(r) => self.expr(&r.expr, false, dropped),
            Expr::Cast(c) => self.expr(&c.expr, false, false),
            Expr::Array(a) => a.elems.iter().for_each(|x| self.expr(x, false, false)),
            Expr::Tuple(t) => t.elems.iter().for_each(|x| self.expr(x, false, false)),
            Expr::Struct(s) => {
                s.fields
                    .iter()
                    .for_each(|f| self.expr(&f.expr, false, false));
                if let Some(rest) = &s.rest {
                    self.expr(rest, false, false);
                }
            }
            Expr::Range(r) => {
                if let Some(x) = &r.start {
                    self.expr(x, false, false);
                }
                if let Some(x) = &r.end {
                    self.expr(x, false, false);
                }
            }
            Expr::Repeat(r) => self.expr(&r.expr, false, false),
            Expr::Break(b) => {
                if let Some(x) = &b.expr {
                    self.expr(x, false, false);
                }
            }
            Expr::Yield(y) => {
                if let Some(x) = &y.expr {
                    self.expr(x, false, false);
                }
            }
            Expr::Path(p) if p.path.segments.len() > 1 || self.env.of_path(e).is_none() => {
                let name = last_segment(&p.path);
                self.facts
                    .call_lines
                    .push((name.clone(), line_of(p.span())));
                self.facts.fn_values.push(name);
            }
            _ => {}
        }
    }

    fn cond(&mut self, cond: &Expr) {
        if let Expr::Let(l) = cond {
            self.expr(&l.expr, false, false);
            let taint = self.env.binding_taint(&l.expr);
            self.env.bind(&l.pat, None, taint);
        } else {
            self.expr(cond, false, false);
        }
    }

    fn if_expr(&mut self, i: &syn::ExprIf, tail: bool) {
        self.cond(&i.cond);
        let (then_class, else_class) = match &*i.cond {
            Expr::Let(l) => {
                let c = self.classifier();
                (
                    c.fail_on_pattern(&l.pat, true, &[]),
                    c.fail_on_pattern(&l.pat, false, &[]),
                )
            }
            cond if contains_let(cond) => (Some(Class::Meaningful), Some(Class::Meaningful)),
            cond => {
                let c = self.classifier();
                (c.fail_if(cond, false), c.fail_if(cond, true))
            }
        };
        let cond_expr = match &*i.cond {
            Expr::Let(l) => &*l.expr,
            other => other,
        };
        let dependent = u32::from(self.env.taint(cond_expr) == Taint::Touched);
        self.control += dependent;
        self.guarded(then_class, |w| w.block(&i.then_branch, tail));
        if let Some((_, else_branch)) = &i.else_branch {
            self.guarded(else_class, |w| w.expr(else_branch, tail, false));
        }
        self.control -= dependent;
    }

    /// Whether unwrapping `e` checks code under test: it is touched by it, and the fallible
    /// operation itself is not std's or a dependency's (`fs::write(..)`, `lock()`, `join()`).
    fn fallible_under_test(&self, e: &Expr) -> bool {
        self.env.taint(e) == Taint::Touched && !self.env.external_chain(e) && !reraises_panic(e)
    }

    /// A `for` loop over an empty array or slice literal, directly or through a binding.
    fn iterates_nothing(&self, e: &Expr) -> bool {
        match strip_group(e) {
            Expr::Array(a) => a.elems.is_empty(),
            Expr::Reference(r) => self.iterates_nothing(&r.expr),
            Expr::MethodCall(m)
                if matches!(m.method.to_string().as_str(), "iter" | "into_iter") =>
            {
                self.iterates_nothing(&m.receiver)
            }
            Expr::Path(p) => p
                .path
                .get_ident()
                .and_then(|i| self.env.get(&i.to_string()))
                .and_then(|b| b.init.as_deref())
                .is_some_and(|init| self.iterates_nothing(init)),
            _ => false,
        }
    }

    fn closure(&mut self, c: &syn::ExprClosure, class: Option<Class>) {
        for input in &c.inputs {
            self.env.bind(input, None, Taint::Touched);
        }
        self.closure_depth += 1;
        self.guarded(class, |w| w.expr(&c.body, false, false));
        self.closure_depth -= 1;
    }

    fn method_call(&mut self, m: &syn::ExprMethodCall) {
        let name = m.method.to_string();
        let line = line_of(m.method.span());
        self.expr(&m.receiver, false, false);
        for goal in &mut self.goals {
            goal.observe(m, &self.env);
        }
        let on_error = matches!(
            name.as_str(),
            "unwrap_or_else" | "map_err" | "or_else" | "ok_or_else" | "unwrap_or"
        );
        for arg in &m.args {
            match arg {
                Expr::Closure(c) if on_error => self.closure(c, Some(Class::Smoke)),
                other => self.expr(other, false, false),
            }
        }
        let receiver_touched = self.fallible_under_test(&m.receiver);
        match name.as_str() {
            // A downcast's answer is the type the code returned (docs/oracles.md#lookups).
            "unwrap" | "expect" if receiver_touched && is_downcast(&m.receiver) => {
                self.record(Class::Meaningful, line, format!("downcast .{name}()"))
            }
            "unwrap" | "expect" if receiver_touched => {
                self.record(Class::Smoke, line, format!(".{name}()"))
            }
            "unwrap_err" | "expect_err" | "unwrap_none" | "expect_none" => {
                self.record(Class::Error, line, format!(".{name}()"))
            }
            "success" | "failure" | "code" | "stdout" | "stderr" | "interrupted"
                if chain_has(&m.receiver, |n, args| n == "assert" && args == 0) =>
            {
                let class = match name.as_str() {
                    "success" => Class::Smoke,
                    "failure" | "interrupted" => Class::Error,
                    _ => Class::Meaningful,
                };
                self.record(class, line, format!(".assert().{name}(..)"));
            }
            "times" | "never" | "once" | "with" | "withf"
                if chain_has(&m.receiver, |n, _| {
                    n.starts_with("expect_") && n != "expect_err"
                }) =>
            {
                self.record(
                    Class::Meaningful,
                    line,
                    format!("mock expectation .{name}(..)"),
                )
            }
            "assert" if m.args.len() == 1 => {
                self.record(Class::Meaningful, line, ".assert(predicate)".into())
            }
            n if n.starts_with("assert_") => {
                self.record(Class::Meaningful, line, format!(".{name}(..)"))
            }
            _ => {}
        }
        if self.ctx.config.is_assert_function(&name) {
            self.record(
                Class::Meaningful,
                line,
                format!("configured assertion function .{name}()"),
            );
        }
        let root = root_ident(&m.receiver);
        if let Some((entry, ty)) = catalogue::method(&name) {
            let bound = root
                .as_ref()
                .and_then(|r| self.env.get(r))
                .and_then(|b| b.init.as_deref());
            if [Some(&*m.receiver), bound]
                .into_iter()
                .flatten()
                .any(|e| self.built_by(e, entry.krate, ty))
            {
                let what = format!("{}::{}", entry.krate, entry.item);
                self.record(Class::Meaningful, line, what);
            }
        }
        if !is_std_method(&name) {
            self.facts.methods.push(name.clone());
            self.facts.call_lines.push((name.clone(), line));
            if !self.env.external_chain(&m.receiver) || self.env.is_crate_method(&name, &m.receiver)
            {
                if let Some(root) = &root {
                    self.env.touch(root);
                }
                // `Indented { inner: &mut out, .. }.write_str(..)` writes into `out`.
                if let Expr::Struct(s) = strip_group(&m.receiver) {
                    self.touch_mut_args(s.fields.iter().map(|f| &f.expr));
                }
                self.touch_mut_args(m.args.iter());
            }
        } else if m.args.iter().any(|a| self.env.taint(a) == Taint::Touched) {
            if let Some(root) = &root {
                self.env.touch(root);
            }
        } else if MUTATING_METHODS.contains(&name.as_str()) {
            if let Some(root) = &root {
                self.env.mutated(root);
            }
        }
    }

    fn call(&mut self, c: &syn::ExprCall, dropped: bool) {
        let path = match &*c.func {
            Expr::Path(p) => Some(&p.path),
            _ => None,
        };
        let name = path.map(last_segment).unwrap_or_default();
        if c.args.is_empty()
            && path.is_some_and(|p| p.segments.len() == 1)
            && self.bound_checks.contains(&name)
        {
            self.facts.compile_time = true;
            return;
        }
        let line = line_of(c.func.span());
        if is_sleep_call(c) {
            self.facts.sleeps.push(line);
        }
        if name == "panic_any" {
            self.fail(line, "panic_any(..)".into());
        }
        if path.is_some_and(|p| ends_process(&self.expanded(p))) {
            self.facts.ends_process = true;
        }
        if name == "from_bool" {
            if let Some(arg) = c.args.first() {
                let class = self.classifier().bool_cond(arg);
                self.record(class, line, self.snippet(c));
            }
        }
        if let Some(entry) = path.and_then(|p| self.catalogued(p)) {
            self.catalogued_call(entry, c, line);
        }
        let swallowed = name == "catch_unwind" && dropped;
        if swallowed {
            self.swallow += 1;
        }
        match &*c.func {
            Expr::Path(_) => {}
            other => self.expr(other, false, false),
        }
        for arg in &c.args {
            self.expr(arg, false, false);
        }
        if swallowed {
            self.swallow -= 1;
        }
        if self.configured_function(path, &name) {
            self.record(
                Class::Meaningful,
                line,
                format!("configured assertion function {name}()"),
            );
        }
        // `DefaultHasher::new()`, `itertools::assert_equal(..)`: another crate's function,
        // never a helper of this one that happens to share its name.
        let external = path.is_some_and(|p| self.env.is_external_path(p));
        if !external && !name.is_empty() {
            // A helper imported under another name (`use support::expect_total as total;`)
            // is reached by its own.
            let full = path.map(|p| self.expanded(p)).unwrap_or_default();
            let name = full.last().cloned().unwrap_or(name);
            if dropped {
                self.facts.discarded.push(name.clone());
            }
            self.facts.call_lines.push((name.clone(), line));
            match full.iter().rev().nth(1).cloned() {
                Some(ty) if ty != "Self" && ty.starts_with(|c: char| c.is_ascii_uppercase()) => {
                    self.facts.calls.push(format!("{ty}::{name}"))
                }
                _ => self.facts.calls.push(name),
            }
            self.touch_mut_args(c.args.iter());
        }
    }

    /// Whether `e` builds a value of type `ty` of crate `krate` (`trybuild::TestCases::new()`,
    /// `Builder::new().read(..)` after `use tokio_test::io::Builder`): it names the type, and
    /// the call its method chain starts from resolves into the crate.
    fn built_by(&self, e: &Expr, krate: &str, ty: &str) -> bool {
        let mut root = e;
        while let Expr::MethodCall(m) = strip_group(root) {
            root = &m.receiver;
        }
        let from_crate = match strip_group(root) {
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => self.expanded(&p.path).first().is_some_and(|k| k == krate),
                _ => false,
            },
            _ => false,
        };
        taint::mentions_any(e, &[ty])
            && (from_crate || self.ctx.scope.aliases().glob_imports_from(krate))
    }

    /// The catalogue entry of an assertion function called by `path`.
    fn catalogued(&self, path: &syn::Path) -> Option<&'static catalogue::Entry> {
        let aliases = self.ctx.scope.aliases();
        catalogue::function(&self.expanded(path), |name, krate| {
            self.ctx.external.iter().any(|x| x == name) || aliases.glob_imports_from(krate)
        })
    }

    /// The segments of the path `path` stands for, through the file's `use` renames.
    fn expanded(&self, path: &syn::Path) -> Vec<String> {
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.ctx.scope.aliases().expand(&segs)
    }

    /// Whether a function called by `path` is a configured assertion function, by the name
    /// it is called or by the name it was imported as.
    fn configured_function(&self, path: Option<&syn::Path>, name: &str) -> bool {
        let config = self.ctx.config;
        config.is_assert_function(name)
            || path.is_some_and(|p| {
                self.expanded(p)
                    .last()
                    .is_some_and(|n| config.is_assert_function(n))
            })
    }

    /// The role of a macro invoked by `path` (its segments): a macro known by its crate's path
    /// (`assert2::check!`), else by the name it was imported as (`close!` after
    /// `use approx::assert_relative_eq as close`).
    fn macro_role(&self, path: &[String]) -> Role {
        let full = self.ctx.scope.aliases().expand(path);
        catalogue::path_macro_role(&full).unwrap_or_else(|| {
            let name = full.last().map_or("", String::as_str);
            macros::role(name, self.ctx.config)
        })
    }

    /// Records the check a catalogued assertion function makes, judged on its arguments as
    /// they were before the call.
    fn catalogued_call(&mut self, entry: &catalogue::Entry, c: &syn::ExprCall, line: u32) {
        let what = self.snippet(c);
        match entry.kind {
            catalogue::Kind::Compare(op) => match (c.args.first(), c.args.get(1)) {
                (Some(a), Some(b)) => self.record_compare(op, a, b, line, what),
                _ => self.record(Class::Meaningful, line, what),
            },
            catalogue::Kind::Fixed(fixed) => self.record(fixed_class(fixed), line, what),
            catalogue::Kind::Fail => self.fail(line, what),
            catalogue::Kind::Macro(_)
            | catalogue::Kind::PathMacro(_)
            | catalogue::Kind::Method(_) => {}
        }
    }

    /// Bindings passed mutably (or captured by a closure) to code that may be under test.
    fn touch_mut_args<'e>(&mut self, args: impl Iterator<Item = &'e Expr>) {
        for arg in args {
            match strip_group(arg) {
                Expr::Reference(r) if r.mutability.is_some() => {
                    if let Some(root) = root_ident(&r.expr) {
                        self.env.touch(&root);
                    }
                }
                Expr::MethodCall(m)
                    if matches!(
                        m.method.to_string().as_str(),
                        "as_mut" | "iter_mut" | "borrow_mut" | "get_mut" | "as_mut_slice"
                    ) =>
                {
                    if let Some(root) = root_ident(&m.receiver) {
                        self.env.touch(&root);
                    }
                }
                Expr::Closure(c) => {
                    for u in taint::idents_of(&c.body) {
                        self.env.touch(&u);
                    }
                }
                _ => {}
            }
        }
    }

    // ------------------------------------------------------------ macros

    fn mac(&mut self, mac: &syn::Macro, dropped: bool) {
        let name = last_segment(&mac.path);
        let line = line_of(mac.path.span());
        let segs: Vec<String> = mac
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let role = self.macro_role(&segs);
        let what = match role {
            Role::Walk | Role::Unknown | Role::Inert | Role::CompileTime => String::new(),
            _ => self.snippet(mac),
        };
        // The crate's own macro is code under test, whatever std or a catalogued crate calls
        // the same name: anyhow's `ensure!` in anyhow's tests checks anyhow, `info!` in log's
        // runs log.
        // A failing macro (`bail!`) still fails the test.
        let crate_macro = self.ctx.scope.is_crate_macro(&mac.path);
        match role {
            Role::Bool
            | Role::Compare(_)
            | Role::Pattern
            | Role::Fixed(_)
            | Role::Snapshot
            | Role::OtherAssert
                if crate_macro =>
            {
                // Its check stands: the crate's macro is not a test helper to judge by its body.
                self.other_assert(&name, line, &mac.tokens, what, None)
            }
            Role::Walk if crate_macro => self.unknown_mac(&name, &mac.tokens, dropped),
            _ => self.mac_parts(&name, role, line, &mac.tokens, what, dropped),
        }
    }

    /// An assertion macro of another crate (or of the crate itself): it checks what it checks
    /// (files, versions, types), its literal arguments are not a tautology. `via_macro`: a
    /// local `macro_rules!` of that name, if any, decides instead (see `Check::via_macro`).
    fn other_assert(
        &mut self,
        name: &str,
        line: u32,
        tokens: &TokenStream,
        what: String,
        via_macro: Option<String>,
    ) {
        let args = parse_exprs(tokens).or_else(|| parse_leading_exprs(tokens, 2));
        if let Some(a) = &args {
            a.iter().for_each(|x| self.expr(x, false, false));
        }
        self.facts.macros.push(name.to_string());
        self.record_check(Class::Meaningful, line, what, None, via_macro);
    }

    /// A macro the walker does not know: a candidate local macro, its arguments walked.
    fn unknown_mac(&mut self, name: &str, tokens: &TokenStream, dropped: bool) {
        self.facts.macros.push(name.to_string());
        self.mac_args(tokens, dropped);
    }

    /// A macro `name!` (as the body spells it) of role `role`.
    fn mac_parts(
        &mut self,
        name: &str,
        role: Role,
        line: u32,
        tokens: &TokenStream,
        what: String,
        dropped: bool,
    ) {
        match role {
            Role::Bool => {
                let Some(args) = parse_leading_exprs(tokens, 1) else {
                    return self.record(Class::Meaningful, line, what);
                };
                // The assertion is judged on the bindings as they were before its operands
                // ran, then the operands are walked for their own effects.
                let cond = &args[0];
                if matches!(strip(cond), Expr::Lit(syn::ExprLit { lit: syn::Lit::Bool(b), .. }) if !b.value)
                {
                    return self.fail(line, what);
                }
                match strip(cond) {
                    Expr::Binary(b) if CmpOp::of(&b.op).is_some() => {
                        let op = CmpOp::of(&b.op).expect("checked");
                        self.record_compare(op, &b.left, &b.right, line, what);
                    }
                    _ => {
                        let class = self.classifier().bool_cond(cond);
                        let before = self.facts.checks.len();
                        self.record(class, line, what);
                        self.name_dependency(before, &[cond]);
                    }
                }
                self.expr(cond, false, false);
            }
            Role::Compare(op) => match macros::compared_operands(tokens) {
                Some(args) if args.len() == 2 => {
                    self.record_compare(op, &args[0], &args[1], line, what);
                    args.iter().for_each(|a| self.expr(a, false, false));
                }
                _ => self.record(Class::Meaningful, line, what),
            },
            Role::Pattern => match parse_expr_pattern(tokens) {
                Some((e, pat, guarded)) => {
                    self.expr(&e, false, false);
                    let class = self.classifier().pattern(&e, &pat, guarded);
                    self.record(class, line, what);
                }
                None => self.record(Class::Meaningful, line, what),
            },
            Role::Fixed(fixed) => {
                if let Some(args) = parse_leading_exprs(tokens, 2) {
                    args.iter().for_each(|a| self.expr(a, false, false));
                }
                self.record(fixed_class(fixed), line, what);
            }
            Role::Snapshot => {
                let class = match macros::snapshot_value(tokens) {
                    Some(value) => {
                        self.expr(&value, false, false);
                        match self.env.taint(&value) {
                            Taint::Const => Class::Taut(rules::CONSTANT),
                            Taint::Untouched => Class::Taut(rules::UNTOUCHED),
                            Taint::Touched => Class::Meaningful,
                        }
                    }
                    None => Class::Meaningful,
                };
                self.record(class, line, what);
            }
            Role::OtherAssert => {
                self.other_assert(name, line, tokens, what, Some(name.to_string()))
            }
            Role::Fail => {
                if let Some(args) = parse_exprs(tokens) {
                    args.iter().skip(1).for_each(|a| self.expr(a, false, false));
                }
                self.fail(line, what)
            }
            Role::Inert => self.facts.unfinished = true,
            Role::CompileTime => self.facts.compile_time = true,
            Role::Walk => {
                self.facts.prints |= matches!(
                    name,
                    "println"
                        | "print"
                        | "eprintln"
                        | "eprint"
                        | "dbg"
                        | "debug"
                        | "info"
                        | "warn"
                        | "error"
                        | "trace"
                );
                if matches!(name, "write" | "writeln") {
                    self.write_into(tokens);
                }
                self.mac_args(tokens, dropped)
            }
            Role::Unknown => self.unknown_mac(name, tokens, dropped),
        }
    }

    /// `write!(buf, "{}", value)`: what the buffer holds next went through the value's
    /// `Display`/`Debug`/... impl, a crate's for a value of a workspace type.
    fn write_into(&mut self, tokens: &TokenStream) {
        let Some(args) = parse_exprs(tokens) else {
            return;
        };
        let Some((dest, format)) = args.split_first() else {
            return;
        };
        if let Some(root) = root_ident(dest) {
            if self.env.format_taint(format) == Taint::Touched {
                self.env.touch(&root);
            } else {
                self.env.mutated(&root);
            }
        }
    }

    fn mac_args(&mut self, tokens: &TokenStream, dropped: bool) {
        if !macros::may_hold_checks(tokens) {
            return;
        }
        if let Some(args) = parse_exprs(tokens) {
            for a in &args {
                self.expr(a, false, dropped);
            }
        } else if let Some(stmts) = parse_stmts(tokens) {
            self.stmts(&stmts, false);
        } else if let Some((e, _, _)) = parse_expr_pattern(tokens) {
            self.expr(&e, false, false);
        } else {
            self.token_uses(tokens.clone());
        }
    }

    fn token_uses(&mut self, tokens: TokenStream) {
        let mut uses = Vec::new();
        macros::scan_tokens(tokens, &mut uses);
        for u in uses {
            match u {
                TokenUse::Macro(name, line, inner) => {
                    let what = format!("{name}!(..)");
                    let role = self.macro_role(std::slice::from_ref(&name));
                    // Unparsable arguments: any panic here is as conditional as the code around it.
                    self.guarded(Some(Class::Meaningful), |w| {
                        w.mac_parts(&name, role, line, &inner, what, false)
                    });
                }
                TokenUse::Call(name) => {
                    if self.ctx.config.is_assert_function(&name) {
                        let what = format!("configured assertion function {name}()");
                        self.record(Class::Meaningful, 0, what);
                    }
                    self.facts.calls.push(name)
                }
                TokenUse::Unwrap(line) => self.record(Class::Smoke, line, ".unwrap()".into()),
                TokenUse::UnwrapErr(line) => {
                    self.record(Class::Error, line, ".unwrap_err()".into())
                }
            }
        }
    }
}

/// Whether a path (renames followed) is `process::exit` or `process::abort`.
fn ends_process(path: &[String]) -> bool {
    matches!(path, [.., p, f] if p == "process" && (f == "exit" || f == "abort"))
}

/// What a claims-style check of a fixed meaning amounts to.
fn fixed_class(fixed: Fixed) -> Class {
    match fixed {
        Fixed::Smoke => Class::Smoke,
        Fixed::Error => Class::Error,
        Fixed::Value => Class::Meaningful,
    }
}

/// `lock().unwrap()`, `join().unwrap()`: they re-raise a panic or poisoning, they do not
/// check the code under test.
fn reraises_panic(receiver: &Expr) -> bool {
    matches!(strip_group(receiver), Expr::MethodCall(m) if matches!(m.method.to_string().as_str(), "lock" | "try_lock" | "join"))
}

/// `let _check = |..| ..;` (or a closure bound to a name the rest of the block never uses):
/// nobody calls it, so its checks never run.
fn unused_closure(local: &syn::Local, rest: &[Stmt]) -> bool {
    let Some(init) = &local.init else {
        return false;
    };
    if !matches!(strip_group(&init.expr), Expr::Closure(_)) {
        return false;
    }
    let name = match &local.pat {
        Pat::Ident(p) => p.ident.to_string(),
        Pat::Type(t) => match &*t.pat {
            Pat::Ident(p) => p.ident.to_string(),
            _ => return false,
        },
        Pat::Wild(_) => return true,
        _ => return false,
    };
    let mut used = Vec::new();
    for stmt in rest {
        taint::token_idents(quote::ToTokens::to_token_stream(stmt), &mut used);
    }
    !used.contains(&name)
}

/// std methods that change their receiver.
#[rustfmt::skip]
const MUTATING_METHODS: &[&str] = &[
    "push", "push_str", "extend_from_slice", "pop", "insert", "remove", "extend", "append", "clear", "truncate",
    "sort", "sort_unstable", "sort_by", "sort_by_key", "dedup", "reverse", "retain", "drain",
    "swap", "fill", "rotate_left", "rotate_right", "resize", "set", "replace", "take", "get_mut",
    "iter_mut", "entry", "push_back", "push_front", "pop_back", "pop_front",
];

/// `x.downcast_ref::<T>()` and the other downcasts.
fn is_downcast(e: &Expr) -> bool {
    matches!(strip_group(e), Expr::MethodCall(m) if m.method.to_string().starts_with("downcast"))
}

fn strip_group(e: &Expr) -> &Expr {
    match e {
        Expr::Group(g) => strip_group(&g.expr),
        Expr::Paren(p) => strip_group(&p.expr),
        other => other,
    }
}

fn contains_let(e: &Expr) -> bool {
    match e {
        Expr::Let(_) => true,
        Expr::Binary(b) => contains_let(&b.left) || contains_let(&b.right),
        Expr::Paren(p) => contains_let(&p.expr),
        _ => false,
    }
}

fn is_compound_assign(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// `thread::sleep(..)` or a bare `sleep(..)` (an awaited `sleep` is async and not reported).
fn is_sleep_call(c: &syn::ExprCall) -> bool {
    let Expr::Path(p) = &*c.func else {
        return false;
    };
    let segs: Vec<&proc_macro2::Ident> = p.path.segments.iter().map(|s| &s.ident).collect();
    match segs.as_slice() {
        [one] => *one == "sleep",
        [.., a, b] => *a == "thread" && *b == "sleep",
        _ => false,
    }
}

/// Whether a method chain has a call `name(args)` for which `pred(name, arg_count)` holds.
fn chain_has(e: &Expr, pred: impl Fn(&str, usize) -> bool + Copy) -> bool {
    match strip_group(e) {
        Expr::MethodCall(m) => {
            pred(&m.method.to_string(), m.args.len()) || chain_has(&m.receiver, pred)
        }
        Expr::Call(c) => chain_has(&c.func, pred),
        Expr::Try(t) => chain_has(&t.expr, pred),
        Expr::Await(a) => chain_has(&a.base, pred),
        Expr::Field(f) => chain_has(&f.base, pred),
        _ => false,
    }
}

/// The rule message for a tautology finding; an untouched check on what only a `dependency`
/// crate produced names that crate.
pub(crate) fn tautology_message(rule: &str, what: &str, dependency: Option<&str>) -> String {
    if let (rules::UNTOUCHED, Some(krate)) = (rule, dependency) {
        return format!("checks only `{krate}`, not this crate: `{what}`");
    }
    let why = match rule {
        rules::SAME_OPERANDS => "both sides are the same expression",
        rules::CONSTANT => "only literals or constants: it holds whatever the code does",
        rules::ALWAYS_TRUE => always_true_why(what),
        rules::EXHAUSTIVE => "the disjunction covers every case",
        rules::SELF_FULFILLING => "the expected value comes from the same call as the actual value",
        rules::UNTOUCHED => "the asserted value never went through the code under test",
        _ => "holds whatever the code under test does",
    };
    format!("{why}: `{what}`")
}

/// Which always-true shape an assertion (its source text) has, in words: a value built in
/// the assertion to pass, an unsigned value compared with zero, or a value compared with its
/// type's bound.
fn always_true_why(what: &str) -> &'static str {
    // An always-true `is_some()`-like check can only be on a value built to pass it (in the
    // assertion or in the `let` it reads).
    const BUILT: [(&str, &str); 4] = [
        (
            ".is_some()",
            "always true: a `Some(..)` built by the test is some",
        ),
        (
            ".is_ok()",
            "always true: an `Ok(..)` built by the test is ok",
        ),
        (
            ".is_err()",
            "always true: an `Err(..)` built by the test is an error",
        ),
        (".is_none()", "always true: a `None` the test wrote is none"),
    ];
    let text: String = what.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some((_, why)) = BUILT.iter().find(|(check, _)| text.contains(check)) {
        return why;
    }
    if text.contains(">=0") || text.contains("0<=") {
        "always true: an unsigned value is never negative"
    } else {
        "always true: no value of its type lies beyond that bound"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::CrateIndex;

    #[test]
    fn always_true_findings_name_their_shape() {
        let msg = |what| tautology_message(rules::ALWAYS_TRUE, what, None);
        assert!(msg("assert!(Some(v).is_some())").contains("a `Some(..)` built by the test"));
        assert!(msg("assert!(Err::<u8, _>(e).is_err())").contains("an `Err(..)`"));
        assert!(msg("assert!(v.len() >= 0)").contains("an unsigned value is never negative"));
        assert!(msg("assert!(0 <= n)").contains("never negative"));
        assert!(msg("assert!(x <= u8::MAX)").contains("beyond that bound"));
        assert!(!msg("assert!(x <= u8::MAX)").contains("Some"));
    }

    #[test]
    fn an_untouched_check_names_the_dependency_it_checks() {
        let text = "fn t() {\n    let e = form_urlencoded::Serializer::new(String::new())\n        .encoding_override(Some(&|s| s.as_bytes().into()))\n        .finish();\n    assert_eq!(e, \"a=b\");\n}\n";
        let file = SourceFile::parse("src/lib.rs".into(), "src/lib.rs".into(), text.into())
            .expect("parses");
        let deps = vec!["form_urlencoded".to_string()];
        let scope = Rc::new(CrateScope::of_file(
            &file.ast,
            &CrateIndex::default(),
            &deps,
            false,
        ));
        let syn::Item::Fn(f) = &file.ast.items[0] else {
            panic!("a function")
        };
        let config = Config::default();
        let ctx = BodyCtx {
            config: &config,
            name: "t",
            returns_value: false,
            returns_bool: false,
            helper: false,
            fails_when_called: false,
            params: Vec::new(),
            file: &file,
            external: &deps,
            scope: &scope,
        };
        let facts = analyze(&f.block, &ctx);
        let check = &facts.checks[0];
        assert_eq!(check.rule, Some(rules::UNTOUCHED));
        assert_eq!(check.dependency.as_deref(), Some("form_urlencoded"));
        assert_eq!(
            tautology_message(rules::UNTOUCHED, "x", check.dependency.as_deref()),
            "checks only `form_urlencoded`, not this crate: `x`"
        );
    }
}
