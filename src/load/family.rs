//! The family edition's text (spec section 8): an area's `family:` block and
//! the plan's, read into the model, and judged for plain language where the
//! file's text is at hand, so that each finding points at its sentence.

use std::collections::HashSet;

use crate::finding::{Finding, Rule};
use crate::model::{AreaFamily, At, PlanFamily};
use crate::plain::{self, Problem};

use super::fields::Reader;
use super::yaml::{Node, Value};
use super::{offset_of, scan};

const AREA_FAMILY_FIELDS: &[&str] = crate::field_names!(AREA_FAMILY);
const PLAN_FAMILY_FIELDS: &[&str] = crate::field_names!(PLAN_FAMILY);

pub fn read_area(r: &mut Reader, node: &Node) -> Option<AreaFamily> {
    let f = r.map(node, "the area's `family`", AREA_FAMILY_FIELDS)?;
    let measures = r
        .id_list(&f, "measures", "[A1.M1]")
        .into_iter()
        .map(|m| At::new(m.value.as_str().into(), m.pos))
        .collect();
    let mut captions = Vec::new();
    if let Some(n) = r.node(&f, "captions") {
        for (key, value) in entries(
            r,
            n,
            "`captions`",
            "A1.M1: More parents now feel listened to.",
        ) {
            if let Some(id) = r_id(r, &key) {
                captions.push((At::new(id.as_str().into(), key.pos), value));
            }
        }
    }
    Some(AreaFamily {
        pos: node.pos,
        title: r.opt_text(&f, "title"),
        you_said: r.opt_text(&f, "you_said"),
        we_did: r.opt_text(&f, "we_did"),
        changed: r.opt_text(&f, "changed"),
        measures,
        captions,
        unexplained: Vec::new(),
    })
}

pub fn read_plan(r: &mut Reader, node: &Node) -> PlanFamily {
    let Some(f) = r.map(node, "the plan's `family`", PLAN_FAMILY_FIELDS) else {
        return PlanFamily::default();
    };
    let glossary = match r.node(&f, "glossary") {
        Some(n) => entries(
            r,
            n,
            "`glossary`",
            "SEND: special educational needs and disabilities",
        )
        .into_iter()
        .map(|(k, v)| (At::new(k.value, k.pos), v))
        .collect(),
        None => Vec::new(),
    };
    PlanFamily {
        title: r.opt_text(&f, "title"),
        intro: r.opt_text(&f, "intro"),
        glossary,
        unexplained: Vec::new(),
    }
}

