//! What a mutant is to the engine: a byte range of a file, what replaces it, and the tests to run.

use truecov_model::MutantGenre;

/// One mutant to try: bytes `start..end` of a file replaced by `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mutant {
    /// Cargo package of the file.
    pub package: String,
    /// Workspace-relative file.
    pub file: String,
    /// Byte offset where the replaced text starts; for a function's value, the body's first
    /// statement.
    pub start: usize,
    /// Byte offset where the replaced text ends; for a function's value, the body's closing
    /// brace.
    pub end: usize,
    /// The text put in place of `start..end`: a value for a body, an operator for an
    /// operator, `true`/`false` for a guard, nothing for a deletion.
    pub replacement: String,
    /// What kind of change it is, which decides how it is switched in the schema.
    pub genre: MutantGenre,
    /// For a function's value: an early `return VALUE;` is the same mutant as the replaced
    /// body (see `truecov_analyzer::FunctionFacts::guardable`).
    pub guardable: bool,
    /// For a function's value that is not guardable: the type its function's values can all
    /// be boxed into (see `truecov_analyzer::FunctionFacts::boxed`), so that its
    /// function's mutants share one build.
    pub boxed: Option<String>,
    /// The tests that execute it (indexes into the tests given to [`prove`]), in the order to
    /// run them; none makes it `not_covered`.
    pub tests: Vec<usize>,
}
