//! What the names that a file's `use` declarations and `extern crate .. as ..` items bring in
//! stand for: after `use itertools::assert_equal as same;`, `same(..)` calls
//! `itertools::assert_equal`; after `use itertools as it;`, so does `it::assert_equal(..)`.
//! Assertion functions and macros (the catalogue, the configured ones) are recognised by the
//! path a call stands for, whatever the file calls it (docs/configuration.md).

use syn::visit::Visit;

/// The names a file imports, each with the path it stands for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Aliases {
    /// Local name and the path it stands for, sorted by name; the first import of a name wins.
    names: Vec<(String, Vec<String>)>,
    /// First segments of the paths glob imports read from (`use itertools::*` gives
    /// `itertools`), renames followed, sorted.
    globs: Vec<String>,
}

/// Renames are followed at most this many times (`use a as b; use b::c as d;`): import cycles
/// are compile errors, but the scan must stop on them too.
const MAX_HOPS: usize = 4;

impl Aliases {
    /// The imports of a file, at any depth (inline modules and function bodies included: a
    /// test that writes `use approx::assert_relative_eq as close;` in its body means it there).
    pub(crate) fn of_file(ast: &syn::File) -> Aliases {
        let mut v = Visitor {
            prefix: Vec::new(),
            out: Vec::new(),
            globs: Vec::new(),
        };
        v.visit_file(ast);
        // A stable sort keeps the first import of each name first.
        v.out.sort_by(|a, b| a.0.cmp(&b.0));
        v.out.dedup_by(|a, b| a.0 == b.0);
        let mut aliases = Aliases {
            names: v.out,
            globs: Vec::new(),
        };
        let mut globs: Vec<String> = v
            .globs
            .iter()
            .filter_map(|g| aliases.expand(g).into_iter().next())
            .collect();
        globs.sort();
        globs.dedup();
        aliases.globs = globs;
        aliases
    }

    /// Whether a glob import of the file reads from crate `krate` (`use itertools::*`).
    pub(crate) fn glob_imports_from(&self, krate: &str) -> bool {
        self.globs
            .binary_search_by(|g| g.as_str().cmp(krate))
            .is_ok()
    }

    /// The path `path` stands for: its first segment replaced by what that name imports,
    /// followed through renames of renames. A path that starts with no imported name is
    /// returned as it is.
    pub(crate) fn expand(&self, path: &[String]) -> Vec<String> {
        let mut out = path.to_vec();
        for _ in 0..MAX_HOPS {
            let Some(first) = out.first() else { break };
            let Ok(i) = self.names.binary_search_by(|(n, _)| n.as_str().cmp(first)) else {
                break;
            };
            let full = &self.names[i].1;
            if full.len() == 1 && &full[0] == first {
                break;
            }
            out.splice(0..1, full.iter().cloned());
        }
        out
    }
}

struct Visitor {
    /// The path of the `use` tree being read, down to the current node.
    prefix: Vec<String>,
    out: Vec<(String, Vec<String>)>,
    /// The paths glob imports read from.
    globs: Vec<Vec<String>>,
}

impl Visitor {
    fn tree(&mut self, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                self.prefix.push(p.ident.to_string());
                self.tree(&p.tree);
                self.prefix.pop();
            }
            syn::UseTree::Name(n) => self.import(&n.ident, &n.ident),
            syn::UseTree::Rename(r) => self.import(&r.ident, &r.rename),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.tree(t)),
            syn::UseTree::Glob(_) if !self.prefix.is_empty() => {
                self.globs.push(self.prefix.clone())
            }
            syn::UseTree::Glob(_) => {}
        }
    }

    /// `use prefix::item as local;` (`item` may be `self`: `use a::b::{self as c}`).
    fn import(&mut self, item: &syn::Ident, local: &syn::Ident) {
        let mut full = self.prefix.clone();
        if item != "self" {
            full.push(item.to_string());
        }
        let local = if local == "self" {
            full.last().cloned()
        } else {
            Some(local.to_string())
        };
        match local {
            Some(l) if l != "_" && !full.is_empty() => self.out.push((l, full)),
            _ => {}
        }
    }
}

impl<'ast> Visit<'ast> for Visitor {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.tree(&u.tree);
    }

    fn visit_item_extern_crate(&mut self, e: &'ast syn::ItemExternCrate) {
        if let Some((_, rename)) = &e.rename {
            self.prefix.clear();
            self.import(&e.ident, rename);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(src: &str) -> Aliases {
        Aliases::of_file(&syn::parse_file(src).expect("test source parses"))
    }

    fn expand(a: &Aliases, path: &str) -> String {
        let segs: Vec<String> = path.split("::").map(String::from).collect();
        a.expand(&segs).join("::")
    }

    #[test]
    fn renamed_items_and_crates_stand_for_their_paths() {
        let a = aliases(
            "use itertools::assert_equal as same; use itertools as it; \
             use quickcheck::{TestResult, self as qc}; extern crate approx as ap; \
             fn t() { use approx::assert_relative_eq as close; }",
        );
        assert_eq!(expand(&a, "same"), "itertools::assert_equal");
        assert_eq!(expand(&a, "it::assert_equal"), "itertools::assert_equal");
        assert_eq!(
            expand(&a, "TestResult::failed"),
            "quickcheck::TestResult::failed"
        );
        assert_eq!(expand(&a, "qc::TestResult"), "quickcheck::TestResult");
        assert_eq!(expand(&a, "ap::assert_ulps_eq"), "approx::assert_ulps_eq");
        assert_eq!(expand(&a, "close"), "approx::assert_relative_eq");
        assert_eq!(expand(&a, "other::f"), "other::f");
    }

    #[test]
    fn renames_of_renames_are_followed_and_cycles_end() {
        let a = aliases("use itertools as it; use it::assert_equal as same;");
        assert_eq!(expand(&a, "same"), "itertools::assert_equal");
        let a = aliases("use b as a; use a as b; use itertools; use x::Trait as _;");
        assert_eq!(
            expand(&a, "itertools::assert_equal"),
            "itertools::assert_equal"
        );
        assert!(expand(&a, "a").split("::").count() <= MAX_HOPS + 1);
        assert_eq!(expand(&a, "_"), "_");
    }

    #[test]
    fn glob_imports_name_the_crate_they_read() {
        let a = aliases("use itertools as it; fn t() { use it::*; use approx::prelude::*; }");
        assert!(a.glob_imports_from("itertools"));
        assert!(a.glob_imports_from("approx"));
        assert!(!a.glob_imports_from("it"));
        assert!(!a.glob_imports_from("quickcheck"));
    }

    #[test]
    fn the_first_import_of_a_name_wins() {
        let a = aliases("mod m { use first::check; } mod n { use second::check; }");
        assert_eq!(expand(&a, "check"), "first::check");
    }
}
