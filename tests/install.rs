//! Installing a released pack in CI (spec section 9): `action/install.sh`,
//! which the GitHub Action (`action.yml`) runs, against a folder laid out
//! like a GitHub release and read through a `file://` address: archives
//! made from the real binary, their SHA-256 files, and the cargo-dist
//! installer of a release (tests/fixtures/release/). And the workflow `pack
//! init` writes, which uses that Action pinned to its own version.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Fixture;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The release target of this machine, as the install script names it.
fn target() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "x86_64-unknown-linux-gnu",
        "aarch64" => "aarch64-unknown-linux-gnu",
        other => panic!("no release target for {other}"),
    }
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// `releases/v<VERSION>/` with the archive of this machine's target (the
/// binary under test, in cargo-dist's layout), its `.sha256` and the
/// installer. Returns the releases folder and the archive's path.
fn release(root: &Path) -> (PathBuf, PathBuf) {
    common::setup();
    let name = format!("pack-{}", target());
    let stage = root.join("stage").join(&name);
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_pack"), stage.join("pack")).unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(manifest.join("LICENSE"), stage.join("LICENSE")).unwrap();
    let dir = root.join("releases").join(format!("v{VERSION}"));
    std::fs::create_dir_all(&dir).unwrap();
    let archive = dir.join(format!("{name}.tar.xz"));
    // xz's fastest preset: the binary under test is large, and the test
    // needs a real .tar.xz, not a small one.
    let status = Command::new("tar")
        .env("XZ_OPT", "-0 -T0")
        .arg("-cJf")
        .arg(&archive)
        .arg("-C")
        .arg(root.join("stage"))
        .arg(&name)
        .status()
        .expect("tar and xz (Debian's tar and xz-utils) make the archive");
    assert!(status.success());
    std::fs::write(
        dir.join(format!("{name}.tar.xz.sha256")),
        format!("{}  {name}.tar.xz\n", sha256(&archive)),
    )
    .unwrap();
    std::fs::copy(
        manifest.join("tests/fixtures/release/pack-installer.sh"),
        dir.join("pack-installer.sh"),
    )
    .unwrap();
    (root.join("releases"), archive)
}

/// `action/install.sh` with the releases at `releases`, installing into `home`.
fn install(releases: &Path, home: &Path, version: &str, github_path: &Path) -> Output {
    Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh"))
        .env("PACK_VERSION", version)
        .env("PACK_RELEASES", format!("file://{}", releases.display()))
        .env("PACK_HOME", home)
        .env("GITHUB_PATH", github_path)
        .env_remove("PACK_REPOSITORY")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_action_installs_a_checked_release_and_keeps_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (releases, _) = release(tmp.path());
    let home = tmp.path().join("home");
    let path_file = tmp.path().join("github_path");
    let out = install(&releases, &home, &format!("v{VERSION}"), &path_file);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("checked pack-"), "{said}");
    let bin = home.join("bin");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().last(),
        Some(format!("bin={}", bin.display()).as_str()),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(&path_file).unwrap().trim(),
        bin.display().to_string()
    );
    // The installed binary is the one released, and it works.
    let pack = bin.join("pack");
    assert_eq!(sha256(&pack), sha256(Path::new(env!("CARGO_BIN_EXE_pack"))));
    let version = Command::new(&pack).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(VERSION));
    let f = Fixture::new();
    let check = Command::new(&pack)
        .current_dir(f.path())
        .env("SOURCE_DATE_EPOCH", common::TODAY_EPOCH)
        .arg("check")
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check));
    // Installed once: a second run (a cache hit in the Action) downloads
    // nothing, even with the release gone.
    std::fs::remove_dir_all(&releases).unwrap();
    let again = install(&releases, &home, VERSION, &path_file);
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("already installed"),
        "{}",
        text(&again)
    );
}

#[test]
fn a_checksum_mismatch_installs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (releases, archive) = release(tmp.path());
    let sum = PathBuf::from(format!("{}.sha256", archive.display()));
    let home = tmp.path().join("home");
    let path_file = tmp.path().join("github_path");
    // A published digest that is not the archive's.
    let good = std::fs::read_to_string(&sum).unwrap();
    let wrong = format!("{}{}", "0".repeat(64), &good[64..]);
    std::fs::write(&sum, wrong).unwrap();
    let out = install(&releases, &home, VERSION, &path_file);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("checksum mismatch"), "{}", text(&out));
    assert!(!home.join("bin/pack").exists());
    assert!(!path_file.exists());
    // An archive changed after its digest was published.
    std::fs::write(&sum, &good).unwrap();
    let mut bytes = std::fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&archive, bytes).unwrap();
    let out = install(&releases, &home, VERSION, &path_file);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("checksum mismatch"), "{}", text(&out));
    assert!(!home.join("bin/pack").exists());
    // No digest published at all.
    std::fs::remove_file(&sum).unwrap();
    let out = install(&releases, &home, VERSION, &path_file);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("cannot download"), "{}", text(&out));
    assert!(!home.join("bin/pack").exists());
}

#[test]
fn a_version_that_was_not_released_fails_saying_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let (releases, _) = release(tmp.path());
    let home = tmp.path().join("home");
    let out = install(&releases, &home, "9.9.9", &tmp.path().join("p"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("v9.9.9/pack-"), "{}", text(&out));
    assert!(!home.exists() || !home.join("bin/pack").exists());
}

/// `repository` in Cargo.toml: the one place the project's address is set.
fn repository() -> String {
    let toml =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    toml.lines()
        .find_map(|l| l.strip_prefix("repository = \""))
        .and_then(|r| r.strip_suffix('"'))
        .expect("Cargo.toml sets repository")
        .to_owned()
}

#[test]
fn init_writes_a_workflow_using_the_action_pinned_to_its_version() {
    let f = Fixture::empty();
    f.pack_ok(&["init"]);
    let workflow = std::fs::read_to_string(f.file(".github/workflows/pack.yml")).unwrap();
    let slug = repository()
        .trim_start_matches("https://github.com/")
        .to_owned();
    let uses = format!("uses: {slug}@v{VERSION}");
    assert_eq!(workflow.matches(&uses).count(), 2, "{workflow}");
    assert_eq!(
        workflow.matches(&format!("version: {VERSION}\n")).count(),
        2
    );
    assert!(workflow.contains("args: check"), "{workflow}");
    assert!(workflow.contains("args: build --allow-gaps"), "{workflow}");
    // Never a compile in CI; the pack is built on the default branch only.
    assert!(!workflow.contains("cargo"), "{workflow}");
    assert!(
        workflow.contains("github.ref_name == github.event.repository.default_branch"),
        "{workflow}"
    );
    let pre_commit = std::fs::read_to_string(f.file(".pre-commit-config.yaml")).unwrap();
    assert!(
        pre_commit.contains(&format!("repo: {}", repository())),
        "{pre_commit}"
    );
    assert!(
        pre_commit.contains(&format!("rev: v{VERSION}")),
        "{pre_commit}"
    );
    // The Action those lines name is this repository's, and it runs the
    // install script the tests above check.
    let action =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    assert!(action.contains("using: composite"), "{action}");
    assert!(action.contains("action/install.sh"), "{action}");
    assert!(action.contains("default: latest"), "{action}");
    assert!(action.contains("default: check"), "{action}");
    // The release's installer (generated by cargo-dist from the same
    // setting) downloads from the same address.
    let installer = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release/pack-installer.sh"),
    )
    .unwrap();
    assert!(
        installer.contains(&format!("{}/releases/download/v{VERSION}", repository())),
        "tests/fixtures/release/pack-installer.sh is out of date: see its README"
    );
}
