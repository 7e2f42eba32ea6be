//! The one declarative table of the fields of pack's YAML files: name,
//! type (with its choices or pattern), whether it is required, and the
//! description docs/format.md gives it, word for word (tests/schema.rs
//! compares them). The loader's known-field lists (`X_FIELDS` in
//! src/load/) and the JSON Schemas of `pack schema` are both built from it,
//! so an editor and `pack check` cannot disagree about which fields exist.
//!
//! The loader still reads an untyped tree and checks each field by hand, so
//! that one run reports every problem with a did-you-mean hint: the table
//! says what exists, the loader says what is wrong with it.

use crate::model::{
    ActionEvidence, ActionStatus, BenchKind, Choice, Classification, Direction, Kind, Monitoring,
    Rating, Shows,
};

/// `[a-z0-9-]+`: the plan's and visits' ids, used in file names.
pub const SLUG: &str = "^[a-z0-9-]+$";
/// `[A-Za-z0-9][A-Za-z0-9._-]*`: every other id.
pub const ITEM_ID: &str = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
/// `YYYY-MM-DD` with a real month and a day that month can have. (29
/// February of a year that is not a leap year, and the year 0000, pass the
/// pattern; `pack check` reports them.)
pub const DATE: &str = "^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$";

/// What a field holds.
#[derive(Clone, Copy)]
pub enum Ty {
    /// Text; a bare number is read as the characters written.
    Text,
    /// Text shown formatted in the pack.
    Markdown,
    /// An id of the given pattern (`SLUG` or `ITEM_ID`).
    Id(&'static str),
    Date,
    Bool,
    /// A real number, at most 10^15 either way.
    Number,
    /// A whole number in a range.
    Int {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// One of a closed set of words.
    Choice(fn() -> Vec<&'static str>),
    /// A list of words from a closed set.
    Choices(fn() -> Vec<&'static str>),
    /// A list of ids (`ITEM_ID`), with at least `min` entries.
    Ids {
        min: u64,
    },
    /// A mapping of fields.
    Object(&'static Object),
    /// A list of mappings, with at least `min` entries.
    List {
        of: &'static Object,
        min: u64,
    },
    /// A mapping whose keys are the user's own (of `key` pattern when set)
    /// and whose values are text.
    TextMap {
        key: Option<&'static str>,
    },
    /// A mapping whose keys are the user's own text and whose values are
    /// one of a closed set of words, or empty.
    ChoiceMap(fn() -> Vec<&'static str>),
}

impl Ty {
    /// The closed set of words the field takes, if any.
    pub fn choices(self) -> Option<Vec<&'static str>> {
        match self {
            Ty::Choice(f) | Ty::Choices(f) | Ty::ChoiceMap(f) => Some(f()),
            _ => None,
        }
    }

    /// The pattern a text value must match, if any.
    pub fn pattern(self) -> Option<&'static str> {
        match self {
            Ty::Id(p) => Some(p),
            Ty::Date => Some(DATE),
            Ty::Ids { .. } => Some(ITEM_ID),
            _ => None,
        }
    }
}

pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// Equal to the field's "Meaning" in docs/format.md.
    pub description: &'static str,
}

/// A mapping: its fields, and where docs/format.md describes them.
pub struct Object {
    /// The heading (without `#`s) of the section of docs/format.md whose
    /// table has these fields' rows.
    pub section: &'static str,
    /// What the rows' names start with in that table (`points[].`).
    pub prefix: &'static str,
    pub fields: &'static [Field],
}

/// The field names of an object, for the loader (`X_FIELDS`).
pub const fn names<const N: usize>(o: &Object) -> [&'static str; N] {
    assert!(o.fields.len() == N);
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = o.fields[i].name;
        i += 1;
    }
    out
}

/// `const X_FIELDS: &[&str] = field_names!(OBJECT);` in the loader.
#[macro_export]
macro_rules! field_names {
    ($object:ident) => {
        &$crate::schema::table::names::<{ $crate::schema::table::$object.fields.len() }>(
            &$crate::schema::table::$object,
        )
    };
}

fn names_of<C: Choice>() -> Vec<&'static str> {
    C::NAMES.to_vec()
}

/// The rules an acknowledgement may name.
fn acknowledgeable() -> Vec<&'static str> {
    crate::finding::Rule::ALL
        .into_iter()
        .filter(|r| r.can_acknowledge())
        .map(crate::finding::Rule::name)
        .collect()
}

const fn req(name: &'static str, ty: Ty, description: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        description,
    }
}

