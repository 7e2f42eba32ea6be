//! Find the repository, read every file in sorted order (in parallel), and
//! turn it into the model plus findings. Loading never stops at the first
//! problem.

mod area;
mod evidence;
mod fields;
mod plan;
pub mod source;
pub mod yaml;

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use crate::finding::{Finding, Pos, Rule};
use crate::model::{Area, AreaId, Citation, Evidence, Health, Narrative, Plan, Repo, Resolved};
use crate::pii;

pub use source::Sources;

/// YAML and Markdown files larger than this are refused, not parsed.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// Text attachments scanned for personal identifiers.
const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "csv"];

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

/// What kind of file a path under the root is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FileRole {
    Plan,
    AreaYaml,
    Narrative,
    EvidenceYaml,
    Attachment,
}

/// Lists the files pack reads, sorted, relative to the root.
fn walk(root: &Path) -> Vec<(String, FileRole)> {
    let mut files = vec![(PLAN_FILE.to_owned(), FileRole::Plan)];
    let areas = root.join("plan/areas");
    if let Ok(entries) = std::fs::read_dir(&areas) {
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        for name in names {
            let role = match extension(&name) {
                "yaml" | "yml" => FileRole::AreaYaml,
                "md" => FileRole::Narrative,
                _ => continue,
            };
            files.push((format!("plan/areas/{name}"), role));
        }
    }
    let evidence = root.join("evidence");
    let walker = walkdir::WalkDir::new(&evidence)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.filter_map(|e| e.ok()) {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = slash_path(rel);
        let role = match extension(&rel) {
            "yaml" | "yml" => FileRole::EvidenceYaml,
            _ => FileRole::Attachment,
        };
        files.push((rel, role));
    }
    files
}

fn extension(name: &str) -> &str {
    name.rsplit_once('.').map_or("", |(_, e)| e)
}

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
    /// The YAML did not parse (or could not be read).
    broken: bool,
}

pub fn load(root: &Path) -> Result<Loaded> {
    load_with_progress(root, false)
}

/// Repositories with more files than this show a progress bar (when asked).
pub const PROGRESS_FROM: usize = 300;

