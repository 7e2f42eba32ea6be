//! Nothing a user writes may crash, hang, leak personal data or lose a file.
//! One test per class of problem (issue 7), each with more than one
//! instance, read from the real outputs of the real binary.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::*;

const AS_OF: [&str; 2] = ["--as-of", "2025-05-20"];
/// Only hangs fail this: a case that works takes well under a second.
const HANG: Duration = Duration::from_secs(60);

fn pdf_text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
}

/// `pack ARGS` with a hang guard: (exit code, stdout, stderr).
fn run(f: &Fixture, args: &[&str]) -> (i32, String, String) {
    let out = f.pack(args).timeout(HANG).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("overflow"),
        "pack {args:?} crashed: {stderr}"
    );
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("pack {args:?} was killed ({:?}): {stderr}", out.status));
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

fn build(f: &Fixture, formats: &str) -> (i32, String, String) {
    run(f, &["build", "--as-of", "2025-05-20", "--format", formats])
}

fn with_narrative(text: &str) -> Fixture {
    let f = Fixture::new();
    f.write("plan/areas/a1.md", text);
    f
}

// ---- 1. Deep structure ----

#[test]
fn deep_markdown_is_a_limit_finding_never_a_stack_overflow() {
    let cases = [
        ">".repeat(50_000) + " deep",
        format!("{}word{}", "*".repeat(100_000), "*".repeat(100_000)),
        format!("{}word{}", "_".repeat(40_000), "_".repeat(40_000)),
        (0..300)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect(),
        "- ".repeat(5_000) + "x",
        "1. ".repeat(5_000) + "x",
        "> ".repeat(20) + "twenty nested quotes",
    ];
    for text in &cases {
        let f = with_narrative(text);
        let (code, r) = f.check_json(&AS_OF);
        assert_eq!(code, 1, "{}", &text[..20.min(text.len())]);
        let lims = findings(&r, "limit");
        assert!(!lims.is_empty(), "{r:#}");
        for lim in lims {
            assert_at(lim, "error", "plan/areas/a1.md", 1);
        }
        for format in ["md", "html", "pdf"] {
            let (code, _, err) = build(&f, format);
            assert_eq!(code, 1, "{format}: {err}");
        }
    }
    // In a YAML summary too, pointing at the summary.
    let f = Fixture::new();
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "summary: Timeliness rose to 45.5%.",
            &format!("summary: \"{}\"", "> ".repeat(40)),
        ),
    );
    let (_, r) = f.check_json(&AS_OF);
    assert_at(
        one(&r, "limit"),
        "error",
        "evidence/2025/dashboard.yaml",
        10,
    );
}

#[test]
fn nesting_up_to_the_limit_builds_every_format() {
    // Links cannot nest: 30,000 brackets are one link deep.
    let text = format!(
        "{}quoted\n\n- a\n  - b\n    - c\n      - d *e **f [g](https://x.org)***\n\n{}h{}\n",
        "> ".repeat(12),
        "[".repeat(1_000),
        "](https://x.org)".repeat(1_000)
    );
    let f = with_narrative(&text);
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 0, "{r:#}");
    let (code, _, err) = build(&f, "pdf,md,html");
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&f.file("out/test-plan-2025-05.pdf"));
    for w in ["quoted", "a", "b", "c", "d", "f", "g"] {
        assert!(text.contains(w), "{w}");
    }
}

#[test]
fn texts_too_long_to_lay_out_are_limit_findings() {
    // One paragraph whose layout time grows with its square: 30,000 brackets.
    let f = with_narrative(&("[".repeat(30_000) + "h" + &"](https://x.org)".repeat(30_000)));
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    assert!(
        one(&r, "limit")["message"]
            .as_str()
            .unwrap()
            .contains("paragraph")
    );
    let (code, _, _) = build(&f, "pdf");
    assert_eq!(code, 1);
    // A link address longer than any browser keeps, in Markdown and in `url:`.
    let long = format!("https://e.org/{}", "a".repeat(9_000));
    let f = with_narrative(&format!("See [this]({long}) and <{long}>.\n"));
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}url: {long}\n"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let fs = findings(&r, "limit");
    assert_eq!(fs.len(), 2, "{fs:#?}");
    // A YAML value too long to be a title or a summary.
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace(
            "title: Parental confidence",
            &format!("title: {}", "word ".repeat(5_000)),
        ),
    );
    let (_, r) = f.check_json(&AS_OF);
    assert_at(one(&r, "limit"), "error", "plan/areas/a1.yaml", 2);
}