const fn opt(name: &'static str, ty: Ty, description: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        description,
    }
}

/// The files the table describes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum File {
    Plan,
    Area,
    Evidence,
    Import,
}

impl File {
    pub const ALL: [File; 4] = [File::Plan, File::Area, File::Evidence, File::Import];

    pub fn object(self) -> &'static Object {
        match self {
            File::Plan => &PLAN,
            File::Area => &AREA,
            File::Evidence => &EVIDENCE,
            File::Import => &IMPORT,
        }
    }

    /// Where the file sits in a repository.
    pub fn path(self) -> &'static str {
        match self {
            File::Plan => "plan/plan.yaml",
            File::Area => "plan/areas/*.yaml",
            File::Evidence => "evidence/**/*.yaml",
            File::Import => "plan/import.yaml",
        }
    }
}

// plan/plan.yaml

pub const PLAN: Object = Object {
    section: "3.1 `plan/plan.yaml`",
    prefix: "",
    fields: &[
        req(
            "id",
            Ty::Id(SLUG),
            "The plan's id. Used in the names of the pack files.",
        ),
        req("title", Ty::Text, "The plan's name, shown on the pack."),
        opt(
            "classification",
            Ty::Choice(names_of::<Classification>),
            "The marking printed on every page of the pack.",
        ),
        req(
            "organisations",
            Ty::List {
                of: &ORGANISATION,
                min: 1,
            },
            "The partners. Actions and evidence name them by id.",
        ),
        opt("rules", Ty::Object(&RULES), "The completeness rules."),
        opt(
            "visits",
            Ty::List { of: &VISIT, min: 0 },
            "The monitoring visits, in any order.",
        ),
        opt(
            "acknowledged",
            Ty::List {
                of: &ACKNOWLEDGEMENT,
                min: 0,
            },
            "Known gaps the board has accepted, for a time.",
        ),
        opt(
            "family",
            Ty::Object(&PLAN_FAMILY),
            "The family edition's title, introduction and glossary.",
        ),
        opt(
            "local_authority",
            Ty::Object(&LOCAL_AUTHORITY),
            "The local authority the plan is for, and its statistical neighbours: how measures with an `official:` source find their rows.",
        ),
    ],
};

pub const LOCAL_AUTHORITY: Object = Object {
    section: "The plan's `local_authority:`",
    prefix: "",
    fields: &[
        req(
            "code",
            Ty::Text,
            "The ONS code (`E10000016`), matched against the `new_la_code` column.",
        ),
        opt(
            "old_code",
            Ty::Text,
            "DfE's three-digit LA number (`\"886\"`), matched against `old_la_code` in files that have no `new_la_code`. A number is read as its digits.",
        ),
        req(
            "name",
            Ty::Text,
            "The local authority's name, shown beside its figures.",
        ),
        opt(
            "neighbours",
            Ty::Ids { min: 0 },
            "The statistical neighbours' ONS codes, at most 10. Their mean per period is the neighbours' benchmark.",
        ),
    ],
};

pub const ORGANISATION: Object = Object {
    section: "3.2 Organisations",
    prefix: "",
    fields: &[
        req(
            "id",
            Ty::Id(ITEM_ID),
            "How actions (`owner:`) and evidence (`organisation:`) name it.",
        ),
        req("name", Ty::Text, "The full name, shown in the pack."),
    ],
};

pub const RULES: Object = Object {
    section: "3.3 Rules",
    prefix: "",
    fields: &[
        opt(
            "max_age_months",
            Ty::Int {
                min: Some(1),
                max: Some(120),
            },
            "Evidence dated more than this many calendar months before the as-of date is no longer current (see section 4, When evidence is current). Also sets the window for `measure-gap`.",
        ),
        opt(
            "min_current_per_area",
            Ty::Int {
                min: Some(0),
                max: Some(1000),
            },
            "How many current evidence items each area needs.",
        ),
        opt(
            "require_shows",
            Ty::Choices(names_of::<Shows>),
            "Each area needs at least one current item showing each of these. `[]` requires none.",
        ),
        opt(
            "action_evidence",
            Ty::Choice(names_of::<ActionEvidence>),
            "What an action with no current evidence is: not reported (`off`), a warning (`warn`) or an error (`error`). See `action-gap`.",
        ),
    ],
};