/// `load`, showing a progress bar on stderr when `show` and the repository is large.
pub fn load_with_progress(root: &Path, show: bool) -> Result<Loaded> {
    let root = root.to_path_buf();
    let files = walk(&root);
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
                let res = load_file(&root, &rel, role);
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
    for (rel, role, res) in results {
        findings.extend(res.findings);
        citations.extend(res.citations);
        match role {
            FileRole::Plan => plan = res.plan,
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
        }
        if let Some(text) = res.text {
            sources.insert(rel, text);
        }
    }
    let (plan, orgs_ok) = plan.unwrap_or_else(|| (plan::empty(PLAN_FILE), false));
    health.organisations_known = orgs_ok;

    for n in &mut narratives {
        let s = stem(&n.file);
        n.area = area_stems
            .iter()
            .find(|(st, _)| st == s)
            .map(|(_, id)| id.clone());
        if n.area.is_none() {
            findings.push(
                Finding::new(
                    Rule::UnknownReference,
                    &n.file,
                    Pos::START,
                    format!("narrative {} has no area file {s}.yaml beside it", n.file),
                )
                .hint(format!(
                    "rename it after its area's file, e.g. plan/areas/{s}.yaml -> {s}.md"
                )),
            );
        }
    }
    for e in &mut evidence {
        e.resolved = e
            .attachment
            .as_ref()
            .map(|a| resolve_attachment(&root, &e.file, &a.value));
    }
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

fn load_file(root: &Path, rel: &str, role: FileRole) -> FileResult {
    let mut res = FileResult::default();
    if role == FileRole::Attachment {
        if TEXT_EXTENSIONS.contains(&extension(rel).to_ascii_lowercase().as_str()) {
            // Only the identifiers matter here: a binary or huge file is skipped quietly.
            if let Ok(bytes) = read_inside(root, rel) {
                let text = String::from_utf8_lossy(&bytes);
                scan_text(rel, &text, 0, &text, &mut res.findings);
                if !res.findings.is_empty() && bytes.len() as u64 <= MAX_TEXT_BYTES {
                    res.text = Some(text.into_owned());
                }
            }
        }
        return res;
    }
    let text = match read_text(root, rel) {
        Ok(t) => t,
        Err(f) => {
            res.findings.push(*f);
            res.broken = true;
            return res;
        }
    };
    if role == FileRole::Narrative {
        scan_text(rel, &text, 0, &text, &mut res.findings);
        collect_citations(rel, &text, 0, &text, &mut res.citations);
        res.narrative = Some(text.clone());
        res.text = Some(text);
        return res;
    }
    match yaml::parse(&text) {
        Err(e) => {
            res.findings
                .push(Finding::new(Rule::YamlSyntax, rel, e.pos, e.message).hint(
                "fix the YAML syntax here; quote text that holds `: `, `#` or starts with a symbol",
            ));
            res.broken = true;
        }
        Ok(node) => {
            node.for_each_str(&mut |n, s| {
                scan_text(rel, &text, n.offset.unwrap_or(0), s, &mut res.findings);
            });
            let mut r = fields::Reader::new(rel);
            match role {
                FileRole::Plan => res.plan = Some(plan::read(&mut r, &node)),
                FileRole::AreaYaml => {
                    res.area = area::read(&mut r, &node);
                    if let Some(a) = &res.area
                        && let Some(s) = a.progress.as_ref().and_then(|p| p.summary.as_ref())
                    {
                        let off = offset_of(&text, s.pos);
                        collect_citations(rel, &text, off, &s.value, &mut res.citations);
                    }
                }
                FileRole::EvidenceYaml => {
                    res.evidence = evidence::read(&mut r, &node);
                    if let Some(e) = &res.evidence
                        && let Some(s) = &e.summary
                    {
                        let off = offset_of(&text, s.pos);
                        collect_citations(rel, &text, off, &s.value, &mut res.citations);
                    }
                }
                _ => {}
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

/// Reads a file that must be inside the root (not through a link out of it).
fn read_inside(root: &Path, rel: &str) -> std::io::Result<Vec<u8>> {
    let path = root.join(rel);
    let real = path.canonicalize()?;
    if !real.starts_with(root) {
        return Err(std::io::Error::other("outside the repository"));
    }
    std::fs::read(real)
}

/// Reads a YAML or Markdown file as UTF-8 text, or says why not.
fn read_text(root: &Path, rel: &str) -> Result<String, Box<Finding>> {
    let fail = |msg: String, pos: Pos, hint: &str| {
        Box::new(Finding::new(Rule::YamlSyntax, rel, pos, msg).hint(hint))
    };
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).map_err(|e| {
        fail(
            format!("cannot read {rel}: {e}"),
            Pos::START,
            "check the file exists and is readable",
        )
    })?;
    if let Ok(real) = path.canonicalize()
        && !real.starts_with(root)
    {
        return Err(Box::new(
            Finding::new(
                Rule::UnsafePath,
                rel,
                Pos::START,
                format!("{rel} is a link to a file outside the repository"),
            )
            .hint("copy the file into the repository instead of linking to it"),
        ));
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(fail(
            format!(
                "{rel} is {:.1} MiB; pack reads YAML and Markdown files of at most 1 MiB",
                meta.len() as f64 / 1_048_576.0
            ),
            Pos::START,
            "split it into smaller files, or keep large content in an attachment",
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        fail(
            format!("cannot read {rel}: {e}"),
            Pos::START,
            "check the file is readable",
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
        fail(
            format!("{rel} is not UTF-8 text (invalid byte at offset {good})"),
            source::pos_at(&text, good),
            "save the file as UTF-8",
        )
    })
}

/// Adds a personal-identifier finding for each identifier in `value`, which
/// sits at or after byte `from` of the file text `text`.
fn scan_text(rel: &str, text: &str, from: usize, value: &str, out: &mut Vec<Finding>) {
    for hit in pii::find(value) {
        let found = &value[hit.start..hit.end];
        let pos = source::find_from(text, from, found)
            .or_else(|| (from > 0).then(|| source::pos_at(text, from)))
            .unwrap_or(Pos::START);
        out.push(
            Finding::new(
                Rule::PersonalIdentifier,
                rel,
                pos,
                format!(
                    "this text holds what looks like {} ({}); personal data must not reach a pack",
                    hit.kind.describe(),
                    pii::mask(found)
                ),
            )
            .hint("remove or anonymise it (an item that needs personal data says `personal_data: true` and keeps it in an attachment outside the pack)")
            .width(found.chars().count()),
        );
    }
}

/// Records every `[@ID]` in `value` (found in `text` at or after `from`).
fn collect_citations(rel: &str, text: &str, from: usize, value: &str, out: &mut Vec<Citation>) {
    for id in crate::cite::ids(value) {
        let pos = source::find_from(text, from, &format!("[@{id}]"))
            .unwrap_or_else(|| source::pos_at(text, from));
        out.push(Citation {
            file: rel.to_owned(),
            pos,
            id: id.into(),
        });
    }
}

/// Resolves `file:` of the evidence YAML `yaml_rel`.
fn resolve_attachment(root: &Path, yaml_rel: &str, file: &str) -> Resolved {
    let written = Path::new(file);
    if written.is_absolute()
        || file.starts_with('/')
        || file.starts_with('\\')
        || file.get(1..3) == Some(":\\")
    {
        return Resolved::Unsafe(format!("`{file}` is an absolute path"));
    }
    let dir = Path::new(yaml_rel).parent().unwrap_or(Path::new(""));
    // Lexically first: `..` that climbs out of the root is unsafe whether or not the target exists.
    let mut parts: Vec<String> = Vec::new();
    for c in dir.join(written).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Resolved::Unsafe(format!("`{file}` climbs out of the repository"));
                }
            }
            Component::CurDir => {}
            _ => return Resolved::Unsafe(format!("`{file}` is an absolute path")),
        }
    }
    let rel = parts.join("/");
    let path = root.join(&rel);
    match path.canonicalize() {
        Ok(real) if !real.starts_with(root) => Resolved::Unsafe(format!(
            "`{file}` is a link to a place outside the repository"
        )),
        Ok(real) if real.is_dir() => Resolved::Missing(format!("`{file}` is a folder, not a file")),
        Ok(_) => Resolved::File(rel),
        Err(_) if path.symlink_metadata().is_ok() => {
            Resolved::Missing(format!("`{file}` is a link to nothing"))
        }
        Err(_) => Resolved::Missing(format!("`{file}` does not exist (looked for {rel})")),
    }
}
