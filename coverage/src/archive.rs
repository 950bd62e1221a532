//! Build once, run many: an archive (`.tar.gz`) of a build's instrumented test binaries (their
//! coverage mappings are inside them), its proc-macro libraries and their compile-time profiles, what the runner needs to run them as `cargo test`
//! would ([`Built`]: environment, working directories, doctests), and files the caller adds
//! (the scan, the provenance). Unpacked on another machine, every path of the build machine is
//! moved: the target directory to where the archive is unpacked, the workspace root to the
//! source tree given (`--workspace-remap`). gzip (flate2 on miniz_oxide) rather than zstd,
//! whose crate binds the C library.

use crate::measure::Built;
use flate2::{read::GzDecoder, write::GzEncoder, Compression};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The archive's description of its contents.
const MANIFEST: &str = "truecov-archive.json";
/// What tells a truecov archive's manifest from any other file.
const FORMAT: &str = "truecov-archive";
/// Version of the manifest's shape.
const VERSION: u32 = 1;

/// Where the archive keeps a file of the build's target directory.
const TARGET: &str = "target";
/// Where it keeps the caller's files.
const EXTRA: &str = "extra";

#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    /// The build machine's workspace root.
    workspace_root: PathBuf,
    built: Built,
}

/// Why an archive could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A binary to pack is outside the build's target directory.
    #[error("{path}: not under the target directory {root}, cannot be archived")]
    Outside {
        /// The binary.
        path: PathBuf,
        /// The target directory.
        root: PathBuf,
    },
    /// The file is not an archive this version reads.
    #[error("{path}: not a truecov archive of this version (write one with `cargo truecov archive`): {why}")]
    NotArchive {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_owned(),
        source,
    }
}

/// An unpacked archive.
#[derive(Debug)]
pub struct Unpacked {
    /// The build, its paths moved to this machine.
    pub built: Built,
    /// The build machine's workspace root (paths recorded in the binaries' mappings start
    /// with it).
    pub workspace_root: PathBuf,
    /// The caller's files, by name.
    pub extra: BTreeMap<String, Vec<u8>>,
}

/// Writes `built` (sources under `workspace_root`) and the `extra` files to the archive
/// `path`.
pub fn pack(
    path: &Path,
    built: &Built,
    workspace_root: &Path,
    extra: &[(&str, Vec<u8>)],
) -> Result<(), ArchiveError> {
    let target_root = built.target_dir.as_path();
    let file = std::fs::File::create(path).map_err(io(path))?;
    let mut tar = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    let mut binaries: Vec<&Path> = built
        .executables
        .iter()
        .flat_map(|e| {
            std::iter::once(e.path.as_path()).chain(e.bins.values().map(PathBuf::as_path))
        })
        .collect();
    binaries.extend(built.proc_macros.iter().map(PathBuf::as_path));
    let profiles = files_under(&crate::run::build_profiles(target_root)).map_err(io(path))?;
    binaries.extend(profiles.iter().map(PathBuf::as_path));
    binaries.sort();
    binaries.dedup();
    for binary in binaries {
        let rel = binary
            .strip_prefix(target_root)
            .map_err(|_| ArchiveError::Outside {
                path: binary.to_owned(),
                root: target_root.to_owned(),
            })?;
        tar.append_path_with_name(binary, Path::new(TARGET).join(rel))
            .map_err(io(binary))?;
    }
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: VERSION,
        workspace_root: workspace_root.to_owned(),
        built: built.clone(),
    };
    let json = serde_json::to_vec(&manifest).map_err(|e| ArchiveError::Io {
        path: path.to_owned(),
        source: std::io::Error::other(e),
    })?;
    let mut files = vec![(MANIFEST.to_owned(), json)];
    files.extend(
        extra
            .iter()
            .map(|(name, bytes)| (format!("{EXTRA}/{name}"), bytes.clone())),
    );
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        tar.append_data(&mut header, &name, bytes.as_slice())
            .map_err(io(path))?;
    }
    tar.into_inner()
        .and_then(|gz| gz.finish())
        .map_err(io(path))?;
    Ok(())
}

