//! The evidence log's columns: each evidence field, the header export writes
//! for it, and the other names a log may give it. Headers are compared after
//! normalising (lower case, letters and digits only); an exact match wins,
//! otherwise a header whose last words are a name matches it ("Evidence
//! title" -> title, "Linked actions" -> actions).

/// An evidence field a column can hold (spec section 1, evidence/**/*.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Id,
    Title,
    Date,
    Organisation,
    Kind,
    Shows,
    Areas,
    Actions,
    Measures,
    File,
    Url,
    Summary,
    Classification,
    PersonalData,
    ValidUntil,
    Supersedes,
    RespondsTo,
    Public,
}

/// A column of the evidence log.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub field: Field,
    /// The field's name in YAML, also accepted as a header and by `--map`.
    pub key: &'static str,
    /// The header export writes.
    pub header: &'static str,
    /// Other headers that name the field.
    pub synonyms: &'static [&'static str],
}

/// Every column, in the order export writes them.
#[rustfmt::skip]
pub const COLUMNS: &[Column] = &[
    col(Field::Id, "id", "Evidence ID", &["ID", "Ref", "Reference", "Evidence ref", "Evidence reference"]),
    col(Field::Title, "title", "Title", &["Document", "Description", "Name"]),
    col(Field::Date, "date", "Date", &["As at", "Dated"]),
    col(Field::Organisation, "organisation", "Organisation", &["Organization", "Partner", "Owner", "Org"]),
    col(Field::Areas, "areas", "Areas", &["Area", "Area of weakness", "Areas of weakness", "Weakness"]),
    col(Field::Kind, "kind", "Kind", &["Type"]),
    col(Field::Shows, "shows", "Shows", &["Evidence type", "Show"]),
    col(Field::Actions, "actions", "Actions", &["Action"]),
    col(Field::Measures, "measures", "Measures", &["Measure"]),
    col(Field::File, "file", "File", &["Attachment", "Filename", "File name"]),
    col(Field::Url, "url", "Link", &["URL", "Web link", "Hyperlink"]),
    col(Field::Summary, "summary", "Summary", &["Notes", "Note", "Comments"]),
    col(Field::Classification, "classification", "Classification", &["Security classification", "Marking"]),
    col(Field::PersonalData, "personal_data", "Personal data", &["Personal", "Contains personal data"]),
    col(Field::ValidUntil, "valid_until", "Valid until", &["Expires", "Expiry", "Review date"]),
    col(Field::Supersedes, "supersedes", "Supersedes", &["Replaces"]),
    col(Field::RespondsTo, "responds_to", "Responds to", &["Letter points", "Responds"]),
    // Not "Published": logs use it for a date, and its last-words match
    // ("Date published") would turn a column import now ignores into errors.
    col(Field::Public, "public", "Public", &["For families", "Family edition", "Publishable"]),
];

/// Headers only an export writes: import ignores them without a warning.
/// They are matched exactly (after normalising) and before any field, so
/// that "Area titles" is not taken for areas or title.
pub const EXPORT_ONLY: &[&str] = &["Current", "Area titles", "Evidence file", "Sheet row"];

const fn col(
    field: Field,
    key: &'static str,
    header: &'static str,
    synonyms: &'static [&'static str],
) -> Column {
    Column {
        field,
        key,
        header,
        synonyms,
    }
}

impl Field {
    /// Every field, in the order export writes them.
    pub fn all() -> impl Iterator<Item = Field> {
        COLUMNS.iter().map(|c| c.field)
    }

    pub fn column(self) -> &'static Column {
        COLUMNS
            .iter()
            .find(|c| c.field == self)
            .expect("every field has a column")
    }

    /// The field named by `--map`'s FIELD: its YAML key or its header.
    pub fn from_name(name: &str) -> Option<Field> {
        let n = normalise(name);
        COLUMNS
            .iter()
            .find(|c| normalise(c.key) == n || normalise(c.header) == n)
            .map(|c| c.field)
    }

    /// Several values in one cell.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Field::Areas | Field::Actions | Field::Measures | Field::Supersedes | Field::RespondsTo
        )
    }
}

/// Lower case, letters and digits only: "Area(s) of weakness" -> "areasofweakness".
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a header, normalised: "Linked action(s)" -> ["linked", "actions"].
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(normalise)
        .collect()
}

/// What a header names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderMatch {
    /// One field.
    Field(Field),
    /// A column only export writes (ignored).
    ExportOnly,
    /// Two or more fields: needs `--map`.
    Ambiguous(Vec<Field>),
    /// Nothing.
    None,
}