/// The `key: text` entries of a mapping whose keys are the user's own.
fn entries(
    r: &mut Reader,
    node: &Node,
    what: &str,
    example: &str,
) -> Vec<(At<String>, At<String>)> {
    let Value::Map(pairs) = &node.value else {
        r.schema(
            node.pos,
            format!("{what} must be a mapping, found {}", node.kind_name()),
            format!("write one `{example}` line per entry"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in pairs {
        let (Some(key), Some(text)) = (Reader::text_of(k), Reader::text_of(v)) else {
            let at = if Reader::text_of(k).is_none() { k } else { v };
            r.schema(
                at.pos,
                format!("each entry of {what} is text: `{example}`"),
                format!("write one `{example}` line per entry"),
            );
            continue;
        };
        if text.trim().is_empty() {
            r.schema(
                v.pos,
                format!("the entry `{key}` of {what} is empty"),
                format!("write one `{example}` line per entry"),
            );
            continue;
        }
        out.push((At::new(key, k.pos), At::new(text, v.pos)));
    }
    out
}

/// A caption's key as a measure id, or a schema finding.
fn r_id(r: &mut Reader, key: &At<String>) -> Option<String> {
    if crate::model::ids::is_item_id(&key.value) {
        Some(key.value.clone())
    } else {
        r.schema(
            key.pos,
            format!("`{}` is not a measure id", key.value),
            "key each caption by one of the area's measure ids, as `A1.M1: ...`",
        );
        None
    }
}

/// Judges an area's family text (title, you_said, we_did, changed, then
/// the captions: the order a family reads them) and records the
/// abbreviations it does not explain where first used.
pub fn judge_area(rel: &str, text: &str, area: &str, fam: &mut AreaFamily, out: &mut Vec<Finding>) {
    let mut texts: Vec<&At<String>> = [&fam.title, &fam.you_said, &fam.we_did, &fam.changed]
        .into_iter()
        .flatten()
        .collect();
    texts.extend(fam.captions.iter().map(|(_, c)| c));
    fam.unexplained = judge(rel, text, &texts, area, out);
}

/// Judges the plan's family text: its title, introduction and glossary.
pub fn judge_plan(rel: &str, text: &str, plan: &str, fam: &mut PlanFamily, out: &mut Vec<Finding>) {
    let mut texts: Vec<&At<String>> = [&fam.title, &fam.intro].into_iter().flatten().collect();
    texts.extend(fam.glossary.iter().map(|(_, e)| e));
    fam.unexplained = judge(rel, text, &texts, plan, out);
}

/// Plain-language findings are about the area (or the plan), so that the
/// board can acknowledge them by its id.
fn judge(
    rel: &str,
    file: &str,
    texts: &[&At<String>],
    subject: &str,
    out: &mut Vec<Finding>,
) -> Vec<At<String>> {
    let mut seen = HashSet::new();
    let mut unexplained = Vec::new();
    for t in texts {
        let from = offset_of(file, t.pos);
        judge_text(rel, file, from, &t.value, subject, out);
        for c in crate::markdown::analyse(&t.value).citations {
            let needle = format!("[@{}]", c.id);
            let pos = scan::place(file, from, &t.value, c.offset, &needle);
            out.push(
                Finding::new(
                    Rule::PlainLanguage,
                    rel,
                    pos,
                    format!("family text cites `{}`, but families never see ids", c.id),
                )
                .hint(
                    "name what the evidence shows in words; public items are listed under the area",
                )
                .about(subject)
                .width(needle.chars().count()),
            );
        }
        for a in plain::abbreviations(&t.value) {
            if seen.insert(a.base().to_owned()) && !a.explained {
                let pos = scan::place(file, from, &t.value, a.start, a.text);
                unexplained.push(At::new(a.text.to_owned(), pos));
            }
        }
    }
    unexplained
}

/// Long sentences and hard paragraphs of one Markdown text, each pointed at
/// by its first word.
fn judge_text(
    rel: &str,
    file: &str,
    from: usize,
    value: &str,
    subject: &str,
    out: &mut Vec<Finding>,
) {
    let mut cursor = 0;
    for para in crate::markdown::paragraphs(value) {
        let para_at = locate(value, &mut cursor, &para, 0);
        // The next paragraph starts past most of this one (its plain text is
        // never longer than its Markdown).
        cursor = (para_at + para.len() * 3 / 4).min(value.len());
        while !value.is_char_boundary(cursor) {
            cursor -= 1;
        }
        for problem in plain::problems(&para) {
            let (at, first, message, hint) = match problem {
                Problem::LongSentence { start, words } => (
                    locate(value, &mut para_at.clone(), &para, start),
                    first_word(&para[start..]),
                    format!(
                        "this sentence has {words} words; family text keeps to {} or fewer",
                        plain::MAX_SENTENCE_WORDS
                    ),
                    "split it into two or more shorter sentences",
                ),
                Problem::HardParagraph { ease } => (
                    para_at,
                    first_word(&para),
                    format!(
                        "this paragraph is hard to read: its reading ease is {ease:.0} (Flesch), and family text needs {:.0} or more",
                        plain::MIN_READING_EASE
                    ),
                    "use shorter sentences and everyday words (`help` for `assistance`, `we will` for `the local area intends to`)",
                ),
            };
            let pos = if first.is_empty() {
                super::source::pos_at(file, from)
            } else {
                scan::place(file, from, value, at, first)
            };
            out.push(
                Finding::new(Rule::PlainLanguage, rel, pos, message)
                    .hint(hint)
                    .about(subject)
                    .width(first.chars().count()),
            );
        }
    }
}

/// The byte offset in `value` (Markdown) of the word at `start` of the
/// paragraph `para` (plain text), searching from `cursor`, which moves on.
fn locate(value: &str, cursor: &mut usize, para: &str, start: usize) -> usize {
    let word = first_word(&para[start..]);
    let skip = para[..start].matches(word).count();
    let found = value
        .get(*cursor..)
        .and_then(|rest| {
            rest.match_indices(word)
                .nth(skip)
                .or_else(|| rest.match_indices(word).next())
        })
        .map(|(i, _)| *cursor + i);
    if let Some(i) = found {
        *cursor = i;
    }
    found.unwrap_or(*cursor)
}

fn first_word(s: &str) -> &str {
    s.split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
}
