//! The catalogue of assertion macros and functions of common crates: which item of which crate
//! is an oracle, and what kind. docs/configuration.md lists it for users; names
//! it lacks can be added with `assert-macros` and `assert-functions`.

use super::role::{CmpOp, Fixed, Role};

/// What an item of the catalogue checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A macro of this role, known by its name.
    Macro(Role),
    /// A macro of this role known by its crate's path only (`assert2::check!`, or `check!`
    /// imported from assert2): its name alone is too common to be an assertion.
    PathMacro(Role),
    /// A function comparing its first two arguments (`itertools::assert_equal(a, b)`).
    Compare(CmpOp),
    /// A function whose call is a check of a fixed meaning, whatever its arguments.
    Fixed(Fixed),
    /// A function that fails the test where it is reached (`TestResult::failed()`).
    Fail,
    /// A method of a type named in the receiver (`trybuild::TestCases` `.compile_fail(..)`,
    /// `tokio_test::io::Builder` `.build()`): the value the type builds checks something
    /// when the method runs, when it is used or when it is dropped.
    Method(&'static str),
}

/// One item of an assertion crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The crate that defines it (`std` for the standard library's).
    pub krate: &'static str,
    /// The macro's name without `!`, or the function's path inside the crate.
    pub item: &'static str,
    /// What it checks.
    pub kind: Kind,
}

const fn mac(krate: &'static str, item: &'static str, role: Role) -> Entry {
    Entry {
        krate,
        item,
        kind: Kind::Macro(role),
    }
}

const fn path_mac(krate: &'static str, item: &'static str, role: Role) -> Entry {
    Entry {
        krate,
        item,
        kind: Kind::PathMacro(role),
    }
}

const fn entry(krate: &'static str, item: &'static str, kind: Kind) -> Entry {
    Entry { krate, item, kind }
}

const EQ: Role = Role::Compare(CmpOp::Eq);
const NE: Role = Role::Compare(CmpOp::Ne);
const SMOKE: Role = Role::Fixed(Fixed::Smoke);
const ERROR: Role = Role::Fixed(Fixed::Error);
const VALUE: Role = Role::Fixed(Fixed::Value);
const CT: Role = Role::CompileTime;

