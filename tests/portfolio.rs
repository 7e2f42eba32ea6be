//! `pack portfolio` (spec section 12) end to end: bundles built by the real
//! binary from fixture repositories, signed by `pack keygen`'s key and by
//! the minisign tool's own key, verified against a keys file, and the
//! outputs read back: the JSON, the page in Chromium (axe, sorting), the
//! workbook through LibreOffice.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Fixture, PLAN};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A local area's repository: the fixture with its own plan id and title.
fn area(id: &str, title: &str) -> Fixture {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &PLAN
            .replace("id: test-plan", &format!("id: {id}"))
            .replace("title: Test SEND plan", &format!("title: {title}")),
    );
    f
}

/// `pack build --bundle` (HTML, the as-of date given) into `out`, with
/// `extra` arguments: the zip's path.
fn bundle(f: &Fixture, id: &str, as_of: &str, out: &str, extra: &[&str]) -> PathBuf {
    let mut args = vec![
        "build", "--as-of", as_of, "--bundle", "--format", "html", "--out", out,
    ];
    args.extend_from_slice(extra);
    let o = f
        .pack(&args)
        .env_remove("PACK_KEY_PASSWORD")
        .output()
        .unwrap();
    assert!(o.status.success(), "build: {}", stderr(&o));
    let stem = if as_of == "2025-05-20" {
        "2025-05".to_owned()
    } else {
        as_of.to_owned()
    };
    let zip = f.file(out).join(format!("{id}-{stem}-bundle.zip"));
    assert!(zip.is_file(), "{} was not written", zip.display());
    zip
}

/// A bundle of a new area's repository (HTML, as of the visit), kept in
/// `work/built/`.
fn built(work: &Fixture, id: &str, title: &str) -> PathBuf {
    let f = area(id, title);
    collect(
        &bundle(&f, id, "2025-05-20", "out", &[]),
        &work.file("built"),
    )
}

/// Copies a bundle (and its signature, if any) into `dir`.
fn collect(zip: &Path, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let to = dir.join(zip.file_name().unwrap());
    std::fs::copy(zip, &to).unwrap();
    let sig = PathBuf::from(format!("{}.minisig", zip.display()));
    if sig.is_file() {
        std::fs::copy(&sig, format!("{}.minisig", to.display())).unwrap();
    }
    to
}

fn minisign_ok(args: &[&str]) {
    common::setup();
    let out = std::process::Command::new("minisign")
        .args(args)
        .output()
        .expect("minisign (tests/setup.sh installs it)");
    assert!(out.status.success(), "minisign {args:?}: {}", stderr(&out));
}

/// The key itself: the second line of a .pub file.
fn pubkey(pub_file: &Path) -> String {
    std::fs::read_to_string(pub_file)
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .to_owned()
}

/// `pack keygen --no-password`: the secret key's path.
fn pack_key(f: &Fixture, dir: &Path) -> PathBuf {
    let key = dir.join("pack.key");
    let o = f
        .pack(&["keygen", "--no-password", "--out", s(&key)])
        .output()
        .unwrap();
    assert!(o.status.success(), "keygen: {}", stderr(&o));
    key
}

/// The entries of a zip, in order.
fn entries(zip: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (e.name().to_owned(), b)
        })
        .collect()
}

