//! A fuzz target over whole repositories: random Markdown, Unicode and YAML
//! structure go through the real binary's `check` and `build --format
//! pdf,md,html`. Every case must end with exit 0 or 1, never a panic, an
//! abort, an exit 2 or a hang (the time bound only catches hangs).
//!
//! `cargo test` runs a short slice (8 cases); a longer run, counting how
//! many checks and builds ended 0 (a pack written) or 1:
//! `PROPTEST_CASES=500 FUZZ_VERBOSE=1 cargo test --test fuzz -- --nocapture 2>&1 | grep '^fuzz:' | sort | uniq -c`.
//!
//! A second target fuzzes `pack import` (spec 6.1): random sheets written
//! as .xlsx (rust_xlsxwriter) and .ods, mutated at the zip level (bytes
//! flipped, files cut short, declared counts, dimensions, cell references
//! and repeats rewritten to huge or absurd values), mutations of an .xls
//! LibreOffice wrote, and random CSV bytes with mixed line ends, quotes,
//! delimiters and encodings. Each goes through `pack import FILE --dry-run`
//! and must end with exit 0, 1 or 2, never a signal, within 60 s and under
//! 300 MB of its own peak memory (wait4 on its pid). `cargo test` runs 32
//! cases; a longer run, counting the exits by format:
//! `PROPTEST_CASES=2000 FUZZ_VERBOSE=1 cargo test --test fuzz workbooks -- --nocapture 2>&1 | grep '^fuzz-import:' | sort | uniq -c`.

mod child;
mod common;
mod workbooks;

use std::sync::OnceLock;
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

// ---- Workbooks through `pack import` ----

/// A cell's value, as a sheet may hold it.
#[derive(Debug, Clone)]
enum Cell {
    Text(String),
    Number(f64),
    /// A number formatted as a date: a date cell.
    Date(f64),
    Bool(bool),
}

const TEXTS: &[&str] = &[
    "Title",
    "Date",
    "Organisation",
    "Areas",
    "Kind",
    "Shows",
    "Evidence ID",
    "Summary",
    "File",
    "kcc",
    "nhs",
    "A1",
    "A1, A9",
    "data",
    "impact",
    "report",
    "30/04/2025",
    "2025-04-30",
    "31/02/2025",
    "",
    " ",
    "\u{a0}",
    "=1+1",
    "'=x",
    "#N/A",
    "yes",
    "✓ done",
    "👍🏽",
    "مرحبا",
    "a\nb",
    "a\r\nb",
    "\"q\"",
    "<&>",
    "E-2025-001",
    "../../etc/passwd",
    "C:\\x",
    "~",
    "9434765919",
];

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        6 => prop::sample::select(TEXTS).prop_map(|t| Cell::Text(t.to_owned())),
        1 => (1usize..5000).prop_map(|n| Cell::Text("x".repeat(n))),
        2 => prop::sample::select(&[0.0, -1.0, 1.5, 1e300, 45.5, 2025.0][..]).prop_map(Cell::Number),
        2 => prop::sample::select(&[-1.0, 0.0, 1.0, 60.0, 61.0, 45_777.0, 45_777.25, 2_958_465.0, 1e12][..]).prop_map(Cell::Date),
        1 => any::<bool>().prop_map(Cell::Bool),
    ]
}

fn position() -> impl Strategy<Value = (u32, u16)> {
    (
        prop_oneof![8 => 0u32..12, 1 => 0u32..1_048_576, 1 => Just(1_048_575u32)],
        prop_oneof![8 => 0u16..8, 1 => 0u16..16_384, 1 => Just(16_383u16)],
    )
}

/// What a mutation does to a zip-based workbook.
#[derive(Debug, Clone)]
enum Mutation {
    None,
    /// XOR bytes at fractions of the file's length.
    Flip(Vec<(u16, u8)>),
    /// Cut the file at a fraction of its length.
    Truncate(u16),
    /// Rewrite every value of an XML attribute in every part.
    Declared(&'static str, &'static str),
}

