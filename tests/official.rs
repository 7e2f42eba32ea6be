//! Official statistics (spec section 10): `local_authority` and a measure's
//! `official:` source, read from explore-education-statistics tidy CSVs
//! under data/, end to end through the real binary.

mod common;

use std::io::Read;

use common::{Fixture, findings, one};
use serde_json::Value;

const HEAD: &str = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown,rate\n";

/// Who a row is about.
#[derive(Clone, Copy)]
enum At {
    England,
    SouthEast,
    NorthEast,
    Kent,
    /// Hampshire, Hertfordshire, Essex: the plan's three neighbours.
    Neighbour(usize),
    /// A local authority the plan does not list.
    Other,
}

const NEIGHBOURS: [(&str, &str, &str); 3] = [
    ("E10000014", "850", "Hampshire"),
    ("E10000015", "919", "Hertfordshire"),
    ("E10000012", "881", "Essex"),
];

/// One row of the tidy file: the place's columns, then `breakdown` and `rate`.
fn row(period: &str, id: &str, at: At, breakdown: &str, rate: &str) -> String {
    let place = match at {
        At::England => "National,E92000001,England,,,,,".to_owned(),
        At::SouthEast => "Regional,E92000001,England,E12000008,South East,,,".to_owned(),
        At::NorthEast => "Regional,E92000001,England,E12000001,North East,,,".to_owned(),
        At::Kent => {
            "Local authority,E92000001,England,E12000008,South East,E10000016,886,Kent".to_owned()
        }
        At::Neighbour(i) => format!(
            "Local authority,E92000001,England,E12000008,South East,{},{},{}",
            NEIGHBOURS[i].0, NEIGHBOURS[i].1, NEIGHBOURS[i].2
        ),
        At::Other => {
            "Local authority,E92000001,England,E12000001,North East,E06000047,840,County Durham"
                .to_owned()
        }
    };
    format!("{period},{id},{place},{breakdown},{rate}\n")
}

fn cal(year: &str, at: At, rate: &str) -> String {
    row(year, "Calendar year", at, "All", rate)
}

const LA: &str = "\
local_authority:
  code: E10000016
  old_code: \"886\"
  name: Kent
  neighbours: [E10000014, E10000015, E10000012]
";

/// The base fixture with Kent's identity in the plan, A1.M1 reading
/// `data/t.csv` (with `official` as given, indented under the measure),
/// and the file.
fn fixture(official: &str, csv: &str) -> Fixture {
    let f = Fixture::new();
    f.write("plan/plan.yaml", &format!("{}{LA}", common::PLAN));
    set_official(&f, official);
    f.write("data/t.csv", csv);
    f
}

/// Replaces A1.M1's `official:` block (the lines after `official:`).
fn set_official(f: &Fixture, official: &str) {
    let area = common::AREA.replace(
        "      - { date: 2025-04-30, value: 45.5 }\n",
        &format!("      - {{ date: 2025-04-30, value: 45.5 }}\n    official:\n{official}"),
    );
    f.write("plan/areas/a1.yaml", &area);
}

const OFFICIAL: &str =
    "      file: data/t.csv\n      value: rate\n      where: { breakdown: All }\n";

