//! Where each mutant of a file goes in the schema: the syntax around its span decides how a
//! run-time switch can choose between the original and the mutated code without copying
//! operands (so mutants nested in them stay one copy each), and which mutants cannot be
//! switched at all (a `const` context, a macro's arguments, a span that is no operator or arm
//! of the file): those are built on their own.
//!
//! The text each genre becomes, with `on(N)` the switch of mutant `N`:
//!
//! * `a < b` → `(match (&(a), &(b)) { (l, r) => if on(N) { *l <= *r } else { *l < *r } })`
//!   (comparisons borrow their operands, as the operator does; arithmetic and bit operators
//!   take them by value);
//! * `a && b` → `(match (a) { l => if l == on(N) { l } else { b } })`, which is `a || b` when
//!   `N` is on and keeps `b` lazy (`||` compares with `!=`);
//! * `x += e` → `(match (e) { r => if on(N) { x -= r } else { x += r } })`;
//! * `!x` → `(match (x) { v => if on(N) { v } else { !v } })`;
//! * a match guard `if g` → `if (if on(N) { true } else { g })`;
//! * a deleted match arm `P => e` → `P if !on(N) => e` (the following arms take its values);
//! * a function's value → `if on(N) { return VALUE; }` at the start of its body.

use super::mutant::Mutant;
use super::schema::{on, Edit, Piece};
use proc_macro2::Span;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, UnOp};
use truecov_model::MutantGenre;

/// The schema edits of `mutants` (`(number, mutant)`, all of one file whose text is `text`)
/// and the numbers of those that cannot be switched (built on their own).
pub(crate) fn schema_edits(text: &str, mutants: &[(usize, &Mutant)]) -> (Vec<Edit>, Vec<usize>) {
    let mut edits = Vec::new();
    let mut own = Vec::new();
    let mut groups: BTreeMap<(Kind, usize, usize), Group> = BTreeMap::new();
    for &(id, m) in mutants {
        let kind = match m.genre {
            MutantGenre::FnValue if m.guardable => {
                edits.push(Edit::guard(m.start, id, &m.replacement));
                continue;
            }
            MutantGenre::BinaryOperator => Kind::Binary,
            MutantGenre::UnaryOperator => Kind::Unary,
            MutantGenre::MatchArmGuard => Kind::Guard,
            MutantGenre::MatchArm => Kind::Arm,
            MutantGenre::FnValue | MutantGenre::StructField => {
                own.push(id);
                continue;
            }
        };
        groups
            .entry((kind, m.start, m.end))
            .or_default()
            .push((id, &m.replacement));
    }
    if groups.is_empty() {
        return (edits, own);
    }
    let Some(sites) = Sites::of(text) else {
        own.extend(groups.into_values().flatten().map(|(id, _)| id));
        return (edits, own);
    };
    for ((kind, start, end), group) in groups {
        let placed = match kind {
            Kind::Binary => sites
                .binaries
                .get(&(start, end))
                .map(|s| binary(text, s, &group)),
            Kind::Unary => sites
                .unaries
                .get(&(start, end))
                .map(|s| Some(unary(text, s, &group))),
            Kind::Guard => sites
                .guards
                .get(&(start, end))
                .map(|g| Some(guard(g, &group))),
            Kind::Arm => sites.arms.get(&start).map(|a| arm(a, &group)),
        };
        match placed.flatten() {
            Some((edit, rest)) => {
                edits.push(edit);
                own.extend(rest);
            }
            None => own.extend(group.iter().map(|(id, _)| *id)),
        }
    }
    own.sort_unstable();
    (edits, own)
}

/// The genres that have a schema form, as the planner groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Binary,
    Unary,
    Guard,
    Arm,
}

/// Mutants of one operator, guard or arm: number and replacement.
type Group<'m> = Vec<(usize, &'m str)>;

/// An edit and the mutants of its group it could not hold.
type Placed = (Edit, Vec<usize>);

