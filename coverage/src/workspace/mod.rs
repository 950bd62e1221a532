//! The workspace, loaded once per command: one `cargo metadata --no-deps`, the members cargo
//! would select (`-p`, `--workspace`, `--manifest-path`), their targets with the `harness`
//! setting (read from each `Cargo.toml`: cargo metadata does not expose it), their enabled
//! features and `[metadata.truecov]` configuration, into a [`truecov_model::Workspace`] that the
//! analyzer, the build and the binary share.

mod error;
mod harness;
mod metadata;

pub use error::WorkspaceError;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use truecov_model::{Config, Package, PackageId, Selection, Target, TargetKind, Workspace};

/// Runs `cargo metadata --no-deps` and selects members as cargo would: `-p` names, or every
/// member with `--workspace` or at the workspace root, or the package whose manifest was given.
pub fn load(selection: &Selection) -> Result<Workspace, WorkspaceError> {
    let metadata = metadata::run(selection.manifest_path.as_deref())
        .map_err(|message| WorkspaceError::Metadata(clean_cargo_error(&message)))?;
    from_metadata(metadata, selection)
}

fn clean_cargo_error(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn from_metadata(
    metadata: metadata::Metadata,
    selection: &Selection,
) -> Result<Workspace, WorkspaceError> {
    let root = metadata.workspace_root.clone();
    let ws_config = config(&metadata.metadata).map_err(|message| WorkspaceError::Config {
        manifest: "Cargo.toml [workspace.metadata]".into(),
        message,
    })?;
    let members: Vec<&metadata::Package> = metadata
        .packages
        .iter()
        .filter(|p| metadata.workspace_members.contains(&p.id))
        .collect();
    let selected = select(&members, &root, selection)?;
    let dev_only = dev_only_members(&members);
    let mut packages = Vec::new();
    for p in selected {
        let pkg_config = config(&p.metadata).map_err(|message| WorkspaceError::Config {
            manifest: relative_path(&root, &p.manifest_path)
                .unwrap_or_else(|| p.manifest_path.display().to_string()),
            message,
        })?;
        let harnessless = harness::harnessless_targets(&p.manifest_path)?;
        packages.push(Package {
            id: PackageId(p.id.clone()),
            name: p.name.clone(),
            version: p.version.clone(),
            manifest_path: p.manifest_path.clone(),
            fields: p.fields.clone(),
            config: ws_config.merged(&pkg_config),
            targets: p
                .targets
                .iter()
                .filter_map(|t| target(t, |label| !harnessless.contains(label)))
                .collect(),
            test_support: dev_only.contains(&p.name.as_str()),
            external_crates: p
                .dependencies
                .iter()
                .filter(|d| !members.iter().any(|m| m.name == d.name))
                .map(|d| d.rename.as_ref().unwrap_or(&d.name).replace('-', "_"))
                .collect(),
            features: enabled_features(&p.name, &p.features, selection),
        });
    }
    Ok(Workspace {
        root,
        target_directory: metadata.target_directory,
        packages,
    })
}

/// The members a selection names, in its order.
fn select<'a>(
    members: &[&'a metadata::Package],
    root: &Path,
    selection: &Selection,
) -> Result<Vec<&'a metadata::Package>, WorkspaceError> {
    if !selection.packages.is_empty() {
        return selection
            .packages
            .iter()
            .map(|name| {
                members
                    .iter()
                    .find(|p| &p.name == name)
                    .copied()
                    .ok_or_else(|| {
                        WorkspaceError::UnknownPackage(name.clone(), root.display().to_string())
                    })
            })
            .collect();
    }
    let given = selection
        .manifest_path
        .clone()
        .or_else(nearest_manifest)
        .map(|p| p.canonicalize().unwrap_or(p));
    let given_member = given
        .as_ref()
        .and_then(|g| members.iter().find(|p| p.manifest_path == *g));
    Ok(match given_member {
        Some(p) if !selection.workspace && p.manifest_path.parent() != Some(root) => vec![*p],
        _ => members.to_vec(),
    })
}

/// The `truecov` table of a cargo metadata value (`null` or missing means empty).
fn config(metadata: &serde_json::Value) -> Result<Config, String> {
    match metadata.get("truecov") {
        None | Some(serde_json::Value::Null) => Ok(Config::default()),
        Some(table) => serde_json::from_value(table.clone())
            .map_err(|e| format!("invalid [metadata.truecov] table: {e}")),
    }
}

/// The features of package `name` the selection's flags enable, with what they enable,
/// transitively (`dep:x` and `x/y` entries are not features of the package itself).
fn enabled_features(
    name: &str,
    features: &BTreeMap<String, Vec<String>>,
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

/// A target as the model has it (build scripts are left out); `harness` says whether the
/// target of a label runs under libtest.
fn target(t: &metadata::Target, harness: impl Fn(&str) -> bool) -> Option<Target> {
    let kind = if t.is_kind("test") {
        TargetKind::Test
    } else if t.is_kind("bin") {
        TargetKind::Bin
    } else if t.is_kind("example") {
        TargetKind::Example
    } else if t.is_kind("bench") {
        TargetKind::Bench
    } else if t.is_kind("custom-build") {
        return None;
    } else {
        TargetKind::Lib
    };
    Some(Target {
        kind,
        name: t.name.clone(),
        root: t.src_path.clone(),
        tested: t.test,
        doctested: kind == TargetKind::Lib && t.doctest,
        harness: harness(&kind.label(&t.name)),
        // cargo's default edition, when it says none.
        edition: t.edition.parse().unwrap_or(2015),
    })
}

/// Members that other members use only as dev-dependencies (test-support crates).
fn dev_only_members<'a>(members: &[&'a metadata::Package]) -> Vec<&'a str> {
    members
        .iter()
        .filter(|m| {
            let uses: Vec<_> = members
                .iter()
                .flat_map(|p| p.dependencies.iter())
                .filter(|d| d.name == m.name)
                .collect();
            !uses.is_empty() && uses.iter().all(|d| d.kind.as_deref() == Some("dev"))
        })
        .map(|m| m.name.as_str())
        .collect()
}

/// `path` relative to `root`, with `/` separators; `None` outside it.
pub(crate) fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enabled_features_follow_cargos_flags_and_what_features_enable() {
        let features: BTreeMap<String, Vec<String>> = [
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

    #[test]
    fn missing_config_table_is_empty_and_bad_types_are_errors() {
        assert_eq!(config(&serde_json::Value::Null), Ok(Config::default()));
        assert_eq!(
            config(&serde_json::json!({"other": 1})),
            Ok(Config::default())
        );
        let err = config(&serde_json::json!({"truecov": {"assert-macros": 3}}));
        assert!(err.unwrap_err().contains("metadata.truecov"));
        let read = config(&serde_json::json!({"truecov": {"assert-macros": ["verify!"]}}));
        assert_eq!(read.unwrap().assert_macros, ["verify!"]);
    }

    #[test]
    fn cargo_errors_are_one_line() {
        assert_eq!(
            clean_cargo_error(
                "`cargo metadata` exited with an error: error: x\n\n  caused by: y\n"
            ),
            "`cargo metadata` exited with an error: error: x caused by: y"
        );
    }
}
