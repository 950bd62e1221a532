//! Loops that wait for the code under test: `while next() != expected {}` ends only when the
//! code gives the value the test wants, and `while !want.is_empty() { want.retain(..got..) }`
//! only when the code's answers have struck off every value the test set out to see. A wrong
//! answer hangs such a test, and the runner's timeout fails it: the loop is its oracle.

use crate::body::classify::strip;
use crate::body::taint::{idents_of, root_ident, Env, Taint};
use syn::visit::Visit;
use syn::{BinOp, Block, Expr, UnOp};

/// The goal of a `while` loop whose condition reads only the test's own data: the names it
/// reads, and whether the loop body has changed one of them with a value from the code under
/// test.
pub(crate) struct Goal {
    names: Vec<String>,
    struck: bool,
}

impl Goal {
    /// The goal of a loop with this condition, when the condition does not already depend on
    /// the code under test (`while let` and loops over the code's own state drive the code,
    /// they wait for nothing the test chose).
    pub(crate) fn of(cond: &Expr, env: &Env) -> Option<Goal> {
        if matches!(strip(cond), Expr::Let(_)) || env.taint(cond) == Taint::Touched {
            return None;
        }
        let names: Vec<String> = idents_of(cond)
            .into_iter()
            .filter(|n| env.get(n).is_some())
            .collect();
        (!names.is_empty()).then_some(Goal {
            names,
            struck: false,
        })
    }

    /// Notes a method call of the loop body: `want.retain(|w| *w != got)` on a name of the
    /// goal, with an argument that reads a value of the code under test, strikes it.
    pub(crate) fn observe(&mut self, m: &syn::ExprMethodCall, env: &Env) {
        let on_goal = root_ident(&m.receiver).is_some_and(|r| self.names.contains(&r));
        if on_goal && m.args.iter().any(|a| reads_code_value(a, env)) {
            self.struck = true;
        }
    }

    /// Whether the loop body changed the goal by the code's answers.
    pub(crate) fn struck(&self) -> bool {
        self.struck
    }
}

/// `while code() != expected {}`: the condition waits for the code under test to give a value
/// the test chose (one side from the code, the other not).
pub(crate) fn waits_for_value(cond: &Expr, env: &Env) -> bool {
    let unequal = match strip(cond) {
        Expr::Binary(b) if matches!(b.op, BinOp::Ne(_)) => Some((&*b.left, &*b.right)),
        Expr::Unary(u) if matches!(u.op, UnOp::Not(_)) => match strip(&u.expr) {
            Expr::Binary(b) if matches!(b.op, BinOp::Eq(_)) => Some((&*b.left, &*b.right)),
            _ => None,
        },
        _ => None,
    };
    unequal
        .is_some_and(|(l, r)| (env.taint(l) == Taint::Touched) != (env.taint(r) == Taint::Touched))
}

/// Whether an argument reads a binding the code under test produced (a closure: any binding
/// its body reads; its own parameters are not bindings of the test).
fn reads_code_value(arg: &Expr, env: &Env) -> bool {
    match strip(arg) {
        Expr::Closure(c) => idents_of(&c.body)
            .iter()
            .any(|n| env.get(n).is_some_and(|b| b.taint == Taint::Touched)),
        Expr::Lit(_) => false,
        other => idents_of(other)
            .iter()
            .any(|n| env.get(n).is_some_and(|b| b.taint == Taint::Touched)),
    }
}

/// Whether a loop body can leave the loop without the awaited value (`break`, `return`, `?`):
/// then the loop ends either way and waits for nothing.
pub(crate) fn leaves_early(body: &Block) -> bool {
    struct Exit(bool);
    impl<'a> Visit<'a> for Exit {
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Break(_) | Expr::Return(_) | Expr::Try(_) => self.0 = true,
                Expr::Closure(_) => {}
                _ => syn::visit::visit_expr(self, e),
            }
        }
    }
    let mut exit = Exit(false);
    exit.visit_block(body);
    exit.0
}
