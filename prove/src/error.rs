//! Why `prove` could not run.

use truecov_coverage::mutate::MutateError;

/// Why `prove` could not run.
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
    /// Names or files were given and no library function matches them.
    #[error("no library function matches the --function and --file given")]
    NoMatch,
    /// The mutants could not be built or run.
    #[error(transparent)]
    Mutate(#[from] MutateError),
}
