//! YAML syntax errors: where the defect really is, and what it means, in Swedish.
//!
//! serde_yaml (libyaml underneath) reports where it noticed a problem, which is often not where the
//! communicator made it: an unclosed quote is noticed at the end of the file, a duplicate key at the
//! start of its mapping. This module reads the parser's report (its problem, its context and where
//! each stands) together with the text, finds the line of the actual defect and says what is wrong
//! in words a communicator knows. Positions are 1-based and relative to the YAML text; columns count
//! characters, as libyaml does.

/// A syntax error at the place a communicator has to fix it.
#[derive(Debug)]
pub(super) struct Defect {
    /// Line in the YAML text.
    pub line: usize,
    /// Column in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// A line and a column.
type Position = (usize, usize);

/// The defect behind `error`, which parsing `text` gave; `first_line` is the line of the file the
/// text starts on, for messages that name another line.
pub(super) fn locate(text: &str, error: &serde_yaml::Error, first_line: usize) -> Defect {
    let message = error.to_string();
    let noticed = error.location().map_or((1, 1), |l| (l.line(), l.column()));
    if let Some(key) = duplicate_key(&message) {
        return duplicate(text, noticed, &key, first_line);
    }
    if message.contains("more than one document") {
        return second_document(text);
    }
    let report = Report::read(&message, text);
    let at = report.problem_at.unwrap_or(noticed);
    let context = report.context.unwrap_or("");
    if report.problem.contains("unexpected end of stream") && context.contains("quoted scalar") {
        if let Some(start) = report.context_at {
            return unclosed_quote(text, start);
        }
    }
    // A quote closed by the quote of a later line swallows the lines between, and libyaml stumbles
    // over the text after that second quote; the quote that was never closed is the defect.
    if !report.problem.contains("escape") {
        if let Some(start) = quote_open_across(text, at) {
            return unclosed_quote(text, start);
        }
    }
    if let Some(open) = report.context_at {
        let flow = context.contains("flow sequence") || context.contains("flow mapping");
        if flow && report.problem.contains("did not find expected ','") && open.0 < at.0 {
            return unclosed_bracket(text, open);
        }
        if report.problem.contains("could not find expected ':'") {
            return defect(
                open,
                "kolon saknas efter nyckeln",
                "skriv nyckel, kolon och värde: \"title: Rubrik\"; en rad som fortsätter texten på raden \
                 ovanför ska dras in",
            );
        }
        if context.contains("anchor") || context.contains("alias") {
            return special_start(open, char_at(text, open).unwrap_or('&'));
        }
    }
    describe(report.problem, at, text)
}

/// What libyaml said: "PROBLEM at line L column C, CONTEXT at line L column C", each mark optional.
struct Report<'a> {
    problem: &'a str,
    problem_at: Option<Position>,
    context: Option<&'a str>,
    context_at: Option<Position>,
}

impl<'a> Report<'a> {
    fn read(message: &'a str, text: &str) -> Report<'a> {
        let (problem, context) = match message.find(", while ") {
            Some(index) => (&message[..index], Some(&message[index + 2..])),
            None => (message, None),
        };
        let (problem, problem_at) = split_mark(problem, text);
        let (context, context_at) = match context.map(|c| split_mark(c, text)) {
            Some((context, at)) => (Some(context), at),
            None => (None, None),
        };
        Report {
            problem,
            problem_at,
            context,
            context_at,
        }
    }
}

/// Splits " at line L column C" (or " at position N", a byte offset) off a part of the report.
fn split_mark<'a>(part: &'a str, text: &str) -> (&'a str, Option<Position>) {
    if let Some(index) = part.find(" at line ") {
        let mut numbers = part[index..]
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .filter_map(|n| n.parse().ok());
        let position = numbers.next().zip(numbers.next());
        return (&part[..index], position);
    }
    if let Some(index) = part.find(" at position ") {
        let offset: Option<usize> = part[index + 13..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok());
        return (
            &part[..index],
            offset.map(|offset| position_of_offset(text, offset)),
        );
    }
    (part, None)
}

fn position_of_offset(text: &str, offset: usize) -> Position {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        crate::diagnostics::line_of_offset(text, end),
        before[line_start..].chars().count() + 1,
    )
}

fn char_at(text: &str, (line, column): Position) -> Option<char> {
    text.lines()
        .nth(line.checked_sub(1)?)?
        .chars()
        .nth(column.checked_sub(1)?)
}

