//! `pack build` end to end: the real PDF read back with poppler
//! (pdfinfo, pdftotext, pdftohtml), Markdown, HTML, JSON and the bundle.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    tool(
        "pdftotext",
        &["-layout", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
    )
}

/// Builds the repository's own example into a temporary folder.
fn build_example(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        "--visit",
        "2025-11",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args(&args)
        .output()
        .unwrap()
}

#[test]
fn example_pack_pdf_is_tagged_outlined_marked_and_linked() {
    let out = tempfile::tempdir().unwrap();
    let res = build_example(out.path(), &["--format", "pdf,md,html,json"]);
    assert!(
        res.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&res.stdout),
        String::from_utf8_lossy(&res.stderr)
    );
    let pdf = out.path().join("kent-send-app-2025-11.pdf");
    for ext in ["md", "html", "json"] {
        assert!(
            out.path()
                .join(format!("kent-send-app-2025-11.{ext}"))
                .is_file(),
            "{ext}"
        );
    }
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Kent SEND Accelerated Progress Plan"),
        "{info}"
    );
    let n = pages(&pdf);
    assert!(n > 15, "{n} pages");
    for p in 1..=n {
        let text = page_text(&pdf, p);
        assert!(
            text.matches("OFFICIAL").count() >= 2,
            "page {p} lacks the marking top and bottom:\n{text}"
        );
        assert!(
            text.contains(&format!("Page {p} of {n}")),
            "page {p}:\n{text}"
        );
        assert!(
            text.contains("Kent SEND Accelerated Progress Plan"),
            "page {p} lacks the plan title"
        );
        assert!(
            text.contains("Fifth progress monitoring visit, 18 November 2025"),
            "page {p} lacks the visit"
        );
    }
    // Outline: every area is a bookmark.
    let xml = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", "-q", pdf.to_str().unwrap()],
    );
    let outline = &xml[xml.find("<outline").expect("an outline")..];
    for title in [
        "A1 Parental confidence",
        "A4 Joint commissioning",
        "A6 Quality of the EHC process",
        "A9 Catching up",
        "At a glance",
        "Appendix",
        "Evidence index",
    ] {
        assert!(outline.contains(title), "outline lacks {title}");
    }
    // Links: contents and citations are internal links; urls are external.
    assert!(xml.matches("<a href=").count() > 50, "too few links");
    assert!(xml.contains("<a href=\"https://"), "no external link");
    // Citations resolved: the cited id shows with brackets, the raw syntax never.
    let all = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(all.contains("[E-2025-045]"), "citation not rendered");
    assert!(
        !all.contains("[@E-"),
        "unresolved citation syntax in the PDF"
    );
    // Sensitive items are left out, and the pack says so.
    assert!(
        !all.contains("E-2025-053"),
        "personal-data item in the pack"
    );
    assert!(!all.contains("E-2025-030"), "sensitive item in the pack");
    assert!(
        all.contains("left out of this pack"),
        "no count of items left out"
    );
}

#[test]
fn builds_are_reproducible_byte_for_byte() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        let res = build_example(d.path(), &["--format", "pdf,md,html,json", "--bundle"]);
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
    }
    let mut names: Vec<PathBuf> = walk(a.path());
    names.sort();
    assert!(names.len() >= 6, "{names:?}");
    for rel in names {
        let x = std::fs::read(a.path().join(&rel)).unwrap();
        let y = std::fs::read(b.path().join(&rel)).unwrap();
        assert!(x == y, "{} differs between two builds", rel.display());
    }
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(
                walk(&p)
                    .into_iter()
                    .map(|q| PathBuf::from(e.file_name()).join(q)),
            );
        } else {
            out.push(PathBuf::from(e.file_name()));
        }
    }
    out
}

fn gap_fixture() -> Fixture {
    let f = Fixture::new();
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("shows: impact", "shows: activity"),
    );
    f
}

