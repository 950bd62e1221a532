//! Error-path sites of a library function (docs/error-paths.md): `?`, `return Err`, `Err`
//! in tail or match-arm position, `return None` / tail `None` in `Option` functions, and the
//! failing macros.

use crate::body::macros::parse_exprs;
use crate::source::SourceFile;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ReturnType};
use truecov_model::{ErrorSite, SiteKind};

/// Finds the error-path sites of a function body, in source order.
pub(crate) fn error_sites(
    sig: &syn::Signature,
    block: &Block,
    file: &SourceFile,
) -> Vec<ErrorSite> {
    let mut finder = Finder {
        file,
        returns_option: returns_type(sig, "Option"),
        sites: Vec::new(),
    };
    finder.visit_block(block);
    if let Some(tail) = tail_expr(block) {
        finder.tail(tail);
    }
    finder.sites.sort_by_key(|s| (s.start, s.kind));
    finder.sites.dedup_by_key(|s| (s.start, s.kind));
    finder.sites
}

/// Whether the function's declared return type's last path segment is `name`.
pub(crate) fn returns_type(sig: &syn::Signature, name: &str) -> bool {
    match &sig.output {
        ReturnType::Type(_, ty) => match &**ty {
            syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == name),
            _ => false,
        },
        ReturnType::Default => false,
    }
}

fn tail_expr(block: &Block) -> Option<&Expr> {
    match block.stmts.last() {
        Some(syn::Stmt::Expr(e, None)) => Some(e),
        _ => None,
    }
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        Expr::Block(b) if b.block.stmts.len() == 1 => match tail_expr(&b.block) {
            Some(inner) => strip(inner),
            None => e,
        },
        other => other,
    }
}

fn is_ctor(e: &Expr, name: &str) -> bool {
    match strip(e) {
        Expr::Call(c) => {
            matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
        }
        _ => false,
    }
}

fn is_none(e: &Expr) -> bool {
    matches!(strip(e), Expr::Path(p) if p.path.is_ident("None"))
}

fn macro_site(name: &str) -> Option<SiteKind> {
    Some(match name {
        "panic" => SiteKind::Panic,
        "unreachable" => SiteKind::Invariant,
        n if n.starts_with("debug_assert") => SiteKind::Invariant,
        "unimplemented" => SiteKind::Unimplemented,
        "todo" => SiteKind::Todo,
        "bail" => SiteKind::Bail,
        "ensure" => SiteKind::Ensure,
        n if n.starts_with("assert") => SiteKind::Assert,
        _ => return None,
    })
}

/// Macros whose arguments are ordinary expressions that may hold `?`.
fn walks_args(name: &str) -> bool {
    matches!(
        name,
        "format"
            | "write"
            | "writeln"
            | "println"
            | "print"
            | "eprintln"
            | "eprint"
            | "vec"
            | "format_args"
            | "dbg"
            | "matches"
    )
}

struct Finder<'a> {
    file: &'a SourceFile,
    returns_option: bool,
    sites: Vec<ErrorSite>,
}

