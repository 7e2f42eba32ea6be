//! `pack import`: an evidence-log spreadsheet into evidence/ (spec section
//! 6). The steps: read one sheet into a grid (`read`), find the header row
//! and what each column holds (`header`), read each row's cells as field
//! values (`values`), match rows to items already in the repository, and
//! then check the YAML that would be written exactly as `pack check` would,
//! by loading the repository with those files laid over it. Every finding
//! about a new or changed file is put back on the cell it came from. Nothing
//! is written here: `prepare` returns the plan, `cmd/import.rs` writes it.

pub mod comments;
mod files;
mod header;
pub mod item;
pub mod read;
mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

use crate::finding::{Cell, Finding, Rule, Severity};
use crate::load::{Loaded, Overlay};
use crate::model::{Date, Evidence};
use crate::naming::IdAllocator;
use crate::sheet::Field;

use item::{FieldValue, Fields};
use read::{Grid, Unreadable, Value};

/// Fields every item must have (spec section 1).
const REQUIRED: [Field; 6] = [
    Field::Title,
    Field::Date,
    Field::Organisation,
    Field::Kind,
    Field::Shows,
    Field::Areas,
];

/// What `pack import` was asked.
pub struct Options<'a> {
    pub file: &'a Path,
    /// The spreadsheet as findings name it (relative to the repository
    /// when it is inside it).
    pub file_name: &'a str,
    pub sheet: Option<&'a str>,
    pub maps: &'a [String],
    pub files_dir: Option<&'a Path>,
    pub update: bool,
}

/// What happens to one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Unchanged,
}

/// One row's item and where it goes.
#[derive(Debug)]
pub struct RowPlan {
    /// 1-based row number in the sheet.
    pub row: usize,
    pub id: String,
    /// The YAML file, relative to the root.
    pub path: String,
    pub change: Change,
    /// The YAML to write (for Create and Update).
    pub yaml: String,
}

/// Everything an import would do, and every problem with it.
#[derive(Debug, Default)]
pub struct ImportPlan {
    pub sheet: String,
    pub rows: Vec<RowPlan>,
    /// Attachments to copy: from, and to (relative to the root).
    pub copies: Vec<(PathBuf, String)>,
    /// Rows skipped as notes (one cell only), by 1-based row number.
    pub notes: Vec<usize>,
    /// Findings located in the spreadsheet.
    pub findings: Vec<Finding>,
}