#[test]
fn gaps_refuse_the_build_unless_allowed_and_then_show() {
    let f = gap_fixture();
    let out = f
        .pack(&["build", "--as-of", "2025-05-20"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[area-gap]"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-gaps"));
    assert!(!f.file("out").exists(), "nothing written");

    let out = f
        .pack(&["build", "--as-of", "2025-05-20", "--allow-gaps"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = f.file("out/test-plan-2025-05.pdf");
    let n = pages(&pdf);
    // The area's first page carries the gap banner. (Its heading, beside
    // its facts: Measures at a glance has a row "A1 Parental confidence" too.)
    let area_page = (1..=n)
        .find(|p| {
            let text = page_text(&pdf, *p);
            text.contains("Formal monitoring")
                && text.lines().any(|l| l.trim() == "A1 Parental confidence")
        })
        .unwrap_or(0);
    let area_page = if area_page == 0 {
        (1..=n)
            .rev()
            .find(|p| page_text(&pdf, *p).contains("Weakness, as the inspection"))
            .unwrap()
    } else {
        area_page
    };
    assert!(
        page_text(&pdf, area_page).contains("Evidence gap"),
        "{}",
        page_text(&pdf, area_page)
    );
    assert!(page_text(&pdf, 1).contains("built with known evidence gaps"));
    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    assert!(md.contains("> [!WARNING]\n> Evidence gap"), "{md}");
    let html = std::fs::read_to_string(f.file("out/test-plan-2025-05.html")).unwrap();
    assert!(
        html.contains("class=\"banner\" role=\"alert\">Evidence gap"),
        "html banner"
    );
}

#[test]
fn a_failing_build_leaves_earlier_outputs_untouched() {
    let f = Fixture::new();
    f.pack_ok(&["build", "--as-of", "2025-05-20"]);
    let before: Vec<Vec<u8>> = ["pdf", "md", "html"]
        .iter()
        .map(|e| std::fs::read(f.file(&format!("out/test-plan-2025-05.{e}"))).unwrap())
        .collect();
    // A template error while rendering the PDF: nothing may be replaced, not even md.
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("Timeliness rose to 45.5%.", "Changed text."),
    );
    f.write(
        "templates/pack.typ",
        "#let view = json(\"/view.json\")\n= #view.meta.title\n#nosuchfunction()\n",
    );
    let bad = f
        .pack(&["build", "--as-of", "2025-05-20"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("templates/pack.typ:3:"),
        "template error names file and line: {err}"
    );
    let after: Vec<Vec<u8>> = ["pdf", "md", "html"]
        .iter()
        .map(|e| std::fs::read(f.file(&format!("out/test-plan-2025-05.{e}"))).unwrap())
        .collect();
    assert!(before == after, "outputs changed by a failed build");
    // Findings also leave the outputs alone.
    f.remove("templates/pack.typ");
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("kind: data", "kind: nope"),
    );
    assert_eq!(
        f.pack(&["build", "--as-of", "2025-05-20"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(1)
    );
    let again: Vec<Vec<u8>> = ["pdf", "md", "html"]
        .iter()
        .map(|e| std::fs::read(f.file(&format!("out/test-plan-2025-05.{e}"))).unwrap())
        .collect();
    assert!(before == again);
}

#[test]
fn repository_templates_override_the_built_in_ones() {
    let f = Fixture::new();
    f.write(
        "templates/pack.md.j2",
        "CUSTOM {{ meta.title }} {{ areas | length }}\n",
    );
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", "md"]);
    assert_eq!(
        std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap(),
        "CUSTOM Test SEND plan 1\n"
    );
    f.write("templates/pack.html.j2", "<p>\n{{ meta.title }\n");
    let out = f
        .pack(&["build", "--as-of", "2025-05-20", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("templates/pack.html.j2:2"), "{err}");
}

#[test]
fn user_text_appears_literally_in_every_format() {
    let f = Fixture::new();
    let hostile = "#read(\"/etc/passwd\") <script>alert(1)</script> {{ x }} cost * 2 and $5";
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "summary: Timeliness rose to 45.5%.",
            &format!("summary: '{hostile}'"),
        ),
    );
    f.pack_ok(&[
        "build",
        "--as-of",
        "2025-05-20",
        "--format",
        "pdf,md,html,json",
    ]);
    let pdf_text = tool(
        "pdftotext",
        &[f.file("out/test-plan-2025-05.pdf").to_str().unwrap(), "-"],
    );
    let flat = pdf_text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("#read(\"/etc/passwd\")") || flat.contains("#read(“/etc/passwd”)"),
        "{flat}"
    );
    assert!(flat.contains("<script>alert(1)</script>"), "{flat}");
    assert!(flat.contains("{{ x }} cost * 2 and $5"), "{flat}");
    assert!(
        !pdf_text.contains("root:x:0"),
        "a template read a file from disk"
    );
    let html = std::fs::read_to_string(f.file("out/test-plan-2025-05.html")).unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("{{ x }} cost * 2 and $5"));
    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    // Markdown escapes what would otherwise be markup: it reads as written.
    assert!(md.contains("{{ x }} cost \\* 2 and $5"), "{md}");
}

