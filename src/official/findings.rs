//! The `data-source` findings (and the few others an `official:` source
//! can cause), worded once: each points at the `official:` key concerned
//! in the area file and says what to do.

use crate::finding::{Finding, Pos, Rule};
use crate::model::{At, BenchKind, Date, LocalAuthority, Official, Point};

use super::period::{self, PeriodError};
use super::tidy::{FileProblem, Problem};

/// Findings about one measure's `official:` entry.
pub struct Report<'a> {
    file: &'a str,
    measure: &'a str,
}

impl<'a> Report<'a> {
    pub fn new(file: &'a str, measure: &'a str) -> Self {
        Report { file, measure }
    }

    fn at(&self, rule: Rule, pos: Pos, message: String, hint: impl Into<String>) -> Finding {
        Finding::new(rule, self.file, pos, message)
            .hint(hint)
            .about(self.measure)
    }

    fn data_source(&self, pos: Pos, message: String, hint: impl Into<String>) -> Finding {
        self.at(Rule::DataSource, pos, message, hint)
    }

    pub fn no_local_authority(&self, o: &Official, plan_file: &str) -> Finding {
        self.data_source(
            o.pos,
            format!(
                "measure {} reads official statistics, but {plan_file} has no `local_authority`: pack cannot tell which rows are yours",
                self.measure
            ),
            format!(
                "add `local_authority: {{code: E10000016, name: Kent}}` to {plan_file} with your ONS code (and `old_code:` with your DfE LA number)"
            ),
        )
    }

    pub fn unsafe_path(&self, o: &Official, why: &str) -> Finding {
        self.at(
            Rule::UnsafePath,
            o.file.pos,
            format!("`file:` of measure {}'s `official` is not safe: {why}", self.measure),
            "keep the downloaded file in the repository's data/ folder and write `file: data/NAME.csv`",
        )
        .width(o.file.value.chars().count())
    }

    pub fn missing(&self, o: &Official, why: &str) -> Finding {
        self.data_source(
            o.file.pos,
            format!("official statistics file of measure {}: {why}", self.measure),
            "download the CSV from explore-education-statistics into data/ and name it here as data/NAME.csv",
        )
        .width(o.file.value.chars().count())
    }

    pub fn not_under_data(&self, o: &Official, rel: &str) -> Finding {
        self.data_source(
            o.file.pos,
            format!(
                "official statistics file `{rel}` of measure {} is not under data/",
                self.measure
            ),
            format!(
                "move it into data/ and write `file: data/{}`",
                file_name(rel)
            ),
        )
        .width(o.file.value.chars().count())
    }

    pub fn file_problem(&self, o: &Official, rel: &str, p: &FileProblem) -> Finding {
        let (message, hint) = match p {
            FileProblem::Unreadable(why) => (
                format!("{rel} cannot be read: {why}"),
                "check the file is there and readable".to_owned(),
            ),
            FileProblem::NotCsv(why) => (
                format!("{rel} is not a CSV file pack can read: {why}"),
                "use the CSV as downloaded from explore-education-statistics (\"Download data (CSV)\"), unchanged".to_owned(),
            ),
            FileProblem::MissingColumns(cols) => (
                format!(
                    "{rel} is not in DfE's tidy layout: it has no {} column{}",
                    cols.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
                    if cols.len() == 1 { "" } else { "s" }
                ),
                "use a data file as downloaded from explore-education-statistics: tidy files have time_period, time_identifier, geographic_level and new_la_code columns".to_owned(),
            ),
        };
        self.data_source(o.file.pos, message, hint)
            .width(o.file.value.chars().count())
    }

