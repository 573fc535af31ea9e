//! Content lints: the usual accessibility and privacy mistakes in what communicators write,
//! found on the parsed Markdown (and front matter) and reported with file and line.
//!
//! Each check is a pure function over one element; [`crate::markdown`] calls them while it walks
//! the events ([`crate::render`] too, for what [`crate::external`] finds in rendered pages), and
//! `site.yaml` (`lints:`) decides whether a finding is an error, a warning or off.

use std::path::Path;

use crate::config::{LintLevel, Lints};
use crate::diagnostics::Diagnostic;
use crate::external::Found;

/// The lints notis knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lint {
    /// An image without alternative text that is not marked decorative.
    ImageAltMissing,
    /// Alternative text that says nothing (the file name, "Bild av …").
    ImageAltQuality,
    /// Link text that does not say where the link leads.
    LinkText,
    /// A heading level skipped.
    HeadingSkip,
    /// A second h1.
    HeadingH1,
    /// Something loaded from another host.
    ExternalResource,
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which lint.
    pub lint: Lint,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// The image title that marks an image as decorative: `![](/bilder/x.svg "dekorativ")`.
pub const DECORATIVE: &str = "dekorativ";

const POOR_LINK_TEXTS: &[&str] = &["läs mer", "läs mer här", "klicka här", "här", "mer", "länk"];

impl Lints {
    /// The level of one lint.
    pub fn level(&self, lint: Lint) -> LintLevel {
        match lint {
            Lint::ImageAltMissing => self.image_alt_missing,
            Lint::ImageAltQuality => self.image_alt_quality,
            Lint::LinkText => self.link_text,
            Lint::HeadingSkip => self.heading_skip,
            Lint::HeadingH1 => self.heading_h1,
            Lint::ExternalResource => self.external_resource,
        }
    }

    /// The finding as a diagnostic at `path:line:column`, or `None` when the lint is off.
    pub fn diagnostic(
        &self,
        finding: Finding,
        path: &Path,
        line: usize,
        column: usize,
    ) -> Option<Diagnostic> {
        let diagnostic = match self.level(finding.lint) {
            LintLevel::Off => return None,
            LintLevel::Warning => Diagnostic::warning(path, line, finding.message),
            LintLevel::Error => Diagnostic::error(path, line, finding.message),
        };
        Some(diagnostic.at_column(column).with_hint(finding.hint))
    }
}

/// Checks an image's alternative text.
pub fn image(alt: &str, src: &str, decorative: bool) -> Option<Finding> {
    let alt = alt.trim();
    if alt.is_empty() {
        return (!decorative).then(|| Finding {
            lint: Lint::ImageAltMissing,
            message: format!("bilden \"{src}\" saknar alternativtext"),
            hint: format!(
                "beskriv vad bilden visar mellan hakparenteserna: ![Träd som symboliserar tillväxt]({src}); \
                 en bild som bara är dekoration markeras ![]({src} \"{DECORATIVE}\")"
            ),
        });
    }
    alt_quality(alt, src)
}

/// Checks that alternative text says something: not the file name, not "Bild av …".
pub fn alt_quality(alt: &str, src: &str) -> Option<Finding> {
    let lower = alt.trim().to_lowercase();
    let file = src.rsplit('/').next().unwrap_or(src).to_lowercase();
    let stem = file.rsplit_once('.').map_or(file.as_str(), |(stem, _)| stem);
    let is_file_name = !file.is_empty() && (lower == file || lower == stem);
    let starts_badly = ["bild av", "bild på", "foto av", "foto på"]
        .iter()
        .any(|p| lower.starts_with(p));
    if is_file_name {
        Some(Finding {
            lint: Lint::ImageAltQuality,
            message: format!("alternativtexten \"{alt}\" är bara filnamnet"),
            hint: "beskriv vad bilden visar, till exempel \"Porträtt av programchefen\"".into(),
        })
    } else if starts_badly {
        Some(Finding {
            lint: Lint::ImageAltQuality,
            message: format!(
                "alternativtexten \"{alt}\" börjar med \"{}\"",
                alt.split(' ').take(2).collect::<Vec<_>>().join(" ")
            ),
            hint: "skärmläsare säger redan att det är en bild; börja med vad den visar".into(),
        })
    } else {
        None
    }
}