// ---- 2 and 3. Lists and characters the PDF must show ----

#[test]
fn nested_lists_of_every_kind_build_the_pdf() {
    let f = with_narrative(
        "- first\n  - second level\n    - third level\n      - fourth level\n\n1. one\n   1. one.one\n   - mixed\n",
    );
    let (code, _, err) = build(&f, "pdf");
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&f.file("out/test-plan-2025-05.pdf"));
    for w in [
        "second level",
        "third level",
        "fourth level",
        "one.one",
        "mixed",
    ] {
        assert!(text.contains(w), "{w} missing from\n{text}");
    }
}

#[test]
fn any_script_symbol_or_emoji_builds_the_pdf() {
    let samples = [
        "Done ✓ ★ ⚠ ‣ → ⇒ ≤ ∑",
        "Emoji 😀 🎉 👍",
        "Arabic مرحبا بكم",
        "Devanagari नमस्ते",
        "Chinese 你好世界 学校",
        "Greek Ωμέγα Cyrillic Жук Hebrew שלום",
    ];
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace(
            "title: Parental confidence",
            &format!("title: \"Confidence {}\"", samples[0]),
        ),
    );
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "title: Timeliness dashboard, April 2025",
            &format!("title: \"{}\"", samples[1]),
        ),
    );
    f.write("plan/areas/a1.md", &samples[2..].join("\n\n"));
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 0, "{r:#}");
    assert!(findings(&r, "unsupported-character").is_empty(), "{r:#}");
    let (code, _, err) = build(&f, "pdf");
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&f.file("out/test-plan-2025-05.pdf"));
    for w in [
        "✓",
        "★",
        "⚠",
        "→",
        "😀",
        "नमस्ते",
        "你好世界",
        "Ωμέγα",
        "Жук",
        "שלום",
    ] {
        assert!(text.contains(w), "{w} missing from the PDF text");
    }
    assert!(
        text.contains("مرحبا") || text.contains("ابحرم"),
        "Arabic missing"
    );
}

#[test]
fn a_character_no_font_has_is_a_warning_at_the_users_line_and_a_replacement() {
    let f = Fixture::new();
    // Private use, an Egyptian hieroglyph and Linear B: nothing embedded shows them.
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "summary: Timeliness rose to 45.5%.",
            "summary: \"Marked \u{E000} and \u{13000}\u{13001} and \u{10000}.\"",
        ),
    );
    f.write("plan/areas/a1.md", "Fine line.\n\nSecond \u{E123} here.\n");
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 0, "warnings only: {r:#}");
    let fs = findings(&r, "unsupported-character");
    assert_eq!(fs.len(), 4, "{fs:#?}");
    let md = fs.iter().find(|x| x["file"] == "plan/areas/a1.md").unwrap();
    assert_at(md, "warning", "plan/areas/a1.md", 3);
    assert_eq!(md["column"], 8);
    for x in &fs {
        assert!(x["message"].as_str().unwrap().contains("U+"), "{x}");
    }
    let (code, _, err) = build(&f, "pdf");
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&f.file("out/test-plan-2025-05.pdf"));
    assert!(text.contains('\u{FFFD}'), "no visible replacement");
    assert!(text.contains("Second"), "{text}");
}

#[test]
fn code_points_pdf_ua_forbids_never_fail_the_pdf() {
    // Found by the fuzz target: U+FEFF inside a title failed the PDF/UA export.
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &AREA.replace(
            "title: Parental confidence",
            "title: \"Parental\\uFEFF confidence \\0 \\uFFFE \\uF8FF \\U000F0000\"",
        ),
    );
    f.write(
        "plan/areas/a1.md",
        concat!(
            "Zero\u{FEFF}width \u{200B}space \u{200D}joiner.\n\n",
            // Controls in code (found by the fuzz target).
            "```\n\u{1b}]0;code\u{7}\n```\n\n`\u{1b}[31m`\n\n",
            // A cluster no single font can shape (found by the fuzz target).
            "\u{202e}😀\u{301}नमस्ते\n\nplain words here\n",
        ),
    );
    let (code, _, err) = build(&f, "pdf");
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&f.file("out/test-plan-2025-05.pdf"));
    assert!(text.contains("Parental"), "{text}");
    assert!(text.contains("plain words"), "{text}");
}

