//! Which URLs a site may publish: the one decision used for Markdown links and images, attributes of
//! raw HTML, front-matter URL fields and every URL attribute of a rendered page.
//!
//! Only `http`, `https`, `mailto`, `tel` and relative URLs (a path, `#…`, `?…`) are accepted. The
//! decision is made on the URL as a browser would read it after decoding HTML entities and
//! percent-encoding and dropping the whitespace and control characters browsers ignore, so
//! `jav&#x61;script:`, `JAVASCRIPT:` and ` \tjavascript:` are all caught. Also owns whether a URL,
//! resolved like a browser resolves it against the site's address, reaches another host.

use std::borrow::Cow;

/// The schemes a published URL may have; anything else is an error.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The hint given with every rejected URL.
pub const HINT: &str =
    "skriv en webbadress som börjar med https://, en e-postadress som mailto:namn@example.se, \
                        ett telefonnummer som tel:+46…, eller en sökväg på webbplatsen som /kontakt/";

/// A URL whose scheme is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The scheme as the browser would see it, lower case (`javascript`).
    pub scheme: String,
}

/// Accepts `url` when a browser would read it as `http`, `https`, `mailto`, `tel` or a relative URL.
pub fn check(url: &str) -> Result<(), Rejected> {
    let accept = |view: &str| match scheme_of(view) {
        Some(scheme) if !ALLOWED_SCHEMES.contains(&scheme.as_str()) => Err(Rejected { scheme }),
        _ => Ok(()),
    };
    accept(url)?;
    // Most URLs have nothing to decode; a page has hundreds of them.
    if url.contains(['&', '%']) {
        accept(&decode(url))?;
    }
    Ok(())
}

/// The URL with HTML entities and percent-encoding decoded until nothing changes (a few rounds at
/// most, so `&amp;#x61;` and `%26%23x61;` are seen through too).
fn decode(url: &str) -> Cow<'_, str> {
    let mut current = Cow::Borrowed(url);
    for _ in 0..3 {
        let entities = htmlize::unescape(current.as_ref()).into_owned();
        let percent = percent_encoding::percent_decode_str(&entities)
            .decode_utf8_lossy()
            .into_owned();
        if percent == current.as_ref() {
            break;
        }
        current = Cow::Owned(percent);
    }
    current
}

/// The scheme of `url` in lower case, read like the WHATWG URL parser reads it: leading spaces and
/// control characters dropped, tabs and line breaks anywhere ignored; `None` for a relative URL.
fn scheme_of(url: &str) -> Option<String> {
    // A path, a fragment or a query names no scheme: decided without allocating.
    if url.starts_with(['/', '#', '?', '.']) {
        return None;
    }
    let mut scheme = String::new();
    for c in url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
    {
        match c {
            ':' => return (!scheme.is_empty()).then_some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => scheme.push(c),
            _ => return None,
        }
    }
    None
}

impl Rejected {
    /// The error message for a URL in `place` ("länken", "bilden", "\"feedback\""…).
    pub fn message(&self, place: &str, url: &str) -> String {
        format!(
            "{place} \"{}\" har adresstypen \"{}:\", som inte är tillåten",
            shorten(url),
            self.scheme
        )
    }
}

/// At most 80 characters of `url`, for messages (a `data:` URL can be many kilobytes).
pub fn shorten(url: &str) -> Cow<'_, str> {
    match url.char_indices().nth(80) {
        Some((end, _)) => Cow::Owned(format!("{}…", &url[..end])),
        None => Cow::Borrowed(url),
    }
}

/// The host `url` makes the browser contact when it is not the site's own: `url` is resolved
/// against `site` (the site's `base_url`) the way a browser resolves it, backslashes, tabs and
/// control characters included. A URL without a host (`mailto:`, `data:`, a path) contacts none.
pub fn other_host(url: &str, site: &url::Url) -> Option<String> {
    let resolved = match url::Url::options().base_url(Some(site)).parse(url) {
        Ok(resolved) => resolved,
        // A URL the browser cannot parse loads nothing, unless it is meant to name a host: then it
        // is reported rather than trusted.
        Err(_) => {
            let lower = url.trim().to_ascii_lowercase();
            let names_host = lower.starts_with("//")
                || lower.starts_with("\\\\")
                || lower.starts_with("http:")
                || lower.starts_with("https:");
            return names_host.then(|| shorten(url).into_owned());
        }
    };
    let host = resolved.host_str()?;
    (Some(host) != site.host_str()).then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(url: &str) -> Option<String> {
        check(url).err().map(|r| r.scheme)
    }

    #[test]
    fn web_mail_phone_and_relative_urls_are_accepted() {
        for url in [
            "https://www.digg.se/",
            "HTTP://example.se",
            "mailto:a@example.se",
            "tel:+4647000000",
            "/kontakt/",
            "../natverket/kliniker.md",
            "#rubrik",
            "?sida=2",
            "bilder/a:b.svg",
            "",
        ] {
            assert_eq!(rejected(url), None, "{url}");
        }
    }

    #[test]
    fn script_and_data_urls_are_rejected_however_they_are_written() {
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JavaScript:alert(1)", "javascript"),
            ("  \u{1}javascript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("jav&#x61;script:alert(1)", "javascript"),
            ("jav&#97;script:alert(1)", "javascript"),
            ("javascript&colon;alert(1)", "javascript"),
            ("%6Aavascript:alert(1)", "javascript"),
            ("&amp;#x6A;avascript:alert(1)", "javascript"),
            ("vbscript:msgbox", "vbscript"),
            ("data:text/html;base64,PHNjcmlwdD4=", "data"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(rejected(url).as_deref(), Some(scheme), "{url}");
        }
    }

    #[test]
    fn hosts_are_found_as_a_browser_resolves_them() {
        let site = url::Url::parse("https://example.se/barnhalsa/").unwrap();
        for url in [
            "https://evil.example/a.png",
            "//evil.example/a.png",
            "\\\\evil.example/a.png",
            "https:\\\\evil.example/a.png",
            "https:/\\evil.example",
            " \thttps://evil.example/",
            "HTTPS://EVIL.EXAMPLE/",
        ] {
            assert_eq!(other_host(url, &site).as_deref(), Some("evil.example"), "{url}");
        }
        for url in [
            "/barnhalsa/bilder/a.png",
            "bilder/a.png",
            "https://example.se/bilder/a.png",
            "mailto:a@example.se",
            "data:image/png;base64,AAAA",
            "#top",
        ] {
            assert_eq!(other_host(url, &site), None, "{url}");
        }
    }

    #[test]
    fn long_urls_are_shortened_in_messages() {
        let long = format!("data:{}", "A".repeat(200));
        assert_eq!(shorten(&long).chars().count(), 81);
        assert_eq!(shorten("/kort"), "/kort");
    }
}
