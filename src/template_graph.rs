//! The links between a theme's templates, refused before rendering when they could never end.
//!
//! Tera follows `{% extends %}`, `{% import %}`, `{% include %}` and macro calls without a limit of
//! its own: a template that includes itself (directly or through others), an extends or import
//! cycle, or a macro that calls itself overflows the stack and aborts the whole process, with no
//! message and a half-written build left behind. This module walks the parsed templates (tera's
//! AST, so comments and `{% raw %}` do not count) into a graph of templates and macros and reports
//! every cycle, and every chain nested deeper than [`MAX_NESTING`], at the tag that closes it.
//!
//! Macro recursion is refused outright rather than allowed up to a depth: tera gives no hook to
//! count macro calls while rendering, so a cap could only be had by rewriting its AST, and a
//! recursive macro is never needed by a theme, whose model (every list in it) is computed in
//! Rust. With no cycle, every chain of nested templates and macros is at most as long as the
//! graph, and [`MAX_NESTING`] bounds that too. (Nesting inside one template is not counted: it
//! takes hundreds of tags nested in one another to overflow, and a few hundred more overflow
//! tera's own parser, before any check could run.)

use std::collections::{BTreeMap, HashMap};

use tera::ast::{Expr, ExprVal, Node};
use tera::Template;

use crate::diagnostics::{line_of_offset, Diagnostic};
use crate::theme::TemplateSource;

/// How many templates and macros may be nested in one another (a page template including a
/// partial that calls a macro is three). Themes nest a handful; a debug build, on a 2 MB thread
/// stack, renders 50 macros nested in one another, each call inside four nested tags.
pub const MAX_NESTING: usize = 32;

/// How one template or macro uses another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Link {
    Include,
    Extends,
    Import,
    Call,
}

/// A node of the graph: a template by name, or a macro by its file and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Unit<'a> {
    Template(&'a str),
    Macro { file: &'a str, name: &'a str },
}

impl Unit<'_> {
    fn shown(&self) -> String {
        match self {
            Unit::Template(name) => (*name).to_string(),
            Unit::Macro { file, name } => format!("{name}() i {file}"),
        }
    }
}

/// What a tag to find looks like: `{% include "x" %}` and the like, or a call `ns::name(…)`.
#[derive(Debug, Clone, Copy)]
enum Needle<'a> {
    Tag { keyword: &'a str, target: &'a str },
    Call { namespace: &'a str, name: &'a str },
}

/// One use of a unit by another, with where the tag that makes it is.
#[derive(Debug)]
struct Edge<'a> {
    to: usize,
    link: Link,
    /// The template whose text holds the tag.
    file: &'a str,
    /// The macro whose body holds the tag, if any.
    within: Option<&'a str>,
    needle: Needle<'a>,
}

struct Graph<'a> {
    units: Vec<Unit<'a>>,
    edges: Vec<Vec<Edge<'a>>>,
}

/// What a depth-first search over some of the links found.
struct Search<'g, 'a> {
    /// Each cycle once: the units from where it starts to where it closes, and the closing edge.
    cycles: Vec<(Vec<usize>, &'g Edge<'a>)>,
    /// Every unit, each after all the units it links to (when there is no cycle).
    finished: Vec<usize>,
}

