//! Which mutants to make, as `.cargo/mutants.toml` says (or cargo-mutants' defaults).

/// What `.cargo/mutants.toml` (or its defaults) says about which mutants to make.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// `error_values`: each makes an `Err(..)` of every `Result`-returning body.
    pub(crate) error_values: Vec<syn::Expr>,
    /// `skip_calls`: the arguments of calls to these functions and methods are not mutated.
    pub(crate) skip_calls: Vec<String>,
    /// `examine_re`: only mutants whose name matches one.
    pub(crate) examine_re: Option<regex::RegexSet>,
    /// `exclude_re`: no mutant whose name matches one.
    pub(crate) exclude_re: Option<regex::RegexSet>,
    /// `examine_globs`: only files matching one.
    pub(crate) examine_globs: Option<globset::GlobSet>,
    /// `exclude_globs`: no file matching one.
    pub(crate) exclude_globs: Option<globset::GlobSet>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            error_values: Vec::new(),
            skip_calls: vec!["with_capacity".into()],
            examine_re: None,
            exclude_re: None,
            examine_globs: None,
            exclude_globs: None,
        }
    }
}

impl Options {
    /// Whether a mutant of this name is to be generated (`examine_re`, `exclude_re`).
    pub(crate) fn allows(&self, name: &str) -> bool {
        self.examine_re.as_ref().is_none_or(|r| r.is_match(name))
            && !self.exclude_re.as_ref().is_some_and(|r| r.is_match(name))
    }

    /// Whether the mutants of this workspace-relative file are generated (`examine_globs`,
    /// `exclude_globs`; its `mod` declarations are followed either way).
    pub(crate) fn allows_file(&self, rel: &str) -> bool {
        self.examine_globs.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude_globs.as_ref().is_some_and(|g| g.is_match(rel))
    }
}
