//! The LinkedIn URL rule, read the way a browser (the WHATWG URL standard) reads the URL.
//!
//! Only the parts that decide the answer are parsed: the scheme, the authority and its host and
//! port. A URL parser crate would do the same and more, but this crate is also compiled for the
//! host by the `session!` macros, and the `url` crate's IDNA tables made that second build cost
//! every application several seconds (docs/benchmarks.md, section 7). The path, query and
//! fragment can never make an `http(s)` URL invalid, so they are not read.
//!
//! One difference from a full parser, on purpose: a host with characters outside ASCII (written
//! as such or percent-encoded) or an `xn--` label is not taken to be LinkedIn's, where IDNA
//! might map it to `linkedin.com` or one of its subdomains. LinkedIn gives its profile URLs in
//! ASCII, and such a URL is more likely a look-alike than a real profile. The tests compare this
//! reading with the `url` crate's on many URLs.

/// Whether `url` is an `http`/`https` URL whose host is `linkedin.com` or one of its subdomains:
/// the rule for `jdDetail.sampleProfileURL`, and for the profile URLs Reveal Contact takes.
///
/// The URL is read as browsers read it: surrounding spaces and control characters are ignored,
/// as are tabs and line breaks anywhere; the scheme and host are case-insensitive; user
/// information before an `@` is not the host; a port must be a number up to 65535. A host
/// written with characters outside ASCII is refused (see the module documentation).
///
/// ```
/// use fj_sourcing_query::is_linkedin_url;
/// assert!(is_linkedin_url("https://www.linkedin.com/in/someone"));
/// assert!(is_linkedin_url("HTTPS://WWW.LinkedIn.com:443/in/someone"));
/// assert!(!is_linkedin_url("https://evil-linkedin.com/in/someone"));
/// assert!(!is_linkedin_url("https://www.linkedin.com.evil.com/in/someone"));
/// assert!(!is_linkedin_url("https://www.linkedin.com@evil.com/in/someone"));
/// ```
pub fn is_linkedin_url(url: &str) -> bool {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    // Tabs and line breaks are dropped wherever they are; a copy only when there are some.
    let cleaned;
    let input = if trimmed.contains(['\t', '\n', '\r']) {
        cleaned = trimmed.replace(['\t', '\n', '\r'], "");
        cleaned.as_str()
    } else {
        trimmed
    };
    let Some((scheme, rest)) = input.split_once(':') else {
        return false;
    };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return false;
    }
    // Any run of slashes and backslashes after `http:` introduces the authority.
    let rest = rest.trim_start_matches(['/', '\\']);
    let authority = rest.split(['/', '\\', '?', '#']).next().unwrap_or("");
    // The host follows the last `@`; what comes before it is user information.
    let host_and_port = match authority.rfind('@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    if host_and_port.starts_with('[') {
        // An IPv6 address, or invalid: not LinkedIn either way.
        return false;
    }
    let (host, port) = match host_and_port.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_and_port, None),
    };
    if let Some(port) = port
        && !port.is_empty()
        && !(port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| p <= 65_535))
    {
        return false;
    }
    match percent_decoded_ascii(host) {
        Some(host) => is_linkedin_host(&host),
        None => false,
    }
}

/// The host with `%XX` escapes decoded, if it is ASCII throughout.
fn percent_decoded_ascii(host: &str) -> Option<String> {
    let bytes = host.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i..] {
            [b'%', high, low, ..] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                out.push(hex_value(high) << 4 | hex_value(low));
                i += 3;
            }
            // A `%` without two hex digits stays, and makes the host invalid below.
            [b, ..] => {
                out.push(b);
                i += 1;
            }
            [] => break,
        }
    }
    if !out.is_ascii() {
        return None;
    }
    String::from_utf8(out).ok()
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        _ => (digit | 0x20) - b'a' + 10,
    }
}

/// Whether an ASCII host, as written (case aside), is `linkedin.com` or a subdomain of it, and
/// a valid host: no character a domain cannot hold, and no `xn--` label (see the module
/// documentation).
fn is_linkedin_host(host: &str) -> bool {
    const SUFFIX: &str = ".linkedin.com";
    let bytes = host.as_bytes();
    let is_linkedin = host.eq_ignore_ascii_case(&SUFFIX[1..])
        || (bytes.len() >= SUFFIX.len()
            && bytes[bytes.len() - SUFFIX.len()..].eq_ignore_ascii_case(SUFFIX.as_bytes()));
    is_linkedin
        && !host.bytes().any(is_forbidden_in_domain)
        && !host
            .split('.')
            .any(|label| label.len() >= 4 && label[..4].eq_ignore_ascii_case("xn--"))
}

/// The WHATWG URL standard's forbidden domain code points, within ASCII.
fn is_forbidden_in_domain(b: u8) -> bool {
    b <= b' '
        || b == 0x7F
        || matches!(
            b,
            b'#' | b'%'
                | b'/'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'^'
                | b'|'
        )
}

#[cfg(test)]
mod tests {
    use super::is_linkedin_url;
    use crate::request::test_rng::Rng;

    /// The `url` crate's reading (the previous implementation of the rule).
    fn by_url_crate(input: &str) -> bool {
        let Ok(parsed) = url::Url::parse(input) else {
            return false;
        };
        let host = parsed.host_str().unwrap_or("");
        matches!(parsed.scheme(), "http" | "https")
            && (host == "linkedin.com" || host.ends_with(".linkedin.com"))
    }

    /// Where the two readings may differ by design: a host outside ASCII, or an `xn--` label.
    fn non_ascii_host(input: &str) -> bool {
        url::Url::parse(input).is_ok_and(|u| {
            u.host_str().is_some_and(|h| h.contains("xn--"))
                || input.split('/').nth(2).is_some_and(|a| !a.is_ascii())
                || input.to_ascii_lowercase().contains("%c")
                || input.to_ascii_lowercase().contains("%e")
        })
    }

