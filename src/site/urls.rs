//! Slugs and URLs: Swedish-aware slugs, pretty URLs and the site's base path.
//!
//! Every URL in the model is a path relative to the site root without a leading slash
//! (`barnens-basta/samverkan/`); [`Urls`] turns it into what templates get: the path with the base
//! path (`/barnhalsa/barnens-basta/samverkan/`) or the absolute permalink.

/// Turns a title or file name into a URL segment: lower case, å and ä → a, ö → o, é → e,
/// anything else that is not a letter or digit → a single hyphen, no hyphen at either end.
///
/// The result holds only `a-z`, `0-9` and `-`, so it can never leave the output directory.
pub fn slugify(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'å' | 'ä' | 'Å' | 'Ä' => folded.push('a'),
            'ö' | 'Ö' => folded.push('o'),
            _ => folded.push(c),
        }
    }
    slug::slugify(folded)
}

/// Builds the URLs templates see from model paths.
#[derive(Debug, Clone)]
pub struct Urls {
    base_url: String,
    base_path: String,
}

impl Urls {
    /// URLs for a site whose root is `base_url` (ending with `/`) at path `base_path` (ending with `/`).
    pub fn new(base_url: &str, base_path: &str) -> Urls {
        Urls {
            base_url: base_url.to_string(),
            base_path: base_path.to_string(),
        }
    }

    /// The path to use in links: `/barnhalsa/` + `path`.
    pub fn path(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// The absolute URL: `https://example.se/barnhalsa/` + `path`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The site's base path.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

/// The output file for a pretty URL path (`a/b/` → `a/b/index.html`).
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_fold_as_in_the_glossary() {
        assert_eq!(
            slugify("Vad hände 2023 – vad händer 2024?"),
            "vad-hande-2023-vad-hander-2024"
        );
        assert_eq!(slugify("Överenskommelse för Åre"), "overenskommelse-for-are");
        assert_eq!(slugify("Café Bärnsten"), "cafe-barnsten");
    }

    #[test]
    fn punctuation_becomes_single_hyphens_and_nothing_escapes() {
        assert_eq!(slugify("  Barn -- och   unga!! "), "barn-och-unga");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("…"), "");
    }

    #[test]
    fn base_path_is_prefixed() {
        let urls = Urls::new("https://example.se/barnhalsa/", "/barnhalsa/");
        assert_eq!(urls.path("nyheter/a/"), "/barnhalsa/nyheter/a/");
        assert_eq!(urls.path(""), "/barnhalsa/");
        assert_eq!(
            urls.permalink("nyheter/a/"),
            "https://example.se/barnhalsa/nyheter/a/"
        );
        assert_eq!(output_file("nyheter/a/"), "nyheter/a/index.html");
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("404.html"), "404.html");
    }
}
