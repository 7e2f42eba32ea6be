//! YAML text to an untyped tree whose every node knows where it came from.
//! The typed reading happens afterwards (see `fields`), so that one file
//! can report every schema problem it has, not just the first.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::finding::Pos;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    /// Byte offset of the node in the source, when known.
    pub offset: Option<usize>,
    /// A number as it was written (`1.10`, `1e3`, `007`): YAML reads these
    /// as numbers, but where pack wants text (an id, a title) the user meant
    /// the characters, not the value.
    pub raw: Option<String>,
}

impl Node {
    /// What a user would call this kind of value, for "expected X, found Y".
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Visits every text scalar (keys included) with its node; whole
    /// numbers too, as their digits (an NHS number may be written bare).
    pub fn for_each_str(&self, f: &mut dyn FnMut(&Node, &str)) {
        match &self.value {
            Value::Str(s) => f(self, s),
            Value::Int(i) => f(self, self.raw.as_deref().unwrap_or(&i.to_string())),
            Value::Seq(items) => items.iter().for_each(|n| n.for_each_str(f)),
            Value::Map(entries) => {
                for (k, v) in entries {
                    k.for_each_str(f);
                    v.for_each_str(f);
                }
            }
            _ => {}
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(d)?;
        let loc = spanned.referenced;
        Ok(Node {
            value: spanned.value,
            pos: Pos::new(loc.line() as u32, loc.column() as u32),
            offset: loc.span().byte_offset().map(|o| o as usize),
            raw: None,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<Node, Node>()? {
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
}

/// Why a file could not be read as YAML, with where.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub hint: String,
    pub pos: Pos,
}

/// Deepest nesting accepted (the format itself needs about five levels).
pub const MAX_DEPTH: usize = 32;

/// Parses one YAML document. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    // The format needs five levels; a low limit keeps recursion shallow on any stack.
    if let Some(budget) = options.budget.as_mut() {
        budget.max_depth = MAX_DEPTH;
    }
    options.with_snippet = false;
    match serde_saphyr::from_str_with_options::<Option<Node>>(text, options) {
        Ok(Some(mut node)) => {
            attach_raw(&mut node, text);
            Ok(node)
        }
        Ok(None) => Ok(Node {
            value: Value::Null,
            pos: Pos::START,
            offset: Some(0),
            raw: None,
        }),
        Err(err) => {
            let pos = err
                .location()
                .map(|l| Pos::new(l.line() as u32, l.column() as u32))
                .unwrap_or(Pos::START);
            let (message, hint) = explain(&err.without_snippet().to_string());
            Err(SyntaxError { message, hint, pos })
        }
    }
}

/// Records how each number was written, read back from the source at the
/// node's offset. Nesting is bounded by `MAX_DEPTH`, so recursion is safe.
fn attach_raw(node: &mut Node, text: &str) {
    match &mut node.value {
        Value::Int(_) | Value::Float(_) => {
            node.raw = node.offset.and_then(|o| plain_scalar_at(text, o));
        }
        Value::Seq(items) => items.iter_mut().for_each(|n| attach_raw(n, text)),
        Value::Map(entries) => {
            for (k, v) in entries {
                attach_raw(k, text);
                attach_raw(v, text);
            }
        }
        _ => {}
    }
}

/// The plain (unquoted) scalar starting at byte `offset`, if it looks like
/// a number: up to white space, a flow indicator or a `: ` key separator.
fn plain_scalar_at(text: &str, offset: usize) -> Option<String> {
    let rest = text.get(offset..)?;
    let first = rest.chars().next()?;
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return None;
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
        .unwrap_or(rest.len());
    let token = rest[..end].strip_suffix(':').unwrap_or(&rest[..end]);
    (!token.is_empty()).then(|| token.to_owned())
}

/// The YAML reader's message, said in pack's words with how to fix it:
/// (message, hint). The reader's own words name its internals ("flow
/// mapping", "set DuplicateKeyPolicy in Options"), which no user can act on.
pub fn explain(reader: &str) -> (String, String) {
    let first = reader.lines().next().unwrap_or(reader).trim();
    let first = first.rfind(" at line ").map_or(first, |i| &first[..i]);
    let has = |s: &str| first.contains(s);
    let said = |m: &str, h: &str| (m.to_owned(), h.to_owned());
    if let Some(key) = first.strip_prefix("duplicate mapping key:") {
        let key = key.split(',').next().unwrap_or("").trim();
        return (
            format!("the field `{key}` is written twice here"),
            "keep one of them: delete the other, or merge what they say".to_owned(),
        );
    }
    if has("budget breached") || has("Depth {") || has("recursion") {
        return (
            format!(
                "this YAML nests deeper than {MAX_DEPTH} levels, or repeats aliases (`*name`) too often"
            ),
            "write the item flat, as the format describes; pack reads at most 32 levels".to_owned(),
        );
    }
    if has("unclosed quote") || has("found unexpected end of stream") && has("quoted") {
        return said(
            "a quoted text starts here but its closing quote is missing",
            "end the text with the same quote it starts with (\" or '), or remove the opening quote",
        );
    }
    if has("unclosed bracket") || has("did not find expected ',' or ']'") {
        return said(
            "a list or mapping written on one line (`[...]` or `{...}`) is not closed",
            "add the closing `]` or `}`, or write the list one `- item` per line",
        );
    }
    if has("misplaced bracket") {
        return said(
            "a closing `]` or `}` here has no opening one",
            "put text that holds brackets in quotes: title: \"Review [draft]\"",
        );
    }
    if has("tabs disallowed") || has("tab") && has("indent") {
        return said(
            "this line is indented with a tab; YAML indents with spaces only",
            "replace the tab with spaces (two per level, like the lines around it)",
        );
    }
    if has("unknown escape") {
        return said(
            "a backslash in double-quoted text starts an escape YAML does not know",
            "write \\\\ for a backslash, or put the text in single quotes",
        );
    }
    if let Some(rest) = first.strip_prefix("unexpected character:") {
        let c = rest.trim().trim_matches(|c| c == '`' || c == '\'');
        let c = if c.is_empty() { "`" } else { c };
        let shown = if c == "`" {
            "a back-tick".to_owned()
        } else {
            format!("`{c}`")
        };
        return (
            format!("text cannot start with {shown} unless it is in quotes"),
            format!("put the whole text in quotes: title: \"{c}...\""),
        );
    }
    if has("mapping values are not allowed") || has("illegal placement of ':'") {
        return said(
            "a `: ` (colon and space) here would start a new field where none can start",
            "put text that holds `: ` in quotes (title: \"Review: done\"), or check this line's indentation",
        );
    }
    if has("did not find expected key") || has("simple key expected") || has("block mapping") {
        return said(
            "this line does not fit the mapping around it: a `name: value` field was expected",
            "check the indentation: fields of one item start in the same column; a list entry starts with `- `",
        );
    }
    if has("flow mapping") || has("flow sequence") {
        return said(
            "a list or mapping written on one line (`[a, b]`, `{a: 1}`) is not written as YAML expects",
            "separate entries with `, ` and put entries that hold `:` or `,` in quotes, or write one `- item` per line",
        );
    }
    if has("alias") || has("anchor") {
        return said(
            "`*name` here refers to an anchor (`&name`) that is not defined above it",
            "put text that starts with `*` or `&` in quotes",
        );
    }
    if has("multiple YAML documents") || has("document") {
        return said(
            "this file holds more than one YAML document (a line `---` starts another)",
            "keep one item per file: remove the `---` line, or split the file in two",
        );
    }
    if has("directive") {
        return said(
            "the `%` directive lines at the top of this file are repeated or not understood",
            "remove the lines starting with `%`; pack needs none",
        );
    }
    if has("invalid") && (has("u64") || has("i64") || has("f64") || has("bool") || has("tag")) {
        return said(
            "a YAML tag here (`!!int`, `!!float`, `!!bool`...) does not match its value",
            "remove the `!!` tag: pack reads each value as written",
        );
    }
    if has("control character") || has("invalid character") || has("BOM") {
        return said(
            "this line holds a character YAML does not allow in a file (a control character)",
            "delete it, or write it as an escape in double quotes (\"\\t\")",
        );
    }
    // Anything else: the reader's first clause, without its own advice.
    let plain = first
        .split(';')
        .next()
        .unwrap_or(first)
        .split(", set ")
        .next()
        .unwrap_or(first)
        .replace("while parsing ", "")
        .trim_end_matches([':', ','])
        .trim()
        .to_owned();
    (
        format!("this is not valid YAML here ({plain})"),
        "compare this line with the examples in docs/format.md; quote text that holds `: `, `#` or starts with a symbol".to_owned(),
    )
}
