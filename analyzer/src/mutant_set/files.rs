//! Which files cargo-mutants mutates, in its order: each lib and bin target's root file (sorted),
//! then the files of the `mod x;` declarations it meets, breadth first.

use super::options::Options;
use super::visit::{self, ExternalMod, Found};
use crate::source::{relative, SourceFile};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use truecov_model::{Package, TargetKind, Warning};

/// Walks `package`'s files, handing each file's mutants to `each`; unreadable files and
/// declared modules whose file is missing are warnings.
pub(crate) fn walk_package(
    root: &Path,
    package: &Package,
    options: &Options,
    each: &mut dyn FnMut(Vec<Found>),
    warnings: &mut Vec<Warning>,
) {
    let mut tops: Vec<String> = package
        .targets
        .iter()
        .filter(|t| matches!(t.kind, TargetKind::Lib | TargetKind::Bin))
        .map(|t| relative(root, &t.root))
        .collect();
    tops.sort();
    tops.dedup();
    let mut queue: VecDeque<(String, bool)> = tops.into_iter().map(|t| (t, true)).collect();
    while let Some((rel, top)) = queue.pop_front() {
        let file = match SourceFile::load(root, &root.join(&rel)) {
            Ok(file) => file,
            Err(e) => {
                warnings.push(Warning {
                    file: e.rel,
                    message: e.message,
                });
                continue;
            }
        };
        let (found, mods) = visit::walk(&package.name, &file, options);
        for m in &mods {
            match module_file(root, &rel, top, m) {
                Some(child) => queue.push_back((child, false)),
                None => warnings.push(Warning {
                    file: rel.clone(),
                    message: format!(
                        "the file of `mod {}` was not found",
                        m.parts.last().map_or("", |p| p.name.as_str())
                    ),
                }),
            }
        }
        if options.allows_file(&rel) {
            each(found);
        }
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}

/// The workspace-relative file of a `mod x;` declared in `parent` (a target root when `top`).
fn module_file(root: &Path, parent: &str, top: bool, m: &ExternalMod) -> Option<String> {
    let (child, outer) = m.parts.split_last()?;
    let parent = Path::new(parent);
    let mut dir: PathBuf =
        if top || parent.ends_with("mod.rs") || (child.path.is_some() && outer.is_empty()) {
            parent.parent()?.to_path_buf()
        } else {
            parent.with_extension("")
        };
    for p in outer {
        dir.push(p.path.as_deref().unwrap_or(&p.name));
    }
    let candidates = match &child.path {
        Some(path) => vec![dir.join(path)],
        None => vec![
            dir.join(format!("{}.rs", child.name)),
            dir.join(&child.name).join("mod.rs"),
        ],
    };
    candidates
        .into_iter()
        .find(|c| root.join(c).is_file())
        .map(|c| c.to_string_lossy().replace('\\', "/"))
}
