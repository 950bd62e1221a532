//! The environment `cargo test` gives a test process, reproduced from cargo's own rules
//! (`Compilation::fill_env` and the runtime variables of integration tests): `CARGO`,
//! `CARGO_MANIFEST_DIR`, `CARGO_MANIFEST_PATH`, `CARGO_PKG_*`, the build script's
//! `cargo:rustc-env` variables, `CARGO_BIN_EXE_<name>` for integration tests and benches, and
//! the dynamic library search path. Cargo's `[env]` configuration table is not read.

use cargo_metadata::semver::Version;
use cargo_metadata::BuildScript;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;
use truecov_model::Package;

/// The variable through which the platform's loader finds shared libraries.
const LIBRARY_PATH_VAR: &str = if cfg!(windows) {
    "PATH"
} else if cfg!(target_os = "macos") {
    "DYLD_FALLBACK_LIBRARY_PATH"
} else {
    "LD_LIBRARY_PATH"
};

/// What the environment of one test binary is made of.
pub(crate) struct EnvSources<'a> {
    /// The cargo executable (`CARGO`).
    pub cargo: &'a OsStr,
    /// The package that owns the binary.
    pub package: &'a Package,
    /// The output of the package's build script, if it has one.
    pub build_script: Option<&'a BuildScript>,
    /// `CARGO_BIN_EXE_<name>` entries (empty except for integration tests and benches).
    pub bins: &'a BTreeMap<String, PathBuf>,
    /// The test binary (its directory and the one above are on the library search path).
    pub executable: &'a Path,
    /// The target directory of the build (native library directories outside it are ignored,
    /// as cargo does).
    pub target_dir: &'a Path,
    /// The toolchain's target library directory (`rustc --print target-libdir`).
    pub sysroot_libdir: Option<&'a Path>,
}

/// The variables to set, on top of the inherited environment, for a test process.
pub(crate) fn test_env(sources: &EnvSources<'_>) -> BTreeMap<OsString, OsString> {
    let mut env = BTreeMap::new();
    let mut set = |key: &str, value: &OsStr| {
        env.insert(OsString::from(key), value.to_owned());
    };
    if let Some(script) = sources.build_script {
        for (key, value) in &script.env {
            set(key, value.as_ref());
        }
    }
    if let Some(path) = library_path(sources) {
        set(LIBRARY_PATH_VAR, &path);
    }
    let package = sources.package;
    let text = |value: &Option<String>| OsString::from(value.as_deref().unwrap_or_default());
    set("CARGO", sources.cargo);
    set("CARGO_MANIFEST_DIR", package.dir().as_os_str());
    set("CARGO_MANIFEST_PATH", package.manifest_path.as_os_str());
    set("CARGO_PKG_NAME", package.name.as_ref());
    set("CARGO_PKG_VERSION", package.version.as_ref());
    if let Ok(version) = Version::parse(&package.version) {
        set(
            "CARGO_PKG_VERSION_MAJOR",
            version.major.to_string().as_ref(),
        );
        set(
            "CARGO_PKG_VERSION_MINOR",
            version.minor.to_string().as_ref(),
        );
        set(
            "CARGO_PKG_VERSION_PATCH",
            version.patch.to_string().as_ref(),
        );
        set("CARGO_PKG_VERSION_PRE", version.pre.as_str().as_ref());
    }
    set(
        "CARGO_PKG_AUTHORS",
        package.fields.authors.join(":").as_ref(),
    );
    set("CARGO_PKG_DESCRIPTION", &text(&package.fields.description));
    set("CARGO_PKG_HOMEPAGE", &text(&package.fields.homepage));
    set("CARGO_PKG_REPOSITORY", &text(&package.fields.repository));
    set("CARGO_PKG_LICENSE", &text(&package.fields.license));
    set(
        "CARGO_PKG_LICENSE_FILE",
        &text(&package.fields.license_file),
    );
    set(
        "CARGO_PKG_RUST_VERSION",
        &text(&package.fields.rust_version),
    );
    set("CARGO_PKG_README", &text(&package.fields.readme));
    for (name, path) in sources.bins {
        set(&format!("CARGO_BIN_EXE_{name}"), path.as_os_str());
    }
    env
}

/// Cargo's library search path for a test: the build script's native directories inside the
/// target directory, the binary's `deps` directory and the profile directory above it, the
/// toolchain's libraries, then whatever the variable already held.
fn library_path(sources: &EnvSources<'_>) -> Option<OsString> {
    let native_dirs = sources
        .build_script
        .into_iter()
        .flat_map(|script| &script.linked_paths)
        .map(|linked| {
            // `cargo:rustc-link-search=[KIND=]PATH`
            let linked = linked.as_str();
            PathBuf::from(linked.split_once('=').map_or(linked, |(_, path)| path))
        })
        .filter(|dir| dir.starts_with(sources.target_dir));
    let deps = sources.executable.parent();
    let profile_dir = deps.and_then(Path::parent);
    let inherited: Vec<PathBuf> = std::env::var_os(LIBRARY_PATH_VAR)
        .map(|value| std::env::split_paths(&value).collect())
        .unwrap_or_default();
    let paths: Vec<PathBuf> = native_dirs
        .chain(deps.map(Path::to_owned))
        .chain(profile_dir.map(Path::to_owned))
        .chain(sources.sysroot_libdir.map(Path::to_owned))
        .chain(inherited)
        .collect();
    std::env::join_paths(paths).ok()
}

/// The toolchain's target library directory, asked of the `rustc` that cargo would pick in
/// `dir` (a `rust-toolchain.toml` there counts).
pub(crate) fn sysroot_libdir(dir: &Path) -> Option<PathBuf> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(["--print", "target-libdir"])
        .current_dir(dir)
        .output()
        .ok()?;
    let path = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !path.trim().is_empty()).then(|| PathBuf::from(path.trim()))
}
