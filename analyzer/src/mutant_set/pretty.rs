//! Token text as cargo-mutants prints it in mutant names: `Result<Self, Error>`,
//! `<impl Display for Version>::fmt`, `Ok(Default::default())`. Its spacing rules differ from
//! `TokenStream`'s `Display` (`Result < Self , Error >`), and names must match it byte for byte.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

/// `tokens` printed with cargo-mutants' spacing.
pub(crate) fn pretty(tokens: &impl ToTokens) -> String {
    let mut out = String::new();
    write_stream(tokens.to_token_stream(), &mut out);
    out
}

fn write_stream(stream: TokenStream, out: &mut String) {
    let mut tokens = stream.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let next = tokens.peek();
        match token {
            TokenTree::Punct(p) => {
                let c = p.as_char();
                // `a || b` and closures keep a space before a bar.
                if c == '|' && !out.is_empty() && !out.ends_with(' ') && !out.ends_with('|') {
                    out.push(' ');
                }
                out.push(c);
                if next.is_some() && (out.ends_with("->") || c == ',' || c == ';') {
                    out.push(' ');
                }
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if out.ends_with('=') || out.ends_with("=>") || out.ends_with('|') {
                    out.push(' ');
                }
                out.push_str(&token.to_string());
                let spaced = match next {
                    Some(TokenTree::Ident(_) | TokenTree::Literal(_)) => true,
                    Some(TokenTree::Punct(p)) => {
                        !matches!(p.as_char(), ',' | ';' | '<' | '>' | ':' | '.' | '!')
                    }
                    Some(TokenTree::Group(_)) | None => false,
                };
                if spaced {
                    out.push(' ');
                }
            }
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_stream(g.stream(), out);
                out.push_str(close);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pretty;
    use quote::quote;

    #[test]
    fn spacing_follows_cargo_mutants() {
        let cases = [
            (
                quote! { <impl Iterator for Merge < A , B > > :: next },
                "<impl Iterator for Merge<A, B>>::next",
            ),
            (
                quote! { -> Option < Self :: Item > },
                "-> Option<Self::Item>",
            ),
            (quote! { Lex < 'buf >::take }, "Lex<'buf>::take"),
            (
                quote! { impl Iterator < Item = String > },
                "impl Iterator<Item = String>",
            ),
            (quote! { "warning" | "error" }, "\"warning\" | \"error\""),
            (quote! { fair || foul }, "fair || foul"),
            (quote! { a => b }, "a => b"),
            (quote! { Ok(Default::default()) }, "Ok(Default::default())"),
            (quote! { "xyzzy".into() }, "\"xyzzy\".into()"),
        ];
        for (tokens, want) in cases {
            assert_eq!(pretty(&tokens), want);
        }
    }
}