impl Finder<'_> {
    fn push(&mut self, kind: SiteKind, span: Span) {
        let (start, end) = (span.start(), span.end());
        self.sites.push(ErrorSite {
            kind,
            start: self.file.pos(start),
            end: self.file.pos(end),
            text: self.file.snippet(start, end),
        });
    }

    /// Sites in tail position: `Err(..)` / `None` as the function's value, through `if`,
    /// `match` and blocks.
    fn tail(&mut self, e: &Expr) {
        match strip(e) {
            e2 if is_ctor(e2, "Err") => self.push(SiteKind::ErrTail, e2.span()),
            e2 if self.returns_option && is_none(e2) => self.push(SiteKind::NoneTail, e2.span()),
            Expr::If(i) => {
                if let Some(t) = tail_expr(&i.then_branch) {
                    self.tail(t);
                }
                if let Some((_, else_branch)) = &i.else_branch {
                    self.tail(else_branch);
                }
            }
            Expr::Match(m) => m.arms.iter().for_each(|a| self.tail(&a.body)),
            Expr::Block(b) => {
                if let Some(t) = tail_expr(&b.block) {
                    self.tail(t);
                }
            }
            Expr::Unsafe(u) => {
                if let Some(t) = tail_expr(&u.block) {
                    self.tail(t);
                }
            }
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item(&mut self, _: &'ast syn::Item) {
        // Nested items are functions of their own.
    }

    fn visit_expr_try(&mut self, t: &'ast syn::ExprTry) {
        self.push(SiteKind::QuestionMark, t.question_token.span);
        visit::visit_expr_try(self, t);
    }

    fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
        if let Some(value) = &r.expr {
            if is_ctor(value, "Err") {
                self.push(SiteKind::ReturnErr, r.span());
            } else if self.returns_option && is_none(value) {
                self.push(SiteKind::ReturnNone, r.span());
            }
        }
        visit::visit_expr_return(self, r);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        if is_ctor(&arm.body, "Err") {
            self.push(SiteKind::ErrTail, strip(&arm.body).span());
        }
        visit::visit_arm(self, arm);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = crate::body::taint::last_segment(&mac.path);
        if let Some(kind) = macro_site(&name) {
            let span = mac
                .path
                .span()
                .join(mac.delimiter.span().close())
                .unwrap_or_else(|| mac.path.span());
            self.push(kind, span);
        } else if walks_args(&name) {
            if let Some(args) = parse_exprs(&mac.tokens) {
                args.iter().for_each(|a| self.visit_expr(a));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(src: &str) -> Vec<(SiteKind, u32)> {
        let file = SourceFile::parse("x.rs".into(), "x.rs".into(), src.into()).unwrap();
        let syn::Item::Fn(f) = &file.ast.items[0] else {
            panic!("not a fn")
        };
        error_sites(&f.sig, &f.block, &file)
            .into_iter()
            .map(|s| (s.kind, s.start.line))
            .collect()
    }

    #[test]
    fn question_marks_returns_and_tails() {
        let src = "fn f(x: &str) -> Result<u8, E> {\n    let n = x.parse::<u8>()?;\n    if n == 0 {\n        return Err(E::Zero);\n    }\n    match n {\n        1 => Err(E::One),\n        _ => Ok(n),\n    }\n}\n";
        assert_eq!(
            sites(src),
            [
                (SiteKind::QuestionMark, 2),
                (SiteKind::ReturnErr, 4),
                (SiteKind::ErrTail, 7)
            ]
        );
    }

    #[test]
    fn question_mark_column_points_at_the_operator() {
        let file = SourceFile::parse(
            "x.rs".into(),
            "x.rs".into(),
            "fn f() -> Option<u8> { let v = g()?; Some(v) }".into(),
        )
        .unwrap();
        let syn::Item::Fn(f) = &file.ast.items[0] else {
            panic!("not a fn")
        };
        let s = &error_sites(&f.sig, &f.block, &file)[0];
        assert_eq!((s.start.col, s.end.col), (35, 36));
        assert_eq!(s.text, "?");
    }

    #[test]
    fn option_none_in_tail_and_return_only_for_option_functions() {
        let src = "fn f(v: &[u8]) -> Option<u8> {\n    if v.is_empty() {\n        return None;\n    }\n    if v[0] > 3 { Some(v[0]) } else { None }\n}\n";
        assert_eq!(
            sites(src),
            [(SiteKind::ReturnNone, 3), (SiteKind::NoneTail, 5)]
        );
        let not_option = "fn g() -> Vec<Option<u8>> {\n    vec![None]\n}\n";
        assert!(sites(not_option).is_empty());
    }

    #[test]
    fn failing_macros_and_closures_count_nested_fns_do_not() {
        let src = "fn f(xs: &[&str]) -> Result<Vec<u8>, E> {\n    assert!(!xs.is_empty());\n    debug_assert_eq!(xs.len(), 1);\n    let v = xs.iter().map(|x| x.parse::<u8>()).collect::<Result<Vec<_>, _>>().map_err(|_| E::Bad);\n    fn inner() -> Result<(), E> { Err(E::Bad) }\n    if v.is_err() { unreachable!(\"checked\") }\n    todo!()\n}\n";
        assert_eq!(
            sites(src),
            [
                (SiteKind::Assert, 2),
                (SiteKind::Invariant, 3),
                (SiteKind::Invariant, 6),
                (SiteKind::Todo, 7)
            ]
        );
    }

    #[test]
    fn question_marks_inside_format_macros_are_found() {
        let src =
            "fn f(w: &mut String) -> Result<(), E> {\n    println!(\"{}\", g()?);\n    Ok(())\n}\n";
        assert_eq!(sites(src), [(SiteKind::QuestionMark, 2)]);
    }
}
