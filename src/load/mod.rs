//! Find the repository, read every file in sorted order (in parallel), and
//! turn it into the model plus findings. Loading never stops at the first
//! problem.

mod area;
mod attachment;
pub mod decode;
mod evidence;
mod family;
mod fields;
pub mod import_map;
mod plan;
mod read;
mod recover;
mod scan;
mod secret;
mod slips;
pub mod source;
mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::finding::{Finding, Pos, Rule};
use crate::model::{Area, AreaId, Citation, Evidence, Health, Narrative, Plan, Repo};

use read::read_text;
use scan::{check_length, collect_citations, scan_chars, scan_path, scan_text};

pub use source::{Sources, Unreadable};
pub use walk::slash_path;

use attachment::{load_attachment, resolve_attachment};
use walk::{FileRole, extension, walk};

/// YAML and Markdown files larger than this are refused, not parsed.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// Text attachments scanned for personal identifiers.
const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "csv"];

/// Text attachments larger than this are a `limit` finding, not scanned.
pub const MAX_ATTACHMENT_SCAN_BYTES: u64 = 64 * 1024 * 1024;

pub const PLAN_FILE: &str = "plan/plan.yaml";

/// Everything `load` produces.
pub struct Loaded {
    pub repo: Repo,
    pub findings: Vec<Finding>,
    pub sources: Sources,
}

/// The folder at or above `start` that holds `plan/plan.yaml`, like git
/// looks for `.git`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = start
        .canonicalize()
        .with_context(|| format!("cannot open folder {}", start.display()))?;
    for dir in start.ancestors() {
        if dir.join(PLAN_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "no plan/plan.yaml found in {} or any folder above it\n  hint: run pack in an evidence repository, pass -C DIR, or start one with `pack init`",
        start.display()
    )
}

/// One file's contribution, computed independently of the others.
#[derive(Default)]
struct FileResult {
    plan: Option<(Plan, bool)>,
    area: Option<Area>,
    evidence: Option<Evidence>,
    narrative: Option<String>,
    citations: Vec<Citation>,
    findings: Vec<Finding>,
    text: Option<String>,
    /// The YAML did not parse (or could not be read, or lost its item).
    broken: bool,
    /// When broken: the ids the file would have defined.
    recovered: Vec<String>,
    /// A file under data/: its decoded text, for `crate::official`.
    data: Option<String>,
}

pub fn load(root: &Path) -> Result<Loaded> {
    load_with_progress(root, false)
}

/// Repositories with more files than this show a progress bar (when asked).
pub const PROGRESS_FROM: usize = 300;

/// Files about to be written (by `pack import`), laid over the repository
/// for one load, so that they are checked exactly as if they were on disk.
#[derive(Debug, Default)]
pub struct Overlay {
    /// Evidence YAML by path relative to the root: new, or replacing the file there.
    pub yaml: std::collections::BTreeMap<String, String>,
    /// Attachments that the same write will copy in, relative to the root.
    pub attachments: std::collections::BTreeSet<String>,
}

/// `load`, with `overlay`'s files in place of (or beside) those on disk.
pub fn load_overlaid(root: &Path, overlay: &Overlay) -> Result<Loaded> {
    load_impl(root, false, overlay)
}

/// `load`, showing a progress bar on stderr when `show` and the repository is large.
pub fn load_with_progress(root: &Path, show: bool) -> Result<Loaded> {
    load_impl(root, show, &Overlay::default())
}

