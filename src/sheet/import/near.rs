//! Near-duplicates (spec 6.2): an id-less row that is no item exactly, but
//! has an item's date and organisation and a similar title, is most likely
//! that item retyped ("Parent survey, April" for "Parent survey April
//! 2025"). Importing it as a new item would leave two items for one
//! document, so import asks which it is.

use std::collections::HashMap;

use crate::finding::{Cell, Finding, Rule};
use crate::model::{Date, Evidence};

use super::item::{FieldValue, Fields};
use crate::sheet::Field;

/// A title's words as numbers (one per distinct word of the repository's
/// titles), in order and as a sorted set: comparing two is then a walk
/// along two short lists, not the building of sets, so a log of thousands
/// of rows against thousands of items of one day and organisation stays
/// quick.
struct Title {
    seq: Vec<u32>,
    set: Vec<u32>,
}

impl Title {
    fn new(seq: Vec<u32>) -> Title {
        let mut set = seq.clone();
        set.sort_unstable();
        set.dedup();
        Title { seq, set }
    }
}

/// Items of one date and organisation, each with its title's words.
type Group<'a> = Vec<(Title, &'a Evidence)>;

/// The repository's items by date and organisation, each with its title's
/// words worked out once.
pub struct Near<'a> {
    by_date_org: HashMap<(Date, String), Group<'a>>,
    dictionary: HashMap<String, u32>,
}

/// The number of a word no item's title has: it matches nothing.
const UNKNOWN: u32 = u32::MAX;

impl<'a> Near<'a> {
    pub fn new(evidence: &'a [Evidence]) -> Self {
        let mut by_date_org: HashMap<(Date, String), Group<'a>> = HashMap::new();
        let mut dictionary: HashMap<String, u32> = HashMap::new();
        for e in evidence.iter().filter(|e| e.id_ok) {
            if let (Some(d), Some(o)) = (&e.date, &e.organisation) {
                let seq = words(&e.title)
                    .into_iter()
                    .map(|w| {
                        let next = dictionary.len() as u32;
                        *dictionary.entry(w).or_insert(next)
                    })
                    .collect();
                by_date_org
                    .entry((d.value, o.value.to_string()))
                    .or_default()
                    .push((Title::new(seq), e));
            }
        }
        Near {
            by_date_org,
            dictionary,
        }
    }

    /// The items a row may be: same date and organisation, similar title.
    pub fn candidates(&self, row: &Fields) -> Vec<&'a Evidence> {
        let (Some(FieldValue::Text(t)), Some(FieldValue::Date(d)), Some(FieldValue::Text(o))) = (
            row.get(&Field::Title),
            row.get(&Field::Date),
            row.get(&Field::Organisation),
        ) else {
            return Vec::new();
        };
        let Some(items) = self.by_date_org.get(&(*d, o.clone())) else {
            return Vec::new();
        };
        let mine = Title::new(
            words(t)
                .iter()
                .map(|w| self.dictionary.get(w).copied().unwrap_or(UNKNOWN))
                .collect(),
        );
        let mut out: Vec<&Evidence> = items
            .iter()
            .filter(|(theirs, _)| similar_titles(&mine, theirs))
            .map(|(_, e)| *e)
            .collect();
        out.sort_by(|a, b| a.id.value.cmp(&b.id.value));
        out
    }
}

/// The `import-conflict` error for a row that may be one of `items`, at
/// its title cell: which items, and the two ways on (spec 6.2 wording).
pub fn finding(items: &[&Evidence], file: &str, cell: Cell) -> Finding {
    let ids = items
        .iter()
        .map(|e| e.id.value.to_string())
        .collect::<Vec<_>>()
        .join(" or ");
    let row = cell.row;
    Finding::in_cell(
        Rule::ImportConflict,
        file,
        cell,
        format!("row {row} may be {ids} (same date and organisation; the title differs)"),
    )
    .hint(format!(
        "put {ids} in its id column to update it, or import with `--new` to add it as a new item"
    ))
}

/// A title lower-cased and split into words: runs of letters and digits
/// (in any script), so punctuation and spacing never tell two titles apart.
pub fn words(title: &str) -> Vec<String> {
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Similar titles: one's words are a contiguous run in the other's (a
/// title with a suffix or prefix added), or more than half the longer
/// title's words are shared (a word changed, words reordered). A title
/// without words is similar to nothing. (Import numbers the words once,
/// in `Near`; this is the rule on two titles' words, for the tests.)
#[cfg(test)]
fn similar(a: &[String], b: &[String]) -> bool {
    let mut dictionary: HashMap<&str, u32> = HashMap::new();
    let mut titles = [a, b].map(|ws| {
        ws.iter()
            .map(|w| {
                let next = dictionary.len() as u32;
                *dictionary.entry(w.as_str()).or_insert(next)
            })
            .collect::<Vec<u32>>()
    });
    let [a, b] = std::mem::take(&mut titles).map(Title::new);
    similar_titles(&a, &b)
}

fn similar_titles(a: &Title, b: &Title) -> bool {
    if a.seq.is_empty() || b.seq.is_empty() {
        return false;
    }
    let (short, long) = if a.seq.len() <= b.seq.len() {
        (a, b)
    } else {
        (b, a)
    };
    // `UNKNOWN` stands for any word no item has: such a run is no match.
    if !short.seq.contains(&UNKNOWN) && long.seq.windows(short.seq.len()).any(|w| w == short.seq) {
        return true;
    }
    2 * shared(&a.set, &b.set) > long.seq.len()
}

/// How many words two sorted sets share (`UNKNOWN` never counts).
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if a[i] != UNKNOWN {
                    n += 1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> bool {
        similar(&words(a), &words(b)) && similar(&words(b), &words(a))
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(
            words("Parent-carer SURVEY, spring 2025 (Café)"),
            ["parent", "carer", "survey", "spring", "2025", "café"]
        );
        assert!(words(" — ").is_empty());
    }

    #[test]
    fn edges_of_similar() {
        // One word changed: 4 shared of 5.
        assert!(sim(
            "Parent carer survey spring 2025",
            "Parent carer survey summer 2025"
        ));
        // Reordered, punctuation aside.
        assert!(sim(
            "Parent carer survey, spring 2025",
            "Spring 2025: parent carer survey"
        ));
        // One contains the other as a run, however much longer.
        assert!(sim(
            "Survey",
            "Survey of parent carers in five districts spring 2025"
        ));
        // Words of the shorter present, but not as a run, and too few shared.
        assert!(!sim("survey 2025", "survey of parents in spring 2025 x"));
        // Exactly half shared is not more than half.
        assert!(!sim("a b c d", "a b x y"));
        assert!(sim("a b c d", "a b c y"));
        // The longer title's word count counts repeats.
        assert!(!sim("a b", "a x b x"));
        // Unrelated.
        assert!(!sim(
            "Ofsted monitoring visit letter",
            "Parent carer survey spring 2025"
        ));
        // A title with no words is like nothing.
        assert!(!sim("—", "Survey"));
        assert!(!sim("—", "—"));
    }
}