/// The line of `needle` in the area file (1-based).
fn line_of(f: &Fixture, rel: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(f.file(rel)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {rel}")) as u64
        + 1
}

/// The JSON view of a build as of the fixture's visit.
fn view(f: &Fixture) -> Value {
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", "json"]);
    let text = std::fs::read_to_string(f.file("out/test-plan-2025-05.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn measure<'a>(view: &'a Value, id: &str) -> &'a Value {
    view["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["measures"].as_array().unwrap())
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no measure {id}"))
}

/// (date, value) of a measure's points, as the view writes them.
fn points(m: &Value) -> Vec<(String, String)> {
    m["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["date"].as_str().unwrap().to_owned(),
                p["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn bench<'a>(m: &'a Value, kind: &str) -> Option<&'a Value> {
    m["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["kind"] == kind)
}

/// (date, value, count) of a benchmark's points.
fn bench_points(b: &Value) -> Vec<(String, f64, Value)> {
    b["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["date"].as_str().unwrap().to_owned(),
                p["value"].as_f64().unwrap(),
                p["count"].clone(),
            )
        })
        .collect()
}

/// A file with three years of everything: the fixture that triggers no finding.
fn good_csv() -> String {
    let mut csv = HEAD.to_owned();
    for (year, eng, se, ne, kent, n) in [
        ("2022", "58", "52.5", "70", "x", ["40", "50", "60"]),
        ("2023", "49.2", "41.7", "66", "35.5", ["44", "c", "62"]),
        ("2024", "50.3", "42.9", "63.1", "41.2", ["46", "54", "low"]),
    ] {
        csv += &cal(year, At::England, eng);
        csv += &cal(year, At::SouthEast, se);
        csv += &cal(year, At::NorthEast, ne);
        csv += &cal(year, At::Kent, kent);
        // Another breakdown, which `where` leaves out.
        csv += &row(year, "Calendar year", At::Kent, "Under 5", "99");
        csv += &cal(year, At::Other, "12");
        for (i, v) in n.iter().enumerate() {
            csv += &cal(year, At::Neighbour(i), v);
        }
    }
    csv
}

#[test]
fn the_view_gives_the_files_local_series_and_benchmarks() {
    let f = fixture(OFFICIAL, &good_csv());
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 0, "{r:#}");
    assert!(findings(&r, "data-source").is_empty(), "{r:#}");

    let v = view(&f);
    let m = measure(&v, "A1.M1");
    assert_eq!(
        m["official"],
        serde_json::json!({"file": "data/t.csv", "value": "rate", "where": {"breakdown": "All"}})
    );
    // Kent's numbers join the hand-written points; 2022's `x` is no point.
    assert_eq!(
        points(m),
        [
            ("2023-12-31", "35.5%"),
            ("2024-10-31", "30%"),
            ("2024-12-31", "41.2%"),
            ("2025-04-30", "45.5%"),
        ]
        .map(|(d, v)| (d.to_owned(), v.to_owned()))
    );
    let eng = bench(m, "england").expect("england");
    assert_eq!(eng["name"], "England");
    assert_eq!(eng["of"], Value::Null);
    assert_eq!(
        bench_points(eng),
        [
            ("2022-12-31".to_owned(), 58.0, Value::Null),
            ("2023-12-31".to_owned(), 49.2, Value::Null),
            ("2024-12-31".to_owned(), 50.3, Value::Null),
        ]
    );
    // Kent's region (its rows' region_code), not the North East.
    let region = bench(m, "region").expect("region");
    assert_eq!(region["name"], "South East");
    assert_eq!(
        bench_points(region).iter().map(|p| p.1).collect::<Vec<_>>(),
        [52.5, 41.7, 42.9]
    );
    // The mean of the neighbours that have a number, and how many did.
    let n = bench(m, "neighbours").expect("neighbours");
    assert_eq!(n["of"], 3);
    assert_eq!(n["name"], "Statistical neighbours");
    assert_eq!(
        bench_points(n),
        [
            ("2022-12-31".to_owned(), 50.0, Value::from(3)),
            ("2023-12-31".to_owned(), 53.0, Value::from(2)),
            ("2024-12-31".to_owned(), 50.0, Value::from(2)),
        ]
    );
}

/// Each row of the table in spec section 10, through a file: one measure
/// per identifier, picked by `where`, and the date its point lands on.
#[test]
fn every_period_type_lands_on_the_date_it_ends() {
    let cases = [
        ("2023", "Calendar year", "2023-12-31"),
        ("2023", "Reporting year", "2023-12-31"),
        ("2023", "January", "2023-01-31"),
        ("2024", "February", "2024-02-29"),
        ("2023", "December", "2023-12-31"),
        ("2023", "Week 1", "2023-01-08"),
        ("2023", "Week 52", "2023-12-31"),
        ("202223", "Academic year", "2023-08-31"),
        ("202223", "Autumn term", "2022-12-31"),
        ("202223", "Spring term", "2023-03-31"),
        ("202223", "Autumn and spring term", "2023-03-31"),
        ("202223", "Summer term", "2023-07-31"),
        ("202324", "Financial year", "2024-03-31"),
        ("202324", "Tax year", "2024-03-31"),
        ("202324", "Financial year Q1", "2023-06-30"),
        ("202324", "Financial year Q2", "2023-09-30"),
        ("202324", "Financial year Q3", "2023-12-31"),
        ("202324", "Financial year Q4", "2024-03-31"),
        ("202324", "Part 1 (April to September)", "2023-09-30"),
        ("202324", "Part 2 (October to March)", "2024-03-31"),
    ];
    let f = Fixture::new();
    f.write("plan/plan.yaml", &format!("{}{LA}", common::PLAN));
    let mut csv = HEAD.to_owned();
    let mut area = common::AREA.to_owned();
    for (i, (period, id, _)) in cases.iter().enumerate() {
        csv += &row(period, id, At::Kent, id, &format!("{}", i + 10));
        area += &format!(
            "  - id: P.{i}\n    title: Period {i}\n    official:\n      file: data/t.csv\n      value: rate\n      where: {{ breakdown: \"{id}\" }}\n"
        );
    }
    f.write("plan/areas/a1.yaml", &area);
    f.write("data/t.csv", &csv);
    let (_, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert!(
        findings(&r, "data-source")
            .iter()
            .all(|x| x["severity"] == "warning"),
        "{r:#}"
    );
    let v = view(&f);
    // Measures at a glance names each latest figure's period as DfE does.
    let names = [
        "2023",
        "2023",
        "January 2023",
        "February 2024",
        "December 2023",
        "Week 1 2023",
        "Week 52 2023",
        "2022/23",
        "Autumn term 2022/23",
        "Spring term 2022/23",
        "Autumn and spring term 2022/23",
        "Summer term 2022/23",
        "Financial year 2023-24",
        "Tax year 2023-24",
        "Financial year Q1 2023-24",
        "Financial year Q2 2023-24",
        "Financial year Q3 2023-24",
        "Financial year Q4 2023-24",
        "Part 1 (April to September) 2023-24",
        "Part 2 (October to March) 2023-24",
    ];
    for (i, (period, id, end)) in cases.iter().enumerate() {
        let m = measure(&v, &format!("P.{i}"));
        assert_eq!(
            points(m),
            [((*end).to_owned(), format!("{}", i + 10))],
            "{period} {id}"
        );
        let glance = v["measures_at_a_glance"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["measure"] == format!("P.{i}"))
            .unwrap();
        assert_eq!(glance["latest"]["period"], names[i], "{period} {id}");
    }
}

#[test]
fn every_symbol_is_no_data_point_and_grouped_digits_are_a_number() {
    let mut csv = HEAD.to_owned();
    for (year, cell) in [
        ("2015", "c"),
        ("2016", "x"),
        ("2017", "z"),
        ("2018", "low"),
        ("2019", "u"),
        ("2020", "~"),
        ("2021", ":"),
        ("2022", "LOW"),
        ("2023", "\"1,234.5\""),
        ("2024", " 2000 "),
    ] {
        csv += &cal(year, At::Kent, cell);
        csv += &cal(year, At::England, cell);
    }
    let f = fixture(OFFICIAL, &csv);
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert!(findings(&r, "data-source").is_empty(), "{r:#}");
    assert_eq!(code, 0, "{r:#}");
    let v = view(&f);
    let m = measure(&v, "A1.M1");
    let dates: Vec<String> = points(m).into_iter().map(|p| p.0).collect();
    assert_eq!(
        dates,
        ["2023-12-31", "2024-10-31", "2024-12-31", "2025-04-30"],
        "no symbol is a point"
    );
    let eng = bench(m, "england").unwrap();
    assert_eq!(
        bench_points(eng),
        [
            ("2023-12-31".to_owned(), 1234.5, Value::Null),
            ("2024-12-31".to_owned(), 2000.0, Value::Null)
        ]
    );
    // The periods whose local figure is a symbol: "suppressed in the source".
    let loaded = pack::load::load(&f.path().canonicalize().unwrap()).unwrap();
    let suppressed: Vec<String> = loaded.repo.areas[0].measures[0]
        .suppressed
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        suppressed,
        (2015..=2022)
            .map(|y| format!("{y}-12-31"))
            .collect::<Vec<_>>()
    );
}

/// One broken fixture: the finding's rule, the area line it points at
/// (found by `at`) and words its message holds.
struct Case {
    name: &'static str,
    official: String,
    csv: String,
    rule: &'static str,
    at: &'static str,
    says: &'static [&'static str],
}

fn check_case(c: &Case) {
    let f = fixture(&c.official, &c.csv);
    // Where the not-a-.csv and outside-data/ cases look for it.
    f.write("data/t.xlsx", &c.csv);
    f.write("stats/t.csv", &c.csv);
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1, "{}: {r:#}", c.name);
    let x = one(&r, c.rule);
    assert_eq!(x["severity"], "error", "{}: {x}", c.name);
    assert_eq!(x["file"], "plan/areas/a1.yaml", "{}: {x}", c.name);
    assert_eq!(
        x["line"].as_u64().unwrap(),
        line_of(&f, "plan/areas/a1.yaml", c.at),
        "{}: {x}",
        c.name
    );
    let message = x["message"].as_str().unwrap();
    for w in c.says {
        assert!(message.contains(w), "{}: {message:?} lacks {w:?}", c.name);
    }
    assert!(x["hint"].as_str().is_some_and(|h| !h.is_empty()), "{x}");
}

#[test]
fn each_data_source_case_is_an_error_at_the_key_concerned() {
    let good = good_csv();
    let official = |extra: &str| format!("{OFFICIAL}{extra}");
    let cases = [
        Case {
            name: "missing file",
            official: OFFICIAL.replace("data/t.csv", "data/none.csv"),
            csv: good.clone(),
            rule: "data-source",
            at: "file:",
            says: &["data/none.csv", "does not exist"],
        },
        Case {
            name: "a line with more fields than the header",
            official: official(""),
            csv: format!("{good}2024,Calendar year,National,E92000001,England,,,,,,All,1,extra\n"),
            rule: "data-source",
            at: "file:",
            says: &["not a CSV", "line 29", "13 fields"],
        },
        Case {
            name: "no tidy columns",
            official: official(""),
            csv: "year,area,rate\n2024,Kent,41\n".to_owned(),
            rule: "data-source",
            at: "file:",
            says: &[
                "time_period",
                "time_identifier",
                "geographic_level",
                "new_la_code",
            ],
        },
        Case {
            name: "no value column",
            official: OFFICIAL.replace("value: rate", "value: pc_rate"),
            csv: good.clone(),
            rule: "data-source",
            at: "value: pc_rate",
            says: &["no column `pc_rate`"],
        },
        Case {
            name: "no where column",
            official: OFFICIAL.replace("breakdown: All", "breakdown_topic: All"),
            csv: good.clone(),
            rule: "data-source",
            at: "where:",
            says: &["`breakdown_topic`"],
        },
        Case {
            name: "a where value in no row",
            official: OFFICIAL.replace("breakdown: All", "breakdown: Everyone"),
            csv: good.clone(),
            rule: "data-source",
            at: "where:",
            says: &["`breakdown` never holds `Everyone`"],
        },
        Case {
            name: "the local area in no row",
            official: official(""),
            csv: good.replace("E10000016,886,Kent", "E10000099,999,Elsewhere"),
            rule: "data-source",
            at: "file:",
            says: &["Kent (E10000016) is in no Local authority row"],
        },
        Case {
            name: "more than one row per period and place",
            official: "      file: data/t.csv\n      value: rate\n".to_owned(),
            csv: good.clone(),
            rule: "data-source",
            at: "file:",
            says: &[
                "more than one row for Kent, Calendar year 2022",
                "`breakdown` still varies",
            ],
        },
        Case {
            name: "an unknown time_identifier",
            official: official(""),
            csv: format!("{good}{}", row("2024", "Quarter 3", At::Kent, "All", "4")),
            rule: "data-source",
            at: "file:",
            says: &["line 29", "`Quarter 3` is not a time_identifier"],
        },
        Case {
            name: "a time_period of the wrong shape",
            official: official(""),
            csv: format!(
                "{good}{}",
                row("2024", "Academic year", At::England, "All", "4")
            ),
            rule: "data-source",
            at: "file:",
            says: &["line 29", "`2024`", "six digits", "`Academic year`"],
        },
        Case {
            name: "a value that is neither a number nor a symbol",
            official: official(""),
            csv: format!("{good}{}", cal("2021", At::Kent, "n/a")),
            rule: "data-source",
            at: "value: rate",
            says: &["line 29", "`n/a`", "neither a number nor"],
        },
        Case {
            name: "not a .csv file",
            official: OFFICIAL.replace("data/t.csv", "data/t.xlsx"),
            csv: good.clone(),
            rule: "data-source",
            at: "file:",
            says: &["not a CSV", ".csv"],
        },
        Case {
            name: "a file outside data/",
            official: OFFICIAL.replace("data/t.csv", "stats/t.csv"),
            csv: good.clone(),
            rule: "data-source",
            at: "file:",
            says: &["not under data/"],
        },
        Case {
            name: "compare asks for what the file does not have",
            official: official("      compare: [england, region]\n"),
            csv: good
                .lines()
                .filter(|l| !l.contains(",Regional,"))
                .map(|l| format!("{l}\n"))
                .collect(),
            rule: "data-source",
            at: "compare:",
            says: &["`compare` asks for `region`", "no Regional figures"],
        },
        Case {
            name: "a file climbing out of the repository",
            official: OFFICIAL.replace("data/t.csv", "../t.csv"),
            csv: good.clone(),
            rule: "unsafe-path",
            at: "file:",
            says: &["climbs out of the repository"],
        },
        Case {
            name: "an absolute file",
            official: OFFICIAL.replace("data/t.csv", "/etc/passwd"),
            csv: good.clone(),
            rule: "unsafe-path",
            at: "file:",
            says: &["absolute"],
        },
    ];
    for c in &cases {
        check_case(c);
    }
}

#[test]
fn official_without_a_local_authority_is_an_error() {
    let f = fixture(OFFICIAL, &good_csv());
    f.write("plan/plan.yaml", common::PLAN);
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    let x = one(&r, "data-source");
    assert_eq!(x["file"], "plan/areas/a1.yaml");
    assert_eq!(
        x["line"].as_u64().unwrap(),
        line_of(&f, "plan/areas/a1.yaml", "file: data/t.csv"),
        "the entry's first line"
    );
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("no `local_authority`"),
        "{x}"
    );
}

#[test]
fn an_old_local_figure_is_a_warning_that_a_newer_release_may_be_out() {
    let mut csv = HEAD.to_owned();
    csv += &cal("2023", At::Kent, "41");
    let f = fixture(OFFICIAL, &csv);
    // 2023-12-31 is more than 15 months before 2025-05-20 ...
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 0, "{r:#}");
    let x = one(&r, "data-source");
    assert_eq!(x["severity"], "warning");
    assert_eq!(
        x["line"].as_u64().unwrap(),
        line_of(&f, "plan/areas/a1.yaml", "file:")
    );
    assert!(
        x["message"]
            .as_str()
            .unwrap()
            .contains("a newer release may be out"),
        "{x}"
    );
    // ... and 15 months before 2025-03-31 is not.
    let (_, r) = f.check_json(&["--as-of", "2025-03-31"]);
    assert!(findings(&r, "data-source").is_empty(), "{r:#}");
}

