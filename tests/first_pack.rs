//! The first pack after `pack init` (issue 18): init's stand-ins are
//! `placeholder` warnings pointing at each value until replaced, and a pack
//! built while any remains says so on its cover and in At a glance; init
//! writes `.gitignore` and says `git init` comes next outside git.

mod common;

use common::*;

/// Every stand-in init writes, as the file it is in and its text (2025:
/// the year SOURCE_DATE_EPOCH pins).
const STAND_INS: [(&str, &str); 9] = [
    ("plan/plan.yaml", "The County Council"),
    ("plan/areas/01-example.yaml", "Example area"),
    (
        "plan/areas/01-example.yaml",
        "The finding, as the inspection worded it.",
    ),
    ("plan/areas/01-example.yaml", "The difference we will make."),
    (
        "plan/areas/01-example.yaml",
        "Early progress, see [@E-2025-001].",
    ),
    ("plan/areas/01-example.yaml", "An action of the plan"),
    (
        "plan/areas/01-example.yaml",
        "An indicator that shows impact",
    ),
    ("evidence/2025/example-dashboard.yaml", "Example dashboard"),
    (
        "evidence/2025/example-dashboard.yaml",
        "An example item; replace it with real evidence.",
    ),
];

/// The 1-based line and column where `text` starts in `file`.
fn place_of(f: &Fixture, file: &str, text: &str) -> (u64, u64) {
    let source = std::fs::read_to_string(f.file(file)).unwrap();
    for (i, line) in source.lines().enumerate() {
        if let Some(c) = line.find(text) {
            return (i as u64 + 1, line[..c].chars().count() as u64 + 1);
        }
    }
    panic!("{text:?} is not in {file}:\n{source}");
}

fn replace_in(f: &Fixture, file: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(f.file(file)).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    f.write(file, &text.replace(from, to));
}

#[test]
fn each_stand_in_is_a_placeholder_warning_at_its_value_until_replaced() {
    let f = Fixture::empty();
    f.pack_ok(&["init"]);
    let (code, r) = f.check_json(&[]);
    assert_eq!(code, 0, "warnings only: {r:#}");
    let found = findings(&r, "placeholder");
    assert_eq!(found.len(), STAND_INS.len(), "{r:#}");
    // Nothing else: init's repository is otherwise clean.
    assert_eq!(r["findings"].as_array().unwrap().len(), STAND_INS.len());
    for (file, text) in STAND_INS {
        let (line, column) = place_of(&f, file, text);
        let hit = found
            .iter()
            .find(|x| x["file"] == file && x["line"] == line)
            .unwrap_or_else(|| panic!("no placeholder at {file}:{line} ({text}): {r:#}"));
        assert_eq!(hit["severity"], "warning", "{hit}");
        assert_eq!(hit["column"], column, "{text}: {hit}");
        assert!(
            hit["message"].as_str().unwrap().contains(text),
            "{text}: {hit}"
        );
        assert!(hit["hint"].as_str().unwrap().contains("replace"), "{hit}");
    }
    // --deny-warnings makes them stop CI.
    let (code, _) = f.check_json(&["--deny-warnings"]);
    assert_eq!(code, 1);

    // A changed value is no longer a placeholder, even one that merely
    // starts like the stand-in; the others stay.
    replace_in(
        &f,
        "plan/areas/01-example.yaml",
        "title: Example area",
        "title: Example area for EHCP timeliness",
    );
    replace_in(
        &f,
        "evidence/2025/example-dashboard.yaml",
        "An example item; replace it with real evidence.",
        "Timeliness rose to 50%.",
    );
    let (_, r) = f.check_json(&[]);
    let left = places(&r, "placeholder");
    assert_eq!(left.len(), STAND_INS.len() - 2, "{left:?}");
    assert!(!left.contains(&("plan/areas/01-example.yaml".into(), 3)));
    assert!(!left.contains(&("evidence/2025/example-dashboard.yaml".into(), 11)));

    // The stand-ins are found wherever they are, by value: a second area
    // copied from the first has its own.
    let area = std::fs::read_to_string(f.file("plan/areas/01-example.yaml")).unwrap();
    f.write(
        "plan/areas/02-copy.yaml",
        &area
            .replace("id: A1", "id: A2")
            .replace("A1.1", "A2.1")
            .replace("A1.M1", "A2.M1")
            .replace("order: 1", "order: 2"),
    );
    let (_, r) = f.check_json(&[]);
    let in_copy = places(&r, "placeholder")
        .into_iter()
        .filter(|(file, _)| file == "plan/areas/02-copy.yaml")
        .count();
    assert_eq!(in_copy, 5, "{r:#}");

    // Every stand-in replaced: no placeholder at all.
    f.remove("plan/areas/02-copy.yaml");
    for (file, text) in STAND_INS {
        if !std::fs::read_to_string(f.file(file))
            .unwrap()
            .contains(text)
        {
            continue;
        }
        let own = if text.contains("[@") {
            "Two caseworkers joined [@E-2025-001].".to_owned()
        } else {
            format!("Our own words for {}", text.len())
        };
        replace_in(&f, file, text, &own);
    }
    let (code, r) = f.check_json(&[]);
    assert_eq!(code, 0, "{r:#}");
    assert!(findings(&r, "placeholder").is_empty(), "{r:#}");
}

