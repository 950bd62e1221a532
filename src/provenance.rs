//! Where a run's code came from, for the history: git commit, branch and dirty flag, the
//! toolchain, and a hash of what changes results besides the code (configuration, features,
//! profile).

use crate::cli::BuildArgs;
use crate::git;
use std::path::Path;
use truecov_db::Provenance;
use truecov_model::Workspace;

/// FNV-1a, 64 bits: a hash that is the same on every platform and release.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The options and `[metadata.truecov]` tables that change a run's figures, as text.
fn config_text(ws: &Workspace, build: &BuildArgs) -> String {
    let mut features: Vec<&str> = build
        .features
        .iter()
        .flat_map(|f| f.split([',', ' ']))
        .filter(|f| !f.is_empty())
        .collect();
    features.sort_unstable();
    let mut text = format!(
        "features={features:?} all-features={} no-default-features={} release={} include-ignored={}\n",
        build.all_features, build.no_default_features, build.release, build.include_ignored
    );
    // Written only when set, so that the hash of runs that never set it stays what it was.
    if let Some(mode) = build.doctests {
        text.push_str(&format!("doctests={mode:?}\n"));
    }
    let mut packages: Vec<_> = ws.packages.iter().collect();
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    for p in packages {
        let c = &p.config;
        text.push_str(&format!(
            "{}: assert-macros={:?} assert-functions={:?} test-attributes={:?}\n",
            p.name, c.assert_macros, c.assert_functions, c.test_attributes
        ));
        if let Some(mode) = c.doctests {
            text.push_str(&format!("{}: doctests={mode:?}\n", p.name));
        }
    }
    text
}

/// `rustc --version` of the toolchain cargo uses in `root` (`RUSTC` or the rustup default).
fn toolchain(root: &Path) -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = std::process::Command::new(rustc)
        .arg("--version")
        .current_dir(root)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The provenance of a run of `ws`.
pub fn of(ws: &Workspace, build: &BuildArgs) -> Provenance {
    let root = ws.root.as_path();
    Provenance {
        git_commit: git::resolve(root, "HEAD"),
        git_branch: git::branch(root),
        git_dirty: git::dirty(root),
        toolchain: toolchain(root),
        config_hash: Some(format!("{:016x}", fnv1a(config_text(ws, build).as_bytes()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_hash_is_fnv1a_of_the_text() {
        // Reference values of FNV-1a 64 (the specification's test vectors).
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn running_doctests_changes_the_config_text_and_leaving_it_unset_does_not() {
        let ws = Workspace {
            root: "/ws".into(),
            target_directory: "/ws/target".into(),
            packages: Vec::new(),
        };
        let unset = config_text(&ws, &BuildArgs::default());
        assert!(!unset.contains("doctests"), "{unset}");
        let run = BuildArgs {
            doctests: Some(truecov_model::Doctests::Run),
            ..BuildArgs::default()
        };
        assert_eq!(config_text(&ws, &run), format!("{unset}doctests=Run\n"));
    }
}
