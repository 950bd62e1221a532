//! The values cargo-mutants puts in place of a function body, by return type (its `FnValue`
//! genre): `0`, `1`, `-1` for integers, `true`/`false`, `String::new()` and `"xyzzy".into()`,
//! `Ok(..)` of the values of the `Ok` type, `None` and `Some(..)`, `vec![]`, ...; an unknown
//! type gets `Default::default()`, and `!` or an `impl Trait` other than an iterator nothing.
//! The table and its order are cargo-mutants 27's, so that both tools name the same mutants.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{GenericArgument, Path, PathArguments, ReturnType, Type, TypeParamBound};

/// The replacements of a body returning `output`; `errors` are the configured `error_values`
/// (each also makes an `Err(..)` of every `Result`).
pub(crate) fn replacements(output: &ReturnType, errors: &[syn::Expr]) -> Vec<TokenStream> {
    match output {
        ReturnType::Default => vec![quote! { () }],
        ReturnType::Type(_, ty) => of_type(ty, errors),
    }
}

const UNSIGNED: [&str; 6] = ["u8", "u16", "u32", "u64", "u128", "usize"];
const SIGNED: [&str; 6] = ["i8", "i16", "i32", "i64", "i128", "isize"];
const CONTAINERS: [&str; 6] = ["Box", "Cell", "RefCell", "Arc", "Rc", "Mutex"];
const COLLECTIONS: [&str; 5] = [
    "BinaryHeap",
    "BTreeSet",
    "HashSet",
    "LinkedList",
    "VecDeque",
];
const MAPS: [&str; 2] = ["BTreeMap", "HashMap"];

