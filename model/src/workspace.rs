//! The workspace as `cargo metadata` describes it: the selected members, their targets (with
//! the label tests are matched on), features and `[metadata.truecov]` configuration. Loaded
//! once per command (by `truecov_coverage::workspace::load`) and handed to the analyzer, the
//! build and the binary.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// Which part of a workspace to work on, as cargo's own flags say it.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `--manifest-path`; the current directory's manifest when `None`.
    pub manifest_path: Option<PathBuf>,
    /// `-p/--package` names; empty means the default selection.
    pub packages: Vec<String>,
    /// `--workspace`: every member.
    pub workspace: bool,
    /// `--features` values (space or comma separated, `package/feature` for one package).
    pub features: Vec<String>,
    /// `--all-features`.
    pub all_features: bool,
    /// `--no-default-features`.
    pub no_default_features: bool,
}

/// A workspace and the members selected.
#[derive(Clone, Debug, PartialEq)]
pub struct Workspace {
    /// Absolute workspace root.
    pub root: PathBuf,
    /// The target directory cargo uses for it.
    pub target_directory: PathBuf,
    /// The selected members, in the order of the selection.
    pub packages: Vec<Package>,
}

impl Workspace {
    /// The selected member with this id.
    pub fn package(&self, id: &PackageId) -> Option<&Package> {
        self.packages.iter().find(|p| &p.id == id)
    }
}

/// A package id as `cargo metadata` gives it (`path+file:///ws/a#0.1.0`): unlike a name, it
/// names one package even across workspaces and registries.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PackageId(pub String);

impl fmt::Display for PackageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One selected workspace member.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    /// Cargo's package id.
    pub id: PackageId,
    /// Package name.
    pub name: String,
    /// Package version, as the manifest writes it.
    pub version: String,
    /// Its `Cargo.toml`.
    pub manifest_path: PathBuf,
    /// The manifest's fields cargo passes to tests as `CARGO_PKG_*`.
    pub fields: ManifestFields,
    /// Workspace configuration merged with the package's own.
    pub config: Config,
    /// Targets, build scripts left out.
    pub targets: Vec<Target>,
    /// Only other members' dev-dependencies use it: its functions are test helpers.
    pub test_support: bool,
    /// Crate names (as code spells them) of its dependencies that are not workspace members.
    pub external_crates: Vec<String>,
    /// Features the build enables (from the selection's feature flags, `default` unless
    /// turned off), with what they enable, transitively.
    pub features: Vec<String>,
}

impl Package {
    /// The package root: the directory of its `Cargo.toml`.
    pub fn dir(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// Manifest fields as written (cargo sets `CARGO_PKG_*` from them verbatim), under the names
/// `cargo metadata` gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ManifestFields {
    /// `authors`.
    #[serde(default)]
    pub authors: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// `homepage`.
    pub homepage: Option<String>,
    /// `repository`.
    pub repository: Option<String>,
    /// `license`.
    pub license: Option<String>,
    /// `license-file`.
    pub license_file: Option<String>,
    /// `readme`.
    pub readme: Option<String>,
    /// `rust-version`.
    pub rust_version: Option<String>,
}

/// Kind of a Cargo target, as far as tests care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// The library (any lib crate type, proc-macro included).
    Lib,
    /// A binary.
    Bin,
    /// An integration test under `tests/`.
    Test,
    /// An example.
    Example,
    /// A benchmark.
    Bench,
}

/// The target label of doctests in tests and reports: a library's doctests are one target,
/// whatever file they are in (docs/tests.md#doctests).
pub const DOCTEST_TARGET: &str = "doc";

impl TargetKind {
    /// The label of the target of this kind named `name`, as tests and reports name targets:
    /// `lib`, `bin:<name>`, `test:<name>`, `example:<name>`, `bench:<name>`.
    pub fn label(self, name: &str) -> String {
        match self {
            TargetKind::Lib => "lib".to_string(),
            TargetKind::Bin => format!("bin:{name}"),
            TargetKind::Test => format!("test:{name}"),
            TargetKind::Example => format!("example:{name}"),
            TargetKind::Bench => format!("bench:{name}"),
        }
    }
}

/// One Cargo target of a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// What kind of target.
    pub kind: TargetKind,
    /// Cargo's target name.
    pub name: String,
    /// Crate root file.
    pub root: PathBuf,
    /// libtest runs this target's tests under `cargo test`.
    pub tested: bool,
    /// `cargo test --doc` runs its doctests (a library with `doctest = true`).
    pub doctested: bool,
    /// Its tests run under libtest (`false` for `harness = false`: the binary is one test).
    pub harness: bool,
    /// Its Rust edition (`2021`): rustdoc numbers doctests by an edition's rules.
    pub edition: u16,
}

impl Target {
    /// The target as tests and reports name it ([`TargetKind::label`]).
    pub fn label(&self) -> String {
        self.kind.label(&self.name)
    }

    /// Its code is test code as a whole (integration tests, benches, examples).
    pub fn is_test_code(&self) -> bool {
        matches!(
            self.kind,
            TargetKind::Test | TargetKind::Bench | TargetKind::Example
        )
    }
}

/// User configuration from `[workspace.metadata.truecov]` and `[package.metadata.truecov]`
/// (docs/configuration.md): extra names the analyzer should know about. Package keys add to
/// workspace keys.
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
    /// Scanned (named and judged), not run: the default.
    Scan,
    /// Scanned, and each run alone under coverage like any test.
    Run,
}

impl Config {
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

    fn config(json: serde_json::Value) -> Config {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn reads_kebab_case_keys_and_merges_without_duplicates() {
        let ws = config(serde_json::json!(
            {"assert-macros": ["verify!", "check"], "test-attributes": ["rt::test"]}
        ));
        let pkg = config(serde_json::json!(
            {"assert-macros": ["check"], "assert-functions": ["my::roundtrip"]}
        ));
        let merged = ws.merged(&pkg);
        assert_eq!(merged.assert_macros, vec!["check", "verify!"]);
        assert!(merged.is_assert_macro("verify"));
        assert!(merged.is_assert_function("roundtrip"));
        let old = config(serde_json::json!({"assert-helpers": ["verify_all"]}));
        assert!(old.is_assert_function("verify_all"));
        assert!(merged.is_test_attribute("rt::test"));
        assert!(!merged.is_assert_macro("assert_eq"));
    }

    #[test]
    fn a_package_doctests_value_overrides_the_workspace() {
        let read = |v: &str| config(serde_json::json!({ "doctests": v }));
        let ws = read("ignore");
        assert_eq!(ws.doctests, Some(Doctests::Ignore));
        assert_eq!(ws.merged(&read("run")).doctests, Some(Doctests::Run));
        assert_eq!(
            ws.merged(&Config::default()).doctests,
            Some(Doctests::Ignore)
        );
        assert!(
            serde_json::from_value::<Config>(serde_json::json!({"doctests": "always"})).is_err()
        );
    }

    #[test]
    fn targets_are_labelled_by_kind_and_name() {
        let labels: Vec<String> = [
            TargetKind::Lib,
            TargetKind::Bin,
            TargetKind::Test,
            TargetKind::Example,
            TargetKind::Bench,
        ]
        .into_iter()
        .map(|k| k.label("x-y"))
        .collect();
        assert_eq!(
            labels,
            ["lib", "bin:x-y", "test:x-y", "example:x-y", "bench:x-y"]
        );
    }
}