fn defect(at: Position, message: &str, hint: &str) -> Defect {
    Defect {
        line: at.0,
        column: at.1,
        message: format!("ogiltig YAML: {message}"),
        hint: hint.to_string(),
    }
}

fn unclosed_quote(text: &str, start: Position) -> Defect {
    let hint = if char_at(text, start) == Some('\'') {
        "avsluta texten med ' på samma rad; en apostrof inuti skrivs '' (två apostrofer), \
         eller sätt hela texten inom \" \""
    } else {
        "avsluta texten med \" på samma rad; ett citattecken inuti skrivs \\\" eller ” \
         (eller sätt hela texten inom ' ')"
    };
    let quote = char_at(text, start).unwrap_or('"');
    defect(
        start,
        &format!("citattecknet {quote} i början av texten stängs aldrig"),
        hint,
    )
}

fn unclosed_bracket(text: &str, open: Position) -> Defect {
    if char_at(text, open) == Some('{') {
        defect(
            open,
            "klammerparentesen { stängs aldrig med }",
            "avsluta på samma rad med }, till exempel strings: { more_news: \"Alla nyheter\" }",
        )
    } else {
        defect(
            open,
            "listan som börjar med [ stängs aldrig med ]",
            "avsluta listan på samma rad med ], till exempel tags: [vaccin, barn]",
        )
    }
}

fn special_start(at: Position, character: char) -> Defect {
    defect(
        at,
        &format!("en text kan inte börja med {character} utan citattecken"),
        "sätt hela texten inom citattecken, till exempel title: \"& andra nyheter\"",
    )
}

const TAB_HINT: &str = "YAML tillåter bara mellanslag som indrag; byt tabben mot mellanslag";

/// libyaml's problems whose Swedish message needs nothing but the place: the words that identify
/// each, its message and its hint.
const PLAIN_PROBLEMS: &[(&[&str], &str, &str)] = &[
    (
        &["mapping values are not allowed"],
        "oväntat kolon: fel indrag, eller ett värde som innehåller \": \" utan citattecken",
        "ge raden samma indrag som nycklarna på samma nivå, och sätt text som innehåller \": \" \
         inom citattecken: title: \"Vaccin: nu även för vuxna\"",
    ),
    (
        &["did not find expected '-'", "block sequence entries"],
        "fel indrag i listan",
        "varje rad i listan ska börja med \"- \" i samma kolumn, under nyckeln: menu: och sedan \
         \"  - nyheter\"",
    ),
    (
        &["did not find expected ','"],
        "fel inom [ … ] eller { … }: värdena ska skiljas åt med komma",
        "skriv till exempel tags: [vaccin, barn] och sätt värden med specialtecken inom citattecken",
    ),
    (
        &["unknown escape"],
        "okänt tecken efter \\ i en text inom \" \"",
        "skriv \\\\ för ett bakstreck, eller sätt texten inom ' ' där \\ betyder sig själv",
    ),
    (
        &["control characters"],
        "ett osynligt styrtecken i texten",
        "ta bort tecknet; det följer ofta med när text klistras in från ett annat program",
    ),
    (
        &["end of stream"],
        "filen tar slut mitt i ett värde",
        "kontrollera att citattecken och parenteser är stängda",
    ),
];

/// The message of a problem found where libyaml noticed it.
fn describe(problem: &str, at: Position, text: &str) -> Defect {
    let found = char_at(text, at);
    if found == Some('\t') || problem.contains("tab character") {
        return defect(at, "tabbtecken i indraget", TAB_HINT);
    }
    if problem.contains("cannot start any token") {
        return match found {
            Some(character) => special_start(at, character),
            None => defect(
                at,
                "ett tecken som inte får stå här",
                "sätt texten inom citattecken",
            ),
        };
    }
    if problem.contains("did not find expected key") {
        let indent = text
            .lines()
            .nth(at.0.saturating_sub(1))
            .map_or(0, |line| line.chars().take_while(|c| *c == ' ').count());
        if at.1 > indent + 1 {
            return defect(
                at,
                "oväntad text efter värdet",
                "text efter ett citerat värde måste stå innanför citattecknen: title: \"Hej du\"",
            );
        }
        return defect(
            at,
            "fel indrag: raden står inte i samma kolumn som nycklarna ovanför",
            "nycklar på samma nivå ska börja i samma kolumn; dra in med mellanslag, aldrig med tabb",
        );
    }
    if problem.contains("unknown anchor") {
        return special_start(at, '*');
    }
    if let Some((_, message, hint)) = PLAIN_PROBLEMS
        .iter()
        .find(|(needles, _, _)| needles.iter().any(|needle| problem.contains(needle)))
    {
        return defect(at, message, hint);
    }
    defect(
        at,
        "raden går inte att tolka",
        &format!(
            "kontrollera kolon, indrag och citattecken; text som innehåller \": \" eller börjar med ett \
             specialtecken ska stå inom citattecken (tolkens beskrivning: {problem})"
        ),
    )
}