/// The field a header names, by the rules at the top of this module.
pub fn match_header(header: &str) -> HeaderMatch {
    let n = normalise(header);
    if n.is_empty() {
        return HeaderMatch::None;
    }
    if EXPORT_ONLY.iter().any(|h| normalise(h) == n) {
        return HeaderMatch::ExportOnly;
    }
    let names = |c: &Column| {
        let mut v = vec![c.key, c.header];
        v.extend_from_slice(c.synonyms);
        v
    };
    // Exact, after normalising: "Evidence type" is `shows`, not `kind`.
    let exact: Vec<Field> = COLUMNS
        .iter()
        .filter(|c| names(c).iter().any(|x| normalise(x) == n))
        .map(|c| c.field)
        .collect();
    if let [one] = exact.as_slice() {
        return HeaderMatch::Field(*one);
    }
    if exact.len() > 1 {
        return HeaderMatch::Ambiguous(exact);
    }
    // The last words: the longest name each field ends the header with.
    let w = words(header);
    let mut best: Vec<(usize, Field)> = Vec::new();
    for c in COLUMNS {
        let longest = names(c)
            .iter()
            .map(|x| words(x))
            .filter(|x| !x.is_empty() && x.len() < w.len() && w.ends_with(x))
            .map(|x| x.len())
            .max();
        if let Some(len) = longest {
            best.push((len, c.field));
        }
    }
    let Some(top) = best.iter().map(|(l, _)| *l).max() else {
        return HeaderMatch::None;
    };
    let fields: Vec<Field> = best
        .iter()
        .filter(|(l, _)| *l == top)
        .map(|(_, f)| *f)
        .collect();
    match fields.as_slice() {
        [one] => HeaderMatch::Field(*one),
        _ => HeaderMatch::Ambiguous(fields),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_by_name_synonym_and_last_words() {
        assert_eq!(match_header("Evidence ID"), HeaderMatch::Field(Field::Id));
        assert_eq!(match_header("ref"), HeaderMatch::Field(Field::Id));
        assert_eq!(match_header("  TITLE "), HeaderMatch::Field(Field::Title));
        assert_eq!(match_header("As at"), HeaderMatch::Field(Field::Date));
        assert_eq!(
            match_header("Partner"),
            HeaderMatch::Field(Field::Organisation)
        );
        assert_eq!(
            match_header("Area of weakness"),
            HeaderMatch::Field(Field::Areas)
        );
        assert_eq!(
            match_header("Evidence type"),
            HeaderMatch::Field(Field::Shows)
        );
        assert_eq!(match_header("Type"), HeaderMatch::Field(Field::Kind));
        assert_eq!(
            match_header("Action(s)"),
            HeaderMatch::Field(Field::Actions)
        );
        assert_eq!(
            match_header("Evidence title"),
            HeaderMatch::Field(Field::Title)
        );
        assert_eq!(
            match_header("Linked actions"),
            HeaderMatch::Field(Field::Actions)
        );
        assert_eq!(
            match_header("personal_data"),
            HeaderMatch::Field(Field::PersonalData)
        );
        assert_eq!(match_header("Public?"), HeaderMatch::Field(Field::Public));
        assert_eq!(
            match_header("For families"),
            HeaderMatch::Field(Field::Public)
        );
        assert_eq!(
            match_header("Make public"),
            HeaderMatch::Field(Field::Public)
        );
        // A publication date is not `public`: still a column that names nothing.
        assert_eq!(match_header("Published"), HeaderMatch::None);
        assert_eq!(match_header("Date published"), HeaderMatch::None);
        assert_eq!(match_header("Current"), HeaderMatch::ExportOnly);
        assert_eq!(match_header("Area titles"), HeaderMatch::ExportOnly);
        assert_eq!(match_header("AREA TITLES"), HeaderMatch::ExportOnly);
        // Only that header: another that ends with a field's name is still the field.
        assert_eq!(match_header("Area title"), HeaderMatch::Field(Field::Title));
        assert_eq!(match_header("RAG"), HeaderMatch::None);
        assert_eq!(match_header(""), HeaderMatch::None);
        // Ends with two names at once.
        assert!(matches!(
            match_header("Kind type"),
            HeaderMatch::Field(Field::Kind)
        ));
        assert!(matches!(
            match_header("Area action"),
            HeaderMatch::Field(Field::Actions)
        ));
        assert!(matches!(
            match_header("Title kind"),
            HeaderMatch::Field(Field::Kind)
        ));
    }

    #[test]
    fn every_export_header_reads_back_as_its_field() {
        for c in COLUMNS {
            assert_eq!(
                match_header(c.header),
                HeaderMatch::Field(c.field),
                "{}",
                c.header
            );
            assert_eq!(Field::from_name(c.key), Some(c.field));
        }
    }
}