#[test]
fn sensitive_items_are_left_out_unless_asked_and_then_marked() {
    let f = Fixture::new();
    f.write(
        "evidence/2025/secret.yaml",
        &format!(
            "{}classification: OFFICIAL-SENSITIVE\n",
            EVIDENCE
                .replace("E-2025-001", "E-2025-077")
                .replace("Timeliness dashboard", "Secret panel notes")
        ),
    );
    f.write(
        "evidence/2025/personal.yaml",
        &format!(
            "{}personal_data: true\n",
            EVIDENCE
                .replace("E-2025-001", "E-2025-078")
                .replace("Timeliness dashboard", "Named case notes")
        ),
    );
    f.pack_ok(&[
        "build",
        "--as-of",
        "2025-05-20",
        "--format",
        "pdf,md,html,json",
    ]);
    for ext in ["md", "html", "json"] {
        let t = std::fs::read_to_string(f.file(&format!("out/test-plan-2025-05.{ext}"))).unwrap();
        assert!(
            !t.contains("Secret panel notes") && !t.contains("Named case notes"),
            "{ext} shows a sensitive item"
        );
        assert!(t.contains("2 current items were left out of this pack: 1 marked OFFICIAL-SENSITIVE and 1 holding personal data"), "{ext}");
    }
    let pdf = f.file("out/test-plan-2025-05.pdf");
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(!text.contains("Secret panel notes"));
    assert!(
        !text.contains("OFFICIAL-SENSITIVE\n") || !text.contains("Page 1 of"),
        "not marked sensitive by default"
    );

    let out = f
        .pack(&["build", "--as-of", "2025-05-20", "--include-sensitive"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let n = pages(&pdf);
    for p in 1..=n {
        assert!(
            page_text(&pdf, p).matches("OFFICIAL-SENSITIVE").count() >= 2,
            "page {p} not marked OFFICIAL-SENSITIVE"
        );
    }
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("Secret panel notes"));
}

#[test]
fn bundle_holds_pack_attachments_and_true_digests() {
    let f = Fixture::new();
    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: dashboard.csv\n"),
    );
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--bundle"]);
    let zip_path = f.file("out/test-plan-2025-05-bundle.zip");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries sorted");
    for want in [
        "attachments/evidence/2025/dashboard.csv",
        "manifest.csv",
        "manifest.json",
        "test-plan-2025-05.pdf",
        "test-plan-2025-05.md",
        "test-plan-2025-05.html",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from {names:?}"
        );
    }
    let manifest: serde_json::Value = {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("manifest.json").unwrap(), &mut s).unwrap();
        serde_json::from_str(&s).unwrap()
    };
    for entry in manifest["files"].as_array().unwrap() {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut zip.by_name(entry["path"].as_str().unwrap()).unwrap(),
            &mut bytes,
        )
        .unwrap();
        assert_eq!(entry["bytes"], bytes.len() as u64);
        let digest: String =
            sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&bytes))
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
        assert_eq!(entry["sha256"], digest, "{}", entry["path"]);
    }
    let csv_entry = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "attachments/evidence/2025/dashboard.csv")
        .unwrap();
    assert_eq!(csv_entry["evidence_id"], "E-2025-001");
}

#[test]
fn the_pack_names_its_commit_or_says_there_is_none() {
    let f = Fixture::new();
    let md_of = |f: &Fixture| {
        f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", "md"]);
        std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap()
    };
    assert!(md_of(&f).contains("| Built from | files not under version control |"));
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(f.path())
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    f.write(".gitignore", "out/\n");
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "evidence"]);
    let sha = String::from_utf8(
        Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(f.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let short = &sha.trim()[..10];
    let md = md_of(&f);
    assert!(
        md.contains(&format!("| Built from | commit {short} |")),
        "{md}"
    );
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("45.5%", "46%"),
    );
    let md = md_of(&f);
    assert!(
        md.contains(&format!(
            "| Built from | commit {short} with uncommitted changes |"
        )),
        "{md}"
    );
}

