//! The check-only build (spec section 9): without the `pdf` cargo feature,
//! pack has every command but the PDF format. `.ci/run` runs this file with
//! `cargo test --no-default-features --test check_only`; in the full build
//! it compiles to nothing, since there every format exists (tests/build.rs).
#![cfg(not(feature = "pdf"))]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use common::{Fixture, TODAY_EPOCH};

/// The typst crates are not in the dependency tree of this build.
#[test]
fn typst_is_not_a_dependency() {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "--no-default-features",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
        ])
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("minijinja"), "{tree}");
    for line in tree.lines() {
        assert!(
            !line.starts_with("typst"),
            "a PDF crate is in the tree: {line}"
        );
    }
}

#[test]
fn check_status_and_the_other_formats_work() {
    let f = Fixture::new();
    let (code, r) = f.check_json(&[]);
    assert_eq!(code, 0, "{r:#}");
    f.pack_ok(&["status"]);
    // The default formats are those this build has: md and html.
    let out = f.pack_ok(&["build"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(".md"), "{text}");
    assert!(text.contains(".html"), "{text}");
    assert!(!text.contains(".pdf"), "{text}");
    let written: Vec<String> = std::fs::read_dir(f.file("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(written.iter().all(|n| !n.ends_with(".pdf")), "{written:?}");
    // The family edition too: html without a PDF.
    let out = f.pack_ok(&["build", "--edition", "family", "--out", "family"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("-family.html"), "{text}");
    assert!(!text.contains(".pdf"), "{text}");
}

#[test]
fn asking_for_a_pdf_exits_2_saying_how_to_get_one() {
    let f = Fixture::new();
    for args in [
        &["build", "--format", "pdf"][..],
        &["build", "--format", "md,pdf"],
        &["build", "--edition", "family", "--format", "pdf"],
    ] {
        let out = f.pack(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no PDF support"), "{args:?}: {err}");
        assert!(err.contains("full build"), "{args:?}: {err}");
        assert!(!f.file("out").exists(), "{args:?} wrote something");
    }
}

#[test]
fn serve_answers_501_for_the_pdf() {
    let f = Fixture::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pack"))
        .current_dir(f.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .args(["serve", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("pack serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no URL on the first line: {line:?}"));
    let get = |path: &str| {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text
    };
    let pdf = get("/pack.pdf");
    let page = get("/");
    let _ = child.kill();
    let _ = child.wait();
    assert!(pdf.starts_with("HTTP/1.1 501"), "{pdf}");
    assert!(pdf.contains("no PDF support"), "{pdf}");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
}
