//! `pack import`: an evidence-log spreadsheet into evidence/ (spec section
//! 6). The steps: read one sheet into a grid (`read`), find the header row
//! and what each column holds (`header`), read each row's cells as field
//! values (`values`), match rows to items already in the repository, and
//! then check the YAML that would be written exactly as `pack check` would,
//! by loading the repository with those files laid over it. Every finding
//! about a new or changed file is put back on the cell it came from, and
//! every path the import would write is worked out and checked (`paths`).
//! Nothing is written here: `prepare` returns the plan, `cmd/import.rs`
//! writes it.

pub mod comments;
mod contain;
mod files;
mod header;
pub mod item;
mod near;
mod paths;
mod plan;
pub mod read;
mod recheck;
mod save_map;
mod settings;
mod teach;
mod update;
mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use anyhow::{Result, anyhow};

use crate::finding::{Cell, Finding, Rule};
use crate::load::{Loaded, Overlay};
use crate::model::{Date, Evidence};
use crate::naming::IdAllocator;
use crate::sheet::Field;

use item::{FieldValue, Fields};
pub use plan::{Change, Counts, ImportPlan, Options, RowPlan};
use read::{Grid, Unreadable, Value};
pub use save_map::save_maps;
// Export writes an organisation's name only where import reads it back.
pub(crate) use values::organisation;

/// Fields every item must have (spec section 1).
const REQUIRED: [Field; 6] = [
    Field::Title,
    Field::Date,
    Field::Organisation,
    Field::Kind,
    Field::Shows,
    Field::Areas,
];

