//! What a check in a test is, whether a macro or a function of the catalogue makes it: its
//! [`Role`], the comparison it makes, or its fixed meaning.

/// What a macro does, as far as oracles go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// `assert!(cond, ..)`: the first argument is a boolean condition.
    Bool,
    /// `assert_eq!(a, b, ..)` and friends: compares the first two arguments with `op`.
    Compare(CmpOp),
    /// `assert_matches!(expr, pattern)`.
    Pattern,
    /// Single-argument claims with a fixed meaning (`assert_ok!`, `assert_err!`).
    Fixed(Fixed),
    /// insta snapshots and other value-recording assertions.
    Snapshot,
    /// Another assertion macro (by name or by configuration).
    OtherAssert,
    /// A check the compiler makes (`static_assertions`): nothing is checked at run time.
    CompileTime,
    /// `panic!`, `unreachable!`: the test fails when reached.
    Fail,
    /// `todo!`, `unimplemented!`: fails, but checks nothing.
    Inert,
    /// Printers and builders whose arguments are ordinary expressions.
    Walk,
    /// Anything else.
    Unknown,
}

/// Comparison of an assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator of a binary expression, when it is a comparison.
    pub(crate) fn of(op: &syn::BinOp) -> Option<CmpOp> {
        Some(match op {
            syn::BinOp::Eq(_) => CmpOp::Eq,
            syn::BinOp::Ne(_) => CmpOp::Ne,
            syn::BinOp::Lt(_) => CmpOp::Lt,
            syn::BinOp::Le(_) => CmpOp::Le,
            syn::BinOp::Gt(_) => CmpOp::Gt,
            syn::BinOp::Ge(_) => CmpOp::Ge,
            _ => return None,
        })
    }

    /// The comparison that is true exactly when this one is false.
    pub(crate) fn complement(self) -> CmpOp {
        match self {
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Le => CmpOp::Gt,
        }
    }
}

/// Claims-style assertions whose meaning does not depend on their argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fixed {
    /// `assert_ok!`, `assert_some!`: only "it did not fail".
    Smoke,
    /// `assert_err!`, `assert_none!`: a failure must happen.
    Error,
    /// `assert_ok_eq!`, `assert_some_eq!`, `assert_pending!`: checks a value.
    Value,
}
