//! notis: a static site generator for the news pages of Swedish health-care networks and regions.
//!
//! The pipeline runs one way: [`config`], [`theme`] and [`content`] load the inputs; [`markdown`]
//! renders bodies; [`site`] computes the model (with [`related`] and [`lifecycle`]); [`render`] turns it
//! into HTML through tera templates; [`output`] writes it atomically. [`build`] ties the stages
//! together and every problem on the way is a [`diagnostics::Diagnostic`]. What a page may publish is
//! decided in one place each: [`url_policy`] (URL schemes and hosts), [`raw_html`] (the sanitiser)
//! and [`external`] (what the parsed HTML fetches from other hosts).

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod external;
pub mod i18n;

pub mod lifecycle;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod raw_html;
pub mod related;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod template_graph;
pub mod theme;
pub mod url_policy;
mod yaml;

pub use build::{build, check, load, BuildReport, CheckReport, OUTPUT_DIR, SOON_DAYS};
pub use site::BuildOptions;