#[test]
fn a_pack_with_example_text_says_so_on_its_cover_and_at_a_glance() {
    let f = Fixture::empty();
    f.pack_ok(&["init"]);
    f.pack_ok(&["build", "--format", "pdf,md,html,json"]);
    let stem = "out/my-send-plan-next-visit";
    let note = "This pack still holds example text written by pack init: 9 values to replace";

    let md = std::fs::read_to_string(f.file(&format!("{stem}.md"))).unwrap();
    let glance = md.find("## At a glance").unwrap();
    assert!(md[..glance].contains(note), "cover: {md}");
    assert!(
        md[glance..].find(note).unwrap() < md[glance..].find("| Area |").unwrap(),
        "At a glance, before its table: {md}"
    );

    let html = std::fs::read_to_string(f.file(&format!("{stem}.html"))).unwrap();
    let glance = html.find("id=\"at-a-glance\">At a glance</h2>").unwrap();
    assert!(html[..glance].contains(note), "cover");
    assert!(html[glance..].contains(note), "At a glance");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.file(&format!("{stem}.json"))).unwrap())
            .unwrap();
    let field = json["summary"]["placeholder"].as_str().unwrap();
    assert!(field.starts_with(note), "{field}");
    assert!(
        field.contains("the first in evidence/2025/example-dashboard.yaml line 3"),
        "{field}"
    );

    let pdf_path = f.file(&format!("{stem}.pdf"));
    let pdf = tool("pdftotext", &[pdf_path.to_str().unwrap(), "-"]);
    let pages: Vec<&str> = pdf.split('\u{c}').collect();
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat(pages[0]).contains(note), "cover: {}", pages[0]);
    let glance = pages
        .iter()
        .position(|p| p.contains("At a glance") && p.contains("Areas with the current evidence"))
        .expect("the At a glance page");
    assert!(flat(pages[glance]).contains(note), "{}", pages[glance]);

    // Replaced: the pack no longer says it.
    for (file, text) in STAND_INS {
        let own = if text.contains("[@") {
            "Two caseworkers joined [@E-2025-001].".to_owned()
        } else {
            format!("Our own words for {}", text.len())
        };
        replace_in(&f, file, text, &own);
    }
    f.pack_ok(&["build", "--format", "md,json,html"]);
    let md = std::fs::read_to_string(f.file(&format!("{stem}.md"))).unwrap();
    assert!(!md.contains("example text"), "{md}");
    let html = std::fs::read_to_string(f.file(&format!("{stem}.html"))).unwrap();
    assert!(!html.contains("example text"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.file(&format!("{stem}.json"))).unwrap())
            .unwrap();
    assert!(json["summary"]["placeholder"].is_null(), "{json:#}");
}

#[test]
fn an_acknowledged_placeholder_is_still_example_text_in_the_pack() {
    let f = Fixture::empty();
    f.pack_ok(&["init"]);
    let plan = std::fs::read_to_string(f.file("plan/plan.yaml")).unwrap();
    f.write(
        "plan/plan.yaml",
        &format!(
            "{plan}acknowledged:\n  - rule: placeholder\n    id: council\n    reason: the name is agreed later\n    until: 2030-01-01\n"
        ),
    );
    let (code, r) = f.check_json(&[]);
    assert_eq!(code, 0, "{r:#}");
    let org = findings(&r, "placeholder")
        .into_iter()
        .find(|x| x["file"] == "plan/plan.yaml")
        .unwrap();
    assert_eq!(org["severity"], "acknowledged", "{org}");
    assert!(findings(&r, "unused-acknowledgement").is_empty(), "{r:#}");
    f.pack_ok(&["build", "--format", "md"]);
    let md = std::fs::read_to_string(f.file("out/my-send-plan-next-visit.md")).unwrap();
    assert!(
        md.contains("example text written by pack init: 9 values"),
        "{md}"
    );
}