/// The key serde_yaml names in "duplicate entry with key …", as written in the file.
fn duplicate_key(message: &str) -> Option<String> {
    let rest = &message[message.find("duplicate entry with key ")? + 25..];
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut key = String::new();
        let mut characters = quoted.chars();
        while let Some(c) = characters.next() {
            match c {
                '\\' => key.extend(characters.next()),
                '"' => return Some(key),
                _ => key.push(c),
            }
        }
        return Some(key);
    }
    let rest = rest.trim_start_matches('`');
    let end = rest.find(['`', ' ']).unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

/// A duplicate key, at its second occurrence in the mapping that starts at `mapping`.
fn duplicate(text: &str, mapping: Position, key: &str, first_line: usize) -> Defect {
    let places = key_places(text, mapping, key);
    let hint = "ta bort en av raderna, eller rätta namnet på den som skulle heta något annat".to_string();
    match places.as_slice() {
        [first, second, ..] => Defect {
            line: second.0,
            column: second.1,
            message: format!(
                "nyckeln \"{key}\" anges två gånger (första gången på rad {})",
                first_line + first.0 - 1
            ),
            hint,
        },
        _ => Defect {
            line: mapping.0,
            column: mapping.1,
            message: format!("nyckeln \"{key}\" anges två gånger"),
            hint,
        },
    }
}

/// Where `key` stands as a key of the block mapping whose first key is at `mapping`: on lines
/// indented to that column (the first may start with "- "), until a line indented less.
fn key_places(text: &str, mapping: Position, key: &str) -> Vec<Position> {
    let column = mapping.1.saturating_sub(1);
    let mut places = Vec::new();
    for (index, line) in text.lines().enumerate().skip(mapping.0.saturating_sub(1)) {
        let characters: Vec<char> = line.chars().collect();
        let indent = characters.iter().take_while(|c| **c == ' ').count();
        let is_first = index + 1 == mapping.0;
        if !is_first {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            if indent < column {
                break;
            }
            if indent > column {
                continue;
            }
        }
        let written: String = characters.iter().skip(column).collect();
        if key_written(&written) == Some(key) {
            places.push((index + 1, column + 1));
        }
    }
    places
}

/// The key at the start of `text` ("key: …", "\"key\": …", "'key': …"), if it is one.
fn key_written(text: &str) -> Option<&str> {
    let (key, rest) = match text.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = text[1..].find(quote)? + 1;
            (&text[1..end], &text[end + 1..])
        }
        _ => {
            let colon = text.find(": ").or_else(|| text.strip_suffix(':').map(str::len))?;
            (text[..colon].trim_end(), &text[colon..])
        }
    };
    rest.trim_start().starts_with(':').then_some(key)
}

/// A "---" that starts a second document in a file that may hold only one.
fn second_document(text: &str) -> Defect {
    let starts_with_marker = text.lines().find(|l| !l.trim().is_empty()).map(str::trim_end) == Some("---");
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_end() == "---")
        .nth(usize::from(starts_with_marker))
        .map_or(1, |(index, _)| index + 1);
    defect(
        (line, 1),
        "raden \"---\" börjar ett andra dokument i filen",
        "ta bort raden \"---\"; filen ska bara innehålla ett dokument",
    )
}

/// The start of a quoted scalar that opens on an earlier line than `at` and closes on `at`'s line
/// or later, or never: the quote that makes libyaml read the lines between as one text.
fn quote_open_across(text: &str, at: Position) -> Option<Position> {
    quoted_scalars(text)
        .into_iter()
        .find(|(start, end)| start.0 < at.0 && end.is_none_or(|end| end.0 >= at.0))
        .map(|(start, _)| start)
}

