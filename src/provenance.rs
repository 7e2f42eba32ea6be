//! Where a pack came from: the commit, and whether the tree was clean.

use std::path::Path;
use std::process::Command;

use crate::view::Commit;

/// Asks git (the command, so it behaves exactly as the user's git does).
pub fn commit(root: &Path) -> Commit {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let Some(sha) = git(&["rev-parse", "--verify", "HEAD"]).filter(|s| !s.is_empty()) else {
        return Commit {
            sha: None,
            short: None,
            dirty: false,
            text: "not under version control".to_owned(),
            source: "files not under version control".to_owned(),
        };
    };
    let dirty = git(&[
        "status",
        "--porcelain",
        "--untracked-files=normal",
        "--",
        "plan",
        "evidence",
        "templates",
    ])
    .is_some_and(|s| !s.is_empty());
    let short: String = sha.chars().take(10).collect();
    let text = if dirty {
        format!("{short} with uncommitted changes")
    } else {
        short.clone()
    };
    Commit {
        source: format!("commit {text}"),
        text,
        sha: Some(sha),
        short: Some(short),
        dirty,
    }
}