/// Every date a reader meets is written as GOV.UK writes it ("4 November
/// 2025", "4 Nov 2025" in narrow columns), never as ISO.
#[test]
fn readers_get_one_date_style_in_every_format() {
    let iso = |text: &str| -> Vec<String> {
        let b = text.as_bytes();
        (0..b.len().saturating_sub(9))
            .filter(|&i| {
                (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                    && b[i..i + 10].iter().enumerate().all(|(k, c)| {
                        if k == 4 || k == 7 {
                            *c == b'-'
                        } else {
                            c.is_ascii_digit()
                        }
                    })
                    && b.get(i + 10).is_none_or(|c| !c.is_ascii_alphanumeric())
            })
            .map(|i| text[i..i + 10].to_owned())
            .collect()
    };
    let out = tempfile::tempdir().unwrap();
    let res = build_example(out.path(), &["--format", "pdf,md,html"]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    // A repository with a gap acknowledged and an action due, too.
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!("{PLAN}acknowledged:\n  - {{rule: action-gap, id: A1.2, reason: Later, until: 2025-12-31}}\n"),
    );
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace(
            "    status: in-progress\n",
            "    status: in-progress\n  - id: A1.2\n    title: Second\n    owner: kcc\n    due: 2026-01-15\n",
        ),
    );
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", "pdf,md,html"]);
    for dir in [out.path().to_path_buf(), f.file("out")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            let text = match p.extension().and_then(|e| e.to_str()) {
                Some("pdf") => tool("pdftotext", &[p.to_str().unwrap(), "-"]),
                Some("md" | "html") => std::fs::read_to_string(&p).unwrap(),
                _ => continue,
            };
            // Element ids and links may hold ISO dates; what a reader sees may not.
            let seen: String = text
                .split('<')
                .map(|t| t.split_once('>').map_or(t, |(_, after)| after))
                .collect();
            let found = iso(&seen);
            assert!(found.is_empty(), "{}: ISO dates {found:?}", p.display());
        }
    }
    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    assert!(
        md.contains("15 Jan 2026"),
        "a due date in the actions table"
    );
    assert!(md.contains("31 Dec 2025"), "an acknowledgement's end");
    assert!(md.contains("30 April 2025"), "an item's date in prose");
}

/// Every internal link lands on the page of its target: each link whose text
/// is an evidence id (a table's id column, a citation `[E-…]`) points at the
/// page where that item's index entry starts, and no link is left pointing
/// at the template's `pack-anchor:` address (src/render/links.rs binds them).
#[test]
fn internal_links_land_on_their_index_entries() {
    let out = tempfile::tempdir().unwrap();
    let res = build_example(out.path(), &["--format", "pdf"]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let pdf = out.path().join("kent-send-app-2025-11.pdf");
    let xml = tool(
        "pdftohtml",
        &["-xml", "-i", "-stdout", "-q", pdf.to_str().unwrap()],
    );
    assert!(!xml.contains("pack-anchor:"), "an unbound internal link");
    // The text lines of each page, and the links with their target page.
    let mut page_lines: Vec<Vec<String>> = Vec::new();
    let mut links: Vec<(usize, String)> = Vec::new();
    let tag = regex::Regex::new(r"<[^>]+>").unwrap();
    let link = regex::Regex::new(r##"<a href="[^"#]*#(\d+)">([^<]*)</a>"##).unwrap();
    for line in xml.lines() {
        if line.starts_with("<page ") {
            page_lines.push(Vec::new());
        } else if line.starts_with("<text ") {
            for c in link.captures_iter(line) {
                links.push((c[1].parse().unwrap(), c[2].to_owned()));
            }
            let text = tag.replace_all(line, "").replace("&amp;", "&");
            page_lines.last_mut().unwrap().push(text);
        }
    }
    let id = regex::Regex::new(r"^\[?(E-\d{4}-\d{3})\]?$").unwrap();
    let mut checked = 0;
    for (page, text) in &links {
        let Some(c) = id.captures(text.trim()) else {
            continue;
        };
        let target = &page_lines[page - 1];
        assert!(
            target.iter().any(|l| l.starts_with(&format!("{} ", &c[1]))),
            "link {text} points at page {page}, which has no index entry for it"
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} evidence links found");
}