/// A binary operator outside any `const` context: the whole expression and its operands.
struct BinarySite {
    expr: Range<usize>,
    left: Range<usize>,
    right: Range<usize>,
}

/// A unary `!` or `-` outside any `const` context.
struct UnarySite {
    expr: Range<usize>,
    operand: Range<usize>,
}

/// A match arm outside any `const` context.
struct ArmSite {
    /// Where its pattern ends (before the guard, if any).
    pat_end: usize,
    /// Its guard expression.
    guard: Option<Range<usize>>,
}

/// The places of a file where a switch can go, by the span a mutant gives.
#[derive(Default)]
struct Sites {
    /// Operator span to site.
    binaries: HashMap<(usize, usize), BinarySite>,
    /// Operator span to site.
    unaries: HashMap<(usize, usize), UnarySite>,
    /// Guard expression spans.
    guards: HashMap<(usize, usize), Range<usize>>,
    /// Arm start (its first attribute or its pattern) to site.
    arms: HashMap<usize, ArmSite>,
    /// Inside a `const` context (`const fn`, `const`/`static` initialisers, array lengths,
    /// const generic arguments, enum discriminants): a run-time switch cannot go there.
    in_const: u32,
}

impl Sites {
    /// The sites of `text`, `None` when it does not parse.
    fn of(text: &str) -> Option<Sites> {
        let mut sites = Sites::default();
        sites.visit_file(&syn::parse_str::<syn::File>(&parsable(text)).ok()?);
        Some(sites)
    }

    fn constant<T>(&mut self, node: &T, visit: impl FnOnce(&mut Self, &T)) {
        self.in_const += 1;
        visit(self, node);
        self.in_const -= 1;
    }

    /// A function body is a run-time context unless the function is `const`, whatever holds it.
    fn function<T>(&mut self, is_const: bool, node: &T, visit: impl FnOnce(&mut Self, &T)) {
        let outer = std::mem::replace(&mut self.in_const, u32::from(is_const));
        visit(self, node);
        self.in_const = outer;
    }
}

/// `text` with a byte-order mark and a `#!` line blanked, as `syn::parse_file` skips them, so
/// that spans are byte offsets of the original.
fn parsable(text: &str) -> String {
    let mut out = text.to_owned();
    if out.starts_with('\u{feff}') {
        out.replace_range(..3, "   ");
    }
    if out.starts_with("#!") && !out[2..].trim_start().starts_with('[') {
        let end = out.find('\n').unwrap_or(out.len());
        out.replace_range(..end, &" ".repeat(end));
    }
    out
}

fn range(span: Span) -> Range<usize> {
    span.byte_range()
}

/// Whether `e` is (part of) a `let` chain: its `&&` cannot become a `match`.
fn has_let(e: &syn::ExprBinary) -> bool {
    let operand = |e: &Expr| match e {
        Expr::Let(_) => true,
        Expr::Binary(b) => has_let(b),
        _ => false,
    };
    matches!(e.op, syn::BinOp::And(_)) && (operand(&e.left) || operand(&e.right))
}

impl<'ast> Visit<'ast> for Sites {
    fn visit_expr_binary(&mut self, e: &'ast syn::ExprBinary) {
        if self.in_const == 0 && !has_let(e) {
            let op = range(e.op.span());
            self.binaries.insert(
                (op.start, op.end),
                BinarySite {
                    expr: range(e.span()),
                    left: range(e.left.span()),
                    right: range(e.right.span()),
                },
            );
        }
        visit::visit_expr_binary(self, e);
    }

