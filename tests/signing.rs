//! Signed bundles (spec section 9): `pack keygen`, `pack build --bundle
//! --sign`, `pack verify --pubkey`, tested both ways against Debian's
//! `minisign` tool; and the `secret-key` rule that keeps secret keys out of
//! an evidence repository.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

/// Runs Debian's `minisign` (tests/setup.sh installs it); fails the test
/// saying what to install when it is missing.
fn minisign(args: &[&str], stdin: Option<&str>) -> Output {
    setup();
    let mut cmd = std::process::Command::new("minisign");
    cmd.args(args);
    cmd.stdin(if stdin.is_some() {
        std::process::Stdio::piped()
    } else {
        std::process::Stdio::null()
    });
    cmd.stdout(std::process::Stdio::piped());
    cmd.stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| {
        panic!(
            "these tests need Debian's minisign tool ({e}): install it with `sudo apt-get install minisign` (tests/setup.sh does it as root)"
        )
    });
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

/// `minisign ARGS`, which must succeed: its stdout and stderr together.
fn minisign_ok(args: &[&str]) -> String {
    let out = minisign(args, None);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "minisign {args:?} failed: {text}");
    text
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A folder outside every repository for keys.
fn key_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("pack-keys")
        .tempdir()
        .unwrap()
}

/// `pack keygen --no-password --out DIR/pack.key` from a fixture: the
/// secret key's path and its key id.
fn keygen(f: &Fixture, dir: &Path) -> (PathBuf, String) {
    let key = dir.join("pack.key");
    let out = f
        .pack(&["keygen", "--no-password", "--out", s(&key)])
        .env_remove("PACK_KEY_PASSWORD")
        .output()
        .unwrap();
    assert!(out.status.success(), "keygen: {}", stderr(&out));
    (key, key_id_in(&stdout(&out)))
}

fn key_id_in(text: &str) -> String {
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("key id: "))
        .unwrap_or_else(|| panic!("no key id in: {text}"))
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 16, "pack prints all 16 digits: {id}");
    assert!(
        id.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    );
    id
}

/// A key id as a number: minisign releases differ on leading zeros
/// (Debian's prints `%PRIX64`, newer ones pad to 16 digits), so ids are
/// compared as numbers, never as text.
fn id_number(hex: &str) -> u64 {
    u64::from_str_radix(hex.trim(), 16).unwrap_or_else(|e| panic!("`{hex}`: {e}"))
}

/// The key id on the comment line of a public key file, as whichever
/// tool wrote it spelled it ("untrusted comment: minisign public key ID").
fn id_in_public_key_file(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).unwrap();
    id_number(text.lines().next().unwrap().rsplit(' ').next().unwrap())
}

/// The second line of a key or signature file: the key or signature itself.
fn second_line(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_owned()
}

fn public(key: &Path) -> PathBuf {
    PathBuf::from(format!("{}.pub", key.display()))
}

fn sig_of(zip: &Path) -> PathBuf {
    PathBuf::from(format!("{}.minisig", zip.display()))
}

/// Builds the fixture's bundle (md only), signed with `key`.
fn signed_bundle(f: &Fixture, key: &Path) -> (PathBuf, Output) {
    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: dashboard.csv\n"),
    );
    let out = f
        .pack(&[
            "build",
            "--as-of",
            "2025-05-20",
            "--bundle",
            "--format",
            "md",
            "--sign",
            s(key),
        ])
        .env_remove("PACK_KEY_PASSWORD")
        .output()
        .unwrap();
    (f.file("out/test-plan-2025-05-bundle.zip"), out)
}

