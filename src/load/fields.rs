//! Reading typed fields out of a `Node` while collecting every schema
//! problem as a finding: unknown fields (with did-you-mean), missing
//! required fields, wrong types, bad choices, bad dates, bad ids.

use crate::finding::{Finding, Pos, Rule, did_you_mean};
use crate::model::{At, Choice, Date, DateError};

use super::yaml::{Node, Value};

mod lists;

/// The largest magnitude of a number pack reads (a documented `limit`):
/// past it, values lose precision and charts lose meaning.
pub const MAX_NUMBER: f64 = 1e15;

/// Collects the findings of one file.
pub struct Reader<'f> {
    pub file: &'f str,
    pub findings: Vec<Finding>,
}

/// The entries of one mapping, with the fields it may have.
pub struct Fields<'n> {
    node: &'n Node,
    entries: Vec<(&'n str, &'n Node)>,
    /// "area", "action A6.1", ...: names the mapping in messages.
    pub what: String,
}

impl<'n> Fields<'n> {
    fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .filter(|v| v.value != Value::Null)
    }

    pub fn pos(&self) -> Pos {
        self.node.pos
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// How an id must be spelled.
#[derive(Clone, Copy)]
pub enum IdShape {
    /// `[A-Za-z0-9][A-Za-z0-9._-]*`
    Item,
    /// `[a-z0-9-]+`
    Slug,
}

impl<'f> Reader<'f> {
    pub fn new(file: &'f str) -> Self {
        Reader {
            file,
            findings: Vec::new(),
        }
    }

    pub fn schema(&mut self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.findings
            .push(Finding::new(Rule::Schema, self.file, pos, message).hint(hint));
    }

    /// Opens a mapping; reports each unknown key (with a suggestion) once.
    pub fn map<'n>(
        &mut self,
        node: &'n Node,
        what: impl Into<String>,
        known: &[&str],
    ) -> Option<Fields<'n>> {
        let what = what.into();
        let Value::Map(pairs) = &node.value else {
            self.schema(
                node.pos,
                format!(
                    "{what} must be a mapping of fields, found {}",
                    node.kind_name()
                ),
                format!(
                    "write it as `field: value` lines; its fields are {}",
                    known.join(", ")
                ),
            );
            return None;
        };
        let mut entries = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let Some(key) = k.as_str() else {
                self.schema(
                    k.pos,
                    format!("field names must be text, found {}", k.kind_name()),
                    format!("the fields of {what} are {}", known.join(", ")),
                );
                continue;
            };
            if known.contains(&key) {
                entries.push((key, v));
            } else {
                let hint = match did_you_mean(key, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the fields of {what} are {}", known.join(", ")),
                };
                self.findings.push(
                    Finding::new(
                        Rule::Schema,
                        self.file,
                        k.pos,
                        format!("unknown field `{key}` in {what}"),
                    )
                    .hint(hint)
                    .width(key.chars().count()),
                );
            }
        }
        Some(Fields {
            node,
            entries,
            what,
        })
    }

    fn missing(&mut self, f: &Fields, name: &str, example: &str) {
        let present_but_empty = f.entries.iter().any(|(k, _)| *k == name);
        let message = if present_but_empty {
            format!("`{name}` in {} is empty", f.what)
        } else {
            format!("{} is missing the required field `{name}`", f.what)
        };
        let pos = f
            .entries
            .iter()
            .find(|(k, _)| *k == name)
            .map_or(f.node.pos, |(_, v)| v.pos);
        self.schema(pos, message, format!("add `{name}: {example}`"));
    }

    fn wrong_type(&mut self, f: &Fields, name: &str, node: &Node, expected: &str, example: &str) {
        self.findings.push(
            Finding::new(
                Rule::Schema,
                self.file,
                node.pos,
                format!(
                    "`{name}` in {} must be {expected}, found {}",
                    f.what,
                    node.kind_name()
                ),
            )
            .hint(format!("for example `{name}: {example}`")),
        );
    }

    /// Text; numbers are accepted as their digits (a title of `2025` is text to a user).
    /// A number is read as the characters written (`1.10` stays `1.10`).
    pub fn text_of(node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(node.raw.clone().unwrap_or_else(|| i.to_string())),
            Value::Float(x) => Some(node.raw.clone().unwrap_or_else(|| x.to_string())),
            _ => None,
        }
    }

    pub fn opt_text(&mut self, f: &Fields, name: &str) -> Option<At<String>> {
        let node = f.get(name)?;
        match Self::text_of(node) {
            Some(s) => Some(At::new(s, node.pos)),
            None => {
                self.wrong_type(f, name, node, "text", "...");
                None
            }
        }
    }

    pub fn req_text(&mut self, f: &Fields, name: &str, example: &str) -> Option<At<String>> {
        if !f.has(name) {
            self.missing(f, name, example);
            return None;
        }
        let t = self.opt_text(f, name)?;
        if t.value.trim().is_empty() {
            self.missing(f, name, example);
            return None;
        }
        Some(t)
    }

    pub fn opt_id(&mut self, f: &Fields, name: &str, shape: IdShape) -> Option<At<String>> {
        let t = self.opt_text(f, name)?;
        self.check_id(f, name, &t, shape).then_some(t)
    }

    pub fn req_id(
        &mut self,
        f: &Fields,
        name: &str,
        shape: IdShape,
        example: &str,
    ) -> Option<At<String>> {
        let t = self.req_text(f, name, example)?;
        self.check_id(f, name, &t, shape).then_some(t)
    }

    /// An item's own id, read leniently: a missing or misspelt id is a
    /// finding, and the item is still read so that everything else in it is
    /// checked. Returns the id as written (or `(no id)`) and whether it is valid.
    pub fn item_id(&mut self, f: &Fields, name: &str, example: &str) -> (At<String>, bool) {
        match self.req_text(f, name, example) {
            Some(t) => {
                let ok = self.check_id(f, name, &t, IdShape::Item);
                (t, ok)
            }
            None => (At::new("(no id)".to_owned(), f.pos()), false),
        }
    }

    fn check_id(&mut self, f: &Fields, name: &str, t: &At<String>, shape: IdShape) -> bool {
        let (ok, rule) = match shape {
            IdShape::Item => (
                crate::model::ids::is_item_id(&t.value),
                "a letter or digit, then letters, digits, `.`, `_` or `-`",
            ),
            IdShape::Slug => (
                crate::model::ids::is_slug(&t.value),
                "lower-case letters, digits and `-` only",
            ),
        };
        if !ok {
            self.findings.push(
                Finding::new(
                    Rule::Schema,
                    self.file,
                    t.pos,
                    format!("`{name}` in {} is not a valid id: `{}`", f.what, t.value),
                )
                .hint(format!("an id is {rule}"))
                .width(t.value.chars().count()),
            );
        }
        ok
    }

    pub fn opt_date(&mut self, f: &Fields, name: &str) -> Option<At<Date>> {
        let node = f.get(name)?;
        self.date_of(f, name, node)
    }

    pub fn req_date(&mut self, f: &Fields, name: &str) -> Option<At<Date>> {
        match f.get(name) {
            Some(node) => self.date_of(f, name, node),
            None => {
                self.missing(f, name, "2025-04-30");
                None
            }
        }
    }

    fn date_of(&mut self, f: &Fields, name: &str, node: &Node) -> Option<At<Date>> {
        let Some(text) = Self::text_of(node) else {
            self.wrong_type(f, name, node, "a date YYYY-MM-DD", "2025-04-30");
            return None;
        };
        match Date::parse(text.trim()) {
            Ok(d) => Some(At::new(d, node.pos)),
            Err(e) => {
                let why = match e {
                    DateError::Shape => "is not an ISO 8601 date (YYYY-MM-DD)",
                    DateError::NoSuchDay => "is not a day in the calendar",
                };
                self.findings.push(
                    Finding::new(
                        Rule::Schema,
                        self.file,
                        node.pos,
                        format!("`{name}` in {}: `{text}` {why}", f.what),
                    )
                    .hint("write dates as YYYY-MM-DD, e.g. 2025-04-30")
                    .width(text.chars().count()),
                );
                None
            }
        }
    }

    pub fn opt_choice<C: Choice>(&mut self, f: &Fields, name: &str) -> Option<At<C>> {
        let node = f.get(name)?;
        let Some(text) = Self::text_of(node) else {
            self.wrong_type(
                f,
                name,
                node,
                &format!("one of {}", C::NAMES.join(", ")),
                C::NAMES[0],
            );
            return None;
        };
        if let Some(c) = C::parse(&text) {
            return Some(At::new(c, node.pos));
        }
        let hint = match did_you_mean(&text, C::NAMES.iter().copied()) {
            Some(s) => format!(
                "did you mean `{s}`? The choices are {}",
                C::NAMES.join(", ")
            ),
            None => format!("the choices are {}", C::NAMES.join(", ")),
        };
        self.findings.push(
            Finding::new(
                Rule::Schema,
                self.file,
                node.pos,
                format!("`{name}` in {} cannot be `{text}`", f.what),
            )
            .hint(hint)
            .width(text.chars().count()),
        );
        None
    }

    pub fn req_choice<C: Choice>(&mut self, f: &Fields, name: &str) -> Option<At<C>> {
        if !f.has(name) {
            self.missing(f, name, C::NAMES[0]);
            return None;
        }
        self.opt_choice(f, name)
    }

    pub fn opt_number(&mut self, f: &Fields, name: &str) -> Option<At<f64>> {
        let node = f.get(name)?;
        let x = match node.value {
            Value::Int(i) => i as f64,
            Value::Float(x) => x,
            _ => f64::NAN,
        };
        if x.is_finite() && x.abs() > MAX_NUMBER {
            self.findings.push(
                Finding::new(
                    Rule::Limit,
                    self.file,
                    node.pos,
                    format!(
                        "`{name}` in {} is {}; pack handles numbers up to a million billion (10^15) either way",
                        f.what,
                        Self::text_of(node).unwrap_or_default()
                    ),
                )
                .hint("check the value: a measure's figures are counts, rates or percentages"),
            );
            return None;
        }
        match node.value {
            Value::Int(i) => Some(At::new(i as f64, node.pos)),
            Value::Float(x) if x.is_finite() => Some(At::new(x, node.pos)),
            _ => {
                self.wrong_type(f, name, node, "a number", "42.5");
                None
            }
        }
    }

    pub fn req_number(&mut self, f: &Fields, name: &str) -> Option<At<f64>> {
        if !f.has(name) {
            self.missing(f, name, "42.5");
            return None;
        }
        self.opt_number(f, name)
    }

    pub fn opt_uint(
        &mut self,
        f: &Fields,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<At<u32>> {
        let node = f.get(name)?;
        match node.value {
            Value::Int(i) if range.contains(&i) => Some(At::new(i as u32, node.pos)),
            Value::Int(_) => {
                self.findings.push(
                    Finding::new(
                        Rule::Schema,
                        self.file,
                        node.pos,
                        format!(
                            "`{name}` in {} must be between {} and {}",
                            f.what,
                            range.start(),
                            range.end()
                        ),
                    )
                    .hint(format!("for example `{name}: {}`", range.start().max(&1))),
                );
                None
            }
            _ => {
                self.wrong_type(f, name, node, "a whole number", "6");
                None
            }
        }
    }

    pub fn opt_int(&mut self, f: &Fields, name: &str) -> Option<At<i64>> {
        let node = f.get(name)?;
        match node.value {
            Value::Int(i) => Some(At::new(i, node.pos)),
            _ => {
                self.wrong_type(f, name, node, "a whole number", "1");
                None
            }
        }
    }

    pub fn opt_bool(&mut self, f: &Fields, name: &str) -> Option<At<bool>> {
        let node = f.get(name)?;
        match node.value {
            Value::Bool(b) => Some(At::new(b, node.pos)),
            _ => {
                self.wrong_type(f, name, node, "true or false", "false");
                None
            }
        }
    }

    /// The raw node of a field, for nested structures.
    pub fn node<'n>(&self, f: &Fields<'n>, name: &str) -> Option<&'n Node> {
        f.get(name)
    }

    pub fn require(&mut self, f: &Fields, name: &str, example: &str) -> bool {
        if f.has(name) {
            true
        } else {
            self.missing(f, name, example);
            false
        }
    }
}