#[test]
fn a_file_with_only_old_la_code_finds_the_area_by_its_la_number() {
    // The older layout: no new_la_code column, a BOM and CRLF line ends.
    let csv = format!("\u{feff}{}", good_csv())
        .replace(",new_la_code,old_la_code,", ",old_la_code,")
        .replace(",E10000016,886,", ",886,")
        .replace(",E10000014,850,", ",850,")
        .replace(",E10000015,919,", ",919,")
        .replace(",E10000012,881,", ",881,")
        .replace(",E06000047,840,", ",840,")
        .replace("E12000008,South East,,,,", "E12000008,South East,,,")
        .replace("E12000001,North East,,,,", "E12000001,North East,,,")
        .replace("England,,,,,,", "England,,,,,")
        .replace('\n', "\r\n");
    let f = fixture(OFFICIAL, &csv);
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 0, "{r:#}");
    let v = view(&f);
    let m = measure(&v, "A1.M1");
    assert!(
        points(m).contains(&("2024-12-31".to_owned(), "41.2%".to_owned())),
        "{:?}",
        points(m)
    );
    assert_eq!(bench_points(bench(m, "england").unwrap()).len(), 3);

    // Without `old_code` in the plan, the hint says to add it.
    f.write(
        "plan/plan.yaml",
        &format!(
            "{}{}",
            common::PLAN,
            LA.replace("  old_code: \"886\"\n", "")
        ),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    let x = one(&r, "data-source");
    assert!(x["hint"].as_str().unwrap().contains("old_code"), "{x}");
}

