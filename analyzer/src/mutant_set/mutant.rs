//! One mutant of the set: where it is, what replaces what, and what cargo-mutants calls it.

use truecov_model::{MutantGenre, Pos};

/// One mutant as cargo-mutants would generate it: a span of a file and the text put there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceMutant {
    /// Cargo package of the file.
    pub package: String,
    /// The scan's name of the innermost function the mutant is in (`account::Account::withdraw`;
    /// empty outside any function, e.g. in a `const` initializer).
    pub function: String,
    /// Workspace-relative file.
    pub file: String,
    /// 1-based line where the replaced text starts.
    pub line: u32,
    /// 1-based line where the replaced text ends (the body's last statement for `FnValue`).
    pub end_line: u32,
    /// 1-based column (in characters, as cargo-mutants counts) where the replaced text starts.
    pub column: u32,
    /// The same place with its column in bytes, as coverage regions count columns.
    pub pos: Pos,
    /// Byte offset in the file where the replaced text starts.
    pub start: usize,
    /// Byte offset in the file just past the replaced text.
    pub end: usize,
    /// The text put in place of `start..end` (for `FnValue`, the value and `start..end` the
    /// body's statements; empty for a deletion).
    pub replacement: String,
    /// cargo-mutants' genre of the change.
    pub genre: MutantGenre,
    /// cargo-mutants' name for it, `file:line:column: change [in function]`.
    pub name: String,
}