    const CASES: &[&str] = &[
        "https://www.linkedin.com/in/someone",
        "http://linkedin.com/in/x",
        "https://in.linkedin.com/in/x?trk=1#top",
        "https://LINKEDIN.COM",
        "HtTpS://Www.LinkedIn.Com/in/x",
        "  https://www.linkedin.com/in/x \n",
        "\u{1}https://www.linkedin.com/in/x\u{7}",
        "ht\ttps://www.link\nedin.com/in/x",
        "https:www.linkedin.com/in/x",
        "https:///www.linkedin.com/in/x",
        "https:\\\\www.linkedin.com\\in\\x",
        "https://user:pass@www.linkedin.com/in/x",
        "https://@www.linkedin.com/in/x",
        "https://a@b@www.linkedin.com/in/x",
        "https://www.linkedin.com@evil.com/in/x",
        "https://www.linkedin.com:443/in/x",
        "https://www.linkedin.com:/in/x",
        "https://www.linkedin.com:00000000443/in/x",
        "https://www.linkedin.com:65536/in/x",
        "https://www.linkedin.com:+443/in/x",
        "https://www.linkedin.com:4a/in/x",
        "https://www.linkedin.com.:443/in/x",
        "https://www.linkedin.com./in/x",
        "https://www..linkedin.com/in/x",
        "https://.linkedin.com/in/x",
        "https://linkedin.com.evil.com",
        "https://evil-linkedin.com",
        "https://evillinkedin.com",
        "https://www.%6Cinkedin.com/in/x",
        "https://www.linkedin%2Ecom/in/x",
        "https://www.linkedin.com%2F/in/x",
        "https://www.linked%in.com/in/x",
        "https://www.linked%zzin.com/in/x",
        "https://a b.linkedin.com/in/x",
        "https://a<b.linkedin.com/in/x",
        "https://a^b.linkedin.com/in/x",
        "https://a|b.linkedin.com/in/x",
        "https://a_b.linkedin.com/in/x",
        "https://a-.linkedin.com/in/x",
        "https://-a.linkedin.com/in/x",
        "https://a*b.linkedin.com/in/x",
        "https://a!b$c&d'e(f)g+h,i;j=k~l.linkedin.com/in/x",
        "https://a\"b.linkedin.com/in/x",
        "https://a`b{c}.linkedin.com/in/x",
        "https://xn--.linkedin.com/in/x",
        "https://[::1]/in/x",
        "https://[www.linkedin.com]/in/x",
        "https://1.2.3.4/in/x",
        "https://0x7f.linkedin.com/in/x",
        "ftp://linkedin.com/in/x",
        "file://linkedin.com/in/x",
        "linkedin.com/in/x",
        "//www.linkedin.com/in/x",
        "https://",
        "https:",
        "https://?x",
        "https://:443",
        "https://user@",
        "",
        "   ",
        "1https://www.linkedin.com",
        "h_ttps://www.linkedin.com",
        "https://www.linkedin.com?x=@evil.com",
        "https://www.linkedin.com#@evil.com",
        "https://evil.com\\@www.linkedin.com",
        "https://evil.com?@www.linkedin.com",
    ];

    #[test]
    fn reads_urls_as_the_url_crate_does() {
        for case in CASES {
            assert_eq!(
                is_linkedin_url(case),
                by_url_crate(case),
                "{case:?} (url crate: {:?})",
                url::Url::parse(case).map(|u| u.host_str().map(str::to_owned))
            );
        }
    }

    #[test]
    fn hosts_outside_ascii_are_refused_where_idna_could_map_them() {
        for case in [
            "https://ｗｗｗ.linkedin.com/in/x",
            "https://www.ｌｉｎｋｅｄｉｎ.com/in/x",
            "https://www.linkedin。com/in/x",
            "https://bücher.linkedin.com/in/x",
            "https://xn--bcher-kva.linkedin.com/in/x",
            "https://b%C3%BCcher.linkedin.com/in/x",
        ] {
            assert!(!is_linkedin_url(case), "{case:?}");
        }
    }

    #[test]
    fn agrees_with_the_url_crate_on_generated_urls() {
        const PIECES: &[&str] = &[
            "https", "http", "HTTP", "ftp", ":", "//", "/", "\\", "@", "?", "#", "[", "]", ".",
            "linkedin", "LinkedIn", ".com", "com", "www", "in", "evil", "-", "_", "%", "%2e",
            "%41", "%zz", " ", "\t", "\n", "\u{1}", "\u{7f}", "0", "443", "65536", "x", "xn--",
            "<", "^", "|", "'", "~", "%40", "%3A",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut accepted = 0;
        for _ in 0..60_000 {
            let mut url = String::new();
            if rng.below(3) > 0 {
                url.push_str(["https://", "http://", "HTTPS:", "https:\\\\"][rng.below(4)]);
            }
            if rng.below(2) == 0 {
                url.push_str(
                    ["www.linkedin.com", "linkedin.com", "a.b.linkedin.com"][rng.below(3)],
                );
            }
            for _ in 0..rng.below(6) {
                let at = rng.below(url.len() + 1);
                if url.is_char_boundary(at) {
                    url.insert_str(at, PIECES[rng.below(PIECES.len())]);
                }
            }
            if non_ascii_host(&url) {
                continue;
            }
            let ours = is_linkedin_url(&url);
            assert_eq!(ours, by_url_crate(&url), "{url:?}");
            accepted += usize::from(ours);
        }
        assert!(accepted > 2_000, "only {accepted} LinkedIn URLs generated");
    }
}
