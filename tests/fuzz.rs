//! A fuzz target over whole repositories: random Markdown, Unicode and YAML
//! structure go through the real binary's `check` and `build --format
//! pdf,md,html`. Every case must end with exit 0 or 1, never a panic, an
//! abort, an exit 2 or a hang (the time bound only catches hangs).
//!
//! `cargo test` runs a short slice (8 cases); a longer run, counting how
//! many checks and builds ended 0 (a pack written) or 1:
//! `PROPTEST_CASES=500 FUZZ_VERBOSE=1 cargo test --test fuzz -- --nocapture 2>&1 | grep '^fuzz:' | sort | uniq -c`.

mod common;

use std::time::Duration;

use common::*;
use proptest::prelude::*;

/// Markdown pieces that leave a repository buildable (at most warnings).
const PIECES: &[&str] = &[
    "> ",
    "- ",
    "  ",
    "    ",
    "* ",
    "**",
    "*",
    "_",
    "__",
    "`",
    "```\n",
    "~~",
    "[@E-2025-001]",
    "\\[@E-2025-001]",
    "[x](https://e.org/[@E-2025-001])",
    "<https://a.b/[@E-2025-001]>",
    "[y](javascript:alert(1))",
    "<b>",
    "</b>",
    "<script>",
    "# ",
    "## ",
    "\n",
    "\n\n",
    "| a | b |\n|---|---|\n| 1 |\n",
    "1. ",
    "2) ",
    "&amp;",
    "&#0;",
    "\\",
    "#",
    "$",
    "@",
    "=",
    "{{ x }}",
    "{% if %}",
    "#read(\"x\")",
    "word",
    "Kent ",
    "✓",
    "★",
    "⚠",
    "‣",
    "→",
    "😀",
    "👍🏽",
    "🇬🇧",
    "1\u{FE0F}\u{20E3}",
    "مرحبا",
    "नमस्ते",
    "你好",
    "Ωμέγα",
    "\u{E000}",
    "\u{1b}]0;x\u{7}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{202E}",
    "\u{FFFF}",
    "𓀀",
    "\u{301}",
    "你\u{301}",
    "😀\u{301}",
    "\r\n",
    "\t",
    "---\n",
    "![img](x.png)",
    "[ref]: https://e.org\n",
    "[^1]\n\n[^1]: note\n",
    "- [ ] task\n",
];

/// Pieces that make an error finding (the build is then refused, exit 1).
const RISKY: &[&str] = &[
    "[@E-9]",
    "9434765919",
    "<https://a.b/[@E-9]>",
    "> > > > > > > > > > > > > > > > > > x",
];

const SCALARS: &[&str] = &[
    "A1",
    "1.10",
    "1e3",
    "A 1",
    "007",
    "\"\"",
    "[]",
    "{}",
    "~",
    "true",
    "no",
    "2025-04-30",
    "2025-02-30",
    "9999-12-31",
    "0001-01-01",
    "1e20",
    "-1e308",
    ".nan",
    "-0",
    "\"✓ done\"",
    "\"\\u0000\"",
    "\"\\e[31m\"",
    "&a x",
    "*a",
    "!!binary aGk=",
    "\"9434765919\"",
];

fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        30 => prop::sample::select(PIECES),
        1 => prop::sample::select(RISKY),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn scalar() -> impl Strategy<Value = String> {
    prop::sample::select(SCALARS).prop_map(str::to_owned)
}

/// A YAML double-quoted string holding `s` (JSON strings are valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[derive(Debug, Clone)]
struct Case {
    narrative: String,
    summary: String,
    title: String,
    area_id: String,
    action_id: String,
    date: String,
    value: String,
    extra_field: Option<(String, String)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        markdown(),
        markdown(),
        markdown(),
        prop_oneof![6 => Just("A1".to_owned()), 1 => scalar()],
        prop_oneof![6 => Just("A1.1".to_owned()), 1 => scalar()],
        prop_oneof![6 => Just("2025-04-30".to_owned()), 1 => scalar()],
        prop_oneof![6 => Just("45.5".to_owned()), 1 => scalar()],
        prop::option::weighted(0.1, (scalar(), scalar())),
    )
        .prop_map(
            |(narrative, summary, title, area_id, action_id, date, value, extra_field)| Case {
                narrative,
                summary,
                title,
                area_id,
                action_id,
                date,
                value,
                extra_field,
            },
        )
}

fn repo(c: &Case) -> Fixture {
    let f = Fixture::new();
    let mut area = AREA
        .replace("id: A1\n", &format!("id: {}\n", c.area_id))
        .replace("id: A1.1", &format!("id: {}", c.action_id))
        .replace(
            "title: Parental confidence",
            &format!("title: {}", quoted(&c.title)),
        )
        .replace("value: 45.5", &format!("value: {}", c.value))
        .replace(
            "summary: Early signs of progress [@E-2025-001].",
            &format!("summary: {}", quoted(&c.summary)),
        );
    if let Some((k, v)) = &c.extra_field {
        area.push_str(&format!("{}: {v}\n", quoted(k)));
    }
    f.write("plan/areas/a1.yaml", &area);
    f.write("plan/areas/a1.md", &c.narrative);
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE
            .replace("date: 2025-04-30", &format!("date: {}", c.date))
            .replace(
                "summary: Timeliness rose to 45.5%.",
                &format!("summary: {}", quoted(&c.narrative)),
            ),
    );
    f
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_repositories_check_and_build_without_crashing(c in case()) {
        let f = repo(&c);
        let mut checked_clean = false;
        for args in [
            &["check", "--as-of", "2025-05-20"][..],
            &["build", "--as-of", "2025-05-20", "--format", "pdf,md,html"][..],
            &["build", "--as-of", "2025-05-20", "--format", "pdf,md,html", "--allow-gaps"][..],
        ] {
            let out = f.pack(args).timeout(Duration::from_secs(60)).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            prop_assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "pack {:?} ended with {:?}\n{}\ncase: {:?}",
                args, out.status, stderr, c
            );
            prop_assert!(!stderr.contains("panicked"), "{}", stderr);
            // What `check` passes, `build` builds: no error is found only by laying out.
            if args[0] == "check" {
                checked_clean = out.status.success();
            } else if checked_clean {
                prop_assert!(
                    out.status.success(),
                    "check passed but pack {:?} failed:\n{}\ncase: {:?}",
                    args, stderr, c
                );
            }
            if std::env::var_os("FUZZ_VERBOSE").is_some() {
                eprintln!("fuzz: {} {:?}", args[0], out.status.code());
            }
        }
    }
}