/// A pack built outside git says so in a sentence, in every format: the
/// footer of each PDF page, "How this pack was made" and the cover.
#[test]
fn outside_git_the_pack_says_where_it_came_from_in_a_sentence() {
    let f = Fixture::new();
    f.pack_ok(&["build", "--as-of", "2025-05-20", "--format", "pdf,md,html"]);
    let stem = f.file("out/test-plan-2025-05");
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    let html = std::fs::read_to_string(stem.with_extension("html")).unwrap();
    let pdf = tool(
        "pdftotext",
        &[stem.with_extension("pdf").to_str().unwrap(), "-"],
    );
    let pdf = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    for (name, text) in [("md", &md), ("html", &html), ("pdf", &pdf)] {
        assert!(
            !text.contains("from commit not under") && !text.contains("from not under"),
            "{name}: {text}"
        );
        assert!(
            text.contains("from files not under version control on 1 June 2025"),
            "{name}: {text}"
        );
    }
    assert!(
        md.contains("| Built from | files not under version control |"),
        "{md}"
    );
    // Every PDF page's footer.
    let pages = tool("pdfinfo", &[stem.with_extension("pdf").to_str().unwrap()]);
    let n: usize = pages
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(
        pdf.matches("Built from files not under version control on 1 June 2025")
            .count(),
        n,
        "{pdf}"
    );
}

