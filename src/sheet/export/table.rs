//! One sheet of the export as plain data: headers, rows of typed values and
//! the drop-down lists its columns offer. The sheet builders fill tables;
//! the writers (xlsx, csv) only lay them out, so both formats carry exactly
//! the same values.

use crate::model::Date;

/// A cell's value, typed so that each writer can store it natively.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Blank,
    Text(String),
    Number(f64),
    /// A real spreadsheet date in the workbook; ISO `YYYY-MM-DD` in CSV.
    Date(Date),
    /// A web address, shown as itself and linked to itself.
    Url(String),
    /// An attachment: `text` as written in the YAML, and where it is
    /// relative to the workbook, when a link can be made (see `links`).
    File {
        text: String,
        link: Option<String>,
    },
}

impl Value {
    /// Text, or blank when empty: an empty cell, not a cell holding "".
    pub fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() {
            Value::Blank
        } else {
            Value::Text(s)
        }
    }

    pub fn date(d: Option<Date>) -> Value {
        d.map_or(Value::Blank, Value::Date)
    }

    /// Several values in one cell, as import reads them back: "A1; A6".
    pub fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
        Value::text(items.into_iter().collect::<Vec<_>>().join("; "))
    }

    pub fn yes_no(b: bool) -> Value {
        Value::Text(if b { "yes" } else { "no" }.to_owned())
    }

    pub fn count(n: usize) -> Value {
        Value::Number(n as f64)
    }

    /// The value as CSV and the column-width estimate see it.
    pub fn as_text(&self) -> String {
        match self {
            Value::Blank => String::new(),
            Value::Text(s) | Value::Url(s) | Value::File { text: s, .. } => s.clone(),
            Value::Number(n) => number_text(*n),
            Value::Date(d) => d.to_string(),
        }
    }

    /// Characters in the widest line, for sizing the column.
    pub fn width(&self) -> usize {
        match self {
            Value::Blank => 0,
            // yyyy-mm-dd
            Value::Date(_) => 10,
            Value::Number(n) => number_text(*n).len(),
            Value::Text(s) | Value::Url(s) | Value::File { text: s, .. } => {
                s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
            }
        }
    }
}

/// 45.5 as "45.5" and 30 as "30", never "30.0" or an exponent for the
/// sizes a plan holds.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A drop-down list over one column's data rows.
#[derive(Debug, Clone)]
pub struct Choices {
    pub column: usize,
    pub values: Vec<String>,
    /// True: only these values (a closed set such as kind). False: a warning
    /// the user may accept (organisation, which import also takes by name).
    pub strict: bool,
}

/// What a printed page says around the sheet: the marking, the as-of date
/// and the plan (spec 6.2, "A workbook fit to send"). Empty for a table no
/// one prints (the CSV export).
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// OFFICIAL or OFFICIAL-SENSITIVE, as the pack is marked.
    pub marking: String,
    pub plan_title: String,
    pub as_of: Option<Date>,
    /// What the sheet is, when not an evidence log ("portfolio of 12
    /// local areas"): the banner says it in place of the plan.
    pub subject: Option<String>,
}

impl Page {
    /// The first row of the sheet: "OFFICIAL — evidence log of Kent SEND
    /// plan, as of 18 November 2025".
    pub fn banner(&self) -> Option<String> {
        let as_of = self.as_of?;
        Some(
            crate::pii::mask_all(&match &self.subject {
                Some(subject) => format!("{} — {subject}, as of {}", self.marking, as_of.long()),
                None => format!(
                    "{} — evidence log of {}, as of {}",
                    self.marking,
                    self.plan_title.trim(),
                    as_of.long()
                ),
            })
            .into_owned(),
        )
    }
}

/// One sheet.
#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet's name (the portfolio names a sheet per indicator).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    pub choices: Vec<Choices>,
    /// How many leading columns a reader needs on paper: the print area.
    /// The columns after them stay in the sheet, outside it.
    pub print: usize,
    pub page: Page,
}

impl Table {
    pub fn new(name: &'static str, headers: &[&str]) -> Table {
        Table {
            name: name.to_owned(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            choices: Vec::new(),
            print: headers.len(),
            page: Page::default(),
        }
    }

    /// Adds a row. Every text passes here, so this is where NHS numbers and
    /// UPNs are masked, as in every other output of pack: such a text is
    /// already a `personal-identifier` error, and a spreadsheet travels further
    /// than a pack.
    pub fn push(&mut self, mut row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.headers.len(), "{}: row width", self.name);
        for v in &mut row {
            let (Value::Text(s) | Value::Url(s) | Value::File { text: s, .. }) = v else {
                continue;
            };
            if let std::borrow::Cow::Owned(masked) = crate::pii::mask_all(s) {
                *s = masked;
                // A link would still spell the identifier out.
                if let Value::File { link, .. } = v {
                    *link = None;
                }
            }
        }
        self.rows.push(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_as_import_expects() {
        assert_eq!(Value::list(["A1", "A6"]).as_text(), "A1; A6");
        assert_eq!(Value::list([]), Value::Blank);
        assert_eq!(Value::text(""), Value::Blank);
        assert_eq!(Value::Number(30.0).as_text(), "30");
        assert_eq!(Value::Number(45.5).as_text(), "45.5");
        let d = Date::parse("2025-04-30").unwrap();
        assert_eq!(Value::Date(d).as_text(), "2025-04-30");
        assert_eq!(Value::text("one\nlonger line").width(), 11);
    }
}