/// Every known assertion item. Macros are matched by name (with `debug_` and `prop_` prefixes
/// stripped), path macros and functions by the path a call stands for (through `use` and
/// renames) or by a name imported from the crate.
#[rustfmt::skip]
pub(crate) const CATALOGUE: &[Entry] = &[
    mac("std", "assert", Role::Bool),
    mac("std", "assert_eq", EQ),
    mac("std", "assert_ne", NE),
    mac("std", "assert_matches", Role::Pattern),
    mac("anyhow", "ensure", Role::Bool),
    mac("anyhow", "bail", Role::Fail),
    mac("pretty_assertions", "assert_str_eq", EQ),
    mac("pretty_assertions_sorted", "assert_eq_sorted", EQ),
    mac("similar_asserts", "assert_serde_eq", EQ),
    mac("assert_matches", "assert_let", Role::Pattern),
    mac("approx", "assert_relative_eq", EQ),
    mac("approx", "assert_abs_diff_eq", EQ),
    mac("approx", "assert_ulps_eq", EQ),
    mac("approx", "assert_relative_ne", NE),
    mac("approx", "assert_abs_diff_ne", NE),
    mac("approx", "assert_ulps_ne", NE),
    mac("float_cmp", "assert_approx_eq", EQ),
    mac("float_eq", "assert_float_eq", EQ),
    mac("float_eq", "assert_float_ne", NE),
    mac("assert_float_eq", "assert_f32_near", EQ),
    mac("assert_float_eq", "assert_f64_near", EQ),
    mac("assert_approx_eq", "assert_in_delta", EQ),
    mac("assert_json_diff", "assert_json_eq", EQ),
    mac("claims", "assert_ok", SMOKE),
    mac("claims", "assert_some", SMOKE),
    mac("claims", "assert_ready_ok", SMOKE),
    mac("claims", "assert_ready_some", SMOKE),
    mac("claims", "assert_err", ERROR),
    mac("claims", "assert_none", ERROR),
    mac("claims", "assert_err_eq", ERROR),
    mac("claims", "assert_ready_err", ERROR),
    mac("claims", "assert_ready_none", ERROR),
    mac("assert_panic", "assert_panics", ERROR),
    mac("claims", "assert_ok_eq", VALUE),
    mac("claims", "assert_some_eq", VALUE),
    mac("claims", "assert_pending", VALUE),
    mac("claims", "assert_ready", VALUE),
    mac("claims", "assert_ready_eq", VALUE),
    mac("claims", "assert_ready_ok_eq", VALUE),
    mac("claims", "assert_lt", Role::Compare(CmpOp::Lt)),
    mac("claims", "assert_le", Role::Compare(CmpOp::Le)),
    mac("claims", "assert_gt", Role::Compare(CmpOp::Gt)),
    mac("claims", "assert_ge", Role::Compare(CmpOp::Ge)),
    mac("insta", "assert_snapshot", Role::Snapshot),
    mac("insta", "assert_debug_snapshot", Role::Snapshot),
    mac("insta", "assert_compact_debug_snapshot", Role::Snapshot),
    mac("insta", "assert_display_snapshot", Role::Snapshot),
    mac("insta", "assert_json_snapshot", Role::Snapshot),
    mac("insta", "assert_compact_json_snapshot", Role::Snapshot),
    mac("insta", "assert_yaml_snapshot", Role::Snapshot),
    mac("insta", "assert_toml_snapshot", Role::Snapshot),
    mac("insta", "assert_ron_snapshot", Role::Snapshot),
    mac("insta", "assert_csv_snapshot", Role::Snapshot),
    mac("insta", "assert_binary_snapshot", Role::Snapshot),
    path_mac("assert2", "check", Role::Bool),
    path_mac("assert2", "let_assert", Role::OtherAssert),
    mac("static_assertions", "const_assert", CT),
    mac("static_assertions", "const_assert_eq", CT),
    mac("static_assertions", "const_assert_ne", CT),
    mac("static_assertions", "assert_impl_all", CT),
    mac("static_assertions", "assert_impl_any", CT),
    mac("static_assertions", "assert_impl_one", CT),
    mac("static_assertions", "assert_not_impl_all", CT),
    mac("static_assertions", "assert_not_impl_any", CT),
    mac("static_assertions", "assert_eq_size", CT),
    mac("static_assertions", "assert_eq_size_val", CT),
    mac("static_assertions", "assert_eq_size_ptr", CT),
    mac("static_assertions", "assert_eq_align", CT),
    mac("static_assertions", "assert_type_eq_all", CT),
    mac("static_assertions", "assert_type_ne_all", CT),
    mac("static_assertions", "assert_obj_safe", CT),
    mac("static_assertions", "assert_fields", CT),
    mac("static_assertions", "assert_cfg", CT),
    mac("static_assertions", "assert_trait_sub_all", CT),
    mac("static_assertions", "assert_trait_super_all", CT),
    entry("itertools", "assert_equal", Kind::Compare(CmpOp::Eq)),
    entry("serde_test", "assert_tokens", Kind::Fixed(Fixed::Value)),
    entry("serde_test", "assert_ser_tokens", Kind::Fixed(Fixed::Value)),
    entry("serde_test", "assert_de_tokens", Kind::Fixed(Fixed::Value)),
    entry("serde_test", "assert_ser_tokens_error", Kind::Fixed(Fixed::Error)),
    entry("serde_test", "assert_de_tokens_error", Kind::Fixed(Fixed::Error)),
    entry("quickcheck", "TestResult::failed", Kind::Fail),
    entry("quickcheck", "TestResult::error", Kind::Fail),
    entry("quickcheck", "TestResult::must_fail", Kind::Fixed(Fixed::Error)),
    entry("trybuild", "TestCases::compile_fail", Kind::Method("TestCases")),
    entry("trybuild", "TestCases::pass", Kind::Method("TestCases")),
    // A mock that panics on IO other than the scripted reads and writes.
    entry("tokio_test", "io::Builder::build", Kind::Method("Builder")),
];

