//! Everyday work: init, new evidence, verify, CI formats, completions, man.

mod common;

use std::io::{Read, Write};

use common::*;

#[test]
fn init_then_check_passes_and_init_never_overwrites() {
    let f = Fixture::empty();
    let out = f.pack_ok(&["init"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for file in [
        "plan/plan.yaml",
        "plan/areas/01-example.yaml",
        ".gitignore",
        ".github/workflows/pack.yml",
        ".pre-commit-config.yaml",
    ] {
        assert!(f.file(file).is_file(), "{file}");
        assert!(text.contains(&format!("created {file}")), "{text}");
    }
    // It passes at once: its only findings are the placeholder warnings
    // for its example text (tests/first_pack.rs).
    let (code, r) = f.check_json(&[]);
    assert_eq!(code, 0, "{r:#}");
    assert!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["rule"] == "placeholder" && x["severity"] == "warning"),
        "{r:#}"
    );
    // Into a folder with a plan of its own: keep it, say so.
    f.write("plan/plan.yaml", "mine\n");
    let out = f.pack(&["init"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(f.file("plan/plan.yaml")).unwrap(),
        "mine\n"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("skipped plan/plan.yaml"));
}

#[test]
fn init_into_a_named_non_empty_folder() {
    let f = Fixture::empty();
    f.write("repo/README.md", "hello\n");
    let out = f.pack(&["init", "repo"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(f.file("repo/README.md")).unwrap(),
        "hello\n"
    );
    let out = f.pack(&["-C", "repo", "check"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn new_evidence_adds_an_item_that_check_accepts() {
    let f = Fixture::new();
    f.write("report.txt", "An attachment\n");
    f.pack_ok(&[
        "new",
        "evidence",
        "--title",
        "Parent survey, May 2025",
        "--area",
        "A1",
        "--kind",
        "survey",
        "--shows",
        "voice",
        "--org",
        "kcc",
        "--date",
        "2025-05-10",
        "--file",
        "report.txt",
        "--action",
        "A1.1",
        "--summary",
        "Parents said: \"better\"; 50% #1",
    ]);
    let yaml =
        std::fs::read_to_string(f.file("evidence/2025/parent-survey-may-2025.yaml")).unwrap();
    assert!(yaml.contains("id: E-2025-002"), "{yaml}");
    assert!(yaml.contains("file: \"report.txt\""), "{yaml}");
    assert!(
        f.file("evidence/2025/report.txt").is_file(),
        "attachment copied"
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["findings"].as_array().unwrap().len(), 0, "{r:#}");
    assert_eq!(r["areas"][0]["voice"], 1);
    // The same title again gets a new file and the next id.
    let out = f
        .pack(&[
            "new",
            "evidence",
            "--title",
            "Parent survey, May 2025",
            "--area",
            "A1",
            "--kind",
            "survey",
            "--shows",
            "voice",
            "--org",
            "kcc",
            "--date",
            "2025-05-11",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let yaml =
        std::fs::read_to_string(f.file("evidence/2025/parent-survey-may-2025-2.yaml")).unwrap();
    assert!(yaml.contains("id: E-2025-003"), "{yaml}");
}

#[test]
fn new_evidence_refuses_bad_arguments_and_writes_nothing() {
    let f = Fixture::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--area", "A1", "--kind", "data", "--shows", "impact", "--org", "kcc",
            ],
            "--title is required",
        ),
        (
            &[
                "--title", "T", "--kind", "data", "--shows", "impact", "--org", "kcc",
            ],
            "--area is required",
        ),
        (
            &[
                "--title", "T", "--area", "A9", "--kind", "data", "--shows", "impact", "--org",
                "kcc",
            ],
            "no area `A9`; the areas are A1",
        ),
        (
            &[
                "--title", "T", "--area", "A1", "--kind", "dat", "--shows", "impact", "--org",
                "kcc",
            ],
            "--kind cannot be `dat`; the choices are data, report",
        ),
        (
            &[
                "--title", "T", "--area", "A1", "--kind", "data", "--shows", "impacts", "--org",
                "kcc",
            ],
            "--shows cannot be `impacts`",
        ),
        (
            &[
                "--title", "T", "--area", "A1", "--kind", "data", "--shows", "impact", "--org",
                "nobody",
            ],
            "no organisation `nobody`; the organisations are kcc, nhs",
        ),
        (
            &[
                "--title", "T", "--area", "A1", "--kind", "data", "--shows", "impact", "--org",
                "kcc", "--action", "A7.1",
            ],
            "no action `A7.1`",
        ),
        (
            &[
                "--title", "T", "--area", "A1", "--kind", "data", "--shows", "impact", "--org",
                "kcc", "--file", "nope.pdf",
            ],
            "--file nope.pdf is not a file",
        ),
        (
            &[
                "--title",
                "T",
                "--area",
                "A1",
                "--kind",
                "data",
                "--shows",
                "impact",
                "--org",
                "kcc",
                "--date",
                "2030-01-01",
            ],
            "after today",
        ),
    ];
    for (args, needle) in cases {
        let mut all = vec!["new", "evidence"];
        all.extend_from_slice(args);
        let out = f.pack(&all).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(err.contains("nothing was written"));
    }
    let out = f
        .pack(&[
            "new",
            "evidence",
            "--title",
            "T",
            "--area",
            "A1",
            "--kind",
            "data",
            "--shows",
            "impact",
            "--org",
            "kcc",
            "--date",
            "30/04/2025",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let count = std::fs::read_dir(f.file("evidence/2025")).unwrap().count();
    assert_eq!(count, 1, "only the original item");
}

/// Rewrites a zip, changing its entries with `edit`.
fn rewrite(
    path: &std::path::Path,
    edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    add: Option<(&str, &[u8])>,
) {
    let mut src = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut entries = Vec::new();
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let mut b = Vec::new();
        e.read_to_end(&mut b).unwrap();
        entries.push((e.name().to_owned(), b));
    }
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        if let Some(b) = edit(&name, bytes) {
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&b).unwrap();
        }
    }
    if let Some((name, b)) = add {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn verify_accepts_a_bundle_and_catches_tampering() {
    let f = Fixture::new();
    let zip_path = f.bundle();
    let ok = f
        .pack(&["verify", zip_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    let one_byte = |name: &str, mut b: Vec<u8>| {
        if name.ends_with("dashboard.csv") {
            b[0] ^= 1;
        }
        Some(b)
    };
    rewrite(&zip_path, one_byte, None);
    let out = f
        .pack(&["verify", zip_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("changed: attachments/evidence/2025/dashboard.csv")
    );

    let zip_path = f.bundle();
    rewrite(
        &zip_path,
        |name, b| (!name.ends_with("dashboard.csv")).then_some(b),
        None,
    );
    let out = f
        .pack(&["verify", zip_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("missing: attachments/evidence/2025/dashboard.csv")
    );

    let zip_path = f.bundle();
    rewrite(&zip_path, |_, b| Some(b), Some(("extra.txt", b"sneaky")));
    let out = f
        .pack(&["verify", zip_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("added: extra.txt"));

    f.write("notazip.zip", "hello");
    let out = f.pack(&["verify", "notazip.zip"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn gitlab_code_quality_has_unique_fingerprints() {
    let f = Fixture::new();
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE
            .replace("shows: impact", "shows: activity")
            .replace("kind: data", "kind: dat"),
    );
    f.write("evidence/2025/a.csv", "x\n");
    f.write("evidence/2025/b.csv", "x\n");
    let out = f
        .pack(&["check", "--as-of", "2025-05-20", "--format", "gitlab"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let issues = v.as_array().unwrap();
    assert!(issues.len() >= 4);
    let fps: std::collections::HashSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), issues.len());
    for i in issues {
        assert!(i["description"].is_string() && i["check_name"].is_string());
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap())
        );
        assert!(
            i["location"]["path"].is_string()
                && i["location"]["lines"]["begin"].as_u64().unwrap() >= 1
        );
    }
}

#[test]
fn completions_man_and_version() {
    let f = Fixture::empty();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = f.pack(&["completions", shell]).output().unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("pack"),
            "{shell}"
        );
    }
    let out = f.pack(&["man"]).output().unwrap();
    assert!(out.status.success());
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(man.contains(".TH pack"), "{man}");
    let out = f.pack(&["--version"]).output().unwrap();
    let v = String::from_utf8_lossy(&out.stdout);
    assert!(v.starts_with("pack 0.1.0"), "{v}");
    // Built from a git checkout, the version names the commit.
    if example_root().join(".git").exists() {
        assert!(v.contains("(commit "), "{v}");
    }
}

#[test]
fn since_the_last_visit_in_the_pack_and_in_status() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!("{PLAN}  - id: 2024-11\n    date: 2024-11-19\n"),
    );
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace(
            "progress:\n",
            "progress:\n  history:\n    - { date: 2024-10-31, rating: red }\n",
        ),
    );
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", "md,pdf"]);
    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    assert!(
        md.contains("Changes since Visit 2024-11 (19 November 2024)."),
        "{md}"
    );
    assert!(md.contains("| [A1](#area-a1) | Parental confidence | Red → Amber | 1 new item; rating Red → Amber; 1 measure moved |"), "{md}");
    assert!(md.contains("| A1.M1 | Plans issued within 20 weeks | 30% (31 Oct 2024) | 45.5% (30 Apr 2025) | up 15.5 percentage points |"), "{md}");
    setup();
    let pdf = std::process::Command::new("pdftotext")
        .args([f.file("out/test-plan-2025-05.pdf").to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&pdf.stdout).contains("Since the last visit"));

    let out = f
        .pack(&["status", "--as-of", "2025-05-20", "--since", "2024-11"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("A1  1 new item; rating Red → Amber; 1 measure moved"),
        "{text}"
    );
    assert!(
        text.contains("new   E-2025-001 Timeliness dashboard, April 2025 (2025-04-30)"),
        "{text}"
    );
    let out = f.pack(&["status", "--since", "1999-01"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_example_pack_shows_since_the_last_visit_for_every_area() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args([
            "build",
            "--visit",
            "2025-11",
            "--format",
            "md",
            "--out",
            out_dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(out_dir.path().join("kent-send-app-2025-11.md")).unwrap();
    // One summary table, and one section in each of the nine areas.
    assert_eq!(md.matches("### Since the last visit").count(), 10, "{md}");
    assert!(md.contains("Since Fourth progress monitoring visit (20 May 2025)"));
}

#[test]
fn no_progress_output_in_pipes_or_ci() {
    let f = Fixture::new();
    for i in 0..(pack::load::PROGRESS_FROM + 20) {
        f.write(
            &format!("evidence/2025/bulk/{i:04}.yaml"),
            &EVIDENCE.replace("E-2025-001", &format!("E-2025-{:03}", i + 2)),
        );
    }
    for env_ci in [None, Some("true")] {
        let mut cmd = f.pack(&["check", "--as-of", "2025-05-20"]);
        if let Some(v) = env_ci {
            cmd.env("CI", v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            out.stderr.is_empty(),
            "progress shown: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn new_evidence_asks_for_what_is_missing_on_a_terminal() {
    // `script` (util-linux) gives pack a terminal; the answers come from its stdin.
    let f = Fixture::new();
    let bin = assert_cmd::cargo::cargo_bin("pack");
    let mut child = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} new evidence --date 2025-05-01", bin.display()),
            "/dev/null",
        ])
        .current_dir(f.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("`script` from util-linux is needed for this test");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Typed title\nA1\nreport\nimpact\nkcc\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for prompt in [
        "Title:",
        "Areas (A1;",
        "Kind (data, report",
        "Shows (activity, impact, voice)",
        "Organisation (kcc, nhs)",
    ] {
        assert!(text.contains(prompt), "no prompt {prompt:?} in {text}");
    }
    let yaml = std::fs::read_to_string(f.file("evidence/2025/typed-title.yaml")).unwrap();
    assert!(
        yaml.contains("id: E-2025-002")
            && yaml.contains("title: \"Typed title\"")
            && yaml.contains("kind: report"),
        "{yaml}"
    );
}

#[test]
fn dash_c_acts_as_if_pack_was_started_in_dir() {
    let f = Fixture::empty();
    f.write("repo/plan/plan.yaml", PLAN);
    f.write("repo/plan/areas/a1.yaml", AREA);
    f.write("repo/evidence/2025/dashboard.yaml", EVIDENCE);
    f.write("repo/survey.csv", "q,a\n");
    // --out and --bundle: relative to DIR.
    f.pack_ok(&[
        "-C",
        "repo",
        "build",
        "--as-of",
        "2025-05-20",
        "--format",
        "md",
        "--out",
        "o1",
        "--bundle",
    ]);
    assert!(f.file("repo/o1/test-plan-2025-05.md").is_file());
    assert!(!f.file("o1").exists());
    // A bundle path: relative to DIR.
    f.pack_ok(&["-C", "repo", "verify", "o1/test-plan-2025-05-bundle.zip"]);
    // new evidence --file: relative to DIR (survey.csv is in repo/, not here).
    f.pack_ok(&[
        "-C",
        "repo",
        "new",
        "evidence",
        "--title",
        "Survey",
        "--area",
        "A1",
        "--kind",
        "survey",
        "--shows",
        "voice",
        "--org",
        "kcc",
        "--date",
        "2025-05-01",
        "--file",
        "survey.csv",
    ]);
    assert!(f.file("repo/evidence/2025/survey.csv").is_file());
    // init DIR: relative to DIR.
    f.pack_ok(&["-C", "repo", "init", "sub"]);
    assert!(f.file("repo/sub/plan/plan.yaml").is_file());
    assert!(!f.file("sub").exists());
    // A DIR that does not exist: pack cannot run.
    let out = f.pack(&["-C", "nowhere", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere"));
}