// ---- 4 and 5. Personal data in other encodings and in paths ----

fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
    let mut v = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in s.encode_utf16() {
        v.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    v
}

#[test]
fn identifiers_in_every_text_encoding_are_found() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "utf16le.txt",
            utf16("name,nhs\r\nA,943 476 5919\r\n", false),
        ),
        ("utf16be.csv", utf16("pupil B801200005001\n", true)),
        (
            "cp1252.csv",
            b"cost,\xA3100,caf\xE9,9434765919\r\n".to_vec(),
        ),
        ("bom.TXT", b"\xEF\xBB\xBFid 943-476-5919\n".to_vec()),
    ];
    for (name, bytes) in &cases {
        let f = Fixture::new();
        f.write_bytes(&format!("evidence/2025/{name}"), bytes);
        f.write(
            "evidence/2025/dashboard.yaml",
            &format!("{EVIDENCE}file: {name}\n"),
        );
        let (code, r) = f.check_json(&AS_OF);
        assert_eq!(code, 1, "{name}");
        let p = one(&r, "personal-identifier");
        assert_eq!(p["file"], format!("evidence/2025/{name}"));
        let all = r.to_string();
        assert!(
            !all.contains("9434765919")
                && !all.contains("476 5919")
                && !all.contains("B801200005001"),
            "{all}"
        );
    }
}

#[test]
fn a_text_attachment_that_is_not_text_is_unreadable_never_skipped() {
    let f = Fixture::new();
    f.write_bytes(
        "evidence/2025/data.csv",
        b"\x00\x01\x02\x03PK\x00\x00binary",
    );
    f.write_bytes("evidence/2025/nobom.txt", &utf16("9434765919", false)[2..]);
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: data.csv\n"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let fs = findings(&r, "unreadable-file");
    let files: Vec<&str> = fs.iter().map(|x| x["file"].as_str().unwrap()).collect();
    assert_eq!(
        files,
        ["evidence/2025/data.csv", "evidence/2025/nobom.txt"],
        "{fs:#?}"
    );
}

#[test]
fn identifiers_in_folder_and_file_names_are_found_and_masked() {
    let f = Fixture::new();
    f.remove("evidence/2025/dashboard.yaml");
    f.write("evidence/9434765919/e1.yaml", EVIDENCE);
    f.write("evidence/2025/B801200005001.csv", "a,b\n");
    f.write("plan/areas/943-476-5919.txt", "notes\n");
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let fs = findings(&r, "personal-identifier");
    let files: Vec<&str> = fs.iter().map(|x| x["file"].as_str().unwrap()).collect();
    assert!(files.contains(&"evidence/9434765919"), "{fs:#?}");
    assert!(
        files.contains(&"evidence/2025/B801200005001.csv"),
        "{fs:#?}"
    );
    assert!(files.contains(&"plan/areas/943-476-5919.txt"), "{fs:#?}");
    // Unmasked only in a finding's own `file`.
    let mut r2 = r.clone();
    for x in r2["findings"].as_array_mut().unwrap() {
        x["file"] = "".into();
    }
    let rest = r2.to_string();
    for id in ["9434765919", "B801200005001", "943-476-5919"] {
        assert!(!rest.contains(id), "{id} unmasked in {rest}");
    }
    let unused = one(&r, "unused-file");
    assert!(
        unused["message"]
            .as_str()
            .unwrap()
            .contains("**********001"),
        "{unused}"
    );
    // Human output: the same.
    let (_, out, _) = run(&f, &["check", "--as-of", "2025-05-20"]);
    let without_locations: String = out
        .lines()
        .filter(|l| !l.trim_start().starts_with("-->") && !l.trim_start().starts_with("╭▸"))
        .collect();
    assert!(!without_locations.contains("B801200005001"), "{out}");
}

// ---- 6. Outputs never replace inputs ----