#[test]
fn old_code_may_be_a_number_and_more_than_ten_neighbours_is_a_limit() {
    let f = fixture(OFFICIAL, &good_csv());
    let many: Vec<String> = (0..11).map(|i| format!("E100000{i:02}")).collect();
    f.write(
        "plan/plan.yaml",
        &format!(
            "{}local_authority:\n  code: E10000016\n  old_code: 886\n  name: Kent\n  neighbours: [{}]\n",
            common::PLAN,
            many.join(", ")
        ),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1, "{r:#}");
    assert!(findings(&r, "schema").is_empty(), "{r:#}");
    let x = one(&r, "limit");
    assert_eq!(x["file"], "plan/plan.yaml");
    assert_eq!(
        x["line"].as_u64().unwrap(),
        line_of(&f, "plan/plan.yaml", "neighbours:")
    );
    assert!(x["message"].as_str().unwrap().contains("11"), "{x}");
}

#[test]
fn bad_shapes_are_schema_findings() {
    let f = fixture(
        "      file: [data/t.csv]\n      where: [breakdown]\n      compare: [england, wales]\n      valu: rate\n",
        &good_csv(),
    );
    f.write(
        "plan/plan.yaml",
        &format!(
            "{}local_authority:\n  name: Kent\n  neighbors: []\n",
            common::PLAN
        ),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    let messages: Vec<String> = findings(&r, "schema")
        .iter()
        .map(|x| format!("{}:{} {}", x["file"], x["line"], x["message"]))
        .collect();
    let all = messages.join("\n");
    for w in [
        "missing the required field `code`",
        "unknown field `neighbors`",
        "`file` in `official` must be text",
        "`where` in `official` must be a mapping",
        "`compare` cannot hold `wales`",
        "unknown field `valu`",
        "missing the required field `value`",
    ] {
        assert!(all.contains(w), "{w:?} not in:\n{all}");
    }
}

#[test]
fn compare_picks_the_benchmarks() {
    let f = fixture(
        &format!("{OFFICIAL}      compare: [england, neighbours]\n"),
        &good_csv(),
    );
    let v = view(&f);
    let m = measure(&v, "A1.M1");
    let kinds: Vec<&str> = m["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["england", "neighbours"]);
}

#[test]
fn a_hand_written_point_equal_to_the_files_is_one_point_and_a_different_one_is_inconsistent() {
    let f = fixture(OFFICIAL, &good_csv());
    let area = std::fs::read_to_string(f.file("plan/areas/a1.yaml")).unwrap();
    let same = area.replace(
        "      - { date: 2024-10-31, value: 30 }\n",
        "      - { date: 2024-10-31, value: 30 }\n      - { date: 2024-12-31, value: 41.20 }\n",
    );
    f.write("plan/areas/a1.yaml", &same);
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 0, "{r:#}");
    let v = view(&f);
    let dates: Vec<String> = points(measure(&v, "A1.M1"))
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(
        dates,
        ["2023-12-31", "2024-10-31", "2024-12-31", "2025-04-30"]
    );

    f.write(
        "plan/areas/a1.yaml",
        &same.replace("value: 41.20 }", "value: 42 }"),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    let x = one(&r, "inconsistent-data");
    assert_eq!(
        x["line"].as_u64().unwrap(),
        line_of(&f, "plan/areas/a1.yaml", "2024-12-31")
    );
    let message = x["message"].as_str().unwrap();
    assert!(
        message.contains("42")
            && message.contains("data/t.csv line 23")
            && message.contains("41.2"),
        "{message}"
    );
}

#[test]
fn every_file_under_data_and_its_name_is_scanned_for_personal_identifiers() {
    let f = fixture(OFFICIAL, &good_csv());
    // In the data file a measure reads, in a note beside it, and in a file name.
    f.write(
        "data/t.csv",
        &format!("{}{}", good_csv(), cal("2021", At::Other, "9434765919")),
    );
    f.write("data/notes.txt", "first line\npupil 943 476 5919 moved\n");
    f.write("data/B801200005001.csv", "x\n");
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    let mut at: Vec<(String, u64)> = findings(&r, "personal-identifier")
        .iter()
        .map(|x| {
            let m = x["message"].as_str().unwrap();
            assert!(
                !m.contains("9434765919") && !m.contains("B801200005001"),
                "{m}"
            );
            (
                x["file"].as_str().unwrap().to_owned(),
                x["line"].as_u64().unwrap(),
            )
        })
        .collect();
    at.sort();
    assert_eq!(
        at,
        [
            ("data/B801200005001.csv".to_owned(), 1),
            ("data/notes.txt".to_owned(), 2),
            ("data/t.csv".to_owned(), 29),
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_repository_is_an_unsafe_path() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("t.csv"), good_csv()).unwrap();
    let f = fixture(OFFICIAL, &good_csv());
    f.remove("data/t.csv");
    std::os::unix::fs::symlink(outside.path().join("t.csv"), f.file("data/t.csv")).unwrap();
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    let x = one(&r, "unsafe-path");
    assert_eq!(x["file"], "plan/areas/a1.yaml");
    assert!(x["message"].as_str().unwrap().contains("outside"), "{x}");
}

#[test]
fn the_bundle_carries_the_data_file_with_its_digest() {
    let f = fixture(OFFICIAL, &good_csv());
    // A data file no measure reads stays out.
    f.write("data/other.csv", "a,b\n1,2\n");
    f.pack_ok(&[
        "build",
        "--as-of",
        "2025-05-20",
        "--bundle",
        "--format",
        "md",
    ]);
    let zip_path = f.file("out/test-plan-2025-05-bundle.zip");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name("data/t.csv")
        .expect("data/t.csv in the bundle")
        .read_to_end(&mut bytes)
        .unwrap();
    assert_eq!(bytes, good_csv().as_bytes());
    assert!(zip.by_name("data/other.csv").is_err());
    let mut manifest = String::new();
    zip.by_name("manifest.json")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    let entry = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "data/t.csv")
        .expect("in the manifest");
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(entry["sha256"], digest);
    // And `pack verify` accepts the bundle.
    f.pack_ok(&["verify", "out/test-plan-2025-05-bundle.zip"]);
}

/// The file is read as every text file under data/ is decoded (spec
/// section 3): by its byte-order mark, else UTF-8, else Windows-1252, as
/// a spreadsheet that saved the file again may have written it.
#[test]
fn a_file_saved_as_utf16_or_windows_1252_reads_the_same() {
    let csv = good_csv().replace(",Under 5,", ",Under-5s café,");
    let official = OFFICIAL.replace("breakdown: All", "breakdown: Under-5s café");
    let expected = {
        let f = fixture(&official, &csv);
        let v = view(&f);
        points(measure(&v, "A1.M1"))
    };
    assert!(expected.contains(&("2024-12-31".to_owned(), "99%".to_owned())));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(csv.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let cp1252: Vec<u8> = csv
        .chars()
        .map(|c| if c == 'é' { 0xE9 } else { c as u8 })
        .collect();
    for (name, bytes) in [("UTF-16", utf16), ("Windows-1252", cp1252)] {
        let f = fixture(&official, "");
        f.write_bytes("data/t.csv", &bytes);
        let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
        assert_eq!(code, 0, "{name}: {r:#}");
        let v = view(&f);
        assert_eq!(points(measure(&v, "A1.M1")), expected, "{name}");
    }
}