    fn visit_expr_unary(&mut self, e: &'ast syn::ExprUnary) {
        if self.in_const == 0 && matches!(e.op, UnOp::Not(_) | UnOp::Neg(_)) {
            let op = range(e.op.span());
            self.unaries.insert(
                (op.start, op.end),
                UnarySite {
                    expr: range(e.span()),
                    operand: range(e.expr.span()),
                },
            );
        }
        visit::visit_expr_unary(self, e);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        if self.in_const == 0 {
            let (pat, guard) = match &arm.pat {
                syn::Pat::Guard(g) => (range(g.pat.span()), Some(range(g.guard.span()))),
                pat => (range(pat.span()), None),
            };
            if let Some(g) = &guard {
                self.guards.insert((g.start, g.end), g.clone());
            }
            let starts = arm.attrs.first().map(|a| range(a.span()).start);
            for start in starts.into_iter().chain([pat.start]) {
                let site = ArmSite {
                    pat_end: pat.end,
                    guard: guard.clone(),
                };
                self.arms.insert(start, site);
            }
        }
        visit::visit_arm(self, arm);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.function(f.sig.constness.is_some(), f, |s, f| {
            visit::visit_item_fn(s, f)
        });
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.function(f.sig.constness.is_some(), f, |s, f| {
            visit::visit_impl_item_fn(s, f)
        });
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.function(f.sig.constness.is_some(), f, |s, f| {
            visit::visit_trait_item_fn(s, f)
        });
    }

    fn visit_item_const(&mut self, i: &'ast syn::ItemConst) {
        self.constant(i, |s, i| visit::visit_item_const(s, i));
    }

    fn visit_item_static(&mut self, i: &'ast syn::ItemStatic) {
        self.constant(i, |s, i| visit::visit_item_static(s, i));
    }

    fn visit_impl_item_const(&mut self, i: &'ast syn::ImplItemConst) {
        self.constant(i, |s, i| visit::visit_impl_item_const(s, i));
    }

    fn visit_trait_item_const(&mut self, i: &'ast syn::TraitItemConst) {
        self.constant(i, |s, i| visit::visit_trait_item_const(s, i));
    }

    fn visit_expr_const(&mut self, e: &'ast syn::ExprConst) {
        self.constant(e, |s, e| visit::visit_expr_const(s, e));
    }

    fn visit_type_array(&mut self, t: &'ast syn::TypeArray) {
        self.constant(t, |s, t| visit::visit_type_array(s, t));
    }

    fn visit_expr_repeat(&mut self, e: &'ast syn::ExprRepeat) {
        self.visit_expr(&e.expr);
        self.constant(&*e.len, |s, len| s.visit_expr(len));
    }

    fn visit_variant(&mut self, v: &'ast syn::Variant) {
        self.constant(v, |s, v| visit::visit_variant(s, v));
    }

    fn visit_generic_argument(&mut self, g: &'ast syn::GenericArgument) {
        self.constant(g, |s, g| visit::visit_generic_argument(s, g));
    }
}

/// How an operator uses its operands, which decides its schema form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OpClass {
    /// `&&`, `||`: the right operand is evaluated only as needed.
    Lazy,
    /// `==`, `<`, ...: operands borrowed.
    Compare,
    /// `+=`, `<<=`, ...: a place and a value.
    Assign,
    /// `+`, `&`, `<<`, ...: operands by value.
    Value,
}

fn op_class(op: &str) -> Option<OpClass> {
    Some(match op {
        "&&" | "||" => OpClass::Lazy,
        "==" | "!=" | "<" | "<=" | ">" | ">=" => OpClass::Compare,
        "+=" | "-=" | "*=" | "/=" | "%=" | "^=" | "&=" | "|=" | "<<=" | ">>=" => OpClass::Assign,
        "+" | "-" | "*" | "/" | "%" | "^" | "&" | "|" | "<<" | ">>" => OpClass::Value,
        _ => return None,
    })
}

/// Text of the switch of `id` choosing a branch: `if on(id) `.
fn when(id: usize) -> Piece {
    Piece::Text(format!("if {} ", on(id)))
}

fn text(s: impl Into<String>) -> Piece {
    Piece::Text(s.into())
}

/// The edit of an operator's expression: a guard that is the same expression holds it.
fn expression(range: Range<usize>, pieces: Vec<Piece>, ids: Vec<usize>) -> Edit {
    let mut edit = Edit::new(range, pieces, ids);
    edit.rank = 2;
    edit
}