/// Every quoted scalar of `text`: where it starts and where it ends (`None` if it never does).
/// A light scanner: it knows where a value may start (after "key: ", "- ", "[", "{" or "," in a
/// list), comments, and block scalars ("|", ">"), which is enough to follow the quotes.
fn quoted_scalars(text: &str) -> Vec<(Position, Option<Position>)> {
    let mut found = Vec::new();
    let mut open: Option<(char, Position)> = None;
    let mut flow_depth = 0usize;
    let mut block_scalar_of: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let characters: Vec<char> = line.chars().collect();
        let indent = characters.iter().take_while(|c| **c == ' ').count();
        if open.is_none() {
            if let Some(parent) = block_scalar_of {
                if line.trim().is_empty() || indent > parent {
                    continue;
                }
                block_scalar_of = None;
            }
        }
        let ends_token = |next: Option<&char>| next.is_none_or(|c| *c == ' ' || *c == '\t');
        let mut value_may_start = true;
        let mut i = 0;
        while i < characters.len() {
            let c = characters[i];
            let next = characters.get(i + 1);
            let position = (index + 1, i + 1);
            if let Some((quote, start)) = open {
                if quote == '"' && c == '\\' {
                    i += 2;
                    continue;
                }
                if c == quote {
                    if quote == '\'' && next == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    found.push((start, Some(position)));
                    open = None;
                    value_may_start = false;
                }
                i += 1;
                continue;
            }
            match c {
                ' ' | '\t' => {}
                '#' if i == 0 || characters[i - 1] == ' ' || characters[i - 1] == '\t' => break,
                '"' | '\'' if value_may_start => open = Some((c, position)),
                '[' | '{' if value_may_start => flow_depth += 1,
                '|' | '>' if value_may_start && flow_depth == 0 => {
                    block_scalar_of = Some(indent);
                    break;
                }
                '-' | '?' if value_may_start && ends_token(next) => {}
                ':' if ends_token(next) || (flow_depth > 0 && matches!(next, Some(',' | ']' | '}'))) => {
                    value_may_start = true;
                }
                ',' if flow_depth > 0 => value_may_start = true,
                ']' | '}' if flow_depth > 0 => {
                    flow_depth -= 1;
                    value_may_start = false;
                }
                _ => value_may_start = false,
            }
            i += 1;
        }
    }
    if let Some((_, start)) = open {
        found.push((start, None));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(text: &str) -> Defect {
        let error = serde_yaml::from_str::<serde_yaml::Value>(text).expect_err("invalid YAML");
        locate(text, &error, 1)
    }

    #[test]
    fn quoted_scalars_are_followed_across_lines() {
        let text = "a: \"x\"\nb: 'it''s'\nc: \"open\nd: x\" # \"\ne: |\n  'not a quote\nf: [\"g\", 'h\n";
        assert_eq!(
            quoted_scalars(text),
            vec![
                ((1, 4), Some((1, 6))),
                ((2, 4), Some((2, 10))),
                ((3, 4), Some((4, 5))),
                ((7, 5), Some((7, 7))),
                ((7, 10), None),
            ]
        );
    }

    #[test]
    fn plain_text_with_quotes_inside_is_not_quoted() {
        assert!(quoted_scalars("summary: det är 'bra', \"sa\" hon\n").is_empty());
    }

    #[test]
    fn keys_are_read_as_written() {
        assert_eq!(key_written("title: x"), Some("title"));
        assert_eq!(key_written("\"title\": x"), Some("title"));
        assert_eq!(key_written("menu:"), Some("menu"));
        assert_eq!(key_written("https://x"), None);
    }

    #[test]
    fn a_position_given_as_an_offset_is_a_line_and_column() {
        assert_eq!(position_of_offset("ab\ncåd\n", 6), (2, 3));
    }

    #[test]
    fn messages_are_swedish() {
        for text in [
            "title: \"x\ny: z\n",
            "a: 1\na: 2\n",
            "a: [1, 2\nb: 3\n",
            "a: 1\n b: 2\n",
            "a:\n\tb: 1\n",
            "a: @x\n",
            "a: \"C:\\data\"\n",
            "a: *x\n",
        ] {
            let defect = located(text);
            for english in ["found", "expected", "while", "line", "duplicate"] {
                assert!(!defect.message.contains(english), "{text:?}: {}", defect.message);
            }
        }
    }
}
