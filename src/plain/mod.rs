//! Plain language, measured (spec section 8): family text is for children,
//! young people and families, so its sentences are short, its paragraphs
//! easy to read and its abbreviations explained. Reading ease is Flesch's,
//! computed by the `textstat` crate; this module decides what to judge.

mod abbrev;

pub use abbrev::{Abbreviation, abbreviations};

/// The longest sentence family text may have, in words.
pub const MAX_SENTENCE_WORDS: usize = 25;
/// The lowest Flesch reading ease a judged paragraph may have: 60 to 70 is
/// "plain English", what most 12- to 15-year-olds read easily.
pub const MIN_READING_EASE: f64 = 60.0;
/// A paragraph is judged on reading ease when it has at least this many
/// sentences or words: shorter text gives a score that means little.
pub const JUDGED_SENTENCES: usize = 3;
pub const JUDGED_WORDS: usize = 40;

/// One sentence of a paragraph: its text and where it starts (bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence<'a> {
    pub start: usize,
    pub text: &'a str,
    pub words: usize,
}

/// The sentences of `paragraph`, split where `textstat` counts one ending:
/// a run of `.`, `!` or `?`, except a decimal point (`3.5`) or a dot inside
/// an initialism (`U.S.A`). Text with no ending is one sentence.
pub fn sentences(paragraph: &str) -> Vec<Sentence<'_>> {
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if ends_sentence(&chars, i) {
            while i + 1 < chars.len() && ends_sentence(&chars, i + 1) {
                i += 1;
            }
            let end = chars.get(i + 1).map_or(paragraph.len(), |(b, _)| *b);
            push(&mut out, paragraph, start, end);
            start = end;
        }
        i += 1;
    }
    push(&mut out, paragraph, start, paragraph.len());
    out
}

fn push<'a>(out: &mut Vec<Sentence<'a>>, p: &'a str, start: usize, end: usize) {
    let text = p[start..end].trim();
    if text.is_empty() {
        return;
    }
    let lead = p[start..end].len() - p[start..end].trim_start().len();
    out.push(Sentence {
        start: start + lead,
        text,
        words: textstat::lexicon_count(text),
    });
}

fn ends_sentence(chars: &[(usize, char)], i: usize) -> bool {
    let next = chars.get(i + 1).map(|(_, c)| *c);
    match chars[i].1 {
        '!' | '?' => true,
        '.' => {
            let prev = i.checked_sub(1).map(|j| chars[j].1);
            let decimal = prev.is_some_and(|c| c.is_ascii_digit())
                && next.is_some_and(|c| c.is_ascii_digit());
            !decimal && !next.is_some_and(char::is_alphanumeric)
        }
        _ => false,
    }
}

/// Flesch reading ease of a paragraph (higher is easier).
pub fn reading_ease(paragraph: &str) -> f64 {
    textstat::flesch_reading_ease(paragraph)
}

/// What makes a paragraph hard to read.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A sentence of more than [`MAX_SENTENCE_WORDS`] words, starting at byte `start`.
    LongSentence { start: usize, words: usize },
    /// A judged paragraph whose reading ease is below [`MIN_READING_EASE`].
    HardParagraph { ease: f64 },
}

/// Every problem of one paragraph of plain text.
pub fn problems(paragraph: &str) -> Vec<Problem> {
    let sentences = sentences(paragraph);
    let mut out: Vec<Problem> = sentences
        .iter()
        .filter(|s| s.words > MAX_SENTENCE_WORDS)
        .map(|s| Problem::LongSentence {
            start: s.start,
            words: s.words,
        })
        .collect();
    let judged =
        sentences.len() >= JUDGED_SENTENCES || textstat::lexicon_count(paragraph) >= JUDGED_WORDS;
    let ease = reading_ease(paragraph);
    if judged && ease < MIN_READING_EASE {
        out.push(Problem::HardParagraph { ease });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known values, worked by hand with Flesch's formula
    /// 206.835 - 1.015 (words / sentences) - 84.6 (syllables / words).
    #[test]
    fn reading_ease_matches_flesch() {
        // 10 words, 2 sentences, 10 syllables: 206.835 - 5.075 - 84.6.
        let cat = "The cat sat on the mat. The dog ran fast.";
        assert!((reading_ease(cat) - 117.16).abs() < 0.01);
        // 11 words, 1 sentence, 42 syllables by vowel groups (e-du-ca-tio-nal 5,
        // pro-fe-ssio-nals 4, fa-ci-li-tate 4, co-mmu-ni-ca-tion 5, re-gar-ding 3,
        // sta-tu-to-ry 4, a-sse-ssment 3, pro-ce-du-res 4, wi-thin 2,
        // rea-so-na-ble 4, ti-mes-ca-les 4): 206.835 - 11.165 - 323.018.
        let hard = "Educational professionals facilitate communication regarding statutory assessment procedures within reasonable timescales.";
        assert_eq!(textstat::lexicon_count(hard), 11);
        assert_eq!(textstat::syllable_count(hard), 42);
        assert!(
            (reading_ease(hard) - -127.348).abs() < 0.01,
            "{}",
            reading_ease(hard)
        );
        // Syllables by the vowel-group rule with a silent e.
        assert_eq!(textstat::syllables("table"), 2);
        assert_eq!(textstat::syllables("make"), 1);
        assert_eq!(textstat::syllables("families"), 3);
    }

    #[test]
    fn splits_sentences_as_textstat_counts_them() {
        let p = "We met 3.5 times. Was it U.S.A? Yes!! And then.";
        let s: Vec<&str> = sentences(p).iter().map(|s| s.text).collect();
        assert_eq!(
            s,
            ["We met 3.5 times.", "Was it U.S.A?", "Yes!!", "And then."]
        );
        assert_eq!(s.len(), textstat::sentence_count(p));
        // Words after the last ending are a sentence of their own.
        assert_eq!(sentences("One. And then").len(), 2);
        assert_eq!(sentences("no ending at all").len(), 1);
        assert!(sentences("  ").is_empty());
    }

    #[test]
    fn judges_long_sentences_and_hard_paragraphs() {
        let long = "We ".repeat(26) + "stop.";
        assert_eq!(
            problems(&long),
            [Problem::LongSentence {
                start: 0,
                words: 27
            }]
        );
        let ok = "We ".repeat(24) + "stop.";
        assert!(problems(&ok).is_empty());
        // Two hard sentences: too short a paragraph to judge.
        let hard = "Educational professionals facilitate communication. Statutory assessment procedures continue.";
        assert!(problems(hard).is_empty());
        // Three hard sentences: judged, and too hard.
        let three = format!("{hard} Organisational accountability improves.");
        assert!(matches!(problems(&three)[..], [Problem::HardParagraph { ease }] if ease < 60.0));
        // Forty words with no ending: one sentence, judged (and too long).
        let run = "education ".repeat(40);
        let p = problems(&run);
        assert!(p.contains(&Problem::LongSentence {
            start: 0,
            words: 40
        }));
        assert!(p.iter().any(|p| matches!(p, Problem::HardParagraph { .. })));
        // Easy text of three sentences passes.
        assert!(problems("We listen. We act. You can see it.").is_empty());
    }
}