/// The schema of the mutants `group` of one binary operator (replacements of the same class
/// as the operator; the others are left for builds of their own).
fn binary(source: &str, site: &BinarySite, group: &[(usize, &str)]) -> Option<Placed> {
    let op = source.get(site.left.end..site.right.start)?.trim();
    let class = op_class(op)?;
    let (fits, rest): (Vec<_>, Vec<_>) = group
        .iter()
        .partition(|(_, r)| op_class(r.trim()) == Some(class) && r.trim() != op);
    let (fits, mut rest): (Vec<(usize, &str)>, Vec<usize>) =
        (fits, rest.iter().map(|(id, _)| *id).collect());
    let (l, r) = (
        Piece::Hole(site.left.clone()),
        Piece::Hole(site.right.clone()),
    );
    let mut pieces = Vec::new();
    let ids: Vec<usize> = match class {
        OpClass::Lazy => {
            let (&(id, _), others) = fits.split_first()?;
            rest.extend(others.iter().map(|(id, _)| *id));
            let cmp = if op == "&&" { "==" } else { "!=" };
            pieces.extend([
                text("(match ("),
                l,
                text(") { __truecov_l => if __truecov_l "),
            ]);
            pieces.push(Piece::Mutant(id, format!("{cmp} {}", on(id))));
            pieces.extend([text(" { __truecov_l } else { "), r, text(" } })")]);
            vec![id]
        }
        OpClass::Assign => {
            pieces.extend([text("(match ("), r, text(") { __truecov_r => ")]);
            for &(id, repl) in &fits {
                pieces.extend([when(id), text("{ "), l.clone()]);
                pieces.push(Piece::Mutant(id, format!(" {} __truecov_r", repl.trim())));
                pieces.push(text(" } else "));
            }
            pieces.extend([text("{ "), l, text(format!(" {op} __truecov_r }} }})"))]);
            fits.iter().map(|(id, _)| *id).collect()
        }
        OpClass::Compare | OpClass::Value => {
            let (open, sep, deref) = match class {
                OpClass::Compare => ("(match (&(", "), &(", "*"),
                _ => ("(match ((", "), (", ""),
            };
            pieces.extend([text(open), l, text(sep), r]);
            pieces.push(text(")) { (__truecov_l, __truecov_r) => "));
            for &(id, repl) in &fits {
                pieces.push(when(id));
                let branch = format!(
                    "{{ {deref}__truecov_l {} {deref}__truecov_r }}",
                    repl.trim()
                );
                pieces.extend([Piece::Mutant(id, branch), text(" else ")]);
            }
            pieces.push(text(format!(
                "{{ {deref}__truecov_l {op} {deref}__truecov_r }} }})"
            )));
            fits.iter().map(|(id, _)| *id).collect()
        }
    };
    if ids.is_empty() {
        return None;
    }
    Some((expression(site.expr.clone(), pieces, ids), rest))
}

/// The schema of the mutants of one unary operator (each replaces the operator, usually by
/// nothing).
fn unary(source: &str, site: &UnarySite, group: &[(usize, &str)]) -> Placed {
    let op = source[site.expr.start..site.operand.start].trim();
    let mut pieces = vec![
        text("(match ("),
        Piece::Hole(site.operand.clone()),
        text(") { __truecov_v => "),
    ];
    for &(id, repl) in group {
        pieces.push(when(id));
        pieces.push(Piece::Mutant(
            id,
            format!("{{ {}__truecov_v }}", repl.trim()),
        ));
        pieces.push(text(" else "));
    }
    pieces.push(text(format!("{{ {op}__truecov_v }} }})")));
    let ids = group.iter().map(|(id, _)| *id).collect();
    (expression(site.expr.clone(), pieces, ids), Vec::new())
}