pub const VISIT: Object = Object {
    section: "3.4 Visits",
    prefix: "",
    fields: &[
        req(
            "id",
            Ty::Id(SLUG),
            "How `--visit` names it; used in the pack's file name.",
        ),
        req(
            "date",
            Ty::Date,
            "The day of the visit. It becomes the as-of date when the pack is for this visit.",
        ),
        opt("title", Ty::Text, "The visit's name, shown on the pack."),
        opt(
            "evidence_due",
            Ty::Date,
            "The date by which evidence for the visit is due.",
        ),
        opt(
            "letter",
            Ty::Object(&LETTER),
            "The letter DfE and NHS England wrote after the visit.",
        ),
    ],
};

pub const LETTER: Object = Object {
    section: "Letters",
    prefix: "",
    fields: &[
        req("date", Ty::Date, "The letter's date."),
        opt(
            "evidence",
            Ty::Id(ITEM_ID),
            "The letter itself, kept as an evidence item (`kind: letter`).",
        ),
        req(
            "points",
            Ty::List {
                of: &LETTER_POINT,
                min: 1,
            },
            "What the letter asked.",
        ),
    ],
};

pub const LETTER_POINT: Object = Object {
    section: "Letters",
    prefix: "points[].",
    fields: &[
        req(
            "id",
            Ty::Id(ITEM_ID),
            "Unique across the repository (areas, actions, measures, evidence items and points share one set of ids), e.g. `L25-05.1`.",
        ),
        req("text", Ty::Text, "The point, in a sentence."),
        req("areas", Ty::Ids { min: 1 }, "The areas it is about."),
    ],
};

pub const ACKNOWLEDGEMENT: Object = Object {
    section: "3.5 Acknowledgements",
    prefix: "",
    fields: &[
        req(
            "rule",
            Ty::Choice(acknowledgeable),
            "The rule whose finding this covers.",
        ),
        req(
            "id",
            Ty::Text,
            "The id the finding is about (see the table in section 6).",
        ),
        req(
            "reason",
            Ty::Text,
            "Why the board accepts it. Printed in the pack beside the gap.",
        ),
        req(
            "until",
            Ty::Date,
            "The last day the acknowledgement applies (inclusive).",
        ),
    ],
};

pub const PLAN_FAMILY: Object = Object {
    section: "The plan's `family:`",
    prefix: "",
    fields: &[
        opt("title", Ty::Text, "The edition's title."),
        opt(
            "intro",
            Ty::Markdown,
            "A short introduction, shown under the title.",
        ),
        opt(
            "glossary",
            Ty::TextMap { key: None },
            r#"Shown at the end as "What the words mean", sorted by term. An abbreviation in a term (`EHC plan`, `SEND`) counts as explained everywhere."#,
        ),
    ],
};

// plan/areas/NAME.yaml

pub const AREA: Object = Object {
    section: "3.6 Area: `plan/areas/NAME.yaml`",
    prefix: "",
    fields: &[
        req(
            "id",
            Ty::Id(ITEM_ID),
            "How evidence names the area (`areas: [A6]`).",
        ),
        req("title", Ty::Text, "A short name for the area."),
        req(
            "weakness",
            Ty::Text,
            "The weakness, as the inspection worded it.",
        ),
        req("outcome", Ty::Text, "The difference the plan will make."),
        opt("lead", Ty::Text, "Who leads the area."),
        opt(
            "order",
            Ty::Int {
                min: None,
                max: None,
            },
            "Where the area comes in lists. Areas with an `order` come first, lowest first; areas without one come after them. Ties, and areas without an order, are sorted by id.",
        ),
        opt(
            "monitoring",
            Ty::Choice(names_of::<Monitoring>),
            "Whether the area is still formally monitored: `formal` and `reduced` areas are checked in full; an `ended` area is shown but always treated as complete.",
        ),
        opt(
            "progress",
            Ty::Object(&PROGRESS),
            "The board's own judgement of the area.",
        ),
        opt(
            "actions",
            Ty::List {
                of: &ACTION,
                min: 0,
            },
            "What is being done.",
        ),
        opt(
            "measures",
            Ty::List {
                of: &MEASURE,
                min: 0,
            },
            "The indicators that show impact.",
        ),
        opt(
            "family",
            Ty::Object(&AREA_FAMILY),
            "What the family edition says about the area, in plain words.",
        ),
    ],
};

pub const PROGRESS: Object = Object {
    section: "3.7 Progress",
    prefix: "",
    fields: &[
        opt(
            "rating",
            Ty::Choice(names_of::<Rating>),
            "The board's overall rating of the area. It is the board's judgement and is not worked out from the measures.",
        ),
        opt("date", Ty::Date, "When the board made that judgement."),
        opt(
            "summary",
            Ty::Markdown,
            "A short account of progress. May cite evidence as `[@ID]`.",
        ),
        opt(
            "history",
            Ty::List {
                of: &HISTORY,
                min: 0,
            },
            "The board's earlier ratings, any order. Each entry needs both `date` and `rating` (the same choices as `rating`).",
        ),
    ],
};