const ATTRIBUTES: &[&str] = &[
    "uniqueCount",
    "count",
    "ref",
    "r",
    "s",
    "t",
    "table:number-rows-repeated",
    "table:number-columns-repeated",
    "text:c",
    "office:value",
    "office:date-value",
    "office:value-type",
];
const VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "4294967295",
    "4294967296",
    "99999999999999999999",
    "1048577",
    "A1:XFD1048576",
    "XFD1048576:A1",
    "XFE1",
    "A0",
    "ZZZZZZZZZ1",
    "1e308",
    "NaN",
    "",
    "2025-02-30",
    "1899-12-30T23:59:59",
    "string",
    "date",
    "s",
    "e",
    "inlineStr",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::None),
        2 => prop::collection::vec((any::<u16>(), 1u8..=255), 1..8).prop_map(Mutation::Flip),
        1 => any::<u16>().prop_map(Mutation::Truncate),
        4 => (prop::sample::select(ATTRIBUTES), prop::sample::select(VALUES))
            .prop_map(|(a, v)| Mutation::Declared(a, v)),
    ]
}

#[derive(Debug, Clone)]
enum Book {
    Xlsx {
        cells: Vec<((u32, u16), Cell)>,
        mutation: Mutation,
    },
    Ods {
        cells: Vec<((u32, u16), Cell)>,
        repeats: Vec<u64>,
        row_repeats: Vec<u64>,
        mutation: Mutation,
    },
    Xls {
        mutation: Mutation,
    },
    Csv(Vec<u8>),
}

const CSV_PIECES: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"\"",
    b"\"\"",
    b"\r",
    b"\n",
    b"\r\n",
    b"\n\r",
    b"Title",
    b"Date",
    b"Organisation",
    b"Areas",
    b"Kind",
    b"Shows",
    b"kcc",
    b"A1",
    b"data",
    b"impact",
    b"30/04/2025",
    b"2025-04-30",
    b"x",
    b" ",
    b"\x80",
    b"\xE9",
    b"\xC3\xA9",
    b"=1",
    b"'",
];

/// Pieces that make a file no text, or switch its encoding: rarer, so that
/// most cases reach the parser.
const CSV_RARE: &[&[u8]] = &[b"\xEF\xBB\xBF", b"\xFF\xFE", b"\x00", b"\x81", b"\xF0\x9F"];

fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let header: &[u8] = b"Title,Date,Organisation,Areas,Kind,Shows\r\n";
    (
        any::<bool>(),
        prop::collection::vec(
            prop_oneof![
                300 => prop::sample::select(CSV_PIECES),
                1 => prop::sample::select(CSV_RARE),
            ],
            0..200,
        ),
    )
        .prop_map(move |(head, pieces)| {
            let mut out = if head { header.to_vec() } else { Vec::new() };
            for p in pieces {
                out.extend_from_slice(p);
            }
            out
        })
}

fn book() -> impl Strategy<Value = Book> {
    let cells = || prop::collection::vec((position(), cell()), 0..24);
    prop_oneof![
        4 => (cells(), mutation()).prop_map(|(cells, mutation)| Book::Xlsx { cells, mutation }),
        3 => (
            cells(),
            // Repeats of cells in a row, then of rows holding values: a
            // handful, thousands (thousands of items with one title), or
            // past a limit.
            prop::collection::vec(prop_oneof![8 => 1u64..3, 1 => Just(1_000_000_000u64), 1 => Just(16_384u64)], 0..6),
            prop::collection::vec(prop_oneof![8 => 1u64..3, 1 => Just(1_000_000_000u64), 1 => Just(2_000_000u64), 1 => Just(16_384u64)], 0..4),
            mutation(),
        )
            .prop_map(|(cells, repeats, row_repeats, mutation)| Book::Ods {
                cells,
                repeats,
                row_repeats,
                mutation,
            }),
        1 => mutation().prop_map(|mutation| Book::Xls { mutation }),
        3 => csv_bytes().prop_map(Book::Csv),
    ]
}