/// The schema of the replacements of one match guard.
fn guard(expr: &Range<usize>, group: &[(usize, &str)]) -> Placed {
    let mut pieces = vec![text("(")];
    for &(id, repl) in group {
        pieces.push(when(id));
        pieces.push(Piece::Mutant(id, format!("{{ {} }}", repl.trim())));
        pieces.push(text(" else "));
    }
    pieces.extend([text("{ "), Piece::Hole(expr.clone()), text(" })")]);
    let ids = group.iter().map(|(id, _)| *id).collect();
    let mut edit = Edit::new(expr.clone(), pieces, ids);
    // An arm's deletion wraps its guard, the guard's mutants wrap the guard's expression.
    edit.rank = 1;
    (edit, Vec::new())
}

/// The schema of a match arm's deletion: the arm stops matching when its mutant is on.
fn arm(site: &ArmSite, group: &[(usize, &str)]) -> Option<Placed> {
    let (&(id, _), others) = group.split_first()?;
    let rest = others.iter().map(|(id, _)| *id).collect();
    let off = format!("!{}", on(id));
    let edit = match &site.guard {
        None => Edit::replace(site.pat_end..site.pat_end, id, &format!(" if {off}")),
        Some(g) => Edit::new(
            g.clone(),
            vec![
                Piece::Mutant(id, format!("{off} && ")),
                text("("),
                Piece::Hole(g.clone()),
                text(")"),
            ],
            vec![id],
        ),
    };
    Some((edit, rest))
}

#[cfg(test)]
mod tests {
    use super::super::schema::apply;
    use super::*;
    use proptest::prelude::*;

    fn mutant(genre: MutantGenre, start: usize, end: usize, replacement: &str) -> Mutant {
        Mutant {
            package: "p".into(),
            file: "src/lib.rs".into(),
            start,
            end,
            replacement: replacement.into(),
            genre,
            guardable: true,
            boxed: None,
            tests: vec![0],
        }
    }

    /// The schematised text of `source` with `mutants` numbered from 1, and the unswitched ones.
    fn schematise(source: &str, mutants: &[Mutant]) -> (String, Vec<usize>) {
        let numbered: Vec<(usize, &Mutant)> = mutants
            .iter()
            .enumerate()
            .map(|(i, m)| (i + 1, m))
            .collect();
        let (edits, own) = schema_edits(source, &numbered);
        let (text, _, dropped) = apply(source, &edits);
        assert!(dropped.is_empty(), "{dropped:?}");
        (text.replace("crate::__truecov_mutants::active", "on"), own)
    }

    fn op(source: &str, genre: MutantGenre, op: &str, nth: usize, repl: &str) -> Mutant {
        let start = source.match_indices(op).nth(nth).unwrap().0;
        mutant(genre, start, start + op.len(), repl)
    }

    #[test]
    fn an_operator_is_switched_on_its_operands_and_nested_mutants_stay_inside_them() {
        let src = "fn f(a: u8, b: u8) -> bool { a + 1 < b }";
        let mutants = [
            op(src, MutantGenre::BinaryOperator, "<", 0, "<="),
            op(src, MutantGenre::BinaryOperator, "<", 0, "=="),
            op(src, MutantGenre::BinaryOperator, "+", 0, "-"),
        ];
        let (text, own) = schematise(src, &mutants);
        assert!(own.is_empty());
        assert_eq!(
            text,
            "fn f(a: u8, b: u8) -> bool { (match (&((match ((a), (1)) { (__truecov_l, \
             __truecov_r) => if on(3) { __truecov_l - __truecov_r } else { __truecov_l + \
             __truecov_r } })), &(b)) { (__truecov_l, __truecov_r) => if on(1) { *__truecov_l \
             <= *__truecov_r } else if on(2) { *__truecov_l == *__truecov_r } else { \
             *__truecov_l < *__truecov_r } }) }"
        );
    }

    #[test]
    fn lazy_operators_keep_their_right_operand_lazy() {
        let src = "fn f(a: bool, b: bool) -> bool { a && b || !a }";
        let mutants = [
            op(src, MutantGenre::BinaryOperator, "&&", 0, "||"),
            op(src, MutantGenre::BinaryOperator, "||", 0, "&&"),
            op(src, MutantGenre::UnaryOperator, "!", 0, ""),
        ];
        let (text, own) = schematise(src, &mutants);
        assert!(own.is_empty());
        assert!(text.contains(
            "(match ((match (a) { __truecov_l => if __truecov_l == on(1) { __truecov_l } else \
             { b } })) { __truecov_l => if __truecov_l != on(2) { __truecov_l } else { (match \
             (a) { __truecov_v => if on(3) { __truecov_v } else { !__truecov_v } }) } })"
        ));
    }