fn of_type(ty: &Type, errors: &[syn::Expr]) -> Vec<TokenStream> {
    let each = |inner: &Type, f: &dyn Fn(TokenStream) -> TokenStream| -> Vec<TokenStream> {
        of_type(inner, errors).into_iter().map(f).collect()
    };
    let leaked_slice = |elem: &Type| -> Vec<TokenStream> {
        std::iter::once(quote! { Vec::leak(Vec::new()) })
            .chain(each(elem, &|r| quote! { Vec::leak(vec![ #r ]) }))
            .collect()
    };
    match ty {
        Type::Path(p) => of_path(&p.path, errors),
        Type::Array(a) => {
            let len = &a.len;
            each(&a.elem, &|r| quote! { [ #r; #len ] })
        }
        Type::Slice(s) => leaked_slice(&s.elem),
        Type::Reference(r) => match &*r.elem {
            Type::Path(p) if r.mutability.is_none() && p.path.is_ident("str") => {
                vec![quote! { "" }, quote! { "xyzzy" }]
            }
            Type::Slice(s) => leaked_slice(&s.elem),
            elem => each(elem, &|v| quote! { Box::leak(Box::new(#v)) }),
        },
        Type::Tuple(t) => t
            .elems
            .iter()
            .map(|e| of_type(e, errors))
            .fold(vec![Vec::new()], |acc, reps| {
                acc.iter()
                    .flat_map(|prefix: &Vec<TokenStream>| {
                        reps.iter().map(move |r| {
                            let mut v = prefix.clone();
                            v.push(r.clone());
                            v
                        })
                    })
                    .collect()
            })
            .into_iter()
            .map(|reps| quote! { ( #( #reps ),* ) })
            .collect(),
        Type::ImplTrait(t) => iterator_item(t).map_or_else(Vec::new, |item| {
            std::iter::once(quote! { ::std::iter::empty() })
                .chain(each(item, &|r| quote! { ::std::iter::once(#r) }))
                .collect()
        }),
        Type::Never(_) => Vec::new(),
        _ => vec![quote! { Default::default() }],
    }
}

fn of_path(path: &Path, errors: &[syn::Expr]) -> Vec<TokenStream> {
    let each = |inner: &Type, f: &dyn Fn(TokenStream) -> TokenStream| -> Vec<TokenStream> {
        of_type(inner, errors).into_iter().map(f).collect()
    };
    let is_one_of = |names: &[&str]| names.iter().any(|n| path.is_ident(n));
    let last = path.segments.last();
    let last_name = last.map(|s| s.ident.to_string()).unwrap_or_default();
    if path.is_ident("bool") {
        vec![quote! { true }, quote! { false }]
    } else if path.is_ident("String") {
        vec![quote! { String::new() }, quote! { "xyzzy".into() }]
    } else if path.is_ident("str") {
        vec![quote! { "" }, quote! { "xyzzy" }]
    } else if is_one_of(&UNSIGNED) {
        vec![quote! { 0 }, quote! { 1 }]
    } else if is_one_of(&SIGNED) {
        vec![quote! { 0 }, quote! { 1 }, quote! { -1 }]
    } else if let Some(unsigned) = nonzero_int(&last_name) {
        nonzero(unsigned)
    } else if let Some(inner) = first_type_arg(path, "NonZero") {
        let unsigned =
            matches!(inner, Type::Path(p) if UNSIGNED.iter().any(|n| p.path.is_ident(n)));
        nonzero(unsigned)
    } else if is_one_of(&["f32", "f64"]) {
        vec![quote! { 0.0 }, quote! { 1.0 }, quote! { -1.0 }]
    } else if last_name == "Result" {
        let oks = match first_type_arg(path, "Result") {
            Some(ok) => each(ok, &|r| quote! { Ok(#r) }),
            None => vec![quote! { Ok(Default::default()) }],
        };
        oks.into_iter()
            .chain(errors.iter().map(|e| quote! { Err(#e) }))
            .collect()
    } else if last_name == "HttpResponse" {
        vec![quote! { HttpResponse::Ok().finish() }]
    } else if let Some(some) = first_type_arg(path, "Option") {
        std::iter::once(quote! { None })
            .chain(each(some, &|r| quote! { Some(#r) }))
            .collect()
    } else if let Some(elem) = first_type_arg(path, "Vec") {
        std::iter::once(quote! { vec![] })
            .chain(each(elem, &|r| quote! { vec![#r] }))
            .collect()
    } else if let Some(borrowed) = first_type_arg(path, "Cow") {
        of_type(borrowed, errors)
            .into_iter()
            .flat_map(|r| {
                [
                    quote! { Cow::Borrowed(#r) },
                    quote! { Cow::Owned(#r.to_owned()) },
                ]
            })
            .collect()
    } else if let Some((ident, inner)) = only_arg(path, &CONTAINERS) {
        each(inner, &|r| quote! { #ident::new(#r) })
    } else if let Some((ident, inner)) = only_arg(path, &COLLECTIONS) {
        std::iter::once(quote! { #ident::new() })
            .chain(each(inner, &|r| quote! { #ident::from_iter([#r]) }))
            .collect()
    } else if let Some((ident, key, value)) = map_args(path) {
        let values = of_type(value, errors);
        std::iter::once(quote! { #ident::new() })
            .chain(of_type(key, errors).into_iter().flat_map(|k| {
                values
                    .iter()
                    .map(move |v| quote! { #ident::from_iter([(#k, #v)]) })
            }))
            .collect()
    } else if let Some((ident, inner)) = one_type_arg(path) {
        std::iter::once(quote! { #ident::new() })
            .chain(of_type(inner, errors).into_iter().flat_map(|r| {
                [
                    quote! { #ident::from_iter([#r]) },
                    quote! { #ident::new(#r) },
                    quote! { #ident::from(#r) },
                ]
            }))
            .collect()
    } else {
        vec![quote! { Default::default() }]
    }
}

/// For `NonZeroU8`, ..., `NonZeroIsize`: whether it is unsigned.
fn nonzero_int(name: &str) -> Option<bool> {
    let int = name.strip_prefix("NonZero")?.to_lowercase();
    if UNSIGNED.contains(&int.as_str()) {
        Some(true)
    } else {
        SIGNED.contains(&int.as_str()).then_some(false)
    }
}

fn nonzero(unsigned: bool) -> Vec<TokenStream> {
    if unsigned {
        vec![quote! { 1.try_into().unwrap() }]
    } else {
        vec![
            quote! { 1.try_into().unwrap() },
            quote! { (-1).try_into().unwrap() },
        ]
    }
}

fn angle_args(
    path: &Path,
) -> Option<&syn::punctuated::Punctuated<GenericArgument, syn::Token![,]>> {
    match &path.segments.last()?.arguments {
        PathArguments::AngleBracketed(a) => Some(&a.args),
        _ => None,
    }
}

/// The first type argument of a path ending in `name`, lifetimes passed over; none when
/// another kind of argument comes first.
fn first_type_arg<'p>(path: &'p Path, name: &str) -> Option<&'p Type> {
    if path.segments.last()?.ident != name {
        return None;
    }
    for arg in angle_args(path)? {
        match arg {
            GenericArgument::Type(t) => return Some(t),
            GenericArgument::Lifetime(_) => {}
            _ => return None,
        }
    }
    None
}

/// For a path ending in one of `names` with exactly one argument, a type: its last ident and
/// that type.
fn only_arg<'p>(path: &'p Path, names: &[&str]) -> Option<(&'p syn::Ident, &'p Type)> {
    let last = path.segments.last()?;
    if !names.iter().any(|n| last.ident == n) {
        return None;
    }
    let args = angle_args(path)?;
    match (args.len(), args.first()) {
        (1, Some(GenericArgument::Type(t))) => Some((&last.ident, t)),
        _ => None,
    }
}

fn map_args(path: &Path) -> Option<(&syn::Ident, &Type, &Type)> {
    let last = path.segments.last()?;
    if !MAPS.iter().any(|n| last.ident == n) {
        return None;
    }
    let args: Vec<&GenericArgument> = angle_args(path)?.iter().collect();
    match args.as_slice() {
        [GenericArgument::Type(k), GenericArgument::Type(v)] => Some((&last.ident, k, v)),
        _ => None,
    }
}

/// A generic type with exactly one type argument (lifetimes and constants aside): maybe a
/// collection, maybe a container.
fn one_type_arg(path: &Path) -> Option<(&syn::Ident, &Type)> {
    let last = path.segments.last()?;
    let types: Vec<&Type> = angle_args(path)?
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect();
    match types.as_slice() {
        [t] => Some((&last.ident, t)),
        _ => None,
    }
}

/// `T` of `impl Iterator<Item = T>` (the `Item` binding written first).
fn iterator_item(t: &syn::TypeImplTrait) -> Option<&Type> {
    t.bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(tb) = bound else {
            return None;
        };
        let last = tb.path.segments.last()?;
        if last.ident != "Iterator" {
            return None;
        }
        let PathArguments::AngleBracketed(a) = &last.arguments else {
            return None;
        };
        match a.args.first()? {
            GenericArgument::AssocType(at) if at.ident == "Item" => Some(&at.ty),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::replacements;
    use crate::mutant_set::pretty::pretty;

    fn ret(ty: &str) -> Vec<String> {
        let output = syn::parse_str(&format!("-> {ty}")).unwrap();
        replacements(&output, &[]).iter().map(pretty).collect()
    }

    #[test]
    fn values_follow_cargo_mutants_table() {
        assert_eq!(ret("Result<Self, Error>"), ["Ok(Default::default())"]);
        assert_eq!(ret("fmt::Result"), ["Ok(Default::default())"]);
        assert_eq!(ret("&str"), ["\"\"", "\"xyzzy\""]);
        assert_eq!(
            ret("&mut str"),
            [
                "Box::leak(Box::new(\"\"))",
                "Box::leak(Box::new(\"xyzzy\"))"
            ]
        );
        assert_eq!(ret("Option<usize>"), ["None", "Some(0)", "Some(1)"]);
        assert_eq!(ret("std::sync::Arc<u8>"), ["Arc::new(0)", "Arc::new(1)"]);
        assert_eq!(ret("NonZeroU8"), ["1.try_into().unwrap()"]);
        assert_eq!(
            ret("NonZero<i8>"),
            ["1.try_into().unwrap()", "(-1).try_into().unwrap()"]
        );
        assert_eq!(
            ret("Thing<bool>"),
            [
                "Thing::new()",
                "Thing::from_iter([true])",
                "Thing::new(true)",
                "Thing::from(true)",
                "Thing::from_iter([false])",
                "Thing::new(false)",
                "Thing::from(false)",
            ]
        );
        assert_eq!(
            ret("(bool, u8)"),
            ["(true, 0)", "(true, 1)", "(false, 0)", "(false, 1)"]
        );
        assert_eq!(
            ret("impl Iterator<Item = u8>"),
            [
                "::std::iter::empty()",
                "::std::iter::once(0)",
                "::std::iter::once(1)"
            ]
        );
        assert!(ret("impl Fn()").is_empty());
        assert!(ret("!").is_empty());
        let errors = [syn::parse_str("anyhow!(\"mutated\")").unwrap()];
        let output = syn::parse_str("-> Result<bool>").unwrap();
        let with_errors: Vec<String> = replacements(&output, &errors).iter().map(pretty).collect();
        assert_eq!(
            with_errors,
            ["Ok(true)", "Ok(false)", "Err(anyhow!(\"mutated\"))"]
        );
    }
}
