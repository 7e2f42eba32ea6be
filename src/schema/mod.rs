//! JSON Schemas of pack's files for editors (spec section 13): the YAML
//! files' from the one field table (`table`) that also gives the loader its
//! known fields, the JSON view's from the view types.

pub mod json;
pub mod table;
pub mod view;

use serde_json::Value;

/// What `pack schema` describes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Plan,
    Area,
    Evidence,
    Import,
    View,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Plan,
        Kind::Area,
        Kind::Evidence,
        Kind::Import,
        Kind::View,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Area => "area",
            Kind::Evidence => "evidence",
            Kind::Import => "import",
            Kind::View => "view",
        }
    }

    /// `<kind>.schema.json`: the file `pack schema --out DIR` writes.
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }

    /// The YAML files the schema is for, as the YAML language server's
    /// `yaml.schemas` globs them; none for the view.
    pub fn globs(self) -> &'static [&'static str] {
        match self {
            Kind::Plan => &["plan/plan.yaml"],
            Kind::Area => &["plan/areas/*.yaml", "plan/areas/*.yml"],
            Kind::Evidence => &["evidence/**/*.yaml", "evidence/**/*.yml"],
            Kind::Import => &["plan/import.yaml"],
            Kind::View => &[],
        }
    }

    pub fn schema(self) -> Value {
        match self {
            Kind::Plan => json::file_schema(table::File::Plan),
            Kind::Area => json::file_schema(table::File::Area),
            Kind::Evidence => json::file_schema(table::File::Evidence),
            Kind::Import => json::file_schema(table::File::Import),
            Kind::View => view::schema(),
        }
    }

    /// The schema as written to a file or stdout: pretty, with a newline.
    pub fn text(self) -> String {
        let mut s = serde_json::to_string_pretty(&self.schema()).expect("a JSON value prints");
        s.push('\n');
        s
    }
}

impl From<table::File> for Kind {
    fn from(f: table::File) -> Kind {
        match f {
            table::File::Plan => Kind::Plan,
            table::File::Area => Kind::Area,
            table::File::Evidence => Kind::Evidence,
            table::File::Import => Kind::Import,
        }
    }
}