    #[test]
    fn compound_assignments_bind_the_value_and_keep_the_place() {
        let src = "fn f(x: &mut u8) { *x += 2; }";
        let (text, _) = schematise(src, &[op(src, MutantGenre::BinaryOperator, "+=", 0, "-=")]);
        assert_eq!(
            text,
            "fn f(x: &mut u8) { (match (2) { __truecov_r => if on(1) { *x -= __truecov_r } \
             else { *x += __truecov_r } }); }"
        );
    }

    #[test]
    fn guards_and_deleted_arms_are_switched_in_the_arm() {
        let src = "fn f(x: u8) -> u8 { match x { 0 => 1, n if n > 5 => 2, _ => 3 } }";
        let guard = src.find("n > 5").unwrap();
        let arm0 = src.find("0 =>").unwrap();
        let arm1 = src.find("n if").unwrap();
        let mutants = [
            mutant(MutantGenre::MatchArmGuard, guard, guard + 5, "true"),
            mutant(MutantGenre::MatchArm, arm0, arm0 + 6, ""),
            mutant(MutantGenre::MatchArm, arm1, arm1 + 16, ""),
            mutant(MutantGenre::BinaryOperator, guard + 2, guard + 3, "<"),
        ];
        let (text, own) = schematise(src, &mutants);
        assert!(own.is_empty(), "{own:?}");
        assert_eq!(
            text,
            "fn f(x: u8) -> u8 { match x { 0 if !on(2) => 1, n if !on(3) && ((if on(1) { true } \
             else { (match (&(n), &(5)) { (__truecov_l, __truecov_r) => if on(4) { *__truecov_l \
             < *__truecov_r } else { *__truecov_l > *__truecov_r } }) })) => 2, _ => 3 } }"
        );
    }

    #[test]
    fn const_contexts_macros_let_chains_and_struct_fields_are_built_on_their_own() {
        let src = "const N: usize = 1 + 2;\nconst fn g(x: u8) -> u8 { x * 2 }\n\
                   fn f(o: Option<u8>, v: [u8; 3 - 1]) -> bool { assert!(1 < 2); \
                   let _ = [0u8; 4 - 1]; if let Some(x) = o && x > 1 { true } else { 2 > 1 } }";
        let mutants = [
            op(src, MutantGenre::BinaryOperator, "+", 0, "-"),
            op(src, MutantGenre::BinaryOperator, "*", 0, "+"),
            op(src, MutantGenre::BinaryOperator, "-", 0, "+"),
            op(src, MutantGenre::BinaryOperator, "<", 0, ">"),
            op(src, MutantGenre::BinaryOperator, "-", 1, "+"),
            op(src, MutantGenre::BinaryOperator, "&&", 0, "||"),
            op(src, MutantGenre::StructField, "true", 0, ""),
            op(src, MutantGenre::BinaryOperator, "> 1", 0, "<"),
            op(src, MutantGenre::BinaryOperator, "> 1", 1, "<"),
        ];
        let mutants: Vec<Mutant> = mutants
            .into_iter()
            .map(|mut m| {
                m.end = m.start
                    + if m.genre == MutantGenre::StructField {
                        4
                    } else {
                        1 + (m.replacement == "||") as usize
                    };
                m
            })
            .collect();
        let (text, own) = schematise(src, &mutants);
        assert_eq!(own, [1, 2, 3, 4, 5, 6, 7]);
        assert!(text.contains("o && (match (&(x), &(1))") && text.contains("(match (&(2), &(1))"));
    }

