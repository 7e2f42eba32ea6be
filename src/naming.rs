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

/// A file name from a title that any computer can hold (spec 6.1): lower
/// case ASCII letters and digits, `-` between words, at most 60 characters;
/// accented letters transliterated (`Café résumé` -> `cafe-resume`), never a
/// Windows device name (`con`, `com1`, ...: Windows cannot create
/// `con.yaml` at all), never ending in a dot or a space; `evidence` if
/// nothing is left.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if let Some(ascii) = ascii_of(c) {
            s.push_str(ascii);
        } else if is_combining(c) {
            // An accent typed as its own character (NFD, as macOS writes names).
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 60 {
            s.truncate(60);
            break;
        }
    }
    let s = s.trim_matches('-').to_owned();
    if s.is_empty() {
        "evidence".to_owned()
    } else if is_device_name(&s) {
        format!("{s}-item")
    } else {
        s
    }
}

/// Windows reserves these names in every folder, in any case and with any
/// extension (`CON.yaml`, `com1.pdf`).
pub fn is_device_name(stem: &str) -> bool {
    let stem = stem
        .split('.')
        .next()
        .unwrap_or(stem)
        .trim_end_matches([' ', '.']);
    let lower = stem.to_ascii_lowercase();
    match lower.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => {
            let (head, tail) = lower.split_at(lower.len().min(3));
            matches!(head, "com" | "lpt")
                && matches!(tail, "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9")
        }
    }
}

/// Combining marks: the accents of a decomposed letter, dropped.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// The ASCII a lower-case letter of the Latin alphabets is written as
/// without its accent (the Latin-1 and Latin Extended-A letters, and those
/// of Romanian and Vietnamese that people type); `None` for anything else.
fn ascii_of(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' | 'ª' => "a",
        'æ' | 'ǽ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể'
        | 'ễ' | 'ệ' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ỉ' | 'ị' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ'
        | 'ổ' | 'ỗ' | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' | 'º' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' | 'ụ' | 'ủ' | 'ứ'
        | 'ừ' | 'ử' | 'ữ' | 'ự' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        // Superscript digits: `COM¹` is a device name too.
        '¹' => "1",
        '²' => "2",
        '³' => "3",
        _ => return None,
    })
}

/// `folder/slug.ext`, or `slug-2.ext`, ...: a name no file has, and that
/// `taken` (names already promised to other new files) does not hold.
/// A name is taken in any letter case: Windows and macOS hold `Report.yaml`
/// and `report.yaml` as one file.
pub fn free_path(folder: &Path, slug: &str, ext: &str, taken: impl Fn(&Path) -> bool) -> PathBuf {
    let names: std::collections::HashSet<String> = std::fs::read_dir(folder)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let exists = |p: &Path| {
        p.symlink_metadata().is_ok()
            || p.file_name()
                .is_some_and(|n| names.contains(&n.to_string_lossy().to_lowercase()))
    };
    let free = |p: &Path| !exists(p) && !taken(p);
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
    fn a_name_is_taken_in_any_letter_case() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("Report.yaml"), "").unwrap();
        let p = free_path(tmp.path(), "report", "yaml", |_| false);
        assert_eq!(p, tmp.path().join("report-2.yaml"));
        let p = free_path(tmp.path(), "report", "yaml", |p| {
            p.ends_with("report-2.yaml")
        });
        assert_eq!(p, tmp.path().join("report-3.yaml"));
    }

    #[test]
    fn slugs_are_ascii_and_never_a_device_name() {
        assert_eq!(slug("Café résumé"), "cafe-resume");
        assert_eq!(slug("Ünïcödé Café résumé"), "unicode-cafe-resume");
        // Decomposed accents (NFD), as macOS writes names.
        assert_eq!(slug("Cafe\u{301} re\u{301}sume\u{301}"), "cafe-resume");
        assert_eq!(slug("Straße Ærø Łódź"), "strasse-aero-lodz");
        for device in ["CON", "Aux", "nul", "COM1", "lpt9", "prn", "COM¹", " con. "] {
            let s = slug(device);
            assert!(!is_device_name(&s), "{device} -> {s}");
            assert!(s.ends_with("-item"), "{device} -> {s}");
        }
        assert_eq!(slug("Console"), "console");
        assert_eq!(slug("COM10"), "com10");
        let long = slug(&"é".repeat(100));
        assert_eq!(long.len(), 60);
        assert!(is_device_name("CON.yaml") && is_device_name("com3.tar.gz"));
        assert!(!is_device_name("com") && !is_device_name("com0") && !is_device_name("conx"));
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
