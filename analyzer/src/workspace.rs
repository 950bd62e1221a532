//! Workspace discovery through `cargo metadata`: members, their targets and configuration.

use crate::config::Config;
use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, TargetKind};
use std::path::PathBuf;

/// Which part of a workspace to scan, as cargo's own flags say it.
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

/// A workspace and the members selected for a scan.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// Absolute workspace root.
    pub root: PathBuf,
    /// Selected members.
    pub packages: Vec<Package>,
}

/// One workspace member.
#[derive(Clone, Debug)]
pub struct Package {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Directory of its manifest.
    pub dir: PathBuf,
    /// Workspace configuration merged with the package's own.
    pub config: Config,
    /// Targets with a source file on disk.
    pub targets: Vec<Target>,
    /// Only other members' dev-dependencies use it: its functions are test helpers.
    pub test_support: bool,
    /// Crate names (as code spells them) of its dependencies that are not workspace members.
    pub external_crates: Vec<String>,
    /// Features the build enables (from the selection's feature flags, `default` unless
    /// turned off), with what they enable, transitively.
    pub features: Vec<String>,
}

/// Kind of a Cargo target, as far as the scan cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
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

/// One Cargo target of a member.
#[derive(Clone, Debug)]
pub struct Target {
    /// What kind of target.
    pub kind: Kind,
    /// Cargo's target name.
    pub name: String,
    /// Crate root file.
    pub root: PathBuf,
    /// libtest runs this target's tests under `cargo test`.
    pub tested: bool,
    /// `cargo test --doc` runs its doctests (a library with `doctest = true`).
    pub doctested: bool,
}

impl Target {
    /// The target as reports name it: `lib`, `bin:<name>`, `test:<name>`, ...
    pub fn label(&self) -> String {
        match self.kind {
            Kind::Lib => "lib".to_string(),
            Kind::Bin => format!("bin:{}", self.name),
            Kind::Test => format!("test:{}", self.name),
            Kind::Example => format!("example:{}", self.name),
            Kind::Bench => format!("bench:{}", self.name),
        }
    }

    /// Its code is test code as a whole (integration tests, benches, examples).
    pub fn is_test_code(&self) -> bool {
        matches!(self.kind, Kind::Test | Kind::Bench | Kind::Example)
    }
}

/// Why a workspace could not be discovered.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// `cargo metadata` failed (no manifest, invalid manifest, no cargo).
    #[error("cannot read the workspace: {0}")]
    Metadata(String),
    /// A `-p` name that is not a member.
    #[error("package `{0}` is not a member of the workspace at {1}")]
    UnknownPackage(String, String),
    /// Invalid `[metadata.truecov]` configuration.
    #[error("{manifest}: {message}")]
    Config {
        /// Manifest with the bad table.
        manifest: String,
        /// What is wrong.
        message: String,
    },
}

/// Runs `cargo metadata --no-deps` and selects members as cargo would: `-p` names, or every
/// member with `--workspace` or at the workspace root, or the package whose manifest was given.
pub fn discover(selection: &Selection) -> Result<Workspace, WorkspaceError> {
    let mut cmd = MetadataCommand::new();
    cmd.no_deps();
    if let Some(path) = &selection.manifest_path {
        cmd.manifest_path(path);
    }
    let metadata = cmd
        .exec()
        .map_err(|e| WorkspaceError::Metadata(clean_cargo_error(&e.to_string())))?;
    from_metadata(&metadata, selection)
}