    pub fn problem(&self, o: &Official, rel: &str, la: &LocalAuthority, p: &Problem) -> Finding {
        let more = |n: &usize, what: &str| {
            if *n == 0 {
                String::new()
            } else {
                format!(" ({n} more {what})")
            }
        };
        match p {
            Problem::NoValueColumn => self
                .data_source(
                    o.value.pos,
                    format!("{rel} has no column `{}`", o.value.value),
                    "name one of the file's indicator columns, as in its header row",
                )
                .width(o.value.value.chars().count()),
            Problem::NoFilterColumn(i) => {
                let (c, _) = &o.filters[*i];
                self.data_source(
                    c.pos,
                    format!("`where` names the column `{}`, which {rel} does not have", c.value),
                    "name a filter column of the file's header row (such as breakdown_topic or breakdown)",
                )
                .width(c.value.chars().count())
            }
            Problem::FilterValueNotFound(i) => {
                let (c, v) = &o.filters[*i];
                self.data_source(
                    v.pos,
                    format!("`{}` never holds `{}` in {rel}", c.value, v.value),
                    "copy the value exactly as the file writes it (letter case and spaces count)",
                )
                .width(v.value.chars().count())
            }
            Problem::LocalNotFound { by_old_code_only } => self.data_source(
                o.file.pos,
                format!(
                    "{} ({}) is in no Local authority row of {rel}{}",
                    la.name,
                    la.code.value,
                    if o.filters.is_empty() { "" } else { " after `where`" }
                ),
                if *by_old_code_only {
                    "this file has only old_la_code: add `old_code:` (your DfE LA number, e.g. \"886\") to `local_authority` in plan/plan.yaml".to_owned()
                } else {
                    "check `local_authority.code` in plan/plan.yaml, and that the file has local authority figures".to_owned()
                },
            ),
            Problem::Duplicate {
                line,
                first_line,
                period,
                place,
                varying,
                more: n,
            } => {
                let at = filters_pos(o);
                let cols = if varying.is_empty() {
                    "the rows are identical".to_owned()
                } else {
                    format!(
                        "{} still var{}",
                        varying.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
                        if varying.len() == 1 { "ies" } else { "y" }
                    )
                };
                self.data_source(
                    at,
                    format!(
                        "{rel} has more than one row for {place}, {period} (lines {first_line} and {line}): {cols}{}",
                        more(n, "periods or places like it")
                    ),
                    if varying.is_empty() {
                        "remove the repeated row from the file, or download it again".to_owned()
                    } else {
                        format!(
                            "add them to `where`, e.g. `where: {{{}: ...}}`, to pick one row",
                            varying[0]
                        )
                    },
                )
            }
            Problem::BadPeriod {
                line,
                period: p,
                identifier,
                error,
                more: n,
            } => {
                let message = match error {
                    PeriodError::Identifier => format!(
                        "{rel} line {line}: `{identifier}` is not a time_identifier pack knows{}",
                        more(n, "rows")
                    ),
                    PeriodError::Shape(shape) => format!(
                        "{rel} line {line}: time_period `{p}` is not {shape}, as `{identifier}` needs{}",
                        more(n, "rows")
                    ),
                };
                self.data_source(
                    o.file.pos,
                    message,
                    format!(
                        "the time_identifier values are those of DfE's data screener ({}, ...); docs/format.md lists them",
                        period::EXAMPLES
                    ),
                )
            }
            Problem::BadCell { line, text, more: n } => self.data_source(
                o.value.pos,
                format!(
                    "{rel} line {line}: `{}` holds `{text}`, which is neither a number nor one of DfE's symbols{}",
                    o.value.value,
                    more(n, "rows")
                ),
                "the symbols are c, x, z, low, u, ~ and :; fix the file or download it again",
            ),
        }
    }

    /// `compare:` names a benchmark the file has no figures for.
    pub fn no_benchmark(&self, kind: &At<BenchKind>, rel: &str, la: &LocalAuthority) -> Finding {
        let (why, hint) = match kind.value {
            BenchKind::England => (
                format!("{rel} has no National figures after `where`"),
                "use a file with national figures, or leave `england` out of `compare`",
            ),
            BenchKind::Region => (
                format!(
                    "{rel} has no Regional figures for the local area's region_code after `where`"
                ),
                "use a file with regional figures, or leave `region` out of `compare`",
            ),
            BenchKind::Neighbours if la.neighbours.is_empty() => (
                "plan/plan.yaml lists no `neighbours`".to_owned(),
                "list the statistical neighbours' codes in `local_authority.neighbours`, or leave `neighbours` out of `compare`",
            ),
            BenchKind::Neighbours => (
                format!("{rel} has no figures for any of the neighbours after `where`"),
                "check the neighbours' codes in plan/plan.yaml against the file's new_la_code column",
            ),
        };
        self.data_source(
            kind.pos,
            format!("`compare` asks for `{}`, but {why}", kind.value),
            hint,
        )
        .width(kind.value.to_string().len())
    }

    /// A hand-written point that says something else than the file.
    pub fn conflict(&self, hand: &Point, value: f64, rel: &str, line: u64) -> Finding {
        self.at(
            Rule::InconsistentData,
            hand.pos,
            format!(
                "measure {} has {} on {} here, but {rel} line {line} says {}",
                self.measure,
                num(hand.value),
                hand.date,
                num(value)
            ),
            "remove the hand-written point (the file's figure is used), or correct it",
        )
    }

    pub fn stale(&self, o: &Official, newest: Date, as_of: Date) -> Finding {
        let mut f = self.data_source(
            o.file.pos,
            format!(
                "the newest figure for measure {} in {} is for the period ending {}, more than {} months before {}: a newer release may be out",
                self.measure,
                o.resolved.as_deref().unwrap_or(&o.file.value),
                newest.long(),
                super::STALE_MONTHS,
                as_of.long()
            ),
            "download the latest file from explore-education-statistics into data/ (keep the name, or change `file:`)",
        );
        f.severity = crate::finding::Severity::Warning;
        f.width(o.file.value.chars().count())
    }
}

/// `where:`'s first column, else `file:`.
fn filters_pos(o: &Official) -> Pos {
    o.filters
        .first()
        .map_or(o.file.pos, |(c, _): &(At<String>, _)| c.pos)
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn num(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}