fn verify(f: &Fixture, zip: &Path, pubkey: &Path) -> Output {
    f.pack(&["verify", s(zip), "--pubkey", s(pubkey)])
        .output()
        .unwrap()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn keygen_writes_a_key_pair_minisign_reads_and_never_prints_the_secret() {
    let f = Fixture::empty();
    let keys = key_dir();
    let key = keys.path().join("new/pack.key");
    let out = f
        .pack(&["keygen", "--no-password", "--out", s(&key)])
        .env_remove("PACK_KEY_PASSWORD")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    let id = key_id_in(&text);
    #[cfg(unix)]
    {
        assert_eq!(
            mode(&key),
            0o600,
            "the secret key is readable by its owner only"
        );
        assert_eq!(
            mode(&keys.path().join("new")),
            0o700,
            "a new key folder too"
        );
    }
    let secret = second_line(&key);
    assert!(
        !text.contains(&secret),
        "keygen printed the secret key:\n{text}"
    );
    let public_key = second_line(&public(&key));
    assert!(text.contains(&public_key), "{text}");
    // minisign recreates the same public key from pack's secret key, with the same key id.
    let again = keys.path().join("again.pub");
    minisign_ok(&["-R", "-s", s(&key), "-p", s(&again)]);
    let recreated = std::fs::read_to_string(&again).unwrap();
    assert!(recreated.contains(&public_key), "{recreated}");
    assert_eq!(id_in_public_key_file(&again), id_number(&id), "{recreated}");
    // minisign signs with pack's secret key and checks with pack's public key.
    let data = keys.path().join("data.txt");
    std::fs::write(&data, "some bytes\n").unwrap();
    minisign_ok(&["-S", "-W", "-s", s(&key), "-m", s(&data)]);
    minisign_ok(&["-V", "-p", s(&public(&key)), "-m", s(&data)]);
}

#[test]
fn keygen_writes_to_the_config_folder_by_default() {
    let f = Fixture::empty();
    let home = key_dir();
    // $XDG_CONFIG_HOME/pack/pack.key
    let xdg = home.path().join("xdg");
    let out = f
        .pack(&["keygen", "--no-password"])
        .env("XDG_CONFIG_HOME", &xdg)
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(xdg.join("pack/pack.key").is_file());
    assert!(xdg.join("pack/pack.key.pub").is_file());
    #[cfg(unix)]
    assert_eq!(mode(&xdg.join("pack")), 0o700);
    // else ~/.config/pack/pack.key
    let out = f
        .pack(&["keygen", "--no-password"])
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let key = home.path().join(".config/pack/pack.key");
    assert!(key.is_file());
    #[cfg(unix)]
    assert_eq!(mode(&key), 0o600);
}

#[test]
fn keygen_refuses_a_repository_and_an_existing_key() {
    let f = Fixture::new();
    // Inside the repository, at any depth, by path or by -C.
    for (dir, out) in [
        (None, "keys/pack.key"),
        (None, "evidence/2025/pack.key"),
        (Some("evidence/2025"), "pack.key"),
    ] {
        let mut args = vec![];
        if let Some(d) = dir {
            args.extend(["-C", d]);
        }
        args.extend(["keygen", "--no-password", "--out", out]);
        let o = f.pack(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("inside the evidence repository"),
            "{}",
            stderr(&o)
        );
    }
    // The default folder inside a repository is refused too.
    let o = f
        .pack(&["keygen", "--no-password"])
        .env("XDG_CONFIG_HOME", f.file("config"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!f.file("keys").exists() && !f.file("config").exists());
    assert!(!f.file("evidence/2025/pack.key").exists());

    // An existing key is never replaced, unless --force.
    let keys = key_dir();
    let (key, id) = keygen(&f, keys.path());
    let before = std::fs::read_to_string(&key).unwrap();
    let o = f
        .pack(&["keygen", "--no-password", "--out", s(&key)])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&key).unwrap(), before);
    let o = f
        .pack(&["keygen", "--no-password", "--force", "--out", s(&key)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(std::fs::read_to_string(&key).unwrap(), before);
    assert_ne!(key_id_in(&stdout(&o)), id);
}

#[test]
fn a_password_from_pack_key_password_protects_the_key_and_signing_needs_it() {
    let f = Fixture::new();
    let keys = key_dir();
    let key = keys.path().join("pack.key");
    // No terminal, no PACK_KEY_PASSWORD, no --no-password: say how, write nothing.
    let o = f
        .pack(&["keygen", "--out", s(&key)])
        .env_remove("PACK_KEY_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let why = stderr(&o);
    assert!(
        why.contains("PACK_KEY_PASSWORD") && why.contains("--no-password"),
        "{why}"
    );
    assert!(!key.exists());

    let o = f
        .pack(&["keygen", "--out", s(&key)])
        .env("PACK_KEY_PASSWORD", "correct horse")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("correct horse"));
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(
        text.starts_with("untrusted comment: minisign encrypted secret key\n"),
        "{text}"
    );
    // `Ed` then `Sc` (scrypt): the key is encrypted with the password.
    assert!(second_line(&key).starts_with("RWRTY0"), "{text}");
    // minisign opens it with the same password.
    let data = keys.path().join("data.txt");
    std::fs::write(&data, "x\n").unwrap();
    let m = minisign(
        &["-S", "-s", s(&key), "-m", s(&data)],
        Some("correct horse\n"),
    );
    assert!(m.status.success(), "{}", stderr(&m));

    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: dashboard.csv\n"),
    );
    let build = |password: Option<&str>| {
        let mut cmd = f.pack(&[
            "build",
            "--as-of",
            "2025-05-20",
            "--bundle",
            "--format",
            "md",
            "--sign",
            s(&key),
        ]);
        match password {
            Some(p) => cmd.env("PACK_KEY_PASSWORD", p),
            None => cmd.env_remove("PACK_KEY_PASSWORD"),
        };
        cmd.output().unwrap()
    };
    // A wrong password: pack could not run, and nothing is written.
    let o = build(Some("wrong"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("wrong password"), "{}", stderr(&o));
    assert!(!f.file("out").exists(), "a failed signing wrote something");
    // No password and no terminal to ask on.
    let o = build(None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("PACK_KEY_PASSWORD"), "{}", stderr(&o));
    assert!(!f.file("out").exists());
    // The right one.
    let o = build(Some("correct horse"));
    assert!(o.status.success(), "{}", stderr(&o));
    let zip = f.file("out/test-plan-2025-05-bundle.zip");
    minisign_ok(&["-V", "-p", s(&public(&key)), "-m", s(&zip)]);
}

#[test]
fn minisign_verifies_a_bundle_pack_signed_and_the_pack_names_the_key() {
    let f = Fixture::new();
    let keys = key_dir();
    let (key, id) = keygen(&f, keys.path());
    let (zip, out) = signed_bundle(&f, &key);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        printed.contains(&format!("{}.minisig", s(&zip))),
        "{printed}"
    );
    assert!(
        !printed.contains(&second_line(&key)),
        "the secret key was printed"
    );
    let checked = minisign_ok(&["-V", "-p", s(&public(&key)), "-m", s(&zip)]);
    assert!(
        checked.contains("Trusted comment: pack bundle test-plan-2025-05-bundle.zip"),
        "{checked}"
    );
    // Prehashed (`ED`), as `minisign -H` requires.
    minisign_ok(&["-V", "-H", "-p", s(&public(&key)), "-m", s(&zip)]);

    // pack checks it too, by file or by the key's text, and names the key.
    let o = verify(&f, &zip, &public(&key));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!(
            "signature: good, key {id}, trusted comment: pack bundle test-plan-2025-05-bundle.zip"
        )),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("ok: all"), "{}", stdout(&o));
    let o = f
        .pack(&[
            "verify",
            s(&zip),
            "--pubkey-string",
            &second_line(&public(&key)),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // The pack's appendix ("how this pack was made") names the key id.
    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    let appendix = &md[md.find("### How this pack was made").unwrap()..];
    assert!(
        appendix.contains(&format!("Signed with minisign key {id}")),
        "{appendix}"
    );
    // ... and so does the copy inside the signed zip.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut inside = String::new();
    std::io::Read::read_to_string(&mut z.by_name("test-plan-2025-05.md").unwrap(), &mut inside)
        .unwrap();
    assert!(inside.contains(&format!("Signed with minisign key {id}")));
    // An unsigned build says nothing of a key, and removes the old signature.
    let o = f.pack_ok(&[
        "build",
        "--as-of",
        "2025-05-20",
        "--bundle",
        "--format",
        "md",
    ]);
    let md = std::fs::read_to_string(f.file("out/test-plan-2025-05.md")).unwrap();
    assert!(!md.contains("Signed with minisign key"));
    assert!(!sig_of(&zip).exists(), "{}", stdout(&o));
}

#[test]
fn pack_verifies_a_bundle_minisign_signed_and_signs_with_minisign_s_key() {
    let f = Fixture::new();
    let keys = key_dir();
    let mkey = keys.path().join("m.key");
    let mpub = keys.path().join("m.pub");
    minisign_ok(&["-G", "-W", "-p", s(&mpub), "-s", s(&mkey)]);
    // minisign's comment line drops leading zeros; pack shows all 16 digits.
    let id = format!("{:016X}", id_in_public_key_file(&mpub));
    let zip = f.bundle();
    minisign_ok(&["-S", "-W", "-s", s(&mkey), "-m", s(&zip)]);
    let o = verify(&f, &zip, &mpub);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!("signature: good, key {id}")),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("trusted comment: timestamp:"),
        "{}",
        stdout(&o)
    );

    // pack signs with the minisign tool's key; minisign checks it.
    let (zip, out) = signed_bundle(&f, &mkey);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&id), "{}", stdout(&out));
    minisign_ok(&["-V", "-p", s(&mpub), "-m", s(&zip)]);

    // And with one the tool protected with a password.
    let ekey = keys.path().join("e.key");
    let epub = keys.path().join("e.pub");
    let g = minisign(
        &["-G", "-p", s(&epub), "-s", s(&ekey)],
        Some("pw 1\npw 1\n"),
    );
    assert!(g.status.success(), "{}", stderr(&g));
    let o = f
        .pack(&[
            "build",
            "--as-of",
            "2025-05-20",
            "--bundle",
            "--format",
            "md",
            "--sign",
            s(&ekey),
        ])
        .env("PACK_KEY_PASSWORD", "pw 1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    minisign_ok(&["-V", "-p", s(&epub), "-m", s(&zip)]);
}

