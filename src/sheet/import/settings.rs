//! What an import is told: plan/import.yaml (spec 6.2, "A remembered
//! mapping") and then the command's own options, which win.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

use crate::finding::{Finding, Rule};
use crate::load::import_map::{self, IMPORT_FILE};

use super::Options;
use super::header::{self, Map};

/// The maps, sheet and folder to use, and the problems with the file.
pub struct Settings {
    /// plan/import.yaml's first, then `--map`'s: the last map of a header wins.
    pub maps: Vec<Map>,
    pub sheet: Option<String>,
    /// The file's `files:` folder, when `--files` is not given.
    pub files_dir: Option<PathBuf>,
    pub findings: Vec<Finding>,
}

/// `Err` when a `--map` cannot be read (exit 2).
pub fn read(root: &Path, opts: &Options) -> Result<Settings> {
    let (saved, mut findings) = import_map::load(root);
    let saved = saved.unwrap_or_default();
    let mut maps: Vec<Map> = saved.columns.iter().map(Map::from_file).collect();
    maps.extend(header::parse_maps(opts.maps).map_err(|e| anyhow!(e))?);
    let files_dir = match (opts.files_dir, &saved.files) {
        // A committed file may only point inside the repository.
        (None, Some((dir, pos))) if !inside(root, dir) => {
            findings.push(
                Finding::new(
                    Rule::UnsafePath,
                    IMPORT_FILE,
                    *pos,
                    format!("`files: {dir}` leads out of the repository; pack does not look there"),
                )
                .hint("name a folder inside the repository, relative to it, with `/` between folders (or pass --files)"),
            );
            None
        }
        (None, Some((dir, pos))) => {
            let path = root.join(dir);
            if !path.is_dir() {
                findings.push(
                    Finding::new(
                        Rule::Schema,
                        IMPORT_FILE,
                        *pos,
                        format!("`files: {dir}` is not a folder of the repository"),
                    )
                    .hint("name the folder that holds the files of the File column, relative to the repository"),
                );
            }
            Some(path)
        }
        _ => None,
    };
    Ok(Settings {
        maps,
        sheet: saved.sheet,
        files_dir,
        findings,
    })
}

/// A relative path of plain names (no root, drive, `~`, `..` or
/// backslash) that, links followed, stays in the repository.
fn inside(root: &Path, dir: &str) -> bool {
    let plain = !dir.is_empty()
        && !dir.starts_with(['/', '~'])
        && !dir.contains(['\\', ':'])
        && dir.split('/').all(|p| p != "..");
    plain
        && match (root.join(dir).canonicalize(), root.canonicalize()) {
            (Ok(d), Ok(r)) => d.starts_with(r),
            // Not there: said as such below.
            _ => true,
        }
}