fn clean_cargo_error(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn from_metadata(metadata: &Metadata, selection: &Selection) -> Result<Workspace, WorkspaceError> {
    let root = metadata.workspace_root.as_std_path().to_path_buf();
    let ws_config = Config::from_metadata(&metadata.workspace_metadata).map_err(|message| {
        WorkspaceError::Config {
            manifest: "Cargo.toml [workspace.metadata]".into(),
            message,
        }
    })?;
    let members = metadata.workspace_packages();
    let selected: Vec<_> = if !selection.packages.is_empty() {
        let mut v = Vec::new();
        for name in &selection.packages {
            let p = members
                .iter()
                .find(|p| p.name.as_str() == name)
                .ok_or_else(|| {
                    WorkspaceError::UnknownPackage(name.clone(), root.display().to_string())
                })?;
            v.push(*p);
        }
        v
    } else {
        let given = selection
            .manifest_path
            .clone()
            .or_else(nearest_manifest)
            .map(|p| p.canonicalize().unwrap_or(p));
        let given_member = given.as_ref().and_then(|g| {
            members
                .iter()
                .find(|p| p.manifest_path.as_std_path() == g.as_path())
        });
        match given_member {
            Some(p)
                if !selection.workspace
                    && p.manifest_path.parent() != Some(&metadata.workspace_root) =>
            {
                vec![*p]
            }
            _ => members.clone(),
        }
    };
    let dev_only = dev_only_members(&members);
    let mut packages = Vec::new();
    for p in selected {
        let pkg_config =
            Config::from_metadata(&p.metadata).map_err(|message| WorkspaceError::Config {
                manifest: crate::source::relative(&root, p.manifest_path.as_std_path()),
                message,
            })?;
        packages.push(Package {
            name: p.name.to_string(),
            version: p.version.to_string(),
            dir: p
                .manifest_path
                .parent()
                .map(|d| d.as_std_path().to_path_buf())
                .unwrap_or_else(|| root.clone()),
            config: ws_config.merged(&pkg_config),
            targets: p.targets.iter().filter_map(target).collect(),
            test_support: dev_only.contains(&p.name.as_str()),
            external_crates: p
                .dependencies
                .iter()
                .filter(|d| !members.iter().any(|m| m.name.as_str() == d.name))
                .map(|d| {
                    d.rename
                        .clone()
                        .unwrap_or_else(|| d.name.clone())
                        .replace('-', "_")
                })
                .collect(),
            features: enabled_features(&p.name, &p.features, selection),
        });
    }
    Ok(Workspace { root, packages })
}

/// The features of package `name` the selection's flags enable, with what they enable,
/// transitively (`dep:x` and `x/y` entries are not features of the package itself).
fn enabled_features(
    name: &str,
    features: &std::collections::BTreeMap<String, Vec<String>>,
    selection: &Selection,
) -> Vec<String> {
    if selection.all_features {
        return features.keys().cloned().collect();
    }
    let mut on: Vec<String> = Vec::new();
    if !selection.no_default_features {
        on.push("default".to_string());
    }
    for asked in selection.features.iter().flat_map(|f| f.split([' ', ','])) {
        let feature = match asked.split_once('/') {
            Some((pkg, f)) if pkg == name => f,
            Some(_) => continue,
            None => asked,
        };
        on.push(feature.to_string());
    }
    let mut i = 0;
    while let Some(f) = on.get(i) {
        let next: Vec<String> = features
            .get(f)
            .into_iter()
            .flatten()
            .filter(|n| features.contains_key(*n) && !on.contains(n))
            .cloned()
            .collect();
        on.extend(next);
        i += 1;
    }
    on.retain(|f| features.contains_key(f));
    on.sort();
    on.dedup();
    on
}

/// The manifest cargo would use from the current directory: the nearest `Cargo.toml` upwards.
fn nearest_manifest() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file())
}

fn target(t: &cargo_metadata::Target) -> Option<Target> {
    let kind = if t.is_kind(TargetKind::Test) {
        Kind::Test
    } else if t.is_kind(TargetKind::Bin) {
        Kind::Bin
    } else if t.is_kind(TargetKind::Example) {
        Kind::Example
    } else if t.is_kind(TargetKind::Bench) {
        Kind::Bench
    } else if t.is_kind(TargetKind::CustomBuild) {
        return None;
    } else {
        Kind::Lib
    };
    Some(Target {
        kind,
        name: t.name.clone(),
        root: t.src_path.as_std_path().to_path_buf(),
        tested: t.test,
        doctested: kind == Kind::Lib && t.doctest,
    })
}

/// Members that other members use only as dev-dependencies (test-support crates).
fn dev_only_members<'a>(members: &[&'a cargo_metadata::Package]) -> Vec<&'a str> {
    members
        .iter()
        .filter(|m| {
            let uses: Vec<_> = members
                .iter()
                .flat_map(|p| p.dependencies.iter())
                .filter(|d| d.name == m.name.as_str())
                .collect();
            !uses.is_empty() && uses.iter().all(|d| d.kind == DependencyKind::Development)
        })
        .map(|m| m.name.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enabled_features_follow_cargos_flags_and_what_features_enable() {
        let features: std::collections::BTreeMap<String, Vec<String>> = [
            ("default", vec!["std"]),
            ("std", vec!["alloc", "dep:log", "serde/std"]),
            ("alloc", vec![]),
            ("fast", vec![]),
            ("nightly", vec!["fast"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        let on = |selection: &Selection| enabled_features("krate", &features, selection);
        assert_eq!(on(&Selection::default()), vec!["alloc", "default", "std"]);
        let picked = Selection {
            features: vec!["krate/nightly other/fast".into()],
            no_default_features: true,
            ..Selection::default()
        };
        assert_eq!(on(&picked), vec!["fast", "nightly"]);
        let all = Selection {
            all_features: true,
            ..Selection::default()
        };
        assert_eq!(on(&all).len(), 5);
    }
}
