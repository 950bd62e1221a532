//! `harness = false` targets, read from a package's `Cargo.toml` (cargo metadata does not
//! expose the setting).

use super::error::WorkspaceError;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use truecov_model::TargetKind;

#[derive(Deserialize)]
struct Manifest {
    lib: Option<TargetTable>,
    #[serde(default)]
    bin: Vec<TargetTable>,
    #[serde(default)]
    test: Vec<TargetTable>,
    #[serde(default)]
    bench: Vec<TargetTable>,
    #[serde(default)]
    example: Vec<TargetTable>,
}

#[derive(Deserialize)]
struct TargetTable {
    name: Option<String>,
    path: Option<PathBuf>,
    harness: Option<bool>,
}

impl TargetTable {
    /// The target's name: given, or inferred from its path as cargo does (`src/bin/x.rs` and
    /// `src/bin/x/main.rs` are both `x`).
    fn name(&self) -> Option<String> {
        if let Some(name) = &self.name {
            return Some(name.clone());
        }
        let path = self.path.as_deref()?;
        let stem = path.file_stem()?;
        let stem = if stem == "main" {
            path.parent()?.file_name()?
        } else {
            stem
        };
        Some(stem.to_string_lossy().into_owned())
    }
}

/// The targets of the package at `manifest_path` declared with `harness = false`, by their
/// labels (`lib`, `test:<name>`, ...).
pub(super) fn harnessless_targets(
    manifest_path: &Path,
) -> Result<BTreeSet<String>, WorkspaceError> {
    let error = |message: String| WorkspaceError::Manifest {
        path: manifest_path.to_owned(),
        message,
    };
    let text = std::fs::read_to_string(manifest_path).map_err(|e| error(e.to_string()))?;
    let manifest: Manifest = toml::from_str(&text).map_err(|e| error(e.to_string()))?;
    let without_harness = |table: &TargetTable| table.harness == Some(false);
    let mut targets = BTreeSet::new();
    if manifest.lib.as_ref().is_some_and(without_harness) {
        targets.insert(TargetKind::Lib.label(""));
    }
    let kinds = [
        (TargetKind::Bin, &manifest.bin),
        (TargetKind::Test, &manifest.test),
        (TargetKind::Bench, &manifest.bench),
        (TargetKind::Example, &manifest.example),
    ];
    for (kind, tables) in kinds {
        for table in tables.iter().filter(|table| without_harness(table)) {
            if let Some(name) = table.name() {
                targets.insert(kind.label(&name));
            }
        }
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::harnessless_targets;

    #[test]
    fn finds_targets_without_harness() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("Cargo.toml");
        std::fs::write(
            &manifest,
            r#"
[package]
name = "p"
version = "0.1.0"

[lib]
harness = false

[[bin]]
name = "tool"
harness = true

[[test]]
name = "custom"
harness = false

[[test]]
name = "normal"

[[bench]]
path = "benches/speed/main.rs"
harness = false

[[example]]
path = "examples/demo.rs"
harness = false
"#,
        )
        .unwrap();
        let targets: Vec<_> = harnessless_targets(&manifest)
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(
            targets,
            ["bench:speed", "example:demo", "lib", "test:custom"]
        );
    }

    #[test]
    fn names_the_manifest_it_cannot_parse() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = dir.path().join("Cargo.toml");
        std::fs::write(&manifest, "[[test]\n").unwrap();
        let error = harnessless_targets(&manifest).unwrap_err().to_string();
        assert!(error.contains(&*manifest.to_string_lossy()), "{error}");
    }
}