/// Checks that a link's text says where it leads.
pub fn link_text(text: &str, href: &str) -> Option<Finding> {
    let trimmed = text.trim().trim_end_matches(['.', '!', ':', '…']).trim();
    let lower = trimmed.to_lowercase();
    let is_bare_url = !trimmed.is_empty()
        && (trimmed == href
            || lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www."));
    if POOR_LINK_TEXTS.contains(&lower.as_str()) {
        Some(Finding {
            lint: Lint::LinkText,
            message: format!("länktexten \"{trimmed}\" säger inte vart länken leder"),
            hint: "skriv vad läsaren hittar där, till exempel [rapporten om barns hälsa 2023](…)".into(),
        })
    } else if is_bare_url {
        Some(Finding {
            lint: Lint::LinkText,
            message: format!("länktexten är en webbadress ({trimmed})"),
            hint: "skriv namnet på sidan eller dokumentet som länktext i stället för adressen".into(),
        })
    } else {
        None
    }
}

/// Checks a body heading against the previous heading level (1 for the page title).
pub fn heading(level: u8, previous: u8) -> Option<Finding> {
    if level == 1 {
        Some(Finding {
            lint: Lint::HeadingH1,
            message: "rubriken med en # blir en andra huvudrubrik (h1) på sidan".into(),
            hint: "sidans titel är redan huvudrubrik; börja brödtextens rubriker med ##".into(),
        })
    } else if level > previous + 1 {
        Some(Finding {
            lint: Lint::HeadingSkip,
            message: format!("rubriknivån hoppar från {previous} till {level}"),
            hint: format!(
                "använd {} för en underrubrik här",
                "#".repeat(usize::from(previous) + 1)
            ),
        })
    } else {
        None
    }
}

/// Checks a front-matter image source for a resource loaded from another host than `site`.
pub fn image_source(src: &str, site: &url::Url) -> Option<Finding> {
    crate::url_policy::other_host(src, site).map(|_| Finding {
        lint: Lint::ExternalResource,
        message: format!(
            "bilden hämtas från en annan webbplats ({})",
            crate::url_policy::shorten(src)
        ),
        hint: IMAGE_HINT.into(),
    })
}

const IMAGE_HINT: &str =
    "lägg bilden i static/ och länka till den med /bilder/namn.jpg, så att läsarnas besök inte syns hos någon annan";

/// A URL in HTML that the browser fetches from another host: `writer` is who wrote it ("HTML-koden",
/// "mallen").
pub fn resource(found: &Found, writer: &str) -> Finding {
    let url = crate::url_policy::shorten(&found.url);
    let (message, hint) = if found.element == "img" && found.attribute == "src" {
        (
            format!("bilden hämtas från en annan webbplats ({url})"),
            IMAGE_HINT,
        )
    } else {
        (
            format!(
                "{writer} hämtar innehåll från en annan webbplats med {} ({url})",
                found.construct()
            ),
            "inbäddningar, typsnitt, stilar och skript från andra webbplatser lämnar ut besökarnas uppgifter; \
             lägg filen på webbplatsen eller länka i stället",
        )
    };
    Finding {
        lint: Lint::ExternalResource,
        message,
        hint: hint.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_text_rules() {
        assert_eq!(
            image("", "/b/x.png", false).map(|f| f.lint),
            Some(Lint::ImageAltMissing)
        );
        assert_eq!(image("", "/b/x.png", true), None);
        assert_eq!(
            image("x.png", "/b/x.png", false).map(|f| f.lint),
            Some(Lint::ImageAltQuality)
        );
        assert_eq!(
            image("X", "/b/x.png", false).map(|f| f.lint),
            Some(Lint::ImageAltQuality)
        );
        assert_eq!(
            image("Bild på ett träd", "/b/t.png", false).map(|f| f.lint),
            Some(Lint::ImageAltQuality)
        );
        assert_eq!(image("Ett äppelträd i blom", "/b/t.png", false), None);
    }

    #[test]
    fn link_text_rules() {
        for poor in [
            "Läs mer",
            "läs mer.",
            "Klicka här",
            "här",
            "https://example.se",
            "www.example.se",
        ] {
            assert!(link_text(poor, "https://example.se").is_some(), "{poor}");
        }
        assert_eq!(link_text("Rapporten om barns hälsa 2023", "/r.pdf"), None);
        assert_eq!(link_text("Härnösand", "/h"), None);
    }

    #[test]
    fn heading_rules() {
        assert_eq!(heading(1, 1).map(|f| f.lint), Some(Lint::HeadingH1));
        assert_eq!(heading(3, 1).map(|f| f.lint), Some(Lint::HeadingSkip));
        assert_eq!(heading(4, 2).map(|f| f.lint), Some(Lint::HeadingSkip));
        assert_eq!(heading(2, 1), None);
        assert_eq!(heading(2, 4), None);
    }

    #[test]
    fn external_images() {
        let site = url::Url::parse("https://example.se/").unwrap();
        assert!(image_source("https://cdn.example.com/a.png", &site).is_some());
        assert!(image_source("https:\\\\cdn.example.com/a.png", &site).is_some());
        assert!(image_source("/bilder/a.png", &site).is_none());
        assert!(image_source("https://example.se/bilder/a.png", &site).is_none());
    }
}