fn load_impl(root: &Path, show: bool, overlay: &Overlay) -> Result<Loaded> {
    let root = root.to_path_buf();
    let mut files = walk(&root);
    if !overlay.yaml.is_empty() || !overlay.attachments.is_empty() {
        let on_disk: std::collections::HashSet<String> =
            files.iter().map(|(f, _)| f.clone()).collect();
        for rel in overlay.yaml.keys() {
            if !on_disk.contains(rel) {
                files.push((rel.clone(), FileRole::EvidenceYaml));
            }
        }
        for rel in &overlay.attachments {
            if !on_disk.contains(rel) {
                files.push((rel.clone(), FileRole::Attachment));
            }
        }
    }
    let bar = if show && files.len() > PROGRESS_FROM {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} files")
        {
            bar.set_style(style);
        }
        bar.set_message("Reading evidence");
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    // Parsing recurses once per nesting level: give it room whatever the platform default.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(16 << 20)
        .build()
        .context("cannot start worker threads")?;
    let results: Vec<(String, FileRole, FileResult)> = pool.install(|| {
        files
            .into_par_iter()
            .map(|(rel, role)| {
                let res = load_file(&root, &rel, role, overlay);
                bar.inc(1);
                (rel, role, res)
            })
            .collect()
    });
    bar.finish_and_clear();

    let mut findings = Vec::new();
    let mut sources = Sources::default();
    let mut plan = None;
    let mut areas = Vec::new();
    let mut area_stems: Vec<(String, AreaId)> = Vec::new();
    let mut evidence = Vec::new();
    let mut narratives = Vec::new();
    let mut attachments = Vec::new();
    let mut citations = Vec::new();
    let mut health = Health::default();
    let mut data_texts = std::collections::HashMap::new();
    for (rel, role, res) in results {
        findings.extend(res.findings);
        citations.extend(res.citations);
        if res.broken
            && matches!(
                role,
                FileRole::Plan | FileRole::AreaYaml | FileRole::EvidenceYaml
            )
        {
            health.recovered.push((rel.clone(), res.recovered));
        }
        match role {
            FileRole::Plan => {
                health.broken_plan = res.broken;
                plan = res.plan;
            }
            FileRole::AreaYaml => {
                if res.broken {
                    health.broken_areas.push(rel.clone());
                }
                if let Some(a) = res.area {
                    area_stems.push((stem(&rel).to_owned(), a.id.value.clone()));
                    areas.push(a);
                }
            }
            FileRole::EvidenceYaml => {
                if res.broken {
                    health.broken_evidence.push(rel.clone());
                }
                evidence.extend(res.evidence);
            }
            FileRole::Narrative => {
                if let Some(text) = res.narrative {
                    narratives.push(Narrative {
                        file: rel.clone(),
                        area: None,
                        text,
                    });
                }
            }
            FileRole::Attachment => attachments.push(rel.clone()),
            FileRole::Folder
            | FileRole::Special
            | FileRole::Other
            | FileRole::Hidden
            | FileRole::Data
            | FileRole::ImportMap => {}
        }
        if let Some(text) = res.data {
            data_texts.insert(rel.clone(), text);
        }
        if let Some(text) = res.text {
            sources.insert(rel, text);
        }
    }
    sources.set_unreadable(source::Unreadable {
        plan: health.broken_plan,
        areas: health.broken_areas.clone(),
        evidence: health.broken_evidence.clone(),
    });
    let (plan, orgs_ok) = plan.unwrap_or_else(|| (plan::empty(PLAN_FILE), false));
    health.organisations_known = orgs_ok;

    for n in &mut narratives {
        let s = stem(&n.file);
        n.area = area_stems
            .iter()
            .find(|(st, _)| st == s)
            .map(|(_, id)| id.clone());
        if n.area.is_none() {
            let mut f = Finding::new(
                Rule::UnknownReference,
                &n.file,
                Pos::START,
                format!("narrative {} has no area file {s}.yaml beside it", n.file),
            )
            .hint(format!(
                "rename it after its area's file, e.g. plan/areas/{s}.yaml -> {s}.md"
            ));
            // Its area file is there but cannot be read: an echo of that.
            let beside = health
                .recovered
                .iter()
                .find(|(file, _)| health.broken_areas.contains(file) && stem(file) == s);
            if let Some(id) = beside.and_then(|(_, ids)| ids.first()) {
                f = f.refers_to(id.clone());
            }
            findings.push(f);
        }
    }
    for e in &mut evidence {
        e.resolved = e
            .attachment
            .as_ref()
            .map(|a| resolve_attachment(&root, &e.file, &a.value, &overlay.attachments));
    }
    // Official statistics (spec section 10): after every area is read, so
    // that each data file is read once for all the measures that use it.
    // `file:` is relative to the repository root, not to the area file.
    let no_copies = std::collections::BTreeSet::new();
    let resolve = |file: &str| resolve_attachment(&root, "", file, &no_copies);
    crate::official::apply(
        &root,
        &plan,
        &mut areas,
        &mut findings,
        &resolve,
        &data_texts,
    );
    areas.sort_by(|a: &Area, b: &Area| {
        (a.order.unwrap_or(i64::MAX), &a.id.value).cmp(&(b.order.unwrap_or(i64::MAX), &b.id.value))
    });

    Ok(Loaded {
        repo: Repo {
            root,
            plan,
            areas,
            evidence,
            narratives,
            attachments,
            citations,
            health,
        },
        findings,
        sources,
    })
}

fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

