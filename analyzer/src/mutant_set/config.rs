//! `.cargo/mutants.toml`, the keys of cargo-mutants' configuration that decide which mutants
//! exist: `examine_re`/`exclude_re` (regexes on mutant names), `examine_globs`/`exclude_globs`
//! (globs on files), `error_values` and `skip_calls`/`skip_calls_defaults`. Other keys are about
//! running them and are read by nobody here.

use super::options::Options;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::RegexSet;
use std::path::Path;
use truecov_model::Warning;

/// Where cargo-mutants reads its configuration, under the workspace root.
pub(crate) const FILE: &str = ".cargo/mutants.toml";

/// The options of the workspace at `root`: its `.cargo/mutants.toml` if there is one, else
/// cargo-mutants' defaults. A file that cannot be read or understood is an error naming it.
pub(crate) fn read(root: &Path) -> Result<Options, Warning> {
    let path = root.join(FILE);
    if !path.is_file() {
        return Ok(Options::default());
    }
    let fail = |message: String| Warning {
        file: FILE.to_string(),
        message,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| fail(format!("cannot read: {e}")))?;
    parse(&text).map_err(fail)
}

/// The options a `mutants.toml` text sets.
pub(crate) fn parse(text: &str) -> Result<Options, String> {
    let table: toml::Table = text.parse().map_err(|e| format!("not valid TOML: {e}"))?;
    let strings = |key: &str| -> Result<Vec<String>, String> {
        match table.get(key) {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("`{key}`: expected strings"))
                })
                .collect(),
            Some(_) => Err(format!("`{key}`: expected an array of strings")),
        }
    };
    let regexes = |key: &str| -> Result<Option<RegexSet>, String> {
        let patterns = strings(key)?;
        if patterns.is_empty() {
            return Ok(None);
        }
        RegexSet::new(&patterns)
            .map(Some)
            .map_err(|e| format!("`{key}`: {e}"))
    };
    let globs = |key: &str| -> Result<Option<GlobSet>, String> {
        glob_set(&strings(key)?).map_err(|e| format!("`{key}`: {e}"))
    };
    let error_values = strings("error_values")?
        .iter()
        .map(|v| {
            syn::parse_str::<syn::Expr>(v)
                .map_err(|e| format!("`error_values`: `{v}` is not an expression: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let defaults = match table.get("skip_calls_defaults") {
        None => true,
        Some(toml::Value::Boolean(b)) => *b,
        Some(_) => return Err("`skip_calls_defaults`: expected true or false".into()),
    };
    let mut skip_calls = strings("skip_calls")?;
    if defaults {
        skip_calls.push("with_capacity".into());
    }
    Ok(Options {
        error_values,
        skip_calls,
        examine_re: regexes("examine_re")?,
        exclude_re: regexes("exclude_re")?,
        examine_globs: globs("examine_globs")?,
        exclude_globs: globs("exclude_globs")?,
    })
}

/// cargo-mutants' reading of file globs: one with a `/` matches the whole workspace-relative
/// path, one without matches a file or directory name anywhere; `*` stops at `/`.
fn glob_set(globs: &[String]) -> Result<Option<GlobSet>, globset::Error> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let forms = if glob.contains('/') {
            vec![glob.clone()]
        } else {
            vec![format!("**/{glob}"), format!("**/{glob}/**")]
        };
        for form in forms {
            builder.add(GlobBuilder::new(&form).literal_separator(true).build()?);
        }
    }
    builder.build().map(Some)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn names_and_files_are_filtered_as_cargo_mutants_filters_them() {
        let o = parse(
            "exclude_re = [\"with false\"]\nexamine_globs = [\"src/*.rs\", \"parser\"]\nexclude_globs = [\"gen.rs\"]\ntimeout_multiplier = 3.0\n",
        )
        .unwrap();
        assert!(o.allows("src/lib.rs:1:1: replace f -> bool with true"));
        assert!(!o.allows("src/lib.rs:1:1: replace f -> bool with false"));
        assert!(o.allows_file("src/lib.rs"));
        assert!(!o.allows_file("src/a/lib.rs"), "`*` stops at `/`");
        assert!(
            o.allows_file("src/x/parser/mod.rs"),
            "a bare name matches a directory anywhere"
        );
        assert!(!o.allows_file("src/gen.rs"));
        let examine = parse("examine_re = [\"in parse$\"]").unwrap();
        assert!(examine.allows("src/lib.rs:2:5: replace < with > in parse"));
        assert!(!examine.allows("src/lib.rs:2:5: replace < with > in parse_x"));
    }

    #[test]
    fn skip_calls_and_error_values_are_read() {
        let o =
            parse("skip_calls = [\"reserve\"]\nerror_values = [\"anyhow!(\\\"m\\\")\"]").unwrap();
        assert_eq!(o.skip_calls, ["reserve", "with_capacity"]);
        assert_eq!(o.error_values.len(), 1);
        let off = parse("skip_calls_defaults = false").unwrap();
        assert!(off.skip_calls.is_empty());
    }

    #[test]
    fn bad_configuration_says_what_is_wrong() {
        for (text, says) in [
            ("exclude_re = [\"(\"]", "`exclude_re`"),
            ("exclude_re = \"x\"", "expected an array"),
            ("error_values = [\"let\"]", "not an expression"),
            ("skip_calls_defaults = 1", "true or false"),
            ("[unclosed", "not valid TOML"),
            ("examine_globs = [\"a[\"]", "`examine_globs`"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