#[test]
fn init_says_git_init_comes_next_only_outside_git_and_ignores_out() {
    let f = Fixture::empty();
    let out = f.pack_ok(&["init", "outside"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Next: `git init`"), "{text}");
    let ignore = std::fs::read_to_string(f.file("outside/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "out/"), "{ignore:?}");
    // Run where git would not see out/ either: it is ignored once git starts.
    let git = |dir: &str, args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(f.file(dir))
            .output()
            .unwrap()
    };
    assert!(git("outside", &["init", "-q"]).status.success());
    f.pack_ok(&["-C", "outside", "build", "--format", "md"]);
    let status = git("outside", &["status", "--porcelain", "--ignored"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains("!! out/"), "{status}");

    // Inside a git work tree (a sub-folder of one), no such advice.
    let out = f.pack_ok(&["init", "outside/sub"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("git init"), "{text}");
    assert!(text.contains("Next: edit plan/plan.yaml"), "{text}");
}

/// "1 areas", "1 current items": every count of one, in every command's
/// words and every format of the pack, is singular. A repository with one
/// of everything (one area, item, action, measure, letter point, warning)
/// is run through each command, and every "1 <noun>s" in what it prints or
/// writes is a failure.
#[test]
fn a_count_of_one_is_singular_everywhere_it_is_printed() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!(
            "{PLAN}    letter:\n      date: 2025-05-25\n      points:\n        - id: L1\n          text: Keep reducing the backlog.\n          areas: [A1]\n"
        ),
    );
    let plural_of_one = regex::Regex::new(r"\b1 (?:[a-z]+ )?([a-z]+s)\b").unwrap();
    // Words that end in s and are singular, and verbs after a noun.
    let singular = [
        "status", "progress", "address", "process", "has", "is", "was", "does",
    ];
    let mut seen = Vec::new();
    let mut scan = |what: &str, text: &str| {
        for m in plural_of_one.captures_iter(text) {
            if !singular.contains(&&m[1]) {
                seen.push(format!("{what}: {:?}", &m[0]));
            }
        }
    };
    let run = |args: &[&str]| {
        let out = f.pack(args).output().unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let as_of = ["--as-of", "2025-06-01"];
    let checked = run(&["check", as_of[0], as_of[1]]);
    assert!(checked.contains("1 of 1 area complete"), "{checked}");
    scan("check", &checked);
    scan(
        "check github",
        &run(&["check", "--format", "github", as_of[0], as_of[1]]),
    );
    let status = run(&["status", as_of[0], as_of[1]]);
    assert!(
        status.contains("1 of 1 point has no current evidence yet"),
        "{status}"
    );
    scan("status", &status);
    let built = run(&[
        "build",
        as_of[0],
        as_of[1],
        "--format",
        "pdf,md,html,json",
        "--bundle",
    ]);
    assert!(
        built.contains("1 area, 1 current item in the pack; 1 warning"),
        "{built}"
    );
    scan("build", &built);
    let stem = f.file("out/test-plan-2025-06-01");
    let md = std::fs::read_to_string(stem.with_extension("md")).unwrap();
    assert!(
        md.contains("| Evidence items | 1 current item in this pack |"),
        "{md}"
    );
    scan("md", &md);
    scan(
        "html",
        &std::fs::read_to_string(stem.with_extension("html")).unwrap(),
    );
    let pdf = tool(
        "pdftotext",
        &[stem.with_extension("pdf").to_str().unwrap(), "-"],
    );
    scan("pdf", &pdf.split_whitespace().collect::<Vec<_>>().join(" "));
    let bundle = f.file("out/test-plan-2025-06-01-bundle.zip");
    scan("verify", &run(&["verify", bundle.to_str().unwrap()]));
    scan("export", &run(&["export", "--out", "log.csv"]));
    f.write(
        "one.csv",
        "Title,Date,Organisation,Areas,Kind,Shows\nCaseworker rota,2025-05-02,kcc,A1,report,activity\n",
    );
    let imported = run(&["import", "one.csv", "--dry-run"]) + &run(&["import", "one.csv"]);
    assert!(imported.contains("1 item row; 1 new"), "{imported}");
    scan("import", &imported);
    assert!(
        seen.is_empty(),
        "a plural after a count of one:\n{}",
        seen.join("\n")
    );

    // A bundle of one file says so in the singular.
    f.pack_ok(&["build", as_of[0], as_of[1], "--format", "json", "--bundle"]);
    let verified = run(&["verify", bundle.to_str().unwrap()]);
    assert!(
        verified.contains("1 file of") || verified.contains("files of"),
        "{verified}"
    );
}

/// Every text file pack writes ends with a newline: init's files, the pack
/// in each format and its charts, the family edition, the bundle's entries
/// (manifests included), keys and signatures, `pack new`'s and `pack
/// import`'s YAML, the exported CSV and the CI step summary.
#[test]
fn every_text_file_pack_writes_ends_with_a_newline() {
    let f = Fixture::empty();
    // The repository in repo/, the key pair beside it (pack refuses to
    // write a secret key inside a repository).
    f.pack_ok(&["init", "repo"]);
    let keys = f.file("keys");
    let key = keys.join("pack.key");
    f.pack_ok(&["keygen", "--no-password", "--out", key.to_str().unwrap()]);
    f.write("repo/report.txt", "An attachment\n");
    f.pack_ok(&[
        "-C",
        "repo",
        "new",
        "evidence",
        "--title",
        "Survey of parents",
        "--area",
        "A1",
        "--kind",
        "survey",
        "--shows",
        "voice",
        "--org",
        "council",
        "--date",
        "2025-05-01",
        "--file",
        "report.txt",
    ]);
    f.write(
        "repo/log.csv",
        "Title,Date,Organisation,Areas,Kind,Shows\nCaseworker rota,2025-05-02,council,A1,report,activity\n",
    );
    f.pack_ok(&["-C", "repo", "import", "log.csv"]);
    f.pack_ok(&[
        "-C",
        "repo",
        "build",
        "--format",
        "pdf,md,html,json",
        "--bundle",
        "--sign",
        key.to_str().unwrap(),
    ]);
    f.pack_ok(&[
        "-C",
        "repo",
        "build",
        "--edition",
        "family",
        "--format",
        "html,json",
        "--out",
        "family",
    ]);
    f.pack_ok(&["-C", "repo", "export", "--out", "out/log.csv"]);
    f.pack(&["-C", "repo", "check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", f.file("repo/out/summary.md"))
        .output()
        .unwrap();

    let binary = ["pdf", "zip", "xlsx"];
    let mut texts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut stack = vec![f.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.strip_prefix(f.path()).unwrap().display().to_string();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == "zip" {
                let mut zip = zip::ZipArchive::new(std::fs::File::open(&p).unwrap()).unwrap();
                for i in 0..zip.len() {
                    let mut entry = zip.by_index(i).unwrap();
                    let inner = entry.name().to_owned();
                    if binary.iter().any(|b| inner.ends_with(&format!(".{b}"))) {
                        continue;
                    }
                    let mut bytes = Vec::new();
                    std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
                    texts.push((format!("{name}!{inner}"), bytes));
                }
            } else if !binary.contains(&ext) {
                texts.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    let names: Vec<&str> = texts.iter().map(|(n, _)| n.as_str()).collect();
    for want in [
        ".gitignore",
        ".github/workflows/pack.yml",
        "keys/pack.key",
        "keys/pack.key.pub",
        ".md",
        ".html",
        ".json",
        ".svg",
        ".minisig",
        "!manifest.json",
        "!manifest.csv",
        "out/log.csv",
        "out/summary.md",
        "family/",
    ] {
        assert!(
            names.iter().any(|n| n.contains(want)),
            "no {want} was written: {names:#?}"
        );
    }
    let without: Vec<&str> = texts
        .iter()
        .filter(|(_, b)| !b.is_empty() && !b.ends_with(b"\n"))
        .map(|(n, _)| n.as_str())
        .collect();
    assert!(without.is_empty(), "no final newline: {without:#?}");
}