/// A header row and one good row first, so that many cases get past the
/// header and into the rows.
fn with_log(cells: &[((u32, u16), Cell)]) -> Vec<((u32, u16), Cell)> {
    let mut all: Vec<((u32, u16), Cell)> = workbooks::HEADER
        .iter()
        .enumerate()
        .map(|(c, h)| ((0, c as u16), Cell::Text((*h).to_owned())))
        .collect();
    for (c, v) in ["Survey", "", "kcc", "A1", "data", "impact"]
        .iter()
        .enumerate()
    {
        all.push(((1, c as u16), Cell::Text((*v).to_owned())));
    }
    all.push(((1, 1), Cell::Date(45_777.0)));
    all.extend(cells.iter().cloned());
    all
}

fn xlsx(cells: &[((u32, u16), Cell)]) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    for ((r, c), v) in with_log(cells) {
        // A value rust_xlsxwriter refuses is left out.
        let _ = match v {
            Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
            Cell::Number(n) => sheet.write_number(r, c, n).map(|_| ()),
            Cell::Date(n) => sheet.write_number_with_format(r, c, n, &day).map(|_| ()),
            Cell::Bool(b) => sheet.write_boolean(r, c, b).map(|_| ()),
        };
    }
    book.save_to_buffer().unwrap()
}

