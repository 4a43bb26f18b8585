//! Compile-time validated request bodies for the FutureJobs Sourcing API: `session!` (JSON in a
//! string literal) and `include_session!` (JSON in a file), both expanding to a
//! `SessionRequest`.
//!
//! The check is not a second implementation of the rules: the macros call
//! `SessionRequest::from_json` of [`fj-sourcing-query`](fj_sourcing_query) while the calling
//! crate compiles, the very function that parses JSON at run time, and report its `BuildError`
//! word for word as the compile error. The expansion hands the same, already accepted text to a
//! hidden constructor that returns the request without a `Result`.
//!
//! Use them through `fj-sourcing`, which re-exports both at its root (`fj_sourcing::session!`).
//! Called directly, the expansion names `::fj_sourcing_query::SessionRequest`; a crate that
//! re-exports the query crate passes its own path first:
//! `fj_sourcing_macros::session!(crate = $crate, r#"..."#)`. That is what `fj-sourcing` does, so
//! its users need no dependency on the query crate.

use std::path::Path;

use fj_sourcing_query::SessionRequest;
use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2, TokenTree};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Token, parse_macro_input};

/// `[crate = <path>,] "<string literal>" [,]`
struct Input {
    /// Where `SessionRequest` lives in the caller's crate graph.
    krate: TokenStream2,
    literal: LitStr,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut krate = quote!(::fj_sourcing_query);
        if input.peek(Token![crate]) && input.peek2(Token![=]) {
            input.parse::<Token![crate]>()?;
            input.parse::<Token![=]>()?;
            // Taken as raw tokens up to the comma, so that `$crate` (an identifier only a macro
            // can write) passes through untouched and keeps resolving to the re-exporting crate.
            let mut path = TokenStream2::new();
            while !input.peek(Token![,]) {
                if input.is_empty() {
                    return Err(input.error("expected `,` after `crate = <path>`"));
                }
                path.extend([input.parse::<TokenTree>()?]);
            }
            input.parse::<Token![,]>()?;
            krate = path;
        }
        let literal: LitStr = input.parse().map_err(|err| {
            syn::Error::new(
                err.span(),
                "expected a string literal, such as r#\"{ \"queries\": { .. } }\"#",
            )
        })?;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        if !input.is_empty() {
            return Err(input.error("expected nothing after the string literal"));
        }
        Ok(Input { krate, literal })
    }
}

/// The expression both macros expand to once `json` is known to be valid.
fn construct(krate: &TokenStream2, json: &LitStr) -> TokenStream2 {
    quote!(#krate::SessionRequest::__from_checked_json(#json))
}

/// A compile error at `span`.
fn error(span: Span, message: impl std::fmt::Display) -> TokenStream {
    syn::Error::new(span, message).to_compile_error().into()
}

/// A `SessionRequest` from a JSON string literal in the Create Sourcing Session body shape,
/// validated at compile time by `SessionRequest::from_json`; see the crate documentation.
///
/// Every problem is reported in one compile error on the literal, in the words of
/// `BuildError`'s `Display`: `invalid session request: queries.years_of_experience_raw.value:
/// range 5..=1 is inverted`.
#[proc_macro]
pub fn session(input: TokenStream) -> TokenStream {
    let Input { krate, literal } = parse_macro_input!(input as Input);
    match SessionRequest::from_json(&literal.value()) {
        Ok(_) => construct(&krate, &literal).into(),
        Err(err) => error(literal.span(), err),
    }
}

/// A `SessionRequest` from a JSON file, the path relative to the including crate's
/// `CARGO_MANIFEST_DIR`, validated at compile time like [`session!`].
///
/// The file's text is embedded in the program; the expansion also `include_bytes!`es the file,
/// so that cargo rebuilds the crate, and checks the file again, whenever it changes.
#[proc_macro]
pub fn include_session(input: TokenStream) -> TokenStream {
    let Input { krate, literal } = parse_macro_input!(input as Input);
    let relative = literal.value();
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return error(
            literal.span(),
            "include_session! resolves its path against CARGO_MANIFEST_DIR, which is not set: build with cargo",
        );
    };
    let path = Path::new(&manifest_dir).join(&relative);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => return error(literal.span(), format!("`{relative}` is not UTF-8 text")),
        },
        Err(err) => {
            return error(
                literal.span(),
                format!("cannot read `{relative}` (relative to CARGO_MANIFEST_DIR): {err}"),
            );
        }
    };
    if let Err(err) = SessionRequest::from_json(&text) {
        return error(literal.span(), format!("`{relative}`: {err}"));
    }
    let Some(absolute) = path.to_str() else {
        return error(
            literal.span(),
            format!("the path of `{relative}` is not UTF-8, which `include_bytes!` needs"),
        );
    };
    let tracked = LitStr::new(absolute, literal.span());
    // The text that was checked, not a second read of the file: the two cannot differ.
    let json = LitStr::new(&text, literal.span());
    let construct = construct(&krate, &json);
    quote!({
        // Only for cargo's dependency tracking: an edit to the file rebuilds the crate.
        const _: &[u8] = ::core::include_bytes!(#tracked);
        #construct
    })
    .into()
}
