//! Everything about each rule in one table: its stable name, its family,
//! its default severity, whether the board may acknowledge it, and what it
//! is for (as cargo-deny keeps its diagnostics). A new rule is one variant
//! and one row; `check/` decides when it fires.

use crate::finding::Severity;

/// Rule names are stable: CI configurations, acknowledgements and the
/// acceptance tests refer to them by these strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    YamlSyntax,
    Schema,
    DuplicateId,
    UnknownReference,
    MissingFile,
    UnsafePath,
    FutureDate,
    AreaGap,
    UnknownCitation,
    PersonalIdentifier,
    ActionGap,
    OverdueAction,
    MeasureGap,
    StaleCitation,
    Expiring,
    UnusedFile,
    UnusedAcknowledgement,
    UnreadableFile,
    Limit,
    InconsistentData,
    UnsupportedCharacter,
    LetterPoint,
    ImportColumn,
    ImportConflict,
    PlainLanguage,
    FamilyGap,
    SecretKey,
    DataSource,
    Placeholder,
}

/// Where a rule's code lives (`src/check/<family>.rs`, or loading).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Reading files: syntax, schema, encodings, limits, personal data, secret keys.
    Load,
    Ids,
    Files,
    Dates,
    Coverage,
    Citations,
    Consistency,
    Letter,
    Acknowledge,
    /// Reading a spreadsheet (`pack import`).
    Import,
    /// The family edition's text (spec section 8).
    Family,
    /// Text `pack init` wrote that nobody has replaced yet.
    Placeholder,
    /// Published statistics files under data/ (spec section 10).
    Official,
}

/// One row of the table.
pub struct Info {
    pub rule: Rule,
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub can_acknowledge: bool,
    pub description: &'static str,
}

use Family as F;
use Severity::{Error as E, Warning as W};

const fn row(
    rule: Rule,
    name: &'static str,
    family: Family,
    severity: Severity,
    can_acknowledge: bool,
    description: &'static str,
) -> Info {
    Info {
        rule,
        name,
        family,
        severity,
        can_acknowledge,
        description,
    }
}

/// The table, in the order of the enum.
#[rustfmt::skip]
pub const RULES: [Info; 29] = [
    row(Rule::YamlSyntax, "yaml-syntax", F::Load, E, true, "a file is not valid YAML (or not UTF-8, or too large)"),
    row(Rule::Schema, "schema", F::Load, E, true, "wrong type, missing required field, unknown field, bad enum value, bad date"),
    row(Rule::DuplicateId, "duplicate-id", F::Ids, E, true, "an id used twice"),
    row(Rule::UnknownReference, "unknown-reference", F::Ids, E, true, "an area, action, measure, organisation or superseded id that does not exist"),
    row(Rule::MissingFile, "missing-file", F::Files, E, true, "`file:` names no file"),
    row(Rule::UnsafePath, "unsafe-path", F::Files, E, true, "`file:` is absolute or resolves outside the repository"),
    row(Rule::FutureDate, "future-date", F::Dates, E, true, "an evidence date after today"),
    row(Rule::AreaGap, "area-gap", F::Coverage, E, true, "an area is not complete on the as-of date"),
    row(Rule::UnknownCitation, "unknown-citation", F::Citations, E, true, "`[@ID]` names no evidence item"),
    // Personal data, unreadable files and limits must be fixed, not accepted.
    row(Rule::PersonalIdentifier, "personal-identifier", F::Load, E, false, "text bound for the pack holds a valid NHS number or UPN"),
    row(Rule::ActionGap, "action-gap", F::Coverage, W, true, "an action with no current evidence"),
    row(Rule::OverdueAction, "overdue-action", F::Dates, W, true, "an action due before the as-of date that is not complete"),
    row(Rule::MeasureGap, "measure-gap", F::Coverage, W, true, "a measure with no data point within the freshness window"),
    row(Rule::StaleCitation, "stale-citation", F::Citations, W, true, "a citation of an item that is not current"),
    row(Rule::Expiring, "expiring", F::Dates, W, true, "an item current today that will not be current on the as-of date"),
    row(Rule::UnusedFile, "unused-file", F::Files, W, true, "a file under evidence/ that no evidence item names"),
    row(Rule::UnusedAcknowledgement, "unused-acknowledgement", F::Acknowledge, W, true, "an acknowledgement that matches no finding"),
    row(Rule::UnreadableFile, "unreadable-file", F::Load, E, false, "a path that is not a regular file, or a text attachment in no accepted encoding"),
    row(Rule::Limit, "limit", F::Load, E, false, "a value past a documented limit (Markdown nesting, number size)"),
    row(Rule::InconsistentData, "inconsistent-data", F::Consistency, E, true, "data that contradicts itself"),
    row(Rule::UnsupportedCharacter, "unsupported-character", F::Load, W, true, "text bound for the PDF holds a character no embedded font can display"),
    row(Rule::LetterPoint, "letter-point", F::Letter, W, true, "a point of the last letter with no current evidence answering it"),
    row(Rule::ImportColumn, "import-column", F::Import, W, true, "a spreadsheet column that names no evidence field (warning), or two (error)"),
    row(Rule::ImportConflict, "import-conflict", F::Import, E, true, "a spreadsheet row whose id exists with different content"),
    row(Rule::PlainLanguage, "plain-language", F::Family, W, true, "family text with a sentence over 25 words, a hard paragraph (Flesch reading ease below 60) or an unexplained abbreviation"),
    row(Rule::FamilyGap, "family-gap", F::Family, W, true, "an area under monitoring with nothing to tell families (checked for the family edition)"),
    // A secret key must leave the repository (and be replaced), not be accepted.
    row(Rule::SecretKey, "secret-key", F::Load, E, false, "a file under plan/ or evidence/ holds a minisign secret key"),
    row(Rule::DataSource, "data-source", F::Official, E, true, "an official statistics file that cannot be used (missing, not a tidy CSV, a column or value not there, more than one row per period and place), or whose newest local figure is old (warning)"),
    row(Rule::Placeholder, "placeholder", F::Placeholder, W, true, "text `pack init` wrote as an example (in its example area, organisation and item) that nobody has replaced yet"),
];