#[test]
fn every_bad_signature_fails_with_its_reason() {
    let f = Fixture::new();
    let keys = key_dir();
    let (key, id) = keygen(&f, keys.path());
    let (zip, out) = signed_bundle(&f, &key);
    assert!(out.status.success(), "{}", stderr(&out));
    let sig = sig_of(&zip);
    let good_zip = std::fs::read(&zip).unwrap();
    let good_sig = std::fs::read_to_string(&sig).unwrap();
    let restore = || {
        std::fs::write(&zip, &good_zip).unwrap();
        std::fs::write(&sig, &good_sig).unwrap();
    };
    let fails = |why: &str| {
        let o = verify(&f, &zip, &public(&key));
        let text = stdout(&o);
        assert_eq!(o.status.code(), Some(1), "{why}: {text}{}", stderr(&o));
        assert!(text.contains("signature: bad"), "{why}: {text}");
        text
    };

    // Another key: both ids are named.
    let other = key_dir();
    let (_, other_id) = keygen(&f, other.path());
    let o = verify(&f, &zip, &public(&other.path().join("pack.key")));
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.contains("wrong key") && text.contains(&id) && text.contains(&other_id),
        "{text}"
    );

    // One byte of the zip changed (its comment, which no digest covers).
    let mut bytes = good_zip.clone();
    let n = bytes.len();
    bytes[n - 30] ^= 1;
    std::fs::write(&zip, &bytes).unwrap();
    let text = fails("a changed zip byte");
    assert!(text.contains("does not match"), "{text}");
    // Appending to the zip is a change too.
    let mut bytes = good_zip.clone();
    bytes.push(0);
    std::fs::write(&zip, &bytes).unwrap();
    fails("an appended byte");
    restore();

    // One character of the signature itself.
    let mut lines: Vec<String> = good_sig.lines().map(str::to_owned).collect();
    let mut sig_chars: Vec<char> = lines[1].chars().collect();
    sig_chars[50] = if sig_chars[50] == 'A' { 'B' } else { 'A' };
    lines[1] = sig_chars.into_iter().collect();
    std::fs::write(&sig, lines.join("\n") + "\n").unwrap();
    let text = fails("a changed signature");
    assert!(text.contains("does not match"), "{text}");
    restore();

    // The trusted comment edited.
    let edited = good_sig.replace(
        "pack bundle test-plan-2025-05-bundle.zip",
        "pack bundle test-plan-2025-11-bundle.zip",
    );
    assert_ne!(edited, good_sig);
    std::fs::write(&sig, edited).unwrap();
    let text = fails("an edited trusted comment");
    assert!(text.contains("trusted comment was changed"), "{text}");
    restore();

    // A damaged signature file.
    std::fs::write(&sig, "not a signature\n").unwrap();
    let text = fails("a damaged signature file");
    assert!(text.contains("damaged"), "{text}");

    // No signature beside the zip.
    std::fs::remove_file(&sig).unwrap();
    let text = fails("no .minisig");
    assert!(
        text.contains("no signature") && text.contains(".minisig"),
        "{text}"
    );
    restore();

    // Without --pubkey: the digests as before, and a word that the signature was not checked.
    let o = f.pack(&["verify", s(&zip)]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("signature: not checked") && stdout(&o).contains("--pubkey"),
        "{}",
        stdout(&o)
    );
    // A public key that is not one: pack could not run.
    let o = f
        .pack(&["verify", s(&zip), "--pubkey-string", "RWnotakey"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    // The secret key given as the public key: refused, and not printed.
    let o = verify(&f, &zip, &key);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a secret key"), "{}", stderr(&o));
    assert!(!stderr(&o).contains(&second_line(&key)));
}

#[test]
fn sign_without_bundle_exits_2_and_sign_takes_a_secret_key() {
    let f = Fixture::new();
    let keys = key_dir();
    let (key, _) = keygen(&f, keys.path());
    let o = f
        .pack(&[
            "build",
            "--as-of",
            "2025-05-20",
            "--format",
            "md",
            "--sign",
            s(&key),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--bundle"), "{}", stderr(&o));
    assert!(!f.file("out").exists());
    let (_, o) = signed_bundle(&f, &public(&key));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a public key"), "{}", stderr(&o));
}

/// A secret key made by the minisign tool (no password): its file's text.
fn minisign_secret_key() -> String {
    let keys = key_dir();
    let k = keys.path().join("m.key");
    minisign_ok(&["-G", "-W", "-p", s(&keys.path().join("m.pub")), "-s", s(&k)]);
    std::fs::read_to_string(k).unwrap()
}

#[test]
fn a_secret_key_pasted_into_evidence_is_an_error_at_its_line_and_never_printed() {
    let f = Fixture::new();
    let key_text = minisign_secret_key();
    let blob = key_text.lines().nth(1).unwrap();
    let indented: String = key_text.lines().map(|l| format!("  {l}\n")).collect();
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "summary: Timeliness rose to 45.5%.\n",
            &format!("summary: |\n  Timeliness rose to 45.5%.\n{indented}"),
        ),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1, "{r:#}");
    let found = one(&r, "secret-key");
    // summary: | is line 10, the comment line 12 and the key line 13.
    assert_at(found, "error", "evidence/2025/dashboard.yaml", 13);
    assert_eq!(found["column"], 3);
    assert!(found["hint"].as_str().unwrap().contains("pack keygen"));
    // Never printed: not in any format's output, snippets included.
    for format in ["human", "json", "github", "junit", "markdown"] {
        let o = f
            .pack(&["check", "--as-of", "2025-05-20", "--format", format])
            .output()
            .unwrap();
        let text = stdout(&o);
        assert!(text.contains("secret-key"), "{format}: {text}");
        assert!(
            !text.contains(&blob[2..40]),
            "{format} output shows the key:\n{text}"
        );
    }
    // A refused build writes no pack, and so no key.
    let o = f
        .pack(&[
            "build",
            "--as-of",
            "2025-05-20",
            "--format",
            "md,json",
            "--allow-gaps",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!f.file("out").exists());
}

#[test]
fn a_key_file_anywhere_under_plan_or_evidence_is_found_and_never_bundled() {
    let f = Fixture::new();
    let key_text = minisign_secret_key();
    f.write("evidence/2025/pack.key", &key_text);
    f.write("evidence/2025/.hidden.key", &key_text);
    f.write("plan/keys/old.key", &key_text);
    // In a text attachment after other lines, with Windows line endings.
    f.write(
        "evidence/2025/notes.txt",
        &format!("notes\r\nmore\r\n{}", key_text.replace('\n', "\r\n")),
    );
    // A public key is no secret.
    let pk = key_dir();
    let (_, _) = keygen(&f, pk.path());
    f.write(
        "evidence/2025/pack.key.pub",
        &std::fs::read_to_string(pk.path().join("pack.key.pub")).unwrap(),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    let mut at = places(&r, "secret-key");
    at.sort();
    assert_eq!(
        at,
        [
            ("evidence/2025/.hidden.key".to_owned(), 2),
            ("evidence/2025/notes.txt".to_owned(), 4),
            ("evidence/2025/pack.key".to_owned(), 2),
            ("plan/keys/old.key".to_owned(), 2),
        ],
        "{r:#}"
    );
    for x in findings(&r, "secret-key") {
        assert_eq!(x["severity"], "error");
        assert!(x["message"].as_str().unwrap().contains("key id"), "{x}");
    }

    // An item naming the key as its attachment: the build is refused, no bundle holds it.
    for p in [
        "evidence/2025/.hidden.key",
        "evidence/2025/notes.txt",
        "plan/keys/old.key",
    ] {
        f.remove(p);
    }
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: pack.key\n"),
    );
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
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("secret-key"), "{}", stdout(&o));
    assert!(!f.file("out").exists(), "a refused build wrote a bundle");
    // And it cannot be acknowledged away.
    f.write(
        "plan/plan.yaml",
        &format!(
            "{PLAN}acknowledged:\n  - rule: secret-key\n    id: E-2025-001\n    reason: test\n    until: 2026-01-01\n"
        ),
    );
    let (code, r) = f.check_json(&["--as-of", "2025-05-20"]);
    assert_eq!(code, 1);
    let schema = findings(&r, "schema");
    assert!(
        schema.iter().any(|x| x["message"]
            .as_str()
            .unwrap()
            .contains("cannot be acknowledged")),
        "{r:#}"
    );
}

#[test]
fn a_key_whose_id_starts_with_a_zero_is_one_key_to_pack_and_to_minisign() {
    let f = Fixture::new();
    let keys = key_dir();
    // One key id in sixteen starts with a zero digit: make keys until one
    // does (the chance that 400 tries all miss is about 1 in 170,000,000,000).
    let mut found = None;
    for i in 0..400 {
        let key = keys.path().join(format!("k{i}.key"));
        let o = f
            .pack(&["keygen", "--no-password", "--out", s(&key)])
            .env_remove("PACK_KEY_PASSWORD")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let id = key_id_in(&stdout(&o));
        if id.starts_with('0') {
            found = Some((key, id, stdout(&o)));
            break;
        }
    }
    let (key, id, printed) = found.expect("no key id with a leading zero in 400 keys");
    // pack prints all 16 digits, and the spelling older minisign releases use.
    let short = id.trim_start_matches('0');
    assert!(
        printed.contains(&format!("key id: {id} (minisign may print it as {short})")),
        "{printed}"
    );
    // minisign recreates the public key from pack's secret key: the same key,
    // however it spells the id.
    let again = keys.path().join("again.pub");
    minisign_ok(&["-R", "-s", s(&key), "-p", s(&again)]);
    assert_eq!(id_in_public_key_file(&again), id_number(&id));
    assert_eq!(id_in_public_key_file(&public(&key)), id_number(&id));
    // pack signs with it; minisign checks it with pack's public key and with
    // its own recreation of it; pack checks it with both and names the key
    // by its 16 digits.
    let (zip, out) = signed_bundle(&f, &key);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("minisign key {id}")),
        "{}",
        stdout(&out)
    );
    minisign_ok(&["-V", "-p", s(&public(&key)), "-m", s(&zip)]);
    minisign_ok(&["-V", "-p", s(&again), "-m", s(&zip)]);
    for pubkey in [public(&key), again] {
        let o = verify(&f, &zip, &pubkey);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
        assert!(
            stdout(&o).contains(&format!("signature: good, key {id},")),
            "{}",
            stdout(&o)
        );
    }
    // The minisign tool signs with it too, and pack accepts that signature.
    std::fs::remove_file(sig_of(&zip)).unwrap();
    minisign_ok(&["-S", "-W", "-s", s(&key), "-m", s(&zip)]);
    let o = verify(&f, &zip, &public(&key));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn keygen_writes_outside_a_repository_through_dot_dot_and_refuses_inside() {
    let f = Fixture::new();
    // A folder beside the repository, named after it so that parallel tests
    // never share it; removed at the end.
    let name = format!("{}-keys", f.path().file_name().unwrap().to_string_lossy());
    let outside = f.path().parent().unwrap().join(&name);
    struct Gone(PathBuf);
    impl Drop for Gone {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let _gone = Gone(outside.clone());
    // From the root and from deep inside (by -C), `..` leads out of it.
    for (dir, out, file) in [
        (None, format!("../{name}/a/pack.key"), "a/pack.key"),
        (
            Some("evidence/2025"),
            format!("../../../{name}/b/pack.key"),
            "b/pack.key",
        ),
        (None, format!("plan/../../{name}/c/pack.key"), "c/pack.key"),
    ] {
        let mut args = vec![];
        if let Some(d) = dir {
            args.extend(["-C", d]);
        }
        args.extend(["keygen", "--no-password", "--out", out.as_str()]);
        let o = f.pack(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(outside.join(file).is_file(), "{args:?}");
    }
    // `..` that stays inside is still inside.
    for out in ["plan/../keys/pack.key", "evidence/2025/../../k/pack.key"] {
        let o = f
            .pack(&["keygen", "--no-password", "--out", out])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains("inside the evidence repository"));
    }
    assert!(!f.file("keys").exists() && !f.file("k").exists());
}

#[cfg(unix)]
#[test]
fn signing_with_a_key_others_can_read_warns_and_still_signs() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let keys = key_dir();
    let (key, _) = keygen(&f, keys.path());
    // pack's own 0600: no warning.
    let (_, out) = signed_bundle(&f, &key);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("can be read by others"),
        "{}",
        stderr(&out)
    );
    for m in [0o644, 0o640, 0o604] {
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(m)).unwrap();
        let (zip, out) = signed_bundle(&f, &key);
        assert!(out.status.success(), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("can be read by others (mode {m:04o})"))
                && err.contains(&format!("chmod 600 {}", s(&key))),
            "{m:o}: {err}"
        );
        assert!(sig_of(&zip).is_file());
    }
}