fn ods(cells: &[((u32, u16), Cell)], repeats: &[u64], row_repeats: &[u64]) -> Vec<u8> {
    use std::collections::BTreeMap;
    let mut rows: BTreeMap<u32, BTreeMap<u16, Cell>> = BTreeMap::new();
    for ((r, c), v) in with_log(cells) {
        rows.entry(r).or_default().insert(c, v);
    }
    let mut repeat = repeats.iter().cycle();
    let mut next_repeat = || *repeat.next().unwrap_or(&1);
    let mut row_repeat = row_repeats.iter().cycle();
    let mut next_row_repeat = || *row_repeat.next().unwrap_or(&1);
    let esc = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut xml = String::new();
    let mut at = 0u32;
    for (r, cells) in rows {
        if r > at {
            xml.push_str(&format!(r#"<table:table-row table:number-rows-repeated="{}"><table:table-cell/></table:table-row>"#, r - at));
        }
        let n = next_row_repeat();
        xml.push_str(&format!(
            r#"<table:table-row table:number-rows-repeated="{n}">"#
        ));
        let mut col = 0u16;
        for (c, v) in cells {
            if c > col {
                xml.push_str(&format!(
                    r#"<table:table-cell table:number-columns-repeated="{}"/>"#,
                    c - col
                ));
            }
            let n = next_repeat();
            let attrs = match &v {
                Cell::Text(t) => format!(
                    r#"office:value-type="string" office:string-value="{}""#,
                    esc(t)
                ),
                Cell::Number(x) => format!(r#"office:value-type="float" office:value="{x}""#),
                Cell::Date(x) => format!(
                    r#"office:value-type="date" office:date-value="{}""#,
                    ods_date(*x)
                ),
                Cell::Bool(b) => {
                    format!(r#"office:value-type="boolean" office:boolean-value="{b}""#)
                }
            };
            xml.push_str(&format!(r#"<table:table-cell table:number-columns-repeated="{n}" {attrs}><text:p>x</text:p></table:table-cell>"#));
            col = c.saturating_add(1);
        }
        xml.push_str("</table:table-row>");
        at = r + 1;
    }
    workbooks::ods(&xml)
}

/// An ISO date for a serial (1899-12-30 is day 0), with a time for a fraction.
fn ods_date(serial: f64) -> String {
    if !serial.is_finite() || serial.abs() > 2_000_000.0 {
        return "99999-01-01".into();
    }
    let days = serial.floor() as i64 - 25_569;
    let (y, m, d) = {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    };
    if serial.fract() == 0.0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T12:00:00")
    }
}

/// An .xls LibreOffice wrote from a small log, made once.
fn base_xls() -> &'static [u8] {
    static XLS: OnceLock<Vec<u8>> = OnceLock::new();
    XLS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("log.xlsx");
        std::fs::write(&src, xlsx(&[((9, 3), Cell::Text("far".into()))])).unwrap();
        let made = soffice(&src, "xls", None, &dir.path().join("out"));
        std::fs::read(&made[0]).unwrap()
    })
}

fn mutate(bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let at = |frac: u16, len: usize| (frac as usize * len) / (u16::MAX as usize + 1);
    match m {
        Mutation::None => bytes,
        Mutation::Flip(flips) => {
            let mut b = bytes;
            for (frac, x) in flips {
                let i = at(*frac, b.len());
                if let Some(byte) = b.get_mut(i) {
                    *byte ^= x;
                }
            }
            b
        }
        Mutation::Truncate(frac) => {
            let mut b = bytes;
            b.truncate(at(*frac, b.len()));
            b
        }
        Mutation::Declared(attr, value) => {
            if !bytes.starts_with(b"PK\x03\x04") {
                // Not a zip (.xls): rewrite its DIMENSIONS record instead.
                return xls_dimensions(bytes, value);
            }
            let parts = workbooks::unzip(&bytes);
            let pattern =
                regex::Regex::new(&format!(r#"\b{}="[^"]*""#, regex::escape(attr))).unwrap();
            let parts = parts
                .into_iter()
                .map(|(n, v)| {
                    let v = match String::from_utf8(v) {
                        Ok(text) => pattern
                            .replace_all(&text, format!(r#"{attr}="{value}""#))
                            .into_owned()
                            .into_bytes(),
                        Err(e) => e.into_bytes(),
                    };
                    (n, workbooks::Part::Bytes(v))
                })
                .collect();
            workbooks::zip(parts)
        }
    }
}

/// Sets an .xls DIMENSIONS record's last row and column from `value`.
fn xls_dimensions(mut bytes: Vec<u8>, value: &str) -> Vec<u8> {
    let n: u64 = value.parse().unwrap_or(u64::MAX);
    if let Some(at) = bytes.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        && at + 16 <= bytes.len()
    {
        bytes[at + 8..at + 12].copy_from_slice(&(n as u32).to_le_bytes());
        bytes[at + 14..at + 16].copy_from_slice(&(n as u16).to_le_bytes());
    }
    bytes
}

fn workbook_cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: workbook_cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_workbooks_import_within_bounds(b in book()) {
        let (name, bytes) = match &b {
            Book::Xlsx { cells, mutation } => ("log.xlsx", mutate(xlsx(cells), mutation)),
            Book::Ods { cells, repeats, row_repeats, mutation } => {
                ("log.ods", mutate(ods(cells, repeats, row_repeats), mutation))
            }
            Book::Xls { mutation } => ("log.xls", mutate(base_xls().to_vec(), mutation)),
            Book::Csv(bytes) => ("log.csv", bytes.clone()),
        };
        let f = Fixture::new();
        f.write_bytes(name, &bytes);
        let run = child::pack(f.path(), &["import", name, "--dry-run"], Duration::from_secs(60));
        let case = format!("{b:?}").chars().take(2000).collect::<String>();
        prop_assert!(!run.killed_for_time, "hung: {}", case);
        prop_assert!(
            matches!(run.code, Some(0..=2)) && run.signal.is_none(),
            "pack import ended with {:?} / signal {:?}\n{}\ncase: {}",
            run.code, run.signal, run.stderr, case
        );
        prop_assert!(!run.stderr.contains("panicked"), "{}\ncase: {}", run.stderr, case);
        prop_assert!(
            run.peak_mib < 286.0,
            "peak {:.1} MiB (floor {:.1})\ncase: {}",
            run.peak_mib, run.floor_mib, case
        );
        if std::env::var_os("FUZZ_VERBOSE").is_some() {
            eprintln!("fuzz-import: {name} exit {:?}", run.code);
            if run.code == Some(2) {
                // Why, without the file's temporary path.
                let why = run.stderr.lines().last().unwrap_or_default().replace(f.path().to_str().unwrap(), "");
                eprintln!("fuzz-why: {name}: {}", why.chars().take(90).collect::<String>());
            }
        }
    }
}