    #[test]
    fn a_function_value_is_a_guard_and_a_span_that_is_no_operator_is_its_own_build() {
        let src = "fn f() -> u8 { g() }";
        let body = src.find("g()").unwrap();
        let (text, own) = schematise(
            src,
            &[
                mutant(MutantGenre::FnValue, body, body + 4, "0"),
                mutant(MutantGenre::BinaryOperator, body, body + 1, "+"),
            ],
        );
        assert_eq!(text, "fn f() -> u8 { if on(1) { return 0; } g() }");
        assert_eq!(own, [2]);
    }

    /// A random expression over `a`, `b` and literals, with the byte span of each binary
    /// operator in it.
    #[derive(Clone, Debug)]
    enum Tree {
        Leaf(&'static str),
        Not(Box<Tree>),
        Bin(Box<Tree>, &'static str, Box<Tree>),
    }

    const OPS: [&str; 12] = [
        "+", "-", "*", "<", "<=", "==", "&&", "||", "&", "|", "<<", "%",
    ];

    fn tree() -> impl Strategy<Value = Tree> {
        let leaf = prop::sample::select(vec!["a", "b", "1", "x.len()", "(a)"]).prop_map(Tree::Leaf);
        leaf.prop_recursive(5, 40, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|t| Tree::Not(Box::new(t))),
                (inner.clone(), prop::sample::select(OPS.to_vec()), inner)
                    .prop_map(|(l, op, r)| Tree::Bin(Box::new(l), op, Box::new(r))),
            ]
        })
    }

    /// Writes `t` (binary operands parenthesised where needed) and collects operator spans.
    fn write(t: &Tree, out: &mut String, ops: &mut Vec<(MutantGenre, usize, &'static str)>) {
        match t {
            Tree::Leaf(s) => out.push_str(s),
            Tree::Not(inner) => {
                ops.push((MutantGenre::UnaryOperator, out.len(), "!"));
                out.push_str("!(");
                write(inner, out, ops);
                out.push(')');
            }
            Tree::Bin(l, op, r) => {
                out.push('(');
                write(l, out, ops);
                out.push(' ');
                ops.push((MutantGenre::BinaryOperator, out.len(), op));
                out.push_str(op);
                out.push(' ');
                write(r, out, ops);
                out.push(')');
            }
        }
    }

    proptest! {
        #[test]
        fn schematised_nested_operator_mutants_still_parse(
            t in tree(),
            picks in prop::collection::vec((any::<bool>(), prop::sample::select(OPS.to_vec())), 0..40),
        ) {
            let mut body = String::new();
            let mut ops = Vec::new();
            write(&t, &mut body, &mut ops);
            let prefix = "fn f(a: u8, b: u8, x: &[u8]) -> u8 { ";
            let src = format!("{prefix}{body} }}");
            let mut mutants = Vec::new();
            for ((genre, at, op), (take, repl)) in ops.iter().zip(picks.iter().cycle()) {
                if *take {
                    let repl = if *genre == MutantGenre::UnaryOperator { "" } else { *repl };
                    mutants.push(mutant(*genre, prefix.len() + at, prefix.len() + at + op.len(), repl));
                }
            }
            let numbered: Vec<(usize, &Mutant)> = mutants.iter().enumerate().map(|(i, m)| (i + 1, m)).collect();
            let (edits, own) = schema_edits(&src, &numbered);
            let (text, placed, dropped) = apply(&src, &edits);
            prop_assert!(dropped.is_empty());
            prop_assert!(syn::parse_file(&text).is_ok(), "{}", text);
            for (id, m) in &numbered {
                let switched = placed.iter().any(|(p, _)| p == id);
                let same_class = op_class(m.replacement.trim()) == op_class(&src[m.start..m.end])
                    && m.replacement != src[m.start..m.end];
                let expected = m.genre == MutantGenre::UnaryOperator || same_class;
                prop_assert_eq!(switched, !own.contains(id));
                if !expected {
                    prop_assert!(own.contains(id), "mutant {} {:?} should be its own build", id, m);
                }
            }
        }
    }
}