fn write_zip(to: &Path, files: &[(String, Vec<u8>)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, b) in files {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap();
}

fn hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// A copy of a bundle whose view `edit` changed, with a manifest whose
/// digests match again: what another pack, or another local area, sends.
fn rebundle(src: &Path, to: &Path, edit: impl Fn(&mut Value)) -> PathBuf {
    let mut files = entries(src);
    for (name, b) in files.iter_mut() {
        if !name.contains('/') && name.ends_with(".json") && !name.starts_with("manifest") {
            let mut v: Value = serde_json::from_slice(b).unwrap();
            edit(&mut v);
            *b = serde_json::to_vec_pretty(&v).unwrap();
        }
    }
    let listed: Vec<Value> = files
        .iter()
        .filter(|(n, _)| !n.starts_with("manifest."))
        .map(|(n, b)| json!({"path": n, "evidence_id": null, "bytes": b.len(), "sha256": hex(b)}))
        .collect();
    for (name, b) in files.iter_mut() {
        if name == "manifest.json" {
            *b = serde_json::to_vec_pretty(&json!({ "files": listed })).unwrap();
        }
    }
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    write_zip(to, &files);
    to.to_path_buf()
}

/// `pack portfolio ARGS` in `f`.
fn portfolio(f: &Fixture, args: &[&str]) -> Output {
    let mut all = vec!["portfolio"];
    all.extend_from_slice(args);
    f.pack(&all).output().unwrap()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn area_named<'a>(j: &'a Value, plan_id: &str) -> &'a Value {
    j["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["plan_id"] == plan_id)
        .unwrap_or_else(|| panic!("no area {plan_id} in {j:#}"))
}

#[test]
fn a_bundle_always_holds_the_view_listed_in_its_manifest_with_its_schema_version() {
    let f = Fixture::new();
    // md only: no json asked for, yet the bundle carries the view.
    let o = f
        .pack(&[
            "build",
            "--as-of",
            "2025-05-20",
            "--bundle",
            "--format",
            "md",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let zip = f.file("out/test-plan-2025-05-bundle.zip");
    let files = entries(&zip);
    let (_, view) = files
        .iter()
        .find(|(n, _)| n == "test-plan-2025-05.json")
        .expect("the view is in the bundle");
    let v: Value = serde_json::from_slice(view).unwrap();
    assert_eq!(v["schema_version"], "1.0.0");
    assert_eq!(v["meta"]["local_authority"], Value::Null);
    let (_, manifest) = files.iter().find(|(n, _)| n == "manifest.json").unwrap();
    let m: Value = serde_json::from_slice(manifest).unwrap();
    let listed = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "test-plan-2025-05.json")
        .expect("the manifest lists the view");
    assert_eq!(listed["sha256"], hex(view));
    // Not written beside the pack: only the formats asked for are.
    assert!(!f.file("out/test-plan-2025-05.json").exists());
    let ok = f.pack(&["verify", s(&zip)]).output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
}

#[test]
fn bundles_signed_by_pack_and_by_minisign_are_checked_against_the_keys_file() {
    let work = Fixture::empty();
    let keys_dir = tempfile::tempdir().unwrap();
    let dir = work.file("bundles");

    // Alpha signs with pack keygen's key, beta with the minisign tool's.
    let alpha = area("alpha", "Alpha SEND plan");
    let akey = pack_key(&alpha, keys_dir.path());
    let a = bundle(&alpha, "alpha", "2025-05-20", "out", &["--sign", s(&akey)]);
    collect(&a, &dir);
    let beta = area("beta", "Beta SEND plan");
    let b = bundle(&beta, "beta", "2025-05-20", "out", &[]);
    let mkey = keys_dir.path().join("m.key");
    let mpub = keys_dir.path().join("m.pub");
    minisign_ok(&["-G", "-W", "-p", s(&mpub), "-s", s(&mkey)]);
    minisign_ok(&["-S", "-W", "-s", s(&mkey), "-m", s(&b)]);
    collect(&b, &dir);
    // Gamma has no key in the file and sends an unsigned bundle.
    let gamma = area("gamma", "Gamma SEND plan");
    collect(&bundle(&gamma, "gamma", "2025-05-20", "out", &[]), &dir);

    let apub = PathBuf::from(format!("{}.pub", akey.display()));
    work.write(
        "keys.yaml",
        &format!(
            "keys:\n  - area: alpha\n    name: Alpha\n    pubkey: {}\n  - {{ area: beta, name: Beta, pubkey: {} }}\n",
            pubkey(&apub),
            pubkey(&mpub)
        ),
    );
    let o = portfolio(&work, &["bundles", "--keys", "keys.yaml", "--out", "p"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let j = read_json(&work.file("p/portfolio.json"));
    assert_eq!(j["schema_version"], "1.0.0");
    assert_eq!(j["areas"].as_array().unwrap().len(), 3);
    assert_eq!(area_named(&j, "alpha")["signature"]["checked"], true);
    assert_eq!(area_named(&j, "beta")["signature"]["checked"], true);
    let g = area_named(&j, "gamma");
    assert_eq!(g["signature"]["checked"], false);
    assert_eq!(g["signature"]["words"], "signature not checked");
    assert!(
        stdout(&o).contains("signature not checked") && stdout(&o).contains("gamma"),
        "{}",
        stdout(&o)
    );
    let page = std::fs::read_to_string(work.file("p/portfolio.html")).unwrap();
    assert!(page.contains("signature not checked"));
    // The row's counts come from the view: the fixture's one area, amber,
    // with its evidence, and no letter.
    let row = area_named(&j, "alpha");
    assert_eq!(row["ratings"]["amber"], 1);
    assert_eq!(row["areas_total"], 1);
    assert_eq!(row["areas_with_evidence"], 1);
    assert_eq!(row["overdue_actions"], 0);
    assert_eq!(row["as_of"], "2025-05-20");

    // Each way a bundle fails verification leaves it out with its reason,
    // and the run exits 1; the others are still shown.
    // Gamma signs with alpha's key: the key is alpha's, not gamma's.
    let g2 = bundle(&gamma, "gamma", "2025-05-20", "out2", &["--sign", s(&akey)]);
    let stolen = work.file("stolen");
    collect(&g2, &stolen);
    // Beta's bundle unsigned, though beta has a key.
    let unsigned = work.file("unsigned");
    let b2 = collect(&b, &unsigned);
    std::fs::remove_file(format!("{}.minisig", b2.display())).unwrap();
    // Beta's bundle signed with a key the file does not list, though beta
    // has one there.
    let other_keys = tempfile::tempdir().unwrap();
    let okey = pack_key(&beta, other_keys.path());
    let b3 = bundle(&beta, "beta", "2025-05-20", "out3", &["--sign", s(&okey)]);
    let other = work.file("otherkey");
    collect(&b3, &other);
    // A `.minisig` that is not a signature.
    let damaged = work.file("damaged");
    let g3 = collect(&dir.join("gamma-2025-05-bundle.zip"), &damaged);
    std::fs::write(format!("{}.minisig", g3.display()), "not a signature\n").unwrap();
    // Alpha's bundle with a byte of its pack changed after signing.
    let tampered = work.file("tampered");
    let t = collect(&a, &tampered);
    let mut bytes = std::fs::read(&t).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0x20;
    std::fs::write(&t, bytes).unwrap();
    // A bundle whose HTML changed and whose manifest did not (unsigned).
    let changed = work.file("changed/delta-2025-05-bundle.zip");
    let delta = area("delta", "Delta SEND plan");
    let d = bundle(&delta, "delta", "2025-05-20", "out", &[]);
    std::fs::create_dir_all(changed.parent().unwrap()).unwrap();
    let mut files = entries(&d);
    for (n, b) in files.iter_mut() {
        if n.ends_with(".html") {
            b.extend_from_slice(b"<!-- changed -->");
        }
    }
    write_zip(&changed, &files);

    let o = portfolio(
        &work,
        &[
            "bundles/alpha-2025-05-bundle.zip",
            "stolen",
            "unsigned",
            "tampered",
            "changed",
            "otherkey",
            "damaged",
            "--keys",
            "keys.yaml",
            "--out",
            "q",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    let j = read_json(&work.file("q/portfolio.json"));
    let reasons: Vec<(String, String)> = j["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["bundle"].as_str().unwrap().to_owned(),
                l["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(reasons.len(), 6, "{reasons:#?}");
    let reason = |dir: &str| {
        reasons
            .iter()
            .find(|(b, _)| b.starts_with(dir))
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{dir} not left out: {reasons:#?}"))
    };
    assert!(
        reason("stolen").contains("lists for Alpha (alpha), not for this bundle's area gamma"),
        "{}",
        reason("stolen")
    );
    assert!(
        reason("unsigned").contains("not signed, but the keys file lists key"),
        "{}",
        reason("unsigned")
    );
    assert!(
        reason("damaged").contains("is damaged"),
        "{}",
        reason("damaged")
    );
    assert!(
        reason("otherkey").contains("but the keys file lists key"),
        "{}",
        reason("otherkey")
    );
    assert!(
        reason("tampered").contains("bad signature"),
        "{}",
        reason("tampered")
    );
    assert!(
        reason("changed").contains("changed: delta-2025-05.html does not match its digest"),
        "{}",
        reason("changed")
    );
    for (b, _) in &reasons {
        assert!(err.contains(&format!("error: {b} left out:")), "{err}");
    }
    let page = std::fs::read_to_string(work.file("q/portfolio.html")).unwrap();
    assert!(page.contains("6 bundles left out"), "the page says so");
    assert!(page.contains("not signed, but the keys file lists key"));
    // Alpha's good bundle is still shown.
    assert_eq!(j["areas"].as_array().unwrap().len(), 1);
    assert_eq!(j["areas"][0]["plan_id"], "alpha");
}

#[test]
fn the_later_as_of_date_of_an_area_wins_and_the_other_is_superseded() {
    let work = Fixture::empty();
    let alpha = area("alpha", "Alpha SEND plan");
    let old = collect(
        &bundle(&alpha, "alpha", "2025-05-20", "out", &[]),
        &work.file("in/old"),
    );
    let new = collect(
        &bundle(&alpha, "alpha", "2025-05-28", "out", &[]),
        &work.file("in/new"),
    );
    // The older given last: order on the command line does not decide. The
    // newer is named twice (itself and its folder): read once.
    let o = portfolio(&work, &[s(&new), s(&old), "in/new", "--out", "p"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let j = read_json(&work.file("p/portfolio.json"));
    assert_eq!(j["areas"].as_array().unwrap().len(), 1);
    assert_eq!(j["areas"][0]["as_of"], "2025-05-28");
    assert_eq!(j["superseded"][0]["as_of"], "2025-05-20");
    assert_eq!(j["superseded"][0]["bundle"], s(&old));
    assert_eq!(j["superseded"].as_array().unwrap().len(), 1);
    assert!(stdout(&o).contains("superseded:"), "{}", stdout(&o));
    let page = std::fs::read_to_string(work.file("p/portfolio.html")).unwrap();
    assert!(page.contains("Superseded bundles") && page.contains("superseded by"));
}

/// A real bundle, its view edited as a local area with `code` and an
/// official measure would send it.
fn with_official(src: &Path, to: &Path, code: &str, name: &str, filter: &str) -> PathBuf {
    let (code, name, filter) = (code.to_owned(), name.to_owned(), filter.to_owned());
    rebundle(src, to, move |v| {
        v["meta"]["local_authority"] = json!({"code": code, "old_code": null, "name": name});
        let m = &mut v["areas"][0]["measures"][0];
        m["official"] = json!({
            "file": "data/ehc-plan-timeliness.csv",
            "value": "pc_plans_issued_within_20_weeks_ex",
            "where": {"breakdown": filter}
        });
        m["benchmarks"] = json!([
            {"kind": "england", "name": "England", "of": null, "points": [
                {"date": "2024-10-31", "value": 49.0, "count": null},
                {"date": "2025-04-30", "value": 50.2, "count": null}
            ]},
            {"kind": "region", "name": "South East", "of": null, "points": [
                {"date": "2025-04-30", "value": 40.0, "count": null}
            ]}
        ]);
    })
}

#[test]
fn areas_are_joined_by_local_authority_code_and_shared_indicators_sit_beside_england() {
    let work = Fixture::empty();
    let a = built(&work, "alpha", "Alpha plan");
    let b = built(&work, "beta", "Beta plan");
    let c = built(&work, "gamma", "Gamma plan");
    let dir = work.file("in");
    with_official(
        &a,
        &dir.join("a-bundle.zip"),
        "E10000016",
        "Kent",
        "All EHC plans",
    );
    with_official(
        &b,
        &dir.join("b-bundle.zip"),
        "E10000014",
        "Hampshire",
        "All EHC plans",
    );
    // Same file and column, another `where`: not the same indicator.
    with_official(
        &c,
        &dir.join("c-bundle.zip"),
        "E10000015",
        "Hertfordshire",
        "Under 5",
    );
    // The same local area (by code) from another plan id: superseded by
    // the later as-of date, not a row of its own.
    let a_old = rebundle(
        &dir.join("a-bundle.zip"),
        &work.file("old/a-old-bundle.zip"),
        |v| {
            v["meta"]["plan_id"] = json!("kent-old");
            v["meta"]["as_of"] = json!("2025-01-01");
        },
    );

    let o = portfolio(&work, &["in", s(&a_old), "--out", "p"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let j = read_json(&work.file("p/portfolio.json"));
    let names: Vec<&str> = j["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Hampshire", "Hertfordshire", "Kent"]);
    assert_eq!(j["superseded"][0]["name"], "Kent");
    assert_eq!(j["areas"][2]["identity"], "E10000016");
    let ind = j["indicators"].as_array().unwrap();
    assert_eq!(ind.len(), 1, "{ind:#?}");
    assert_eq!(ind[0]["file"], "ehc-plan-timeliness.csv");
    assert_eq!(ind[0]["where"]["breakdown"], "All EHC plans");
    let cells = ind[0]["cells"].as_array().unwrap();
    // Hampshire and Kent use it; Hertfordshire (Under 5) does not.
    assert_eq!(cells[1], Value::Null);
    for i in [0, 2] {
        assert_eq!(cells[i]["date"], "2025-04-30");
        // As the pack shows it, and as a number.
        assert_eq!(cells[i]["value"], "45.5%");
        assert_eq!(cells[i]["number"], 45.5);
        assert_eq!(cells[i]["england"], 50.2);
        assert_eq!(cells[i]["series"].as_array().unwrap().len(), 2);
    }
    // The page: the indicator's column, each area's name linking to its own
    // pack, extracted under its code.
    let page = std::fs::read_to_string(work.file("p/portfolio.html")).unwrap();
    assert!(
        page.contains("45.5% <span class=\"meta\">(2025-04-30; England 50.2)"),
        "{page}"
    );
    assert!(
        page.contains("href=\"E10000016/alpha-2025-05.html\""),
        "{page}"
    );
    let pack = work.file("p/E10000016/alpha-2025-05.html");
    assert!(std::fs::read_to_string(&pack).unwrap().contains("<html"));
    // Only the HTML pack: no attachment or view is extracted.
    let extracted: Vec<_> = std::fs::read_dir(work.file("p/E10000016"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(extracted.len(), 1, "{extracted:?}");
    // Nothing is left of the staging folder.
    let left: Vec<_> = std::fs::read_dir(work.file("p"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // The workbook, read back by LibreOffice: the table, then a sheet of
    // the indicator's series.
    let sheets = common::sheets_as_csv(&work.file("p/portfolio.xlsx"));
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let sheet = |name: &str| {
        &sheets
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no sheet {name} in {names:?}"))
            .1
    };
    let table = sheet("Portfolio");
    assert!(
        table[0][0].starts_with("OFFICIAL — portfolio of 3 local areas"),
        "{:?}",
        table[0]
    );
    assert_eq!(table[1][0], "Local area");
    assert_eq!(table[2][0], "Hampshire");
    let latest = table[1]
        .iter()
        .position(|h| h.ends_with("(latest)"))
        .unwrap();
    assert_eq!(table[2][latest], "45.5");
    assert_eq!(table[2][latest + 1], "50.2");
    assert_eq!(table[3][latest], "", "Hertfordshire does not use it");
    let series = sheet("1 Plans issued within 20 weeks");
    assert_eq!(series[1], ["Date", "England", "Hampshire", "Kent"]);
    assert_eq!(series[2], ["2024-10-31", "49", "30", "30"]);
    assert_eq!(series[3], ["2025-04-30", "50.2", "45.5", "45.5"]);
}

#[test]
fn a_bundle_of_an_unknown_major_version_is_refused_naming_the_pack_that_made_it() {
    let work = Fixture::empty();
    let a = built(&work, "alpha", "Alpha plan");
    let b = built(&work, "beta", "Beta plan");
    rebundle(&a, &work.file("in/a-bundle.zip"), |v| {
        v["schema_version"] = json!("2.0.0");
        v["meta"]["tool"] = json!("pack 9.1.0 (commit 0123abcd)");
    });
    rebundle(&b, &work.file("in/b-bundle.zip"), |v| {
        v.as_object_mut().unwrap().remove("schema_version");
        v["meta"]["tool"] = json!("pack 0.0.9");
    });
    // A minor version it does not know is read: fields were only added.
    let c = built(&work, "gamma", "Gamma plan");
    rebundle(&c, &work.file("in/c-bundle.zip"), |v| {
        v["schema_version"] = json!("1.7.0");
        v["a_field_from_1_7"] = json!({"anything": [1, 2]});
    });
    // Not a zip at all: left out too, never a panic or a stopped run.
    work.write("in/junk-bundle.zip", "this is not a zip");
    let o = portfolio(&work, &["in", "--out", "p", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("junk-bundle.zip left out: the zip has no central directory"),
        "{err}"
    );
    assert!(
        err.contains("its view is version 2.0.0, made by pack 9.1.0 (commit 0123abcd)"),
        "{err}"
    );
    assert!(
        err.contains("made by pack 0.0.9, before views carried one"),
        "{err}"
    );
    let j = read_json(&work.file("p/portfolio.json"));
    assert_eq!(j["areas"].as_array().unwrap().len(), 1);
    assert_eq!(j["areas"][0]["plan_id"], "gamma");
    assert!(
        !work.file("p/portfolio.html").exists(),
        "only json was asked for"
    );
}

#[test]
fn keys_file_problems_are_all_reported_with_line_and_column() {
    let work = Fixture::empty();
    let a = built(&work, "alpha", "Alpha plan");
    work.write(
        "keys.yaml",
        "keys:\n  - area: alpha\n    name: Alpha\n    pubkey: RWnotakey\n  - name: Beta\n    pubkey: RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\n    colour: blue\n",
    );
    let o = portfolio(&work, &[s(&a), "--keys", "keys.yaml", "--out", "p"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("keys.yaml:4:13:") && err.contains("not a minisign public key"),
        "{err}"
    );
    assert!(
        err.contains("keys.yaml:5:5: this key has no `area`"),
        "{err}"
    );
    assert!(
        err.contains("keys.yaml:7:5: unknown field `colour`"),
        "{err}"
    );
    assert!(err.contains("3 problems"), "{err}");
    assert!(!work.file("p/portfolio.html").exists());
}

#[test]
fn the_page_is_accessible_at_desktop_and_phone_widths_and_sorts_by_any_column() {
    let work = Fixture::empty();
    let dir = work.file("in");
    for (id, title) in [
        ("zeta", "Zeta plan"),
        ("alpha", "Alpha plan"),
        ("mu", "Mu plan"),
    ] {
        collect(
            &bundle(&area(id, title), id, "2025-05-20", "out", &[]),
            &dir,
        );
    }
    let o = portfolio(&work, &["in", "--out", "p"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = work.file("p/portfolio.html");
    for r in common::axe(&page, &[1280, 390]) {
        assert_eq!(
            r["violations"],
            json!([]),
            "axe at {} px: {:#}",
            r["width"],
            r["violations"]
        );
    }
    const SCRIPT: &str = r#"
const [harness, target] = process.argv.slice(1);
const { launch } = await import(harness);
const { pathToFileURL } = await import("node:url");
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(target).href, { waitUntil: "load" });
  const names = () => page.evaluate(() =>
    [...document.querySelectorAll("tbody tr th")].map((t) => t.innerText.trim()));
  const before = await names();
  const sort = await page.evaluate(() => document.querySelector("thead th").getAttribute("aria-sort"));
  await page.click("thead th:first-child button");
  const once = await names();
  const aria1 = await page.evaluate(() => document.querySelector("thead th").getAttribute("aria-sort"));
  await page.click("thead th:first-child button");
  const twice = await names();
  const aria2 = await page.evaluate(() => document.querySelector("thead th").getAttribute("aria-sort"));
  const buttons = await page.evaluate(() => document.querySelectorAll("thead th button").length);
  console.log(JSON.stringify({ before, sort, once, aria1, twice, aria2, buttons }));
} finally {
  await browser.close();
}
"#;
    let r = common::page_script(SCRIPT, &page, &[]);
    let names = |k: &str| -> Vec<String> {
        r[k].as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    // Complete as HTML, sorted by name; the script only adds the buttons.
    assert_eq!(names("before"), ["Alpha plan", "Mu plan", "Zeta plan"]);
    assert_eq!(r["sort"], Value::Null);
    assert_eq!(r["buttons"], 12);
    assert_eq!(names("once"), ["Alpha plan", "Mu plan", "Zeta plan"]);
    assert_eq!(r["aria1"], "ascending");
    assert_eq!(names("twice"), ["Zeta plan", "Mu plan", "Alpha plan"]);
    assert_eq!(r["aria2"], "descending");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<table") && html.contains("Alpha plan</a></th>"));
}

#[test]
fn the_workbook_is_frozen_filtered_and_set_up_to_print_as_the_export_is() {
    let work = Fixture::empty();
    let a = built(&work, "alpha", "Alpha plan");
    collect(&a, &work.file("in"));
    let o = portfolio(&work, &["in", "--out", "p", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files = entries(&work.file("p/portfolio.xlsx"));
    let sheet = String::from_utf8(
        files
            .iter()
            .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(sheet.contains("state=\"frozen\""), "frozen header");
    assert!(sheet.contains("<autoFilter"), "filtered");
    assert!(sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""));
    assert!(sheet.contains("fitToHeight=\"0\""));
    assert!(
        sheet.contains("&amp;C&amp;\"-,Bold\"OFFICIAL"),
        "the marking in the header"
    );
    // LibreOffice reads it back.
    let sheets = common::sheets_as_csv(&work.file("p/portfolio.xlsx"));
    assert_eq!(sheets.len(), 1, "no shared indicator, no sheet of one");
    assert_eq!(sheets[0].1[2][0], "Alpha plan");
    assert_eq!(sheets[0].1[2][5], "2025-05-20");
    assert!(!work.file("p/portfolio.html").exists());
}

const TIDY_HEAD: &str = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown,rate\n";

/// A local area's repository with its `local_authority` and A1.M1 reading
/// DfE's tidy file (as downloaded, the same in every area's data/): England
/// and both areas, for October 2024 and April 2025.
fn official_area(id: &str, code: &str, old: &str, name: &str) -> Fixture {
    let f = area(id, &format!("{name} SEND plan"));
    let plan = std::fs::read_to_string(f.file("plan/plan.yaml")).unwrap();
    f.write(
        "plan/plan.yaml",
        &format!("{plan}local_authority:\n  code: {code}\n  old_code: \"{old}\"\n  name: {name}\n"),
    );
    f.write(
        "plan/areas/a1.yaml",
        &common::AREA.replace(
            "      - { date: 2025-04-30, value: 45.5 }\n",
            "      - { date: 2025-04-30, value: 45.5 }\n    official:\n      file: data/ehc-timeliness.csv\n      value: rate\n      where: { breakdown: All }\n",
        ),
    );
    let mut csv = TIDY_HEAD.to_owned();
    for (period, month, england, local) in [
        ("2024", "October", "49", "30"),
        ("2025", "April", "50.2", "45.5"),
    ] {
        csv.push_str(&format!(
            "{period},{month},National,E92000001,England,,,,,,All,{england}\n"
        ));
        for (c, o, n) in [
            ("E10000016", "886", "Kent"),
            ("E10000014", "850", "Hampshire"),
        ] {
            csv.push_str(&format!(
                "{period},{month},Local authority,E92000001,England,E12000008,South East,{c},{o},{n},All,{local}\n"
            ));
        }
    }
    f.write("data/ehc-timeliness.csv", &csv);
    f
}

#[test]
fn local_areas_built_with_their_codes_and_official_data_share_the_indicator() {
    let work = Fixture::empty();
    let dir = work.file("in");
    let kent = official_area("kent-plan", "E10000016", "886", "Kent");
    collect(&bundle(&kent, "kent-plan", "2025-05-20", "out", &[]), &dir);
    let hants = official_area("hants-plan", "E10000014", "850", "Hampshire");
    collect(
        &bundle(&hants, "hants-plan", "2025-05-20", "out", &[]),
        &dir,
    );
    // Kent again under another plan id, as of a later date: the same local
    // area by its code, so it supersedes the first.
    let kent2 = official_area("kent-plan-2", "E10000016", "886", "Kent");
    collect(
        &bundle(&kent2, "kent-plan-2", "2025-05-28", "out", &[]),
        &dir,
    );

    let o = portfolio(&work, &["in", "--out", "p"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let j = read_json(&work.file("p/portfolio.json"));
    let ids: Vec<&str> = j["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["identity"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["E10000014", "E10000016"]);
    assert_eq!(j["areas"][1]["plan_id"], "kent-plan-2");
    assert_eq!(j["superseded"][0]["name"], "Kent");
    let ind = &j["indicators"][0];
    assert_eq!(ind["file"], "ehc-timeliness.csv");
    assert_eq!(ind["value"], "rate");
    for cell in ind["cells"].as_array().unwrap() {
        assert_eq!(cell["date"], "2025-04-30", "{cell:#}");
        assert_eq!(cell["number"], 45.5);
        assert_eq!(cell["england"], 50.2);
    }
    assert!(
        work.file("p/E10000016/kent-plan-2-2025-05-28.html")
            .is_file()
    );
    assert!(work.file("p/E10000014/hants-plan-2025-05.html").is_file());
}

#[test]
fn only_the_html_pack_is_extracted_and_never_outside_its_folder() {
    let work = Fixture::empty();
    let a = built(&work, "alpha", "Alpha plan");
    // A bundle whose manifest matches, with entries named to climb out of
    // the output folder: the digests are fine, so it is shown, but only a
    // plain top-level HTML file would be extracted, and it has none.
    let mut files: Vec<(String, Vec<u8>)> = entries(&a)
        .into_iter()
        .filter(|(n, _)| !n.ends_with(".html"))
        .collect();
    for name in [
        "..\\..\\escape.html",
        "../escape2.html",
        "/tmp/escape3.html",
    ] {
        files.push((name.to_owned(), b"<html>not a pack</html>".to_vec()));
    }
    let zip = work.file("in/alpha-bundle.zip");
    std::fs::create_dir_all(zip.parent().unwrap()).unwrap();
    write_zip(&zip, &files);
    let fixed = rebundle(&zip, &work.file("in2/alpha-bundle.zip"), |_| {});
    let o = portfolio(&work, &[s(&fixed), "--out", "deep/p"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let j = read_json(&work.file("deep/p/portfolio.json"));
    assert_eq!(j["areas"][0]["pack"], Value::Null, "no pack to link to");
    for escaped in ["escape.html", "deep/escape2.html", "deep/p/escape2.html"] {
        assert!(!work.file(escaped).exists(), "{escaped} was written");
    }
    assert!(!Path::new("/tmp/escape3.html").exists());
    let written: Vec<String> = walk(&work.file("deep"));
    assert_eq!(
        written,
        ["p/portfolio.html", "p/portfolio.json", "p/portfolio.xlsx"],
        "nothing else is written"
    );
}

/// Every file under `root`, relative, sorted.
fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// `pack build --bundle` (HTML) run on 20 November 2025, when the example's
/// evidence is all in the past: the zip's path.
fn bundle_in_november(f: &Fixture, when: &[&str]) -> PathBuf {
    let mut args = vec!["build", "--bundle", "--format", "html", "--out", "out"];
    args.extend_from_slice(when);
    let o = f
        .pack(&args)
        .env("SOURCE_DATE_EPOCH", "1763596800")
        .output()
        .unwrap();
    assert!(o.status.success(), "build: {}", stderr(&o));
    std::fs::read_dir(f.file("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-bundle.zip"))
        .expect("no bundle was written")
}

/// Copies the example repository's plan, evidence and data into `to`.
fn copy_example(to: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    for dir in ["plan", "evidence", "data"] {
        copy(&common::example_root().join(dir), &to.join(dir));
    }
}

#[test]
fn the_example_beside_a_generated_neighbour_shares_the_ehc_indicator() {
    let work = Fixture::empty();
    let dir = work.file("in");
    // The example itself: Kent, E10000016, as of its last visit.
    let kent = Fixture::empty();
    copy_example(kent.path());
    collect(&bundle_in_november(&kent, &["--visit", "2025-11"]), &dir);
    // A generated local area, Hampshire (one of Kent's listed neighbours),
    // reading the same DfE file with the same indicator and filter.
    let hants = area("hants-send", "Hampshire SEND plan");
    let plan = std::fs::read_to_string(hants.file("plan/plan.yaml")).unwrap();
    hants.write(
        "plan/plan.yaml",
        &format!(
            "{plan}local_authority:\n  code: E10000014\n  old_code: \"850\"\n  name: Hampshire\n"
        ),
    );
    hants.write(
        "plan/areas/a1.yaml",
        &common::AREA.replace(
            "      - { date: 2025-04-30, value: 45.5 }\n",
            "      - { date: 2025-04-30, value: 45.5 }\n    official:\n      file: data/ehc-plan-timeliness.csv\n      value: pc_plans_issued_20_weeks_ex\n      where: { breakdown: All EHC plans }\n",
        ),
    );
    std::fs::create_dir_all(hants.file("data")).unwrap();
    std::fs::copy(
        common::example_root().join("data/ehc-plan-timeliness.csv"),
        hants.file("data/ehc-plan-timeliness.csv"),
    )
    .unwrap();
    collect(
        &bundle_in_november(&hants, &["--as-of", "2025-11-18", "--allow-gaps"]),
        &dir,
    );

    let o = portfolio(&work, &["in", "--out", "p"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let j = read_json(&work.file("p/portfolio.json"));
    let ids: Vec<&str> = j["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["identity"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["E10000014", "E10000016"], "{j:#}");
    assert_eq!(j["areas"][1]["name"], "Kent", "{j:#}");
    assert_eq!(j["areas"][1]["areas_total"], 9, "{j:#}");
    // The one indicator both use: the EHC timeliness column of the SEN2
    // file, with England's published 46.4% for 2024 in each area's series.
    let ind = j["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"] == "ehc-plan-timeliness.csv")
        .unwrap_or_else(|| panic!("no shared EHC indicator: {j:#}"));
    assert_eq!(ind["value"], "pc_plans_issued_20_weeks_ex");
    for cell in ind["cells"].as_array().unwrap() {
        let series = cell["series"].as_array().unwrap();
        assert!(
            series
                .iter()
                .any(|p| p["date"] == "2024-12-31" && p["england"] == 46.4),
            "{cell:#}"
        );
    }
    // The page links Kent's name to its own HTML pack, extracted beside it.
    let page = std::fs::read_to_string(work.file("p/portfolio.html")).unwrap();
    assert!(
        page.contains("E10000016/kent-send-app-2025-11.html"),
        "{page}"
    );
    assert!(work.file("p/E10000016/kent-send-app-2025-11.html").exists());
}
