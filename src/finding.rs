//! The one diagnostic type. Every problem pack can see is a `Finding`;
//! reporters only format them.

use std::fmt;

use serde::Serialize;

pub use crate::rules::Rule;

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Acknowledged,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Acknowledged => "acknowledged",
        }
    }
}

/// A place in a file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    /// Line 1 column 1: "the file as a whole".
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: u32, column: u32) -> Pos {
        Pos {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    /// Relative to the repository root, `/`-separated.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub hint: Option<String>,
    /// The area, action, measure or evidence id the finding is about, which
    /// acknowledgements match on.
    #[serde(skip)]
    pub subject: Option<String>,
    /// How many characters from `column` the problem spans (for underlines).
    #[serde(skip)]
    pub width: u32,
    /// The spreadsheet cell, when the finding is about a spreadsheet (an
    /// import): `line` and `column` are then its row and column number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Cell>,
    /// The id an unknown-reference or unknown-citation names: when a file
    /// that cannot be read would have defined it, the finding is folded
    /// into that file's own (see `check::fold`).
    #[serde(skip)]
    pub refers_to: Option<String>,
    /// A schema error that cost the file its item: a root cause, listed
    /// with the syntax errors before the findings it causes.
    #[serde(skip)]
    pub loses_item: bool,
}

/// A cell of a spreadsheet: a finding's place when the file is a workbook.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    pub sheet: String,
    /// 1-based row and column numbers.
    pub row: u32,
    pub column: u32,
}

impl Cell {
    /// "Evidence!C12", as spreadsheet users name a cell.
    pub fn name(&self) -> String {
        let mut letters = String::new();
        let mut n = self.column.max(1);
        while n > 0 {
            let rem = (n - 1) % 26;
            letters.insert(0, char::from(b'A' + rem as u8));
            n = (n - 1) / 26;
        }
        // Quoted as spreadsheets quote a sheet name with spaces or punctuation.
        let plain =
            !self.sheet.is_empty() && self.sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
        if plain {
            format!("{}!{letters}{}", self.sheet, self.row.max(1))
        } else {
            format!(
                "'{}'!{letters}{}",
                self.sheet.replace('\'', "''"),
                self.row.max(1)
            )
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl Finding {
    /// A finding about a spreadsheet cell: the usual file, line (the row)
    /// and column (the column number), and the cell's name, which every
    /// report shows with the message.
    pub fn in_cell(
        rule: Rule,
        file: impl Into<String>,
        cell: Cell,
        message: impl Into<String>,
    ) -> Self {
        let pos = Pos::new(cell.row, cell.column);
        let message = format!("{}: {}", cell.name(), message.into());
        let mut f = Finding::new(rule, file, pos, message);
        f.cell = Some(cell);
        f
    }

    /// Every finding is made here, and its text made safe here, once, for
    /// every reporter and every command (check, build, serve, import):
    /// identifiers masked (an id, a title, a reference or a value quoted in
    /// a message may hold one), and control characters (an escape
    /// sequence, U+FFFF) shown as `\u{..}` instead of reaching a terminal,
    /// an XML file or a CI log. The file stays the real path (CI points at
    /// it), controls aside.
    pub fn new(rule: Rule, file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.default_severity(),
            message: clean(&message.into()),
            file: escape_controls(&file.into()),
            line: pos.line.max(1),
            column: pos.column.max(1),
            hint: None,
            subject: None,
            width: 1,
            cell: None,
            refers_to: None,
            loses_item: false,
        }
    }

    /// Records the id this finding says is unknown.
    pub fn refers_to(mut self, id: impl Into<String>) -> Self {
        self.refers_to = Some(id.into());
        self
    }

    /// Whether this finding is about a file pack could not read (or read
    /// only in part): what every report lists first, since the findings
    /// after it may only be its echoes.
    pub fn is_root_cause(&self) -> bool {
        self.loses_item
            || matches!(
                self.rule,
                Rule::YamlSyntax | Rule::UnreadableFile | Rule::Limit
            )
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.set_hint(hint);
        self
    }

    /// Replaces the hint, made safe as in [`Finding::new`].
    pub fn set_hint(&mut self, hint: impl Into<String>) {
        self.hint = Some(clean(&hint.into()));
    }

    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width.clamp(1, u32::MAX as usize) as u32;
        self
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }

    /// The order every reporter uses: root causes (see
    /// [`Finding::is_root_cause`]) first, then the rest; within each, by
    /// file, then place, then rule.
    pub fn sort_key(&self) -> (bool, &str, u32, u32, Rule, &str) {
        (
            !self.is_root_cause(),
            &self.file,
            self.line,
            self.column,
            self.rule,
            &self.message,
        )
    }
}

/// A character no report may pass on as it is: a control character (an
/// escape sequence drives a terminal), a non-character (XML cannot hold
/// U+FFFF), a line or paragraph separator, or a bidirectional override.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c as u32, 0xFDD0..=0xFDEF)
        || (c as u32 & 0xFFFE) == 0xFFFE
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with identifiers masked and control and non-characters escaped.
pub fn clean(text: &str) -> String {
    escape_controls(&crate::pii::mask_all(text))
}

/// `text` with control characters, non-characters and bidirectional
/// overrides written as `\u{..}`, so that no reporter passes them on.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub acknowledged: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let mut t = Tally::default();
        for f in findings {
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Acknowledged => t.acknowledged += 1,
            }
        }
        t
    }
}

/// Sorts findings into the stable order every output uses, dropping exact
/// duplicates (a problem seen twice by two routes is one problem).
pub fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.severity == b.severity);
}

/// The closest of `candidates` to `word`, if it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_round_trip_and_default_severities() {
        for r in Rule::ALL {
            assert_eq!(Rule::from_name(r.name()), Some(r));
        }
        let e = Finding::new(Rule::AreaGap, "f", Pos::START, "m");
        assert_eq!(e.severity, Severity::Error);
        let w = Finding::new(Rule::UnusedFile, "f", Pos::START, "m");
        assert_eq!(w.severity, Severity::Warning);
        let p = Finding::new(Rule::PersonalIdentifier, "f", Pos::START, "m");
        assert_eq!(p.severity, Severity::Error);
    }

    #[test]
    fn a_finding_can_be_a_spreadsheet_cell() {
        let cell = Cell {
            sheet: "Evidence".into(),
            row: 12,
            column: 3,
        };
        let f = Finding::in_cell(Rule::Schema, "log.xlsx", cell.clone(), "not a date");
        assert_eq!((f.line, f.column), (12, 3));
        assert_eq!(f.message, "Evidence!C12: not a date");
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["cell"], "Evidence!C12");
        assert_eq!(json["file"], "log.xlsx");
        let far = Cell { column: 28, ..cell };
        assert_eq!(far.name(), "Evidence!AB12");
        let plain = serde_json::to_value(Finding::new(Rule::Schema, "a", Pos::START, "m")).unwrap();
        assert!(
            plain.get("cell").is_none(),
            "file findings keep their shape"
        );
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("dat", ["date", "title", "id"]), Some("date"));
        assert_eq!(
            did_you_mean("organisaton", ["organisation", "areas"]),
            Some("organisation")
        );
        assert_eq!(did_you_mean("zzzzz", ["date", "title"]), None);
    }
}
