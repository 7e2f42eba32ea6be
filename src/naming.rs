//! Names for new evidence: the next free id of a year, and the file it goes
//! in. Shared by `pack new evidence` and `pack import`, so that both name
//! items the same way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::Repo;

/// Hands out `E-YYYY-NNN` ids, one more than the highest taken that year.
/// A file that does not parse may still hold an id someone gave it: any
/// `E-YYYY-NNN` written in such a file counts as taken, so that fixing it
/// later makes no duplicate.
pub struct IdAllocator {
    /// The highest number taken, by year.
    highest: BTreeMap<i16, u32>,
}

impl IdAllocator {
    pub fn new(repo: &Repo) -> IdAllocator {
        let mut ids = IdAllocator {
            highest: BTreeMap::new(),
        };
        for e in &repo.evidence {
            ids.take(e.id.value.as_str());
        }
        for rel in &repo.health.broken_evidence {
            let Ok(bytes) = std::fs::read(repo.root.join(rel)) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            for (i, _) in text.match_indices("E-") {
                ids.take(&text[i..]);
            }
        }
        ids
    }

    /// Marks an id (or a text starting with one) as taken.
    pub fn take(&mut self, id: &str) {
        let Some(rest) = id.strip_prefix("E-") else {
            return;
        };
        let Some((year, number)) = rest.split_once('-') else {
            return;
        };
        let (Ok(year), Some(number)) = (year.parse::<i16>(), leading_number(number)) else {
            return;
        };
        let max = self.highest.entry(year).or_default();
        *max = (*max).max(number);
    }

    /// The next free id of `year`, marked as taken.
    pub fn next(&mut self, year: i16) -> String {
        let max = self.highest.entry(year).or_default();
        *max = max.saturating_add(1);
        format!("E-{year}-{:03}", *max)
    }
}

fn leading_number(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A file name from a title: lower case, ASCII letters and digits, `-`
/// between words, at most 60 characters; `evidence` if nothing is left.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 60 {
            break;
        }
    }
    let s = s.trim_matches('-').to_owned();
    if s.is_empty() {
        "evidence".to_owned()
    } else {
        s
    }
}

/// `folder/slug.ext`, or `slug-2.ext`, ...: a name no file has, and that
/// `taken` (names already promised to other new files) does not hold.
pub fn free_path(folder: &Path, slug: &str, ext: &str, taken: impl Fn(&Path) -> bool) -> PathBuf {
    let free = |p: &Path| !p.exists() && !taken(p);
    let first = folder.join(format!("{slug}.{ext}"));
    if free(&first) {
        return first;
    }
    (2..)
        .map(|n| folder.join(format!("{slug}-{n}.{ext}")))
        .find(|p| free(p))
        .expect("a free name")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_and_plain() {
        assert_eq!(
            slug("EHC timeliness dashboard, April 2025"),
            "ehc-timeliness-dashboard-april-2025"
        );
        assert_eq!(slug("  ✓✓ "), "evidence");
    }

    #[test]
    fn ids_follow_the_highest_of_their_year() {
        let mut ids = IdAllocator {
            highest: BTreeMap::new(),
        };
        ids.take("E-2025-014");
        ids.take("E-2025-009");
        ids.take("E-2024-200");
        ids.take("X-2025-999");
        assert_eq!(ids.next(2025), "E-2025-015");
        assert_eq!(ids.next(2025), "E-2025-016");
        assert_eq!(ids.next(2023), "E-2023-001");
        assert_eq!(ids.next(2024), "E-2024-201");
    }
}
