//! Hostile and broken inputs: each is a finding, never a panic or a hang,
//! and the run exits 1.

mod common;

use common::*;

const AS_OF: [&str; 2] = ["--as-of", "2025-05-20"];

fn assert_finding(f: &Fixture, rule: &str, file: &str) -> serde_json::Value {
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1, "{r:#}");
    let fs = findings(&r, rule);
    assert!(
        fs.iter().any(|x| x["file"] == file),
        "no {rule} for {file}: {r:#}"
    );
    r
}

#[test]
fn billion_laughs() {
    let f = Fixture::new();
    let mut y = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, c) in "bcdefghi".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        y.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    f.write("evidence/bomb.yaml", &y);
    assert_finding(&f, "yaml-syntax", "evidence/bomb.yaml");
}

#[test]
fn hundred_thousand_nested_brackets() {
    let f = Fixture::new();
    let y = format!("id: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    f.write("evidence/deep.yaml", &y);
    assert_finding(&f, "yaml-syntax", "evidence/deep.yaml");
    let y = format!("id: {}\n", "{a: ".repeat(50_000));
    f.write("evidence/deep.yaml", &y);
    assert_finding(&f, "yaml-syntax", "evidence/deep.yaml");
}

#[test]
fn two_mebibyte_file() {
    let f = Fixture::new();
    let mut y = String::from("id: E-big\nsummary: \"");
    y.push_str(&"x".repeat(2 * 1024 * 1024));
    y.push_str("\"\n");
    f.write("evidence/big.yaml", &y);
    let r = assert_finding(&f, "yaml-syntax", "evidence/big.yaml");
    let x = findings(&r, "yaml-syntax")[0];
    assert!(
        x["message"].as_str().unwrap().contains("at most 1 MiB"),
        "{x}"
    );
}

#[test]
fn invalid_utf8() {
    let f = Fixture::new();
    f.write_bytes("evidence/latin1.yaml", b"id: E-9\ntitle: caf\xe9\n");
    let r = assert_finding(&f, "yaml-syntax", "evidence/latin1.yaml");
    let x = findings(&r, "yaml-syntax")[0];
    assert_eq!(x["line"], 2);
    assert_eq!(x["column"], 11);
}

#[test]
fn dot_dot_to_etc_passwd() {
    let f = Fixture::new();
    f.write(
        "evidence/x.yaml",
        &format!(
            "{}file: ../../etc/passwd\n",
            EVIDENCE.replace("E-2025-001", "E-2025-002")
        ),
    );
    let r = assert_finding(&f, "unsafe-path", "evidence/x.yaml");
    assert_eq!(one(&r, "unsafe-path")["line"], 11);
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_repository() {
    let f = Fixture::new();
    std::os::unix::fs::symlink("/etc/passwd", f.file("evidence/2025/passwd")).unwrap();
    f.write(
        "evidence/2025/x.yaml",
        &format!(
            "{}file: passwd\n",
            EVIDENCE.replace("E-2025-001", "E-2025-002")
        ),
    );
    assert_finding(&f, "unsafe-path", "evidence/2025/x.yaml");
    // A YAML file that is itself a link out of the repository is not read.
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), EVIDENCE.replace("E-2025-001", "E-2025-003")).unwrap();
    std::os::unix::fs::symlink(outside.path(), f.file("evidence/2025/linked.yaml")).unwrap();
    assert_finding(&f, "unsafe-path", "evidence/2025/linked.yaml");
}

#[test]
fn plan_that_is_not_a_mapping_and_empty_files() {
    let f = Fixture::new();
    f.write("plan/plan.yaml", "- just\n- a list\n");
    f.write("evidence/empty.yaml", "");
    f.write("plan/areas/a2.yaml", "# only a comment\n");
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let fs = findings(&r, "schema");
    assert!(fs.iter().any(|x| x["file"] == "plan/plan.yaml"), "{fs:#?}");
    assert!(
        fs.iter().any(|x| x["file"] == "evidence/empty.yaml"),
        "{fs:#?}"
    );
    assert!(
        fs.iter().any(|x| x["file"] == "plan/areas/a2.yaml"),
        "{fs:#?}"
    );
}

#[test]
fn duplicate_keys_and_tabs() {
    let f = Fixture::new();
    f.write("evidence/dup.yaml", "id: E-7\nid: E-8\n");
    assert_finding(&f, "yaml-syntax", "evidence/dup.yaml");
}
