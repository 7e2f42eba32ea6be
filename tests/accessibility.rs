//! The HTML pack in a real browser: axe-core (WCAG 2.0, 2.1 and 2.2 A and
//! AA, and best practice) in Debian's headless Chromium finds no violation,
//! at desktop and at phone width, in the example and in a large pack.

mod common;

#[path = "../benches/support/generate.rs"]
mod generate;

use std::path::Path;

use common::*;

const WIDTHS: [u32; 2] = [1280, 390];

fn assert_no_violations(page: &Path) {
    let results = axe(page, &WIDTHS);
    assert_eq!(results.len(), WIDTHS.len());
    for r in results {
        let v = r["violations"].as_array().unwrap();
        assert!(
            v.is_empty(),
            "{} at {} px: {}",
            page.display(),
            r["width"],
            serde_json::to_string_pretty(v).unwrap()
        );
    }
}

#[test]
fn the_example_html_has_no_accessibility_violation() {
    let out = tempfile::tempdir().unwrap();
    let res = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(example_root())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args(["build", "--visit", "2025-11", "--format", "html", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert_no_violations(&out.path().join("kent-send-app-2025-11.html"));
}

#[test]
fn a_large_pack_with_gaps_has_no_accessibility_violation() {
    let dir = tempfile::tempdir().unwrap();
    generate::repository(dir.path(), 400);
    let res = assert_cmd::Command::cargo_bin("pack")
        .unwrap()
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .args([
            "build",
            "--format",
            "html",
            "--allow-gaps",
            "--include-sensitive",
        ])
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let html = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .unwrap();
    assert_no_violations(&html);
}