#[test]
fn build_refuses_an_output_folder_inside_the_inputs() {
    let f = Fixture::new();
    f.write(
        "plan/areas/test-plan-2025-05.md",
        "Hand-written narrative.\n",
    );
    f.write(
        "plan/areas/test-plan-2025-05.yaml",
        &AREA.replace("A1", "A9"),
    );
    std::fs::create_dir_all(f.file("templates")).unwrap();
    std::fs::create_dir_all(f.file("out")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(f.file("evidence"), f.file("out/link")).unwrap();
    for out in [
        "plan/areas",
        "plan",
        "evidence",
        "evidence/2025/new",
        "templates",
        "out/../plan/areas",
        "out/link",
        ".git",
    ] {
        let (code, _, err) = run(
            &f,
            &[
                "build",
                "--as-of",
                "2025-05-20",
                "--format",
                "md",
                "--out",
                out,
                "--allow-gaps",
            ],
        );
        assert_eq!(code, 2, "--out {out}: {err}");
        assert!(err.contains("pack reads"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(f.file("plan/areas/test-plan-2025-05.md")).unwrap(),
        "Hand-written narrative.\n"
    );
    let (code, r) = f.check_json(&AS_OF);
    assert!(findings(&r, "unused-file").is_empty(), "{r:#} {code}");
    // A folder beside them is fine.
    let (code, _, err) = run(
        &f,
        &[
            "build",
            "--as-of",
            "2025-05-20",
            "--format",
            "md",
            "--out",
            "out/plans",
            "--allow-gaps",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

// ---- 7 and 8. verify ----

fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut src = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..src.len())
        .map(|i| {
            let mut e = src.by_index(i).unwrap();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (e.name().to_owned(), b)
        })
        .collect()
}

/// Writes entries as a zip; names may repeat (the zip crate refuses that,
/// so a repeated name is written under a stand-in and patched afterwards).
fn write_zip(path: &Path, list: &[(String, Vec<u8>)]) {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut seen = std::collections::HashSet::new();
    let mut patches = Vec::new();
    for (i, (name, bytes)) in list.iter().enumerate() {
        let written = if seen.insert(name.clone()) {
            name.clone()
        } else {
            let stand_in = format!("{}{:03}", &name[..name.len() - 3], i % 1000);
            patches.push((stand_in.clone(), name.clone()));
            stand_in
        };
        w.start_file(written, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    let mut bytes = w.finish().unwrap().into_inner();
    for (from, to) in patches {
        let (from, to) = (from.as_bytes(), to.as_bytes());
        let mut i = 0;
        while i + from.len() <= bytes.len() {
            if &bytes[i..i + from.len()] == from {
                bytes[i..i + to.len()].copy_from_slice(to);
                i += from.len();
            } else {
                i += 1;
            }
        }
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn verify_refuses_duplicate_and_unlisted_entries() {
    let f = Fixture::new();
    let zip_path = f.bundle();
    let genuine = entries(&zip_path);
    let target = "attachments/evidence/2025/dashboard.csv";
    // A tampered copy placed before the genuine one, then after it.
    for before in [true, false] {
        let mut list = genuine.clone();
        let tampered = (target.to_owned(), b"month,value\n2025-04,99\n".to_vec());
        if before {
            list.insert(0, tampered);
        } else {
            list.push(tampered);
        }
        write_zip(&zip_path, &list);
        let (code, out, _) = run(&f, &["verify", zip_path.to_str().unwrap()]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("duplicate") && out.contains(target), "{out}");
    }
    // A second manifest.
    let mut list = genuine.clone();
    let m = list
        .iter()
        .find(|(n, _)| n == "manifest.json")
        .unwrap()
        .clone();
    list.push(m);
    write_zip(&zip_path, &list);
    let (code, out, _) = run(&f, &["verify", zip_path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    // An entry the manifest does not list.
    let mut list = genuine.clone();
    list.push(("attachments/extra.pdf".into(), b"%PDF".to_vec()));
    write_zip(&zip_path, &list);
    let (code, out, _) = run(&f, &["verify", zip_path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("added: attachments/extra.pdf"), "{out}");
    // The genuine one still passes.
    write_zip(&zip_path, &genuine);
    let (code, out, _) = run(&f, &["verify", zip_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
}

/// Peak memory of the finished children of this process, in MiB.
#[cfg(unix)]
fn children_peak_mib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes into the struct it is given.
    unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init().ru_maxrss / 1024
    }
}

#[cfg(unix)]
#[test]
fn verify_streams_entries_and_refuses_a_zip_bomb() {
    let f = Fixture::new();
    let zip_path = f.bundle();
    let mut list = entries(&zip_path);
    let target = "attachments/evidence/2025/dashboard.csv";
    // 1 GiB of zeros compresses to about 1 MiB.
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    list.retain(|(n, _)| n != target);
    for (name, bytes) in &list {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.start_file(
        target,
        zip::write::SimpleFileOptions::default().large_file(true),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        w.write_all(&zeros).unwrap();
    }
    w.finish().unwrap();
    assert!(std::fs::metadata(&zip_path).unwrap().len() < 16 << 20);
    let (code, out, _) = run(&f, &["verify", zip_path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("refused") && out.contains("zip bomb"), "{out}");
    let peak = children_peak_mib();
    assert!(peak < 300, "verify peaked at {peak} MiB");
}

// ---- 9 and 10. Hangs ----

#[test]
fn dates_at_the_end_of_the_calendar_terminate_with_a_finding() {
    for (date, as_of, extra) in [
        ("9999-07-01", "9999-07-01", ""),
        ("9999-12-31", "9999-12-31", ""),
        ("9999-12-31", "9999-12-31", "valid_until: 9999-12-31\n"),
        ("0001-01-01", "0001-01-01", ""),
        ("9999-06-30", "9999-12-31", ""),
    ] {
        let f = Fixture::new();
        f.write(
            "evidence/2025/dashboard.yaml",
            &format!("{}{extra}", EVIDENCE.replace("2025-04-30", date)),
        );
        let out = f
            .pack(&["check", "--format", "json", "--as-of", as_of])
            .env("SOURCE_DATE_EPOCH", "253399622400") // 9999-12-01
            .timeout(HANG)
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(matches!(code, Some(0 | 1)), "{date}: {code:?}");
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if date.starts_with("9999-07") && extra.is_empty() {
            assert_at(one(&r, "limit"), "error", "evidence/2025/dashboard.yaml", 3);
        }
        {
            let out = f
                .pack(&["build", "--as-of", as_of, "--format", "md", "--allow-gaps"])
                .env("SOURCE_DATE_EPOCH", "253399622400")
                .timeout(HANG)
                .output()
                .unwrap();
            assert!(matches!(out.status.code(), Some(0 | 1)), "{date} build");
        }
    }
}

#[cfg(unix)]
#[test]
fn named_pipes_are_unreadable_files_never_a_hang() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.file("evidence/2025")).unwrap();
    for p in [
        "evidence/2025/data.csv",
        "evidence/x.yaml",
        "plan/areas/z.yaml",
        "evidence/2025/notes.txt",
    ] {
        let st = Command::new("mkfifo").arg(f.file(p)).status().unwrap();
        assert!(st.success());
    }
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: data.csv\n"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let fs = findings(&r, "unreadable-file");
    let mut files: Vec<&str> = fs.iter().map(|x| x["file"].as_str().unwrap()).collect();
    files.sort();
    assert_eq!(
        files,
        [
            "evidence/2025/data.csv",
            "evidence/2025/notes.txt",
            "evidence/x.yaml",
            "plan/areas/z.yaml"
        ]
    );
    let (code, _, _) = build(&f, "md");
    assert_eq!(code, 1);
}

// ---- 11. Ids are text ----

#[test]
fn numeric_looking_ids_are_text_exactly_as_written() {
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &AREA
            .replace("id: A1.1", "id: 1.1")
            .replace("    status: in-progress", "    status: in-progress\n  - id: 1.10\n    title: Second action\n    owner: kcc\n  - id: 1e3\n    title: Third\n    owner: kcc\n  - id: 2025.10\n    title: Fourth\n    owner: kcc"),
    );
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("actions: [A1.1]", "actions: [1.1, 1.10, 1e3, 2025.10]"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert!(findings(&r, "duplicate-id").is_empty(), "{r:#}");
    assert!(findings(&r, "unknown-reference").is_empty(), "{r:#}");
    assert_eq!(code, 0, "{r:#}");
    let (code, _, err) = build(&f, "json");
    assert_eq!(code, 0, "{err}");
    let view = std::fs::read_to_string(f.file("out/test-plan-2025-05.json")).unwrap();
    for id in ["\"1.1\"", "\"1.10\"", "\"1e3\"", "\"2025.10\""] {
        assert!(view.contains(id), "{id} not in the view");
    }
    assert!(!view.contains("\"1000\""));
}

// ---- 12 and 13. Citations and repeated problems ----

#[test]
fn citations_are_read_from_text_only() {
    let f = with_narrative(
        "Link [x](https://e.org/[@E-2025-001]) and <https://e.org/a[@E-2025-001]>.\n\n\
         Escaped \\[@E-2025-001] and \\[@E-9].\n\n\
         Code `[@E-9]` and `[@E-2025-001]`.\n\n```\n[@E-404] [@E-2025-001]\n```\n\n\
         Linked [see [@E-2025-001]](https://e.org/) and real [@E-2025-001].\n",
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 0, "{r:#}");
    assert!(findings(&r, "unknown-citation").is_empty(), "{r:#}");
    let (code, _, err) = build(&f, "pdf,md,html");
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(f.file("out/test-plan-2025-05.html")).unwrap();
    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    let pdf = pdf_text(&f.file("out/test-plan-2025-05.pdf"));
    for (name, text) in [("html", &html), ("md", &md), ("pdf", &pdf)] {
        assert!(
            !text.contains('\u{E000}') && !text.contains('\u{E001}'),
            "{name}"
        );
        assert!(!text.contains("\\[@E-9]"), "{name} shows the escape");
    }
    assert!(
        html.contains("href=\"https://e.org/[@E-2025-001]\"")
            || html.contains("href=\"https://e.org/%5B@E-2025-001%5D\""),
        "{html}"
    );
    // No link inside a link, anywhere in the narrative's paragraphs.
    for para in html
        .split("<p>")
        .filter(|p| p.contains("Linked") || p.contains("Link ["))
    {
        let para = para.split("</p>").next().unwrap();
        let mut depth = 0i32;
        for piece in para.split('<').skip(1) {
            if piece.starts_with("a ") {
                depth += 1;
                assert!(depth <= 1, "link in a link: {para}");
            } else if piece.starts_with("/a>") {
                depth -= 1;
            }
        }
    }
    assert!(html.contains("<code>[@E-9]</code>"), "code changed");
    assert!(pdf.contains("[@E-404]"), "code block changed");
}

#[test]
fn every_occurrence_of_a_problem_is_reported() {
    let f = with_narrative(
        "See [@E-9] here.\n\nAnd again:\n[@E-9] twice, NHS 9434765919.\n\nNHS 9434765919 once more.\n",
    );
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "summary: Timeliness rose to 45.5%.",
            "summary: |\n  Cites [@E-77].\n  Then [@E-77] again.",
        ),
    );
    let (_, r) = f.check_json(&AS_OF);
    let lines = |rule: &str, file: &str| -> Vec<u64> {
        findings(&r, rule)
            .iter()
            .filter(|x| x["file"] == file)
            .map(|x| x["line"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(lines("unknown-citation", "plan/areas/a1.md"), [1, 4]);
    assert_eq!(lines("personal-identifier", "plan/areas/a1.md"), [4, 6]);
    assert_eq!(
        lines("unknown-citation", "evidence/2025/dashboard.yaml"),
        [11, 12]
    );
}

// ---- 14. Items with a bad id are still checked ----

#[test]
fn an_item_with_a_bad_or_missing_id_is_checked_in_full() {
    for id_line in ["id: E 2\n", ""] {
        let f = Fixture::new();
        f.write(
            "evidence/2025/broken.yaml",
            &format!(
                "{id_line}title: Broken\ndate: 2025-04-30\norganisation: nobody\nkind: data\nshows: impact\nareas: [A7]\nfile: gone.pdf\nsummary: See [@E-404].\n"
            ),
        );
        f.write("evidence/2025/other.pdf", "x");
        let (code, r) = f.check_json(&AS_OF);
        assert_eq!(code, 1);
        let file = "evidence/2025/broken.yaml";
        let rules: Vec<&str> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["file"] == file)
            .map(|x| x["rule"].as_str().unwrap())
            .collect();
        for rule in [
            "schema",
            "unknown-reference",
            "missing-file",
            "unknown-citation",
        ] {
            assert!(
                rules.contains(&rule),
                "{id_line:?}: {rule} missing in {rules:?}"
            );
        }
        assert_eq!(
            findings(&r, "unknown-reference")
                .iter()
                .filter(|x| x["file"] == file)
                .count(),
            2,
            "organisation and area"
        );
    }
    // An area without a valid id: its action's unknown owner is still found.
    let f = Fixture::new();
    f.write(
        "plan/areas/a2.yaml",
        "id: A 2\ntitle: T\nweakness: W\noutcome: O\nactions:\n  - id: A2.1\n    title: X\n    owner: nobody\n",
    );
    let (_, r) = f.check_json(&AS_OF);
    assert_at(
        one(&r, "unknown-reference"),
        "error",
        "plan/areas/a2.yaml",
        8,
    );
}

// ---- 15-17. Contradictions ----

#[test]
fn data_points_on_one_date_are_inconsistent_and_rated_the_same_in_any_order() {
    let mut ratings = Vec::new();
    for pair in [
        "      - { date: 2025-04-30, value: 45.5 }\n      - { date: 2025-04-30, value: 85 }",
        "      - { date: 2025-04-30, value: 85 }\n      - { date: 2025-04-30, value: 45.5 }",
    ] {
        let f = Fixture::new();
        f.write(
            "plan/areas/a1.yaml",
            &AREA.replace("      - { date: 2025-04-30, value: 45.5 }", pair),
        );
        let (code, r) = f.check_json(&AS_OF);
        assert_eq!(code, 1);
        assert_at(
            one(&r, "inconsistent-data"),
            "error",
            "plan/areas/a1.yaml",
            27,
        );
        let out = f.pack_ok(&["status", "--as-of", "2025-05-20", "--format", "json"]);
        ratings.push(String::from_utf8(out.stdout).unwrap());
    }
    assert_eq!(ratings[0], ratings[1]);
}

#[test]
fn supersession_that_contradicts_itself_is_reported() {
    let item = |id: &str, date: &str, sup: &str| {
        EVIDENCE
            .replace("E-2025-001", id)
            .replace("date: 2025-04-30", &format!("date: {date}"))
            + &format!("supersedes: [{sup}]\n")
    };
    let f = Fixture::new();
    f.write(
        "evidence/2025/self.yaml",
        &item("E-2025-002", "2025-04-01", "E-2025-002"),
    );
    f.write(
        "evidence/2025/c1.yaml",
        &item("E-2025-003", "2025-04-02", "E-2025-004"),
    );
    f.write(
        "evidence/2025/c2.yaml",
        &item("E-2025-004", "2025-04-02", "E-2025-003"),
    );
    f.write(
        "evidence/2025/later.yaml",
        &item("E-2025-005", "2025-01-01", "E-2025-001"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let fs = findings(&r, "inconsistent-data");
    let mut files: Vec<&str> = fs.iter().map(|x| x["file"].as_str().unwrap()).collect();
    files.sort();
    assert_eq!(
        files,
        [
            "evidence/2025/c1.yaml",
            "evidence/2025/c2.yaml",
            "evidence/2025/later.yaml",
            "evidence/2025/self.yaml"
        ],
        "{fs:#?}"
    );
    for x in fs {
        assert_eq!(x["line"], 11, "{x}");
    }
}

#[test]
fn other_contradictions_are_reported() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!("{PLAN}  - id: 2025-11\n    date: 2025-05-20\n  - id: 2026-05\n    date: 2026-05-20\n    evidence_due: 2026-06-01\n"),
    );
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}valid_until: 2025-01-01\n"),
    );
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 1);
    let places = places(&r, "inconsistent-data");
    assert!(
        places.contains(&("evidence/2025/dashboard.yaml".into(), 11)),
        "{places:?}"
    );
    assert!(
        places.contains(&("plan/plan.yaml".into(), 13)),
        "{places:?}"
    );
    assert!(
        places.contains(&("plan/plan.yaml".into(), 16)),
        "{places:?}"
    );
    // An upper-case extension is read, not ignored.
    let f = Fixture::new();
    f.write("plan/areas/a2.YML", &AREA.replace("A1", "A2"));
    f.write(
        "evidence/2025/two.YAML",
        &EVIDENCE
            .replace("E-2025-001", "E-2025-002")
            .replace("A1", "A2"),
    );
    let out = f.pack_ok(&["status", "--as-of", "2025-05-20", "--format", "json"]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("\"A2\""), "{s}");
    let (code, r) = f.check_json(&AS_OF);
    assert_eq!(code, 0, "{r:#}");
}

#[test]
fn new_evidence_never_hands_out_an_id_a_broken_file_holds() {
    let f = Fixture::new();
    f.write(
        "evidence/2025/broken.yaml",
        "id: E-2025-007\ntitle: [unclosed\n",
    );
    let out = f.pack_ok(&[
        "new",
        "evidence",
        "--title",
        "Next",
        "--area",
        "A1",
        "--kind",
        "data",
        "--shows",
        "impact",
        "--org",
        "kcc",
        "--date",
        "2025-05-01",
    ]);
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("E-2025-008"), "{said}");
}

// ---- 18. Messages ----

#[test]
fn messages_say_what_is_true() {
    // stale-citation for an item past its valid_until.
    let f = Fixture::new();
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}valid_until: 2025-05-01\n"),
    );
    let (_, r) = f.check_json(&AS_OF);
    let stale = one(&r, "stale-citation");
    assert!(
        stale["message"]
            .as_str()
            .unwrap()
            .contains("valid only until 2025-05-01"),
        "{stale}"
    );
    // --deny-warnings fails and says so.
    let f = Fixture::new();
    f.write("evidence/2025/unused.txt", "x");
    let (code, out, _) = run(&f, &["check", "--as-of", "2025-05-20", "--deny-warnings"]);
    assert_eq!(code, 1);
    let last = out.trim_end().lines().last().unwrap();
    assert!(last.starts_with("failed: 0 errors, 1 warning"), "{last}");
    // Numbers past the limit are findings; the chart never holds NaN.
    for v in ["1e20", "1e308", "-1e308"] {
        let f = Fixture::new();
        f.write(
            "plan/areas/a1.yaml",
            &AREA.replace("value: 45.5", &format!("value: {v}")),
        );
        let (code, r) = f.check_json(&AS_OF);
        assert_eq!(code, 1);
        assert_at(one(&r, "limit"), "error", "plan/areas/a1.yaml", 26);
    }
}

#[test]
fn control_characters_never_reach_a_report() {
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.yaml",
        &AREA
            .replace(
                "title: Parental confidence",
                "title: \"Parental \\uFFFF confidence \\e]8;;x\\a\"",
            )
            .replace("lead: Director of SEND", "\"le\\e]0;evil\\ad\": x"),
    );
    for format in ["junit", "human", "github", "json", "gitlab", "markdown"] {
        let (_, out, _) = run(&f, &["check", "--as-of", "2025-05-20", "--format", format]);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: {out:?}"
        );
        // JSON may carry U+FFFF (it is valid JSON); the text formats may not.
        if format != "json" && format != "gitlab" {
            assert!(!out.contains('\u{FFFF}'), "{format}: {out:?}");
        }
        if format == "junit" {
            roxmltree::Document::parse(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        }
        if format == "json" || format == "gitlab" {
            serde_json::from_str::<serde_json::Value>(&out).unwrap();
        }
    }
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_pack_quietly() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::os::unix::process::ExitStatusExt;
    for args in [
        &["man"][..],
        &["--help"][..],
        &["completions", "bash"][..],
        &["status"][..],
    ] {
        // The reader is gone before pack writes a byte, as with `| head -0`.
        let mut fds = [0; 2];
        // SAFETY: pipe fills the two descriptors it is given.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: both descriptors were just opened and are owned here.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        drop(read);
        let out = Command::new(assert_cmd::cargo::cargo_bin("pack"))
            .args(args)
            .current_dir(example_root())
            .stdout(std::process::Stdio::from(write))
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let quiet = out.status.success() || out.status.signal() == Some(libc::SIGPIPE);
        assert!(quiet, "{args:?}: {:?}", out.status);
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