/// Unpacks the archive `path` into `into` and moves the build's paths: the target directory
/// to `into`, the workspace root to `workspace`.
pub fn unpack(path: &Path, into: &Path, workspace: &Path) -> Result<Unpacked, ArchiveError> {
    let file = std::fs::File::open(path).map_err(io(path))?;
    tar::Archive::new(GzDecoder::new(file))
        .unpack(into)
        .map_err(|e| ArchiveError::NotArchive {
            path: path.to_owned(),
            why: e.to_string(),
        })?;
    let not_archive = |why: String| ArchiveError::NotArchive {
        path: path.to_owned(),
        why,
    };
    let text = std::fs::read(into.join(MANIFEST)).map_err(|e| not_archive(e.to_string()))?;
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| not_archive(e.to_string()))?;
    if manifest.format != FORMAT || manifest.version != VERSION {
        return Err(not_archive(format!(
            "format {} version {}",
            manifest.format, manifest.version
        )));
    }
    let moves = [
        (manifest.built.target_dir.clone(), into.join(TARGET)),
        (manifest.workspace_root.clone(), workspace.to_owned()),
    ];
    let mut built = manifest.built;
    built.target_dir = into.join(TARGET);
    for p in &mut built.proc_macros {
        *p = moved_path(p, &moves);
    }
    for e in &mut built.executables {
        e.path = moved_path(&e.path, &moves);
        e.cwd = moved_path(&e.cwd, &moves);
        for bin in e.bins.values_mut() {
            *bin = moved_path(bin, &moves);
        }
        for value in e.env.values_mut() {
            *value = moved_value(value, &moves);
        }
    }
    let mut extra = BTreeMap::new();
    let dir = into.join(EXTRA);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let bytes = std::fs::read(entry.path()).map_err(io(&entry.path()))?;
            extra.insert(entry.file_name().to_string_lossy().into_owned(), bytes);
        }
    }
    Ok(Unpacked {
        built,
        workspace_root: manifest.workspace_root,
        extra,
    })
}

/// Every file under `dir` (none when it does not exist).
fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_under(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

/// `path` with the first of `moves` it starts with replaced.
fn moved_path(path: &Path, moves: &[(PathBuf, PathBuf)]) -> PathBuf {
    moves
        .iter()
        .find_map(|(from, to)| path.strip_prefix(from).ok().map(|rest| to.join(rest)))
        .unwrap_or_else(|| path.to_owned())
}

/// An environment value with every path of the build machine in it moved (values such as
/// `LD_LIBRARY_PATH` hold several); the moves apply in order, so the target directory, often
/// inside the workspace, moves first.
fn moved_value(value: &OsString, moves: &[(PathBuf, PathBuf)]) -> OsString {
    let Some(text) = value.to_str() else {
        return value.clone();
    };
    let mut out = text.to_owned();
    for (from, to) in moves {
        out = out.replace(&*from.to_string_lossy(), &to.to_string_lossy());
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_build_machine_move_target_first() {
        let moves = [
            (
                PathBuf::from("/build/ws/target/truecov"),
                PathBuf::from("/tmp/x/target"),
            ),
            (PathBuf::from("/build/ws"), PathBuf::from("/clone")),
        ];
        assert_eq!(
            moved_path(Path::new("/build/ws/target/truecov/debug/deps/t-1"), &moves),
            Path::new("/tmp/x/target/debug/deps/t-1")
        );
        assert_eq!(
            moved_path(Path::new("/build/ws/crates/a"), &moves),
            Path::new("/clone/crates/a")
        );
        assert_eq!(
            moved_path(Path::new("/elsewhere"), &moves),
            Path::new("/elsewhere")
        );
        assert_eq!(
            moved_value(
                &"/build/ws/target/truecov/debug/deps:/usr/lib:/build/ws/a".into(),
                &moves
            ),
            OsString::from("/tmp/x/target/debug/deps:/usr/lib:/clone/a")
        );
    }
}