/// Every cycle among `parsed` (the theme's templates, parsed, by name) and the deepest chain if
/// it is nested deeper than [`MAX_NESTING`], each at the template file and line that closes it.
pub fn problems(
    parsed: &BTreeMap<String, Template>,
    sources: &BTreeMap<String, TemplateSource>,
) -> Vec<Diagnostic> {
    let graph = Graph::new(parsed);
    let at = |edge: &Edge| -> (std::path::PathBuf, usize, usize) {
        let source = sources.get(edge.file);
        let (line, column) = source
            .and_then(|s| locate(&s.text, edge.within, edge.needle))
            .unwrap_or((0, 0));
        let shown = source.map_or_else(|| edge.file.into(), |s| s.display_path.clone());
        (shown, line, column)
    };
    let mut problems = Vec::new();
    for links in [
        &[Link::Extends][..],
        &[Link::Import],
        &[Link::Include, Link::Call],
    ] {
        let search = graph.search(links);
        for (path, closing) in &search.cycles {
            let chain: Vec<String> = path
                .iter()
                .chain(std::iter::once(&closing.to))
                .map(|&unit| graph.units[unit].shown())
                .collect();
            let (file, line, column) = at(closing);
            let (message, hint) = cycle_text(&graph, path, closing, &chain.join(" → "));
            problems.push(
                Diagnostic::error(file, line, message)
                    .at_column(column)
                    .with_hint(hint),
            );
        }
        if links.contains(&Link::Call) && search.cycles.is_empty() {
            problems.extend(graph.too_deep(&search.finished, links).map(|(chain, closing)| {
                let (file, line, column) = at(closing);
                Diagnostic::error(
                    file,
                    line,
                    format!(
                        "mallar och makron är nästlade i {} led, fler än de {MAX_NESTING} som notis tillåter: {}",
                        chain.len(),
                        abbreviated(&graph, &chain)
                    ),
                )
                .at_column(column)
                .with_hint("så djup nästling kan få bygget att krascha; låt mallarna ta in (include) och anropa färre mallar och makron i varandra")
            }));
        }
    }
    problems
}

/// The message and the hint for a cycle, by the kind of link that closes it.
fn cycle_text(graph: &Graph, path: &[usize], closing: &Edge, chain: &str) -> (String, String) {
    let alone = path.len() == 1;
    let target = match closing.needle {
        Needle::Tag { target, .. } => target,
        Needle::Call { name, .. } => name,
    };
    match closing.link {
        Link::Extends => (
            if alone {
                format!("mallen ärver från sig själv (extends): {chain}")
            } else {
                format!("mallarna ärver från varandra i en ring (extends): {chain}")
            },
            format!(
                "en mall kan inte ärva från sig själv, varken direkt eller via andra mallar; ta bort {{% extends \"{target}\" %}} här eller låt en annan mall i ringen ärva från en mall utanför den"
            ),
        ),
        Link::Import => (
            if alone {
                format!("mallen importerar makron från sig själv (import): {chain}")
            } else {
                format!("mallarna importerar makron från varandra i en ring (import): {chain}")
            },
            format!(
                "ta bort {{% import \"{target}\" … %}}: en fils egna makron anropas med self::namn(), och makron som två filer behöver kan ligga i en tredje"
            ),
        ),
        Link::Include | Link::Call => {
            let macros = path
                .iter()
                .filter(|&&unit| matches!(graph.units[unit], Unit::Macro { .. }))
                .count();
            let message = if macros == 0 && alone {
                format!("mallen tar in sig själv (include): {chain}")
            } else if macros == 0 {
                format!("mallarna tar in varandra i en ring (include): {chain}")
            } else if macros == 1 && alone {
                format!("makrot {target}() anropar sig självt: {chain}")
            } else if macros == path.len() {
                format!("makron anropar varandra i en ring: {chain}")
            } else {
                format!("mallar och makron anropar varandra i en ring: {chain}")
            };
            let hint = if macros == 0 {
                format!(
                    "en mall som tar in sig själv, direkt eller via andra mallar, tar aldrig slut; ta bort {{% include \"{target}\" %}} här eller i en annan mall i ringen"
                )
            } else {
                "notis tillåter inte makron som anropar sig själva, varken direkt eller via andra makron och mallar, eftersom det kan få bygget att krascha; skriv ut nivåerna var för sig i stället".to_string()
            };
            (message, hint)
        }
    }
}

/// A long chain with its middle left out: `a.html → b.html → … → y.html → z.html`.
fn abbreviated(graph: &Graph, chain: &[usize]) -> String {
    let shown: Vec<String> = chain.iter().map(|&unit| graph.units[unit].shown()).collect();
    if shown.len() <= 5 {
        return shown.join(" → ");
    }
    format!(
        "{} → … → {}",
        shown[..2].join(" → "),
        shown[shown.len() - 2..].join(" → ")
    )
}