pub const HISTORY: Object = Object {
    section: "3.7 Progress",
    prefix: "history[].",
    fields: &[
        req("date", Ty::Date, "The date of that earlier rating."),
        req(
            "rating",
            Ty::Choice(names_of::<Rating>),
            "The board's rating on that date.",
        ),
    ],
};

pub const ACTION: Object = Object {
    section: "3.8 Action",
    prefix: "",
    fields: &[
        req(
            "id",
            Ty::Id(ITEM_ID),
            "How evidence names the action (`actions: [A6.2]`).",
        ),
        req("title", Ty::Text, "What will be done."),
        opt(
            "owner",
            Ty::Id(ITEM_ID),
            "The organisation responsible. Must be listed in `organisations:`.",
        ),
        opt(
            "due",
            Ty::Date,
            "When it should be complete. After this date an incomplete action is `overdue-action`.",
        ),
        opt(
            "status",
            Ty::Choice(names_of::<ActionStatus>),
            "Where the action stands.",
        ),
    ],
};

pub const MEASURE: Object = Object {
    section: "3.9 Measure",
    prefix: "",
    fields: &[
        req(
            "id",
            Ty::Id(ITEM_ID),
            "How evidence names the measure (`measures: [A6.M1]`).",
        ),
        req("title", Ty::Text, "What is measured."),
        opt(
            "unit",
            Ty::Text,
            r#"Shown after each value (`"%"`, `cases`, `weeks`)."#,
        ),
        opt(
            "direction",
            Ty::Choice(names_of::<Direction>),
            "Which way is better: `up` when a higher value is better, `down` when lower is better (waiting times, backlogs).",
        ),
        opt("source", Ty::Text, "Where the figures come from."),
        opt(
            "baseline",
            Ty::Object(&POINT),
            "The starting position. Shown for reference; it does not affect the rating.",
        ),
        opt(
            "target",
            Ty::Object(&POINT),
            "The value to reach, and by when. Without a target the measure has no rating.",
        ),
        opt(
            "floor",
            Ty::Number,
            "The level below which (for `down`: above which) the measure is red.",
        ),
        opt(
            "data",
            Ty::List { of: &POINT, min: 0 },
            "The values recorded so far, in any order. `pack` sorts them by date, whatever order they are written in.",
        ),
        opt(
            "official",
            Ty::Object(&OFFICIAL),
            "A published statistics file under `data/` the measure's figures come from, read with England, the region and the statistical neighbours.",
        ),
    ],
};

pub const OFFICIAL: Object = Object {
    section: "A measure's `official:`",
    prefix: "",
    fields: &[
        req(
            "file",
            Ty::Text,
            "The CSV file as downloaded from explore-education-statistics, relative to the repository root and under `data/`.",
        ),
        req(
            "value",
            Ty::Text,
            "The indicator column whose numbers are the measure's values.",
        ),
        opt(
            "where",
            Ty::TextMap { key: None },
            "Filter column = value: the rows to read. Each column must be in the file and each value in some row.",
        ),
        opt(
            "compare",
            Ty::Choices(names_of::<BenchKind>),
            "The benchmarks to show: `england`, `region`, `neighbours`. Default: all the file has.",
        ),
    ],
};

pub const POINT: Object = Object {
    section: "3.10 Data point, baseline and target",
    prefix: "",
    fields: &[
        req(
            "date",
            Ty::Date,
            "For a data point or baseline: the date the value is as at. For a target: the date it should be reached by.",
        ),
        req("value", Ty::Number, "The value."),
        opt(
            "note",
            Ty::Text,
            "Shown beside the value (`provisional`, `illustrative`).",
        ),
    ],
};

pub const AREA_FAMILY: Object = Object {
    section: "The area's `family:`",
    prefix: "",
    fields: &[
        opt(
            "title",
            Ty::Text,
            r#"A plain heading that says what the part is about ("Being listened to")."#,
        ),
        opt(
            "you_said",
            Ty::Markdown,
            r#"What families and young people told us. Shown under "You told us"."#,
        ),
        opt(
            "we_did",
            Ty::Markdown,
            r#"What we are doing. Shown under "What we are doing"."#,
        ),
        opt(
            "changed",
            Ty::Markdown,
            r#"What has changed so far. Shown under "What has changed"."#,
        ),
        opt(
            "measures",
            Ty::Ids { min: 0 },
            "The measures shown to families as simple line charts, in this order.",
        ),
        opt(
            "captions",
            Ty::TextMap { key: Some(ITEM_ID) },
            r#"One sentence under a chart. Without one, pack writes it from the measure: "Parents who feel confident: 49 in 100 in 2025, up from 28 in 100 in 2023, which is better.""#,
        ),
    ],
};