/// The catalogue's role of macro `base` (its name with `debug_`/`prop_` stripped).
pub(crate) fn macro_role(base: &str) -> Option<Role> {
    CATALOGUE.iter().find_map(|e| match e.kind {
        Kind::Macro(role) if e.item == base => Some(role),
        _ => None,
    })
}

/// The catalogue's role of a macro invoked by `path` (its segments, renames followed) that is
/// known by its path only (`assert2::check`).
pub(crate) fn path_macro_role(path: &[String]) -> Option<Role> {
    let [.., krate, item] = path else {
        return None;
    };
    CATALOGUE.iter().find_map(|e| match e.kind {
        Kind::PathMacro(role) if e.krate == krate && e.item == item => Some(role),
        _ => None,
    })
}

/// The catalogue entry of a function called by `path` (its segments): the crate and item
/// spelled out (`itertools::assert_equal`, `quickcheck::TestResult::failed`), or the item's
/// path alone when its first segment was imported from that crate (`imported(name, krate)`:
/// a name imported from a dependency, or a glob import of the crate).
pub(crate) fn function(
    path: &[String],
    imported: impl Fn(&str, &str) -> bool,
) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| {
        if matches!(
            e.kind,
            Kind::Macro(_) | Kind::PathMacro(_) | Kind::Method(_)
        ) {
            return false;
        }
        let item: Vec<&str> = e.item.split("::").collect();
        let n = path.len();
        if n < item.len()
            || !path[n - item.len()..]
                .iter()
                .zip(&item)
                .all(|(a, b)| a == b)
        {
            return false;
        }
        let before = &path[..n - item.len()];
        match before.last() {
            Some(krate) => krate == e.krate,
            None => imported(item[0], e.krate),
        }
    })
}

/// The catalogue entry of a method `name`, with the type whose values it checks.
pub(crate) fn method(name: &str) -> Option<(&'static Entry, &'static str)> {
    CATALOGUE.iter().find_map(|e| match e.kind {
        Kind::Method(ty) if e.item.rsplit("::").next() == Some(name) => Some((e, ty)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<String> {
        p.split("::").map(String::from).collect()
    }

    #[test]
    fn functions_match_by_crate_path_or_imported_name() {
        let none = |_: &str, _: &str| false;
        let e = function(&path("itertools::assert_equal"), none).unwrap();
        assert_eq!(e.kind, Kind::Compare(CmpOp::Eq));
        assert!(function(&path("assert_equal"), none).is_none());
        assert!(function(&path("assert_equal"), |n, _| n == "assert_equal").is_some());
        assert!(function(&path("assert_equal"), |_, k| k == "itertools").is_some());
        assert!(function(&path("assert_equal"), |_, k| k == "approx").is_none());
        assert!(function(&path("mine::assert_equal"), none).is_none());
        let failed = function(&path("TestResult::failed"), |n, _| n == "TestResult").unwrap();
        assert_eq!(failed.kind, Kind::Fail);
        assert_eq!(
            function(&path("serde_test::assert_de_tokens_error"), none).map(|e| e.kind),
            Some(Kind::Fixed(Fixed::Error))
        );
    }

    #[test]
    fn macros_and_methods_are_found_by_name() {
        assert_eq!(macro_role("const_assert"), Some(Role::CompileTime));
        assert_eq!(macro_role("assert_relative_ne"), Some(NE));
        assert_eq!(macro_role("assert_equal"), None);
        assert_eq!(method("compile_fail").map(|(_, ty)| ty), Some("TestCases"));
        assert!(method("assert_equal").is_none());
    }

    #[test]
    fn path_macros_need_their_crate() {
        assert_eq!(path_macro_role(&path("assert2::check")), Some(Role::Bool));
        assert_eq!(path_macro_role(&path("check")), None);
        assert_eq!(path_macro_role(&path("mine::check")), None);
        assert_eq!(macro_role("check"), None, "not by its name alone");
    }
}
