//! Paths a File cell may name (spec 6.1, "Files stay where they were asked
//! for"): relative, and inside the folder they are looked up in, whatever
//! `..` and links say. A path is resolved one part at a time, links
//! followed by reading them, so that nothing outside the folder is ever
//! opened, read or even looked at (no `stat` of a file a link points to
//! outside it).

use std::path::{Component, Path, PathBuf};

/// Why a File cell's text cannot be a relative path, in words; `None` when
/// it can.
pub fn not_relative(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    let scheme = name.split_once(':').is_some_and(|(s, rest)| {
        !rest.starts_with(' ')
            && s.len() >= 2
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if name.contains("://") || scheme {
        Some("a web address or URL")
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Some("a path on a Windows drive")
    } else if name.starts_with('/') {
        Some("an absolute path")
    } else if name.starts_with('~') {
        Some("a path in a home folder")
    } else if name.contains('\\') {
        Some("a Windows path with backslashes")
    } else if name.chars().any(char::is_control) {
        Some("a path with control characters in it")
    } else {
        None
    }
}

/// Where a relative path led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A regular file inside the folder: its real path.
    File(PathBuf),
    /// Nothing there (or not a regular file), inside the folder.
    Missing,
    /// The path leaves the folder, through `..` or a link.
    Outside,
}

/// Links followed in one path before giving up (as the OS does: ELOOP).
const MAX_LINKS: usize = 40;

/// `rel` (`/`-separated, relative) inside `base`, which must be the real
/// (canonical) path of a folder.
pub fn resolve(base: &Path, rel: &str) -> Found {
    // Parts still to walk, the next one last.
    let mut todo: Vec<String> = rel.split('/').rev().map(str::to_owned).collect();
    let mut at = base.to_path_buf();
    let mut links = 0;
    while let Some(part) = todo.pop() {
        match part.as_str() {
            "" | "." => continue,
            ".." => {
                if at == base {
                    return Found::Outside;
                }
                at.pop();
                continue;
            }
            _ => {}
        }
        let next = at.join(&part);
        let Ok(meta) = std::fs::symlink_metadata(&next) else {
            // Nothing there; what follows cannot lead anywhere either,
            // but a later `..` may still climb out: say so.
            return if climbs_out(base, &at, &todo) {
                Found::Outside
            } else {
                Found::Missing
            };
        };
        if meta.file_type().is_symlink() {
            links += 1;
            let Ok(target) = std::fs::read_link(&next) else {
                return Found::Missing;
            };
            if links > MAX_LINKS {
                return Found::Missing;
            }
            let relative = if target.is_absolute() {
                match target.strip_prefix(base) {
                    Ok(inside) => {
                        at = base.to_path_buf();
                        inside.to_path_buf()
                    }
                    Err(_) => return Found::Outside,
                }
            } else {
                target
            };
            for c in relative.components().rev() {
                match c {
                    Component::Normal(p) => todo.push(p.to_string_lossy().into_owned()),
                    Component::ParentDir => todo.push("..".to_owned()),
                    Component::CurDir => {}
                    // A prefix or root inside a relative link: not followed.
                    Component::RootDir | Component::Prefix(_) => return Found::Outside,
                }
            }
            continue;
        }
        at = next;
    }
    match std::fs::symlink_metadata(&at) {
        Ok(m) if m.is_file() => Found::File(at),
        _ => Found::Missing,
    }
}

/// Whether the parts left would climb above `base` from `at`, read
/// without the file system (they name nothing that exists).
fn climbs_out(base: &Path, at: &Path, todo: &[String]) -> bool {
    let mut depth = at.strip_prefix(base).map_or(0, |p| p.components().count()) as i64 + 1;
    for part in todo.iter().rev() {
        match part.as_str() {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_paths_are_paths() {
        for bad in [
            "/proc/self/environ",
            "~/.ssh/id_rsa",
            "~root/x",
            "C:\\Users\\me\\a.pdf",
            "C:a.pdf",
            "c:/a.pdf",
            "https://example.org/a.pdf",
            "file:///etc/passwd",
            "file:/etc/passwd",
            "docs\\a.pdf",
            "\\\\server\\share\\a.pdf",
        ] {
            assert!(not_relative(bad).is_some(), "{bad}");
        }
        for good in ["a.pdf", "2025/minutes.pdf", "../docs/a.pdf", "notes 3.pdf"] {
            assert_eq!(not_relative(good), None, "{good}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn paths_stay_inside_their_folder_through_dots_and_links() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let base = root.join("files");
        std::fs::create_dir_all(base.join("sub")).unwrap();
        std::fs::write(base.join("sub/a.pdf"), "a").unwrap();
        std::fs::write(root.join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(root.join("secret"), base.join("abs-out")).unwrap();
        std::os::unix::fs::symlink("../secret", base.join("rel-out")).unwrap();
        std::os::unix::fs::symlink("sub/a.pdf", base.join("in")).unwrap();
        std::os::unix::fs::symlink(&root, base.join("up")).unwrap();
        std::os::unix::fs::symlink(base.join("sub"), base.join("sub-abs")).unwrap();
        assert_eq!(
            resolve(&base, "sub/a.pdf"),
            Found::File(base.join("sub/a.pdf"))
        );
        assert_eq!(
            resolve(&base, "sub/../sub/./a.pdf"),
            Found::File(base.join("sub/a.pdf"))
        );
        assert_eq!(resolve(&base, "in"), Found::File(base.join("sub/a.pdf")));
        assert_eq!(
            resolve(&base, "sub-abs/a.pdf"),
            Found::File(base.join("sub/a.pdf"))
        );
        assert_eq!(resolve(&base, "../secret"), Found::Outside);
        assert_eq!(resolve(&base, "abs-out"), Found::Outside);
        assert_eq!(resolve(&base, "rel-out"), Found::Outside);
        assert_eq!(resolve(&base, "up/secret"), Found::Outside);
        assert_eq!(resolve(&base, "nope/../../secret"), Found::Outside);
        assert_eq!(resolve(&base, "nope.pdf"), Found::Missing);
        assert_eq!(resolve(&base, "sub"), Found::Missing);
    }
}