impl ImportPlan {
    /// An import writes nothing while a row has an error.
    pub fn blocked(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Reads the spreadsheet and works out what to write, checking it all.
/// `Err` when the file cannot be read at all (exit 2).
pub fn prepare(root: &Path, loaded: &Loaded, opts: &Options) -> Result<ImportPlan> {
    let grid = read::read(opts.file, opts.sheet).map_err(|Unreadable(why)| anyhow!(why))?;
    let maps = header::parse_maps(opts.maps).map_err(|e| anyhow!(e))?;
    let mut plan = ImportPlan {
        sheet: grid.sheet.clone(),
        ..ImportPlan::default()
    };
    let Some(head) = header::find(&grid, &maps, opts.file_name, &mut plan.findings) else {
        return Ok(plan);
    };
    let repo = &loaded.repo;
    let cx = values::Context {
        plan: &repo.plan,
        areas: repo
            .areas
            .iter()
            .map(|a| (a.id.value.to_string(), a.title.clone()))
            .collect(),
        file: opts.file_name,
        sheet: &grid.sheet,
    };
    let files_dir = opts.files_dir.map(files::FilesDir::new);
    let mut ids = IdAllocator::new(repo);
    for r in grid.rows.iter().skip(head.row + 1) {
        for (col, f) in &head.columns {
            if *f == Field::Id
                && let Some(Value::Text(t)) = r.get(*col)
            {
                ids.take(t.trim());
            }
        }
    }
    let by_id: HashMap<&str, &Evidence> = repo
        .evidence
        .iter()
        .map(|e| (e.id.value.as_str(), e))
        .collect();
    let by_key: HashMap<(String, Date, String), &Evidence> = repo
        .evidence
        .iter()
        .filter_map(|e| Some((key(&item::from_evidence(e))?, e)))
        .collect();
    let field_col: BTreeMap<Field, usize> = head.columns.iter().map(|(c, f)| (*f, *c)).collect();
    let first_col = head.columns.keys().next().copied().unwrap_or(0);
    let mut taken_paths: BTreeSet<PathBuf> = BTreeSet::new();
    let mut overlay = Overlay::default();
    let mut rows_by_id: HashMap<String, usize> = HashMap::new();
    let mut empty_required: BTreeSet<(usize, Field)> = BTreeSet::new();
    // For each file laid over the repository: its row and its lines' fields.
    let mut origin: HashMap<String, (usize, Vec<Option<Field>>)> = HashMap::new();
    let comment_for = |row: usize| {
        format!(
            "Imported by pack from {}, sheet {}, row {row}.",
            opts.file.file_name().map_or_else(
                || opts.file_name.to_owned(),
                |n| n.to_string_lossy().into_owned()
            ),
            grid.sheet
        )
    };

    for (i, r) in grid.rows.iter().enumerate().skip(head.row + 1) {
        let filled = r.iter().filter(|v| **v != Value::Empty).count();
        if filled == 0 {
            continue;
        }
        if filled == 1 {
            plan.notes.push(i + 1);
            continue;
        }
        let cell = |field: Option<Field>| Cell {
            sheet: grid.sheet.clone(),
            row: i as u32 + 1,
            column: field
                .and_then(|f| field_col.get(&f))
                .copied()
                .unwrap_or(first_col) as u32
                + 1,
        };
        let mut fields = Fields::new();
        for (col, field) in &head.columns {
            let v = r.get(*col).unwrap_or(&Value::Empty);
            if let Some(value) = values::read(&cx, *field, v, i, *col, &mut plan.findings) {
                fields.insert(*field, value);
            } else if REQUIRED.contains(field) {
                // Said at the empty cell, not where the YAML would start.
                plan.findings.push(
                    Finding::in_cell(
                        Rule::Schema,
                        opts.file_name,
                        cell(Some(*field)),
                        format!(
                            "`{}` is empty: every evidence item needs one",
                            field.column().key
                        ),
                    )
                    .hint("fill the cell in (a formula that failed may show as empty)"),
                );
                empty_required.insert((i, *field));
            }
        }

        // Two rows for one item: the second is reported, not merged.
        if let Some(FieldValue::Text(id)) = fields.get(&Field::Id) {
            if let Some(first) = rows_by_id.get(id) {
                plan.findings.push(
                    Finding::in_cell(
                        Rule::DuplicateId,
                        opts.file_name,
                        cell(Some(Field::Id)),
                        format!("{id} is also the id of row {first}"),
                    )
                    .hint("give each row its own id, or delete one of the two rows"),
                );
                continue;
            }
            rows_by_id.insert(id.clone(), i + 1);
        }

        // Which existing item the row is, if any.
        let existing = match fields.get(&Field::Id) {
            Some(FieldValue::Text(id)) => by_id.get(id.as_str()).copied(),
            _ => key(&fields).and_then(|k| by_key.get(&k).copied()),
        };
        let (id, path, change, mut fields) = match existing {
            Some(e) => {
                let old = item::from_evidence(e);
                let mut new = old.clone();
                for f in head.columns.values() {
                    match fields.get(f) {
                        Some(v) => {
                            new.insert(*f, v.clone());
                        }
                        // The row names the item by title, date and organisation.
                        None if *f == Field::Id => {}
                        None => {
                            new.remove(f);
                        }
                    }
                }
                let yaml_dir = parent(&e.file);
                files::resolve(
                    root,
                    files_dir.as_ref(),
                    &yaml_dir,
                    &mut new,
                    &mut plan.copies,
                    cell(Some(Field::File)),
                    opts.file_name,
                    &mut plan.findings,
                );
                if new == old {
                    (
                        e.id.value.to_string(),
                        e.file.clone(),
                        Change::Unchanged,
                        new,
                    )
                } else if opts.update {
                    (e.id.value.to_string(), e.file.clone(), Change::Update, new)
                } else {
                    // Not written, but checked all the same: a conflict must
                    // not hide an identifier or a bad reference in the row.
                    let (yaml, lines) = item::to_yaml(&comment_for(i + 1), &new);
                    origin.insert(e.file.clone(), (i, lines));
                    overlay.yaml.insert(e.file.clone(), yaml);
                    let differ: Vec<&str> = Field::all()
                        .filter(|f| old.get(f) != new.get(f))
                        .map(|f| f.column().key)
                        .collect();
                    let first = Field::all().find(|f| old.get(f) != new.get(f));
                    plan.findings.push(
                        Finding::in_cell(
                            Rule::ImportConflict,
                            opts.file_name,
                            cell(if field_col.contains_key(&Field::Id) { Some(Field::Id) } else { first }),
                            format!(
                                "{} exists in {}, and this row differs from it in {}",
                                e.id.value,
                                e.file,
                                differ
                                    .iter()
                                    .map(|k| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .hint("pass --update to rewrite the item from the sheet, or make the row match it"),
                    );
                    continue;
                }
            }
            None => {
                let year = match fields.get(&Field::Date) {
                    Some(FieldValue::Date(d)) => d.year(),
                    _ => crate::model::Date::today_utc().year(),
                };
                let id = match fields.get(&Field::Id) {
                    Some(FieldValue::Text(id)) => id.clone(),
                    _ => ids.next(year),
                };
                fields.insert(Field::Id, FieldValue::Text(id.clone()));
                let title = match fields.get(&Field::Title) {
                    Some(FieldValue::Text(t)) => t.clone(),
                    _ => id.clone(),
                };
                let folder = root.join("evidence").join(year.to_string());
                let file =
                    crate::naming::free_path(&folder, &crate::naming::slug(&title), "yaml", |p| {
                        taken_paths.contains(p)
                    });
                taken_paths.insert(file.clone());
                let rel = crate::load::slash_path(file.strip_prefix(root).unwrap_or(&file));
                let yaml_dir = parent(&rel);
                files::resolve(
                    root,
                    files_dir.as_ref(),
                    &yaml_dir,
                    &mut fields,
                    &mut plan.copies,
                    cell(Some(Field::File)),
                    opts.file_name,
                    &mut plan.findings,
                );
                (id, rel, Change::Create, fields)
            }
        };
        if change == Change::Unchanged {
            plan.rows.push(RowPlan {
                row: i + 1,
                id,
                path,
                change,
                yaml: String::new(),
            });
            continue;
        }
        fields.retain(|_, v| *v != FieldValue::List(Vec::new()));
        let (yaml, lines) = item::to_yaml(&comment_for(i + 1), &fields);
        origin.insert(path.clone(), (i, lines));
        overlay.yaml.insert(path.clone(), yaml.clone());
        plan.rows.push(RowPlan {
            row: i + 1,
            id,
            path,
            change,
            yaml,
        });
    }
    for (_, to) in &plan.copies {
        overlay.attachments.insert(to.clone());
    }

    // The files as `pack check` will see them: every finding in one of them
    // is a finding at the row's cell.
    if !overlay.yaml.is_empty() {
        let checked = crate::cmd::check_overlaid(root, &overlay)?;
        let taken: BTreeSet<(u32, u32)> = plan
            .findings
            .iter()
            .filter_map(|f| f.cell.as_ref().map(|c| (c.row, c.column)))
            .collect();
        for f in checked {
            let Some((row, lines)) = origin.get(&f.file) else {
                continue;
            };
            let field = lines
                .get(f.line.saturating_sub(1) as usize)
                .copied()
                .flatten();
            let column = field
                .and_then(|fl| field_col.get(&fl))
                .copied()
                .unwrap_or(first_col);
            if taken.contains(&(*row as u32 + 1, column as u32 + 1)) {
                continue;
            }
            let said_empty = empty_required.iter().any(|(r, fl)| {
                r == row
                    && f.message
                        .contains(&format!("required field `{}`", fl.column().key))
            });
            if said_empty {
                continue;
            }
            let cell = Cell {
                sheet: grid.sheet.clone(),
                row: *row as u32 + 1,
                column: column as u32 + 1,
            };
            let mut g = Finding::in_cell(f.rule, opts.file_name, cell, f.message.clone());
            g.severity = f.severity;
            g.hint = f.hint.clone();
            g.subject = f.subject.clone();
            plan.findings.push(g);
        }
    }
    plan.findings.sort_by_key(|f| (f.line, f.column));
    Ok(plan)
}

/// Title, date and organisation: how a row without an id finds its item.
fn key(f: &Fields) -> Option<(String, Date, String)> {
    match (
        f.get(&Field::Title),
        f.get(&Field::Date),
        f.get(&Field::Organisation),
    ) {
        (Some(FieldValue::Text(t)), Some(FieldValue::Date(d)), Some(FieldValue::Text(o))) => {
            Some((crate::sheet::columns::normalise(t), *d, o.clone()))
        }
        _ => None,
    }
}

fn parent(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_owned())
}

/// The grid, for tests of the reader.
pub fn read_grid(path: &Path, sheet: Option<&str>) -> Result<Grid> {
    read::read(path, sheet).map_err(|Unreadable(why)| anyhow!(why))
}
