//! User configuration from `[workspace.metadata.truecov]` and `[package.metadata.truecov]`.

use serde::Deserialize;

/// Extra names the analyzer should know about. Package keys add to workspace keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Config {
    /// Macros that count as meaningful assertions (`verify`, `my_assert`), without `!`.
    pub assert_macros: Vec<String>,
    /// Functions whose call counts as a meaningful oracle (`my_crate::check`, `verify_all`);
    /// `assert-helpers` is the older spelling of the key.
    #[serde(alias = "assert-helpers")]
    pub assert_functions: Vec<String>,
    /// Extra attributes that mark a function as a test (`my_runtime::test`).
    pub test_attributes: Vec<String>,
    /// What to do with doctests (`scan` when unset).
    pub doctests: Option<Doctests>,
}

/// What `cargo truecov` does with doctests (`doctests = "ignore" | "scan" | "run"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Doctests {
    /// Not scanned, not run.
    Ignore,
    /// Scanned (named and judged), not run: the default on a stable toolchain.
    Scan,
    /// Scanned and run under coverage (needs a nightly toolchain).
    Run,
}

impl Config {
    /// Reads the `truecov` table of a cargo metadata value (`null` or missing means empty).
    pub fn from_metadata(metadata: &serde_json::Value) -> Result<Config, String> {
        match metadata.get("truecov") {
            None | Some(serde_json::Value::Null) => Ok(Config::default()),
            Some(table) => serde_json::from_value(table.clone())
                .map_err(|e| format!("invalid [metadata.truecov] table: {e}")),
        }
    }

    /// This configuration with `other`'s names added.
    pub fn merged(&self, other: &Config) -> Config {
        let join = |a: &[String], b: &[String]| {
            let mut v: Vec<String> = a.iter().chain(b).cloned().collect();
            v.sort();
            v.dedup();
            v
        };
        Config {
            assert_macros: join(&self.assert_macros, &other.assert_macros),
            assert_functions: join(&self.assert_functions, &other.assert_functions),
            test_attributes: join(&self.test_attributes, &other.test_attributes),
            doctests: other.doctests.or(self.doctests),
        }
    }

    /// Whether `name` (last path segment of a macro) is a configured assertion macro.
    pub fn is_assert_macro(&self, name: &str) -> bool {
        self.assert_macros.iter().any(|m| last_segment(m) == name)
    }

    /// Whether `name` (last path segment of a function) is a configured assertion function.
    pub fn is_assert_function(&self, name: &str) -> bool {
        self.assert_functions
            .iter()
            .any(|m| last_segment(m) == name)
    }

    /// Whether `path` (an attribute path such as `my_rt::test`) is a configured test attribute.
    pub fn is_test_attribute(&self, path: &str) -> bool {
        self.test_attributes
            .iter()
            .any(|a| a == path || last_segment(a) == path)
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::")
        .next()
        .unwrap_or(path)
        .trim_end_matches('!')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kebab_case_keys_and_merges_without_duplicates() {
        let ws = Config::from_metadata(&serde_json::json!({
            "truecov": {"assert-macros": ["verify!", "check"], "test-attributes": ["rt::test"]}
        }))
        .unwrap();
        let pkg = Config::from_metadata(&serde_json::json!({
            "truecov": {"assert-macros": ["check"], "assert-functions": ["my::roundtrip"]}
        }))
        .unwrap();
        let merged = ws.merged(&pkg);
        assert_eq!(merged.assert_macros, vec!["check", "verify!"]);
        assert!(merged.is_assert_macro("verify"));
        assert!(merged.is_assert_function("roundtrip"));
        let old = Config::from_metadata(&serde_json::json!({
            "truecov": {"assert-helpers": ["verify_all"]}
        }))
        .unwrap();
        assert!(old.is_assert_function("verify_all"));
        assert!(merged.is_test_attribute("rt::test"));
        assert!(!merged.is_assert_macro("assert_eq"));
    }

    #[test]
    fn missing_table_is_empty_and_bad_types_are_errors() {
        assert_eq!(
            Config::from_metadata(&serde_json::Value::Null),
            Ok(Config::default())
        );
        let err = Config::from_metadata(&serde_json::json!({"truecov": {"assert-macros": 3}}));
        assert!(err.unwrap_err().contains("metadata.truecov"));
    }

    #[test]
    fn doctests_key_is_read_and_a_package_value_overrides_the_workspace() {
        let read =
            |v: &str| Config::from_metadata(&serde_json::json!({"truecov": {"doctests": v}}));
        let ws = read("ignore").unwrap();
        assert_eq!(ws.doctests, Some(Doctests::Ignore));
        assert_eq!(
            ws.merged(&read("run").unwrap()).doctests,
            Some(Doctests::Run)
        );
        assert_eq!(
            ws.merged(&Config::default()).doctests,
            Some(Doctests::Ignore)
        );
        assert!(read("always").is_err());
    }
}