impl<'a> Graph<'a> {
    fn new(parsed: &'a BTreeMap<String, Template>) -> Graph<'a> {
        let mut units: Vec<Unit<'a>> = parsed.keys().map(|name| Unit::Template(name)).collect();
        for (file, template) in parsed {
            let mut names: Vec<&String> = template.macros.keys().collect();
            names.sort();
            units.extend(names.into_iter().map(|name| Unit::Macro { file, name }));
        }
        let index: HashMap<Unit<'a>, usize> = units.iter().enumerate().map(|(i, &u)| (u, i)).collect();

        // Which files a namespace can stand for. Tera resolves a call by the template being
        // rendered, merging namespaces through imports and parents; every binding that can arise
        // is one of these, so a call is linked to every macro it could reach.
        let mut bindings: HashMap<&str, Vec<&str>> = HashMap::new();
        for (file, template) in parsed {
            if !template.macros.is_empty() {
                bindings.entry("self").or_default().push(file);
            }
            for (imported, namespace) in &template.imported_macro_files {
                if let Some((imported, _)) = parsed.get_key_value(imported) {
                    bindings.entry(namespace).or_default().push(imported);
                }
            }
        }

        let mut edges: Vec<Vec<Edge<'a>>> = units.iter().map(|_| Vec::new()).collect();
        for (file, template) in parsed {
            let from = index[&Unit::Template(file)];
            if let Some((parent, _)) = template.parent.as_ref().and_then(|p| parsed.get_key_value(p)) {
                edges[from].push(Edge {
                    to: index[&Unit::Template(parent)],
                    link: Link::Extends,
                    file,
                    within: None,
                    needle: Needle::Tag {
                        keyword: "extends",
                        target: parent,
                    },
                });
            }
            for (imported, _) in &template.imported_macro_files {
                if let Some((imported, _)) = parsed.get_key_value(imported) {
                    edges[from].push(Edge {
                        to: index[&Unit::Template(imported)],
                        link: Link::Import,
                        file,
                        within: None,
                        needle: Needle::Tag {
                            keyword: "import",
                            target: imported,
                        },
                    });
                }
            }
            let mut bodies = vec![(from, None, template.ast.as_slice())];
            bodies.extend(template.macros.iter().map(|(name, definition)| {
                let unit = index[&Unit::Macro { file, name }];
                (unit, Some(name.as_str()), definition.body.as_slice())
            }));
            for (unit, within, body) in bodies {
                for reference in references(body) {
                    match reference {
                        Reference::Include(names) => {
                            // Tera renders the first of the names that exists.
                            if let Some((target, _)) = names.iter().find_map(|n| parsed.get_key_value(n)) {
                                edges[unit].push(Edge {
                                    to: index[&Unit::Template(target)],
                                    link: Link::Include,
                                    file,
                                    within,
                                    needle: Needle::Tag {
                                        keyword: "include",
                                        target,
                                    },
                                });
                            }
                        }
                        Reference::Call { namespace, name } => {
                            for &callee in bindings.get(namespace).into_iter().flatten() {
                                if let Some((name, _)) = parsed[callee].macros.get_key_value(name) {
                                    edges[unit].push(Edge {
                                        to: index[&Unit::Macro { file: callee, name }],
                                        link: Link::Call,
                                        file,
                                        within,
                                        needle: Needle::Call { namespace, name },
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
        // A template that includes another twice, or a macro that calls itself in two places,
        // closes one cycle, not two.
        for list in &mut edges {
            let mut seen = std::collections::HashSet::new();
            list.retain(|edge| seen.insert((edge.to, edge.link)));
        }
        Graph { units, edges }
    }

    /// A depth-first search over the links of the kinds in `links`, without recursion: a graph
    /// deep enough to overflow tera's stack must not overflow this one.
    fn search(&self, links: &[Link]) -> Search<'_, 'a> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            New,
            Open,
            Done,
        }
        let mut state = vec![State::New; self.units.len()];
        let mut cycles = Vec::new();
        let mut finished = Vec::with_capacity(self.units.len());
        for start in 0..self.units.len() {
            if state[start] != State::New {
                continue;
            }
            // Each open unit with the index of the next of its edges to follow.
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = State::Open;
            while let Some(top) = stack.last_mut() {
                let (unit, next) = *top;
                let Some(edge) = self.edges[unit].get(next) else {
                    state[unit] = State::Done;
                    finished.push(unit);
                    stack.pop();
                    continue;
                };
                top.1 += 1;
                if !links.contains(&edge.link) {
                    continue;
                }
                match state[edge.to] {
                    State::New => {
                        state[edge.to] = State::Open;
                        stack.push((edge.to, 0));
                    }
                    State::Open => {
                        let from = stack.iter().position(|&(u, _)| u == edge.to).unwrap_or(0);
                        cycles.push((stack[from..].iter().map(|&(u, _)| u).collect(), edge));
                    }
                    State::Done => {}
                }
            }
        }
        Search { cycles, finished }
    }

    /// The longest chain over `links` when it is longer than [`MAX_NESTING`], with the edge that
    /// passes the limit. `finished` must be a search's order over the same links with no cycle.
    fn too_deep(&self, finished: &[usize], links: &[Link]) -> Option<(Vec<usize>, &Edge<'a>)> {
        let mut longest = vec![1usize; self.units.len()];
        let mut deepest_edge: Vec<Option<&Edge<'a>>> = vec![None; self.units.len()];
        for &unit in finished {
            for edge in self.edges[unit].iter().filter(|e| links.contains(&e.link)) {
                if longest[edge.to] + 1 > longest[unit] {
                    longest[unit] = longest[edge.to] + 1;
                    deepest_edge[unit] = Some(edge);
                }
            }
        }
        let start = (0..self.units.len()).find(|&u| longest[u] > MAX_NESTING)?;
        let mut chain = vec![start];
        let mut passing = None;
        while let Some(edge) = deepest_edge[chain[chain.len() - 1]] {
            chain.push(edge.to);
            if chain.len() == MAX_NESTING + 1 {
                passing = Some(edge);
            }
        }
        passing.map(|edge| (chain, edge))
    }
}

/// A use of another template or macro found in a template or macro body.
enum Reference<'a> {
    Include(&'a [String]),
    Call { namespace: &'a str, name: &'a str },
}

/// Every include and macro call in `body`, in the order they appear; macro definitions are
/// skipped (each macro's body is a unit of its own). Walked without recursion, like the graph.
fn references(body: &[Node]) -> Vec<Reference<'_>> {
    enum Item<'a> {
        Node(&'a Node),
        Expr(&'a Expr),
        Value(&'a ExprVal),
    }
    fn sorted_args(args: &HashMap<String, Expr>) -> Vec<&Expr> {
        let mut named: Vec<(&String, &Expr)> = args.iter().collect();
        named.sort_by_key(|(name, _)| *name);
        named.into_iter().map(|(_, expr)| expr).collect()
    }
    let mut found = Vec::new();
    // Items are pushed in reverse so that they are taken in the order they appear.
    let mut stack: Vec<Item> = body.iter().rev().map(Item::Node).collect();
    while let Some(item) = stack.pop() {
        let mut children: Vec<Item> = Vec::new();
        match item {
            Item::Node(node) => match node {
                Node::Include(_, names, _) => found.push(Reference::Include(names)),
                Node::VariableBlock(_, expr) => children.push(Item::Expr(expr)),
                Node::Set(_, set) => children.push(Item::Expr(&set.value)),
                Node::FilterSection(_, section, _) => {
                    children.extend(sorted_args(&section.filter.args).into_iter().map(Item::Expr));
                    children.extend(section.body.iter().map(Item::Node));
                }
                Node::Block(_, block, _) => children.extend(block.body.iter().map(Item::Node)),
                Node::Forloop(_, forloop, _) => {
                    children.push(Item::Expr(&forloop.container));
                    children.extend(forloop.body.iter().map(Item::Node));
                    children.extend(forloop.empty_body.iter().flatten().map(Item::Node));
                }
                Node::If(condition, _) => {
                    for (_, test, branch) in &condition.conditions {
                        children.push(Item::Expr(test));
                        children.extend(branch.iter().map(Item::Node));
                    }
                    children.extend(condition.otherwise.iter().flat_map(|(_, b)| b).map(Item::Node));
                }
                Node::MacroDefinition(..)
                | Node::Extends(..)
                | Node::ImportMacro(..)
                | Node::Super
                | Node::Text(_)
                | Node::Raw(..)
                | Node::Break(_)
                | Node::Continue(_)
                | Node::Comment(..) => {}
            },
            Item::Expr(expr) => {
                children.push(Item::Value(&expr.val));
                for filter in &expr.filters {
                    children.extend(sorted_args(&filter.args).into_iter().map(Item::Expr));
                }
            }
            Item::Value(value) => match value {
                ExprVal::MacroCall(call) => {
                    found.push(Reference::Call {
                        namespace: &call.namespace,
                        name: &call.name,
                    });
                    children.extend(sorted_args(&call.args).into_iter().map(Item::Expr));
                }
                ExprVal::FunctionCall(call) => {
                    children.extend(sorted_args(&call.args).into_iter().map(Item::Expr))
                }
                ExprVal::Math(math) => children.extend([Item::Expr(&math.lhs), Item::Expr(&math.rhs)]),
                ExprVal::Logic(logic) => children.extend([Item::Expr(&logic.lhs), Item::Expr(&logic.rhs)]),
                ExprVal::In(within) => children.extend([Item::Expr(&within.lhs), Item::Expr(&within.rhs)]),
                ExprVal::Test(test) => children.extend(test.args.iter().map(Item::Expr)),
                ExprVal::Array(items) => children.extend(items.iter().map(Item::Expr)),
                ExprVal::StringConcat(concat) => children.extend(concat.values.iter().map(Item::Value)),
                ExprVal::String(_)
                | ExprVal::Int(_)
                | ExprVal::Float(_)
                | ExprVal::Bool(_)
                | ExprVal::Ident(_) => {}
            },
        }
        stack.extend(children.into_iter().rev());
    }
    found
}

/// The line and column of the first tag matching `needle` in `text`, inside the macro `within`
/// (or outside every macro). Tera's AST keeps no positions, so the tag is looked for in the text,
/// skipping comments and `{% raw %}` sections as tera does.
fn locate(text: &str, within: Option<&str>, needle: Needle) -> Option<(usize, usize)> {
    let mut current_macro: Option<&str> = None;
    let mut definition = None;
    let mut rest = 0;
    while let Some(found) = text[rest..].find('{') {
        let start = rest + found;
        let (close, statement) = match text.as_bytes().get(start + 1) {
            Some(b'#') => ("#}", false),
            Some(b'%') => ("%}", true),
            Some(b'{') => ("}}", false),
            _ => {
                rest = start + 1;
                continue;
            }
        };
        let end = text[start + 2..]
            .find(close)
            .map_or(text.len(), |e| start + 2 + e);
        rest = (end + 2).min(text.len());
        if close == "#}" {
            continue;
        }
        let body = text[start + 2..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if statement {
            if body == "raw" {
                rest = end_of_raw(text, rest);
                continue;
            }
            if let Some(signature) = keyword_rest(body, "macro") {
                let name = signature.split('(').next().unwrap_or("").trim();
                current_macro = Some(name);
                if within == Some(name) {
                    definition = Some(start);
                }
                continue;
            }
            if body.starts_with("endmacro") {
                current_macro = None;
                continue;
            }
        }
        if current_macro != within {
            continue;
        }
        let matches = match needle {
            Needle::Tag { keyword, target } => {
                statement
                    && keyword_rest(body, keyword).is_some_and(|args| {
                        ['"', '\'', '`']
                            .iter()
                            .any(|q| args.contains(&format!("{q}{target}{q}")))
                    })
            }
            Needle::Call { namespace, name } => calls(body, namespace, name),
        };
        if matches {
            return Some(position(text, start));
        }
    }
    definition.map(|start| position(text, start))
}

/// The text after `keyword` when `body` starts with it as a whole word.
fn keyword_rest<'t>(body: &'t str, keyword: &str) -> Option<&'t str> {
    body.strip_prefix(keyword)
        .filter(|rest| rest.starts_with(char::is_whitespace))
}

/// Whether an expression calls `namespace::name(…)`.
fn calls(body: &str, namespace: &str, name: &str) -> bool {
    let call = format!("{namespace}::{name}");
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    body.match_indices(&call).any(|(at, _)| {
        !body[..at].ends_with(is_word) && body[at + call.len()..].trim_start().starts_with('(')
    })
}

/// Where the `{% endraw %}` closing a raw section that starts at `from` ends.
fn end_of_raw(text: &str, from: usize) -> usize {
    let mut rest = from;
    while let Some(found) = text[rest..].find("{%") {
        let start = rest + found;
        let end = text[start + 2..].find("%}").map_or(text.len(), |e| start + 2 + e);
        rest = (end + 2).min(text.len());
        if text[start + 2..end].trim_matches(|c: char| c == '-' || c.is_whitespace()) == "endraw" {
            return rest;
        }
    }
    text.len()
}

/// The 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    (
        line_of_offset(text, offset),
        text[line_start..offset].chars().count() + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn check(templates: &[(&str, &str)]) -> Vec<Diagnostic> {
        let parsed = templates
            .iter()
            .map(|(name, text)| {
                let template = Template::new(name, None, text).expect("the test template parses");
                (name.to_string(), template)
            })
            .collect();
        let sources = templates
            .iter()
            .map(|(name, text)| {
                let source = TemplateSource {
                    text: text.to_string(),
                    display_path: PathBuf::from("templates").join(name),
                };
                (name.to_string(), source)
            })
            .collect();
        problems(&parsed, &sources)
    }

    fn shown(problems: &[Diagnostic]) -> Vec<String> {
        problems
            .iter()
            .map(|d| format!("{}:{}:{}: {}", d.path.display(), d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn legit_reuse_is_no_cycle() {
        let problems = check(&[
            ("base.html", "{% import \"m.html\" as m %}{% include \"p.html\" %}{% block b %}{% endblock b %}{% include \"p.html\" %}"),
            ("page.html", "{% extends \"base.html\" %}{% block b %}{{ m::item(x=1) }}{{ m::item(x=2) }}{% endblock b %}"),
            ("p.html", "{% import \"m.html\" as m %}{{ m::list(items=[1]) }}"),
            ("m.html", "{% macro item(x) %}{{ x }}{% endmacro %}{% macro list(items) %}{% for i in items %}{{ self::item(x=i) }}{% endfor %}{% endmacro %}"),
        ]);
        assert!(problems.is_empty(), "{:?}", shown(&problems));
    }

    #[test]
    fn an_include_cycle_is_reported_once_at_the_include_that_closes_it() {
        let problems = check(&[
            ("a.html", "{% include \"b.html\" %}"),
            (
                "b.html",
                "<p>\n  {%- include 'a.html' %}\n{% include \"a.html\" %}",
            ),
        ]);
        assert_eq!(
            shown(&problems),
            ["templates/b.html:2:3: mallarna tar in varandra i en ring (include): a.html → b.html → a.html"]
        );
    }

    #[test]
    fn comments_and_raw_sections_are_not_tags() {
        let problems = check(&[(
            "a.html",
            "{# {% include \"a.html\" %} #}{% raw %}{% include \"a.html\" %}{% endraw %}\n{% include \"a.html\" %}",
        )]);
        assert_eq!(
            shown(&problems),
            ["templates/a.html:2:1: mallen tar in sig själv (include): a.html → a.html"]
        );
    }

    #[test]
    fn the_first_existing_template_of_an_include_list_is_followed() {
        let problems = check(&[(
            "a.html",
            "{% include [\"saknas.html\", \"a.html\"] ignore missing %}",
        )]);
        assert_eq!(shown(&problems).len(), 1);
        assert!(check(&[("a.html", "{% include [\"saknas.html\"] ignore missing %}")]).is_empty());
    }

    #[test]
    fn extends_and_import_cycles_are_reported() {
        let problems = check(&[
            ("a.html", "{% extends \"b.html\" %}"),
            ("b.html", "{% extends \"c.html\" %}"),
            ("c.html", "\n{% extends \"b.html\" %}"),
            (
                "m.html",
                "{% import \"n.html\" as n %}{% macro x() %}{% endmacro %}",
            ),
            (
                "n.html",
                "{% import \"m.html\" as m %}{% macro y() %}{% endmacro %}",
            ),
        ]);
        assert_eq!(
            shown(&problems),
            [
                "templates/c.html:2:1: mallarna ärver från varandra i en ring (extends): b.html → c.html → b.html",
                "templates/n.html:1:1: mallarna importerar makron från varandra i en ring (import): m.html → n.html → m.html",
            ]
        );
    }

    #[test]
    fn recursive_macros_are_reported_at_the_call() {
        let direct = check(&[(
            "m.html",
            "{% macro tree(items) %}\n{% for i in items %}{{ self::tree(items=i.children) }}{% endfor %}\n{% endmacro tree %}",
        )]);
        assert_eq!(
            shown(&direct),
            ["templates/m.html:2:21: makrot tree() anropar sig självt: tree() i m.html → tree() i m.html"]
        );
        let mutual = check(&[
            ("page.html", "{% import \"m.html\" as m %}{{ m::a() }}"),
            (
                "m.html",
                "{% macro a() %}{{ self::b() }}{% endmacro %}\n{% macro b() %}{% if x %}{{ self::a() | upper }}{% endif %}{% endmacro %}",
            ),
        ]);
        assert_eq!(
            shown(&mutual),
            ["templates/m.html:2:26: makron anropar varandra i en ring: a() i m.html → b() i m.html → a() i m.html"]
        );
    }

    #[test]
    fn a_macro_that_includes_a_template_calling_it_is_a_cycle() {
        let problems = check(&[
            (
                "m.html",
                "{% macro card() %}{% include \"card.html\" %}{% endmacro %}",
            ),
            ("card.html", "{% import \"m.html\" as m %}{% set x = m::card() %}"),
        ]);
        assert_eq!(
            shown(&problems),
            ["templates/m.html:1:19: mallar och makron anropar varandra i en ring: card.html → card() i m.html → card.html"]
        );
    }

    #[test]
    fn chains_deeper_than_the_limit_are_refused() {
        let names: Vec<String> = (0..=MAX_NESTING).map(|i| format!("c{i}.html")).collect();
        let texts: Vec<String> = (0..=MAX_NESTING)
            .map(|i| match names.get(i + 1) {
                Some(next) => format!("{{% include \"{next}\" %}}"),
                None => String::new(),
            })
            .collect();
        let templates: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(texts.iter().map(String::as_str))
            .collect();
        let problems = check(&templates);
        assert_eq!(problems.len(), 1, "{:?}", shown(&problems));
        assert!(problems[0].message.contains(&format!("{} led", MAX_NESTING + 1)));
        assert_eq!(
            problems[0].path,
            PathBuf::from(format!("templates/c{}.html", MAX_NESTING - 1))
        );
        assert!(
            check(&templates[1..]).is_empty(),
            "{MAX_NESTING} levels are allowed"
        );
    }
}