// evidence/**/*.yaml

pub const EVIDENCE: Object = Object {
    section: "3.11 Evidence item: `evidence/**/*.yaml`",
    prefix: "",
    fields: &[
        req(
            "id",
            Ty::Id(ITEM_ID),
            "How narratives cite it (`[@E-2025-014]`) and other items supersede it.",
        ),
        req("title", Ty::Text, "What the evidence is."),
        req(
            "date",
            Ty::Date,
            "The date the evidence is as at (the date of the data, the meeting, the report). It decides whether the item is current. It may not be after today.",
        ),
        req(
            "organisation",
            Ty::Id(ITEM_ID),
            "Whose evidence it is. Must be listed in `organisations:`.",
        ),
        req(
            "kind",
            Ty::Choice(names_of::<Kind>),
            "What sort of document it is.",
        ),
        req(
            "shows",
            Ty::Choice(names_of::<Shows>),
            "What it demonstrates: work done (`activity`), a difference made (`impact`), or the views of children, young people and families (`voice`). One value, not a list.",
        ),
        req("areas", Ty::Ids { min: 1 }, "The areas it is evidence for."),
        opt(
            "actions",
            Ty::Ids { min: 0 },
            "The actions it is evidence for. Each must belong to one of the areas in `areas`.",
        ),
        opt(
            "measures",
            Ty::Ids { min: 0 },
            "The measures it is the source for.",
        ),
        opt(
            "file",
            Ty::Text,
            "The attachment, relative to this YAML file (`report.pdf`, `attachments/report.pdf`, `../shared/report.pdf`). It must exist and stay inside the repository.",
        ),
        opt(
            "url",
            Ty::Text,
            "A web address for the evidence. Not checked.",
        ),
        opt(
            "summary",
            Ty::Markdown,
            "Shown in the pack. May cite other evidence as `[@ID]`.",
        ),
        opt(
            "classification",
            Ty::Choice(names_of::<Classification>),
            "`OFFICIAL-SENSITIVE` items are left out of a pack unless `pack build --include-sensitive`.",
        ),
        opt(
            "personal_data",
            Ty::Bool,
            "`true` when the item or its attachment holds personal data. Such items are left out of a pack unless `--include-sensitive`.",
        ),
        opt(
            "valid_until",
            Ty::Date,
            "The last day the item may count as current. Use it for evidence that stops being true before it is six months old (a consultation that closed, an interim figure).",
        ),
        opt(
            "supersedes",
            Ty::Ids { min: 0 },
            "The items this one replaces. From this item's `date`, the items it supersedes are no longer current.",
        ),
        opt(
            "responds_to",
            Ty::Ids { min: 0 },
            r#"The points of a visit's letter (3.4, "Letters") this item answers."#,
        ),
        opt(
            "public",
            Ty::Bool,
            "`true` when the item is published and may be listed in the family edition (3.12). A sensitive item is never listed, public or not. An unreadable value counts as `false`.",
        ),
    ],
};

// plan/import.yaml

/// What a column of an evidence log may be read as: an evidence field, or
/// `ignore` (skipped without a warning).
pub fn import_targets() -> Vec<&'static str> {
    crate::sheet::COLUMNS
        .iter()
        .map(|c| c.key)
        .chain(["ignore"])
        .collect()
}

pub const IMPORT: Object = Object {
    section: "3.13 Import settings: `plan/import.yaml`",
    prefix: "",
    fields: &[
        opt(
            "columns",
            Ty::ChoiceMap(import_targets),
            "What each column of the local area's logs holds, by its header as the sheet has it: an evidence field, or `ignore` (or nothing) to skip the column without a warning. Headers are matched as `--map` matches them, ignoring case, spaces and punctuation.",
        ),
        opt(
            "sheet",
            Ty::Text,
            "The sheet to read when `--sheet` is not given.",
        ),
        opt(
            "files",
            Ty::Text,
            "The folder holding the files named in the File column, relative to the repository, when `--files` is not given.",
        ),
    ],
};