impl Rule {
    pub const ALL: [Rule; 29] = {
        let mut all = [Rule::YamlSyntax; 29];
        let mut i = 0;
        while i < RULES.len() {
            all[i] = RULES[i].rule;
            i += 1;
        }
        all
    };

    pub fn info(self) -> &'static Info {
        &RULES[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn from_name(name: &str) -> Option<Rule> {
        RULES.iter().find(|r| r.name == name).map(|r| r.rule)
    }

    /// One line on what the rule is for: shown in the pack's "how this pack
    /// was made" and in `docs/format.md`.
    pub fn describe(self) -> &'static str {
        self.info().description
    }

    /// The severity a finding of this rule has unless the plan says
    /// otherwise (`action_evidence` sets action-gap's).
    pub fn default_severity(self) -> Severity {
        self.info().severity
    }

    /// Whether the board may acknowledge a finding of this rule for a time.
    pub fn can_acknowledge(self) -> bool {
        self.info().can_acknowledge
    }

    pub fn family(self) -> Family {
        self.info().family
    }

    /// The errors `pack build --allow-gaps` lets through (spec section 4):
    /// the pack then marks each gap where a reader cannot miss it.
    pub fn allowed_by_gaps(self) -> bool {
        matches!(self, Rule::AreaGap | Rule::ActionGap)
    }

    /// Whether a built reviewer's pack can show a finding of this rule, so
    /// its appendix lists it (spec section 11): the gaps `--allow-gaps` lets
    /// through and the warnings of checking a repository. Not the errors that
    /// refuse a build, nor the rules of import or of the family edition,
    /// which a reviewer's pack never shows. (Acknowledged findings of any
    /// rule are listed on their own, with their reasons.)
    pub fn in_reviewer_pack(self) -> bool {
        !matches!(self.family(), Family::Import | Family::Family)
            && (self.default_severity() == Severity::Warning
                || self.allowed_by_gaps()
                // An error rule, but its "newest figure is old" form is a
                // warning that a built pack shows.
                || self == Rule::DataSource)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are a contract (spec section 3): this list changes only
    /// when the spec does.
    #[test]
    fn rule_names_are_pinned_and_the_table_matches_the_enum() {
        let names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(
            names,
            [
                "yaml-syntax",
                "schema",
                "duplicate-id",
                "unknown-reference",
                "missing-file",
                "unsafe-path",
                "future-date",
                "area-gap",
                "unknown-citation",
                "personal-identifier",
                "action-gap",
                "overdue-action",
                "measure-gap",
                "stale-citation",
                "expiring",
                "unused-file",
                "unused-acknowledgement",
                "unreadable-file",
                "limit",
                "inconsistent-data",
                "unsupported-character",
                "letter-point",
                "import-column",
                "import-conflict",
                "plain-language",
                "family-gap",
                "secret-key",
                "data-source",
                "placeholder",
            ]
        );
        for (i, info) in RULES.iter().enumerate() {
            assert_eq!(info.rule as usize, i, "{} is out of order", info.name);
            assert_eq!(Rule::from_name(info.name), Some(info.rule));
        }
        // The appendix's rules (spec section 11).
        let in_pack: Vec<&str> = Rule::ALL
            .iter()
            .filter(|r| r.in_reviewer_pack())
            .map(|r| r.name())
            .collect();
        assert_eq!(
            in_pack,
            [
                "area-gap",
                "action-gap",
                "overdue-action",
                "measure-gap",
                "stale-citation",
                "expiring",
                "unused-file",
                "unused-acknowledgement",
                "unsupported-character",
                "letter-point",
                "data-source",
                "placeholder",
            ]
        );
        for r in [
            Rule::PersonalIdentifier,
            Rule::SecretKey,
            Rule::UnreadableFile,
            Rule::Limit,
        ] {
            assert!(!r.can_acknowledge());
        }
    }
}