/// Reads the spreadsheet and works out what to write, checking it all.
/// `Err` when the file cannot be read at all, or the command is wrong
/// (exit 2).
pub fn prepare(root: &Path, loaded: &Loaded, opts: &Options) -> Result<ImportPlan> {
    let saved = settings::read(root, opts)?;
    let sheet = opts.sheet.or(saved.sheet.as_deref());
    let grid = read::read(opts.file, sheet).map_err(|Unreadable(why)| anyhow!(why))?;
    let mut plan = ImportPlan {
        sheet: grid.sheet.clone(),
        findings: saved.findings,
        ..ImportPlan::default()
    };
    let maps = saved.maps;
    let files_dir_path = opts.files_dir.or(saved.files_dir.as_deref());
    let Some(head) = header::find(&grid, &maps, opts.file_name, &mut plan.findings) else {
        recheck::mask(&mut plan.findings);
        return Ok(plan);
    };
    let file_arg = opts.file.display().to_string();
    if teach::makes_new(&grid, &head, &loaded.repo.evidence)
        && let Some(lesson) = teach::missing(
            &grid,
            &head,
            &maps,
            &REQUIRED,
            &file_arg,
            opts.file_name,
            &mut plan.findings,
        )
    {
        plan.lesson = Some(lesson);
        recheck::mask(&mut plan.findings);
        return Ok(plan);
    }
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
    // Every lookup of a File cell is bounded by the real folders.
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let files_dir = files_dir_path.map(files::FilesDir::new);
    let lookup = files::Lookup {
        root: &real_root,
        files_dir: files_dir.as_ref(),
        file_name: opts.file_name,
    };
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
    let by_key: HashMap<Key, &Evidence> = repo
        .evidence
        .iter()
        .filter_map(|e| Some((key(&item::from_evidence(e))?, e)))
        .collect();
    let near = near::Near::new(&repo.evidence);
    let field_col: BTreeMap<Field, usize> = head.columns.iter().map(|(c, f)| (*f, *c)).collect();
    let first_col = head.columns.keys().next().copied().unwrap_or(0);
    let mut existing = paths::Existing::default();
    // New YAML files, in lower case: a name is free when neither a file nor
    // another new item has it in any letter case.
    let mut taken_paths: BTreeSet<String> = BTreeSet::new();
    let mut next_number: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut overlay = Overlay::default();
    // The row (1-based) and cell that claimed each item, by id.
    let mut rows_by_id: HashMap<String, (usize, Cell)> = HashMap::new();
    // Id-less rows by title, date and organisation: twins are an error.
    let mut rows_by_key: HashMap<Key, Cell> = HashMap::new();
    let mut empty_required: BTreeSet<(usize, Field)> = BTreeSet::new();
    // For each file laid over the repository: its row and its lines' fields.
    let mut origin: HashMap<String, (usize, Vec<Option<Field>>)> = HashMap::new();
    // The cell each YAML write is said at.
    let mut yaml_cells: Vec<(usize, Cell)> = Vec::new();
    let note = |verb: &str, row: usize| {
        format!(
            "{verb} by pack from {}, sheet {}, row {row}.",
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
        let rejected = |id: String| RowPlan {
            row: i + 1,
            id,
            path: String::new(),
            change: Change::Rejected,
            yaml: String::new(),
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
        let row_id = match fields.get(&Field::Id) {
            Some(FieldValue::Text(id)) => Some(id.clone()),
            _ => None,
        };
        let row_key = key(&fields);
        if let Some(id) = &row_id {
            if let Some((first, _)) = rows_by_id.get(id) {
                plan.findings.push(
                    Finding::in_cell(
                        Rule::DuplicateId,
                        opts.file_name,
                        cell(Some(Field::Id)),
                        format!("{id} is also the id of row {first}"),
                    )
                    .hint("give each row its own id, or delete one of the two rows"),
                );
                plan.rows.push(rejected(id.clone()));
                continue;
            }
            rows_by_id.insert(id.clone(), (i + 1, cell(Some(Field::Id))));
        } else if let Some(k) = &row_key {
            // Twins: two rows no later import could tell apart.
            if let Some(first) = rows_by_key.get(k) {
                plan.findings.push(
                    Finding::in_cell(
                        Rule::DuplicateId,
                        opts.file_name,
                        cell(Some(Field::Title)),
                        format!(
                            "{} and {} have the same title, date and organisation and no id: they would be one item, or two that no later import could tell apart",
                            first.name(),
                            cell(Some(Field::Title)).name()
                        ),
                    )
                    .hint("give each row its own id in the id column, or delete one of the two rows"),
                );
                plan.rows.push(rejected(String::new()));
                continue;
            }
            rows_by_key.insert(k.clone(), cell(Some(Field::Title)));
        }

        // Which existing item the row is, if any.
        let existing_item = match &row_id {
            Some(id) => by_id.get(id.as_str()).copied(),
            None => row_key.as_ref().and_then(|k| by_key.get(k).copied()),
        };
        // An id-less row that is an item another row names by id.
        if row_id.is_none()
            && let Some(e) = existing_item
        {
            let id = e.id.value.to_string();
            if let Some((first, first_cell)) = rows_by_id.get(&id) {
                plan.findings.push(
                    Finding::in_cell(
                        Rule::DuplicateId,
                        opts.file_name,
                        cell(Some(Field::Title)),
                        format!(
                            "this row is {id} by its title, date and organisation, and so is row {first} ({})",
                            first_cell.name()
                        ),
                    )
                    .hint("delete one of the two rows, or give this one its own id"),
                );
                plan.rows.push(rejected(id));
                continue;
            }
            rows_by_id.insert(id, (i + 1, cell(Some(Field::Title))));
        }

        let (id, path, change, fields) = match existing_item {
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
                files::resolve(
                    &lookup,
                    &parent(&e.file),
                    &mut new,
                    &mut plan.copies,
                    cell(Some(Field::File)),
                    &mut plan.findings,
                );
                let id = e.id.value.to_string();
                if new == old {
                    plan.rows.push(RowPlan {
                        row: i + 1,
                        id,
                        path: e.file.clone(),
                        change: Change::Unchanged,
                        yaml: String::new(),
                    });
                    continue;
                }
                // The item's own file, edited: what is unchanged keeps its bytes.
                let old_text = std::fs::read(root.join(&e.file))
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                let (yaml, lines) = update::edit(&old_text, &old, &new, &note("Updated", i + 1));
                origin.insert(e.file.clone(), (i, lines));
                overlay.yaml.insert(e.file.clone(), yaml.clone());
                if !opts.update {
                    // Not written, but checked all the same: a conflict must
                    // not hide an identifier or a bad reference in the row.
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
                    plan.rows.push(RowPlan {
                        row: i + 1,
                        id,
                        path: e.file.clone(),
                        change: Change::Conflict,
                        yaml: String::new(),
                    });
                    continue;
                }
                yaml_cells.push((plan.rows.len(), cell(Some(Field::Id))));
                plan.rows.push(RowPlan {
                    row: i + 1,
                    id,
                    path: e.file.clone(),
                    change: Change::Update,
                    yaml,
                });
                continue;
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
                let folder = format!("evidence/{year}");
                let slug = crate::naming::slug(&title);
                // Numbering goes on from the last name this slug got, so
                // that many rows of one title cost one probe each, not one
                // per earlier row.
                let next = next_number.entry(format!("{folder}/{slug}")).or_insert(1);
                let rel = (*next..)
                    .inspect(|n| *next = n + 1)
                    .map(|n| match n {
                        1 => format!("{folder}/{slug}.yaml"),
                        n => format!("{folder}/{slug}-{n}.yaml"),
                    })
                    .find(|p| !taken_paths.contains(&p.to_lowercase()) && !existing.has(root, p))
                    .expect("a free name");
                taken_paths.insert(rel.to_lowercase());
                files::resolve(
                    &lookup,
                    &folder,
                    &mut fields,
                    &mut plan.copies,
                    cell(Some(Field::File)),
                    &mut plan.findings,
                );
                // Most likely an item retyped: asked about, not added twice.
                let maybe = if row_id.is_none() && !opts.new {
                    near.candidates(&fields)
                } else {
                    Vec::new()
                };
                if maybe.is_empty() {
                    (id, rel, Change::Create, fields)
                } else {
                    plan.findings.push(near::finding(
                        &maybe,
                        opts.file_name,
                        cell(Some(Field::Title)),
                    ));
                    (id, rel, Change::Conflict, fields)
                }
            }
        };
        let mut fields = fields;
        fields.retain(|_, v| *v != FieldValue::List(Vec::new()));
        let (yaml, lines) = item::to_yaml(&note("Imported", i + 1), &fields);
        origin.insert(path.clone(), (i, lines));
        overlay.yaml.insert(path.clone(), yaml.clone());
        // A near-duplicate is still checked, but never written.
        if change != Change::Conflict {
            yaml_cells.push((plan.rows.len(), cell(Some(Field::Title))));
        }
        plan.rows.push(RowPlan {
            row: i + 1,
            id,
            path,
            change,
            yaml,
        });
    }

    // Every path the import would write, at once.
    let mut writes: Vec<paths::Write> = yaml_cells
        .iter()
        .map(|(n, cell)| paths::Write {
            path: &plan.rows[*n].path,
            cell: cell.clone(),
            replaces_itself: plan.rows[*n].change == Change::Update,
            attachment: false,
        })
        .collect();
    writes.extend(plan.copies.iter().map(|c| paths::Write {
        path: &c.to,
        cell: c.cell.clone(),
        replaces_itself: false,
        attachment: true,
    }));
    let clashes = paths::check(root, &writes, opts.file_name, &mut existing);
    plan.findings.extend(clashes);
    for c in &plan.copies {
        overlay.attachments.insert(c.to.clone());
    }

    // The files as `pack check` will see them: every finding in one of them
    // is a finding at the row's cell.
    let placed = recheck::Placed {
        origin: &origin,
        empty_required: &empty_required,
        field_col: &field_col,
        first_col,
        sheet: &grid.sheet,
        file_name: opts.file_name,
    };
    recheck::onto_cells(root, &overlay, &placed, &mut plan.findings)?;
    recheck::mask(&mut plan.findings);
    plan.findings.sort_by_key(|f| (f.line, f.column));
    Ok(plan)
}

/// Title (as `cell_text::title_key` has it), date and organisation: how a
/// row without an id finds its item, and how twins are told.
type Key = (String, Date, String);

fn key(f: &Fields) -> Option<Key> {
    match (
        f.get(&Field::Title),
        f.get(&Field::Date),
        f.get(&Field::Organisation),
    ) {
        (Some(FieldValue::Text(t)), Some(FieldValue::Date(d)), Some(FieldValue::Text(o))) => {
            Some((crate::sheet::cell_text::title_key(t), *d, o.clone()))
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