fn load_file(root: &Path, rel: &str, role: FileRole, overlay: &Overlay) -> FileResult {
    let mut res = FileResult::default();
    // A hidden file is not evidence, but a secret key there would be committed all the same.
    if role == FileRole::Hidden {
        load_attachment(root, rel, false, &mut res);
        return res;
    }
    // Folder and file names are bound for the pack and CI logs too.
    scan_path(rel, &mut res.findings);
    match role {
        FileRole::Folder => return res,
        FileRole::Other => {
            load_attachment(root, rel, false, &mut res);
            return res;
        }
        FileRole::Special => {
            res.findings.push(
                Finding::new(
                    Rule::UnreadableFile,
                    rel,
                    Pos::START,
                    format!("{rel} is not a regular file (a pipe, socket or device); pack does not read it"),
                )
                .hint("remove it: plan/ and evidence/ hold only ordinary files"),
            );
            res.broken = true;
            return res;
        }
        // One still to be copied in is scanned by the check after the import.
        FileRole::Attachment if overlay.attachments.contains(rel) => return res,
        FileRole::Attachment => {
            load_attachment(root, rel, true, &mut res);
            return res;
        }
        // Every file under data/ is text to scan, whatever its extension.
        FileRole::Data => {
            attachment::load_data(root, rel, &mut res);
            return res;
        }
        _ => {}
    }
    let read = match overlay.yaml.get(rel) {
        Some(text) => Ok(text.clone()),
        None => read_text(root, rel),
    };
    let text = match read {
        Ok(t) => t,
        Err(f) => {
            res.findings.push(*f);
            res.broken = true;
            // Text pack cannot read (not UTF-8) may still hold a key.
            if let Ok(bytes) = read::read_inside(root, rel)
                && bytes.len() as u64 <= MAX_TEXT_BYTES
            {
                secret::scan_bytes(rel, &bytes, &mut res.findings);
                res.recovered = recover::ids(role, &String::from_utf8_lossy(&bytes));
            }
            return res;
        }
    };
    // Before anything else reads it: from here on the key is masked.
    let text = secret::scan_text(rel, text, &mut res.findings);
    if role == FileRole::Narrative {
        scan_text(rel, &text, 0, &text, &mut res.findings);
        scan_chars(rel, &text, 0, &text, &mut res.findings);
        collect_citations(rel, &text, 0, &text, &mut res.citations, &mut res.findings);
        res.narrative = Some(text.clone());
        res.text = Some(text);
        return res;
    }
    match yaml::parse(&text) {
        Err(e) => {
            // The reader says where it gave up; the common slips are named
            // and pointed at where they are (an unclosed `[` where it opens).
            let slip = slips::find(&text, e.pos.line.saturating_add(1));
            let f = match slip {
                Some(s) => Finding::new(Rule::YamlSyntax, rel, s.pos, s.message)
                    .hint(s.hint)
                    .width(s.width),
                None => Finding::new(Rule::YamlSyntax, rel, e.pos, e.message).hint(e.hint),
            };
            res.findings.push(f);
            res.broken = true;
            res.recovered = recover::ids(role, &text);
        }
        Ok(node) => {
            node.for_each_str(&mut |n, s| {
                let from = n.offset.unwrap_or(0);
                scan_text(rel, &text, from, s, &mut res.findings);
                scan_chars(rel, &text, from, s, &mut res.findings);
                check_length(rel, &text, from, s, &mut res.findings);
            });
            let mut r = fields::Reader::new(rel);
            let mut summary = None;
            match role {
                FileRole::Plan => {
                    let (mut p, orgs_ok) = plan::read(&mut r, &node);
                    let id = p.id.value.clone();
                    family::judge_plan(rel, &text, &id, &mut p.family, &mut r.findings);
                    res.plan = Some((p, orgs_ok));
                }
                FileRole::AreaYaml => {
                    res.area = area::read(&mut r, &node);
                    if let Some(area) = res.area.as_mut()
                        && let Some(fam) = area.family.as_mut()
                    {
                        let id = area.id.value.to_string();
                        family::judge_area(rel, &text, &id, fam, &mut r.findings);
                    }
                    summary = res
                        .area
                        .as_ref()
                        .and_then(|a| a.progress.as_ref())
                        .and_then(|p| p.summary.clone());
                }
                // Read for its findings; `pack import` reads it itself.
                FileRole::ImportMap => {
                    import_map::read(&mut r, &node);
                }
                FileRole::EvidenceYaml => {
                    res.evidence = evidence::read(&mut r, &node);
                    summary = res.evidence.as_ref().and_then(|e| e.summary.clone());
                }
                _ => {}
            }
            if let Some(s) = summary {
                let off = offset_of(&text, s.pos);
                collect_citations(
                    rel,
                    &text,
                    off,
                    &s.value,
                    &mut res.citations,
                    &mut res.findings,
                );
            }
            // A schema error that cost the file its item is a root cause:
            // every reference to what it defines fails because of it.
            let lost = match role {
                FileRole::AreaYaml => res.area.is_none(),
                FileRole::EvidenceYaml => res.evidence.is_none(),
                _ => false,
            };
            if lost {
                res.broken = true;
                res.recovered = recover::ids(role, &text);
                for f in r.findings.iter_mut().filter(|f| f.rule == Rule::Schema) {
                    f.loses_item = true;
                }
            }
            res.findings.extend(r.findings);
        }
    }
    res.text = Some(text);
    res
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, pos: Pos) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == pos.line as usize {
            let col: usize = l
                .char_indices()
                .nth(pos.column.saturating_sub(1) as usize)
                .map_or(l.len(), |(b, _)| b);
            return offset + col;
        }
        offset += l.len();
    }
    0
}
