//! Signed bundles (spec section 9): key pairs and signatures in minisign's
//! format, through the `minisign` crate, so that the minisign tool checks
//! pack's signatures and pack checks the tool's. Key files, passwords,
//! signing and checking live here; `detect` recognises a secret key
//! wherever it was pasted, for the `secret-key` rule.
//!
//! Signatures are prehashed (`ED`, minisign's default): the zip is read
//! through BLAKE2b-512 as a stream and never held whole. Secret keys are
//! never printed and never written with a mode others can read.

pub mod detect;
mod keyid;

pub use keyid::KeyId;

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use minisign::{KeyPair, PublicKey, SecretKey, SecretKeyBox, SignatureBox};

/// The environment variable `pack keygen` and `pack build --sign` read the
/// secret key's password from, before asking on the terminal.
pub const PASSWORD_ENV: &str = "PACK_KEY_PASSWORD";

/// A bundle's signature is the bundle's name and this.
pub const SIG_SUFFIX: &str = ".minisig";

/// Key and signature files are a few hundred bytes: anything larger is not one.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// How a public key's bytes start: the signature algorithm, Ed25519.
const ED: &[u8; 2] = b"Ed";

/// The first lines pack writes into a secret key file (minisign's words).
const COMMENT_ENCRYPTED: &str = "minisign encrypted secret key";
const COMMENT_PLAIN: &str = "minisign secret key, not protected by a password";

/// The key id of a key number as minisign stores it.
pub fn key_id(keynum: &[u8]) -> KeyId {
    KeyId::from_keynum(keynum)
}

/// `$XDG_CONFIG_HOME/pack/pack.key`, else `~/.config/pack/pack.key`.
pub fn default_key_path() -> Result<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    // A relative XDG_CONFIG_HOME is invalid, and is ignored as the spec says.
    if let Some(x) = var("XDG_CONFIG_HOME").map(PathBuf::from)
        && x.is_absolute()
    {
        return Ok(x.join("pack").join("pack.key"));
    }
    let home = var("HOME").or_else(|| var("USERPROFILE")).ok_or_else(|| {
        anyhow!("cannot tell where your home folder is (HOME is not set): pass --out FILE")
    })?;
    Ok(PathBuf::from(home)
        .join(".config")
        .join("pack")
        .join("pack.key"))
}

/// The public key file beside a secret key file: `FILE.pub`.
pub fn public_key_path(secret: &Path) -> PathBuf {
    let mut s = secret.as_os_str().to_owned();
    s.push(".pub");
    PathBuf::from(s)
}

/// The signature beside a bundle: `BUNDLE.zip.minisig`.
pub fn signature_path(bundle: &Path) -> PathBuf {
    let mut s = bundle.as_os_str().to_owned();
    s.push(SIG_SUFFIX);
    PathBuf::from(s)
}

/// The evidence repository (a folder with plan/plan.yaml) at or above
/// where `path` would be written, searched upwards as pack searches for
/// its root: through the folder as written and through its real place.
pub fn repository_holding(path: &Path) -> Option<PathBuf> {
    // `..` is resolved before the upward search: `../keys/k` written from
    // inside a repository is outside it, though its spelling passes
    // through the repository's folder. The real place is found from the
    // spelling as written, since `..` after a link leaves the link's
    // target, not the link's folder.
    let raw = std::env::current_dir().ok()?.join(path);
    let dir = lexical(&raw).parent()?.to_path_buf();
    let mut places = vec![dir];
    let mut existing = raw.parent();
    while let Some(d) = existing {
        if let Ok(real) = d.canonicalize() {
            places.push(real);
            break;
        }
        existing = d.parent();
    }
    places.iter().find_map(|p| {
        p.ancestors()
            .find(|a| a.join(crate::load::PLAN_FILE).is_file())
            .map(Path::to_path_buf)
    })
}

/// `path` with `.` and `..` resolved by their spelling, as a shell does
/// for `cd`: the search above starts from where the key would really go.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A password set in `PACK_KEY_PASSWORD` (an empty one counts as unset).
pub fn env_password() -> Option<String> {
    std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty())
}

/// Reads a password on the terminal without echoing it. With no terminal,
/// says how else to give it (`how`).
pub fn ask_password(prompt: &str, how: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("there is no terminal to ask for the password on: {how}");
    }
    rpassword::prompt_password(prompt)
        .map_err(|e| anyhow!("cannot read the password from the terminal ({e}): {how}"))
}

/// A new key pair, as the text of its two files.
pub struct NewKey {
    /// The secret key file's text: never printed.
    pub secret: String,
    /// The public key file's text.
    pub public: String,
    /// The public key alone, as `minisign -P` and `--pubkey-string` take it.
    pub public_base64: String,
    pub id: KeyId,
    pub encrypted: bool,
}

/// Makes a key pair; the secret key is protected by `password` when given.
pub fn generate(password: Option<String>) -> Result<NewKey> {
    let encrypted = password.is_some();
    let KeyPair { pk, sk } = match password {
        Some(p) => KeyPair::generate_encrypted_keypair(Some(p)),
        None => KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| anyhow!("cannot make a key pair: {e}"))?;
    let comment = if encrypted {
        COMMENT_ENCRYPTED
    } else {
        COMMENT_PLAIN
    };
    let secret = sk
        .to_box(Some(comment))
        .map_err(|e| anyhow!("cannot write the secret key: {e}"))?
        .into_string();
    let public = pk
        .to_box()
        .map_err(|e| anyhow!("cannot write the public key: {e}"))?
        .into_string();
    Ok(NewKey {
        secret,
        public,
        public_base64: pk.to_base64(),
        id: key_id(pk.keynum()),
        encrypted,
    })
}

/// Writes a secret key file readable by its owner only (0600), creating
/// its folder readable by its owner only (0700) when it is new. Atomic: a
/// failure leaves what was there.
pub fn write_secret_key(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // A temporary file is made 0600 from the start: the key is never readable by others.
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot protect {}", path.display()))?;
    }
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Reads a small key or signature file as text.
fn read_small(path: &Path, what: &str) -> Result<String> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
        bail!("{} is too large to be {what}", path.display());
    }
    String::from_utf8(bytes)
        .map_err(|_| anyhow!("{} is not {what}: it is not text", path.display()))
}

/// The lines of a key file that are not comments.
fn key_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
}

/// A secret key, ready to sign.
pub struct SigningKey {
    sk: SecretKey,
    pk: PublicKey,
    pub id: KeyId,
    /// The file's permission bits when others than its owner may read it
    /// (group or world), for a warning: the key still signs.
    pub readable_by_others: Option<u32>,
}

/// Reads the secret key file `path` (pack's or the minisign tool's), asking
/// for its password (`PACK_KEY_PASSWORD`, else the terminal) when it has one.
/// A wrong password is an error: pack could not run.
pub fn load_signing_key(path: &Path) -> Result<SigningKey> {
    let shown = path.display();
    let text = read_small(path, "a minisign secret key")?;
    let found = key_lines(&text).find_map(|l| {
        detect::find(l.as_bytes())
            .into_iter()
            .find_map(|h| match h.found {
                detect::Found::Key { encrypted, .. } => Some((l, encrypted)),
                detect::Found::Header => None,
            })
    });
    let Some((line, encrypted)) = found else {
        if key_lines(&text).any(|l| PublicKey::from_base64(l).is_ok()) {
            bail!("{shown} is a public key: --sign takes the secret key (the file without .pub)");
        }
        bail!(
            "{shown} is not a minisign secret key\n  hint: make one with `pack keygen` (or `minisign -G`)"
        );
    };
    let sk = if encrypted {
        let key_box =
            SecretKeyBox::from_string(&format!("untrusted comment: {COMMENT_ENCRYPTED}\n{line}\n"))
                .map_err(|e| anyhow!("cannot read the secret key {shown}: {e}"))?;
        let (password, from_env) = match env_password() {
            Some(p) => (p, true),
            None => (
                ask_password(
                    &format!("Password for the secret key {shown}: "),
                    &format!("set {PASSWORD_ENV} to the key's password"),
                )?,
                false,
            ),
        };
        SecretKey::from_box(key_box, Some(password)).map_err(|e| match e.kind() {
            minisign::ErrorKind::Verify => anyhow!(
                "wrong password for the secret key {shown}{}: nothing was written",
                if from_env {
                    format!(" (the password came from {PASSWORD_ENV})")
                } else {
                    String::new()
                }
            ),
            _ => anyhow!("cannot read the secret key {shown}: {e}"),
        })?
    } else {
        // The minisign tool leaves the checksum of a key without a password
        // empty (`minisign -G -W`), which the crate's reader refuses: the
        // bytes are read as they are, and checked by signing below.
        let blob = detect::decode_base64(line.trim_end_matches('='))
            .ok_or_else(|| anyhow!("cannot read the secret key {shown}"))?;
        SecretKey::from_bytes(&blob)
            .map_err(|e| anyhow!("cannot read the secret key {shown}: {e}"))?
    };
    let pk = PublicKey::from_secret_key(&sk)
        .map_err(|e| anyhow!("cannot read the secret key {shown}: {e}"))?;
    // A damaged key cannot make a signature its own public key accepts.
    minisign::sign(Some(&pk), &sk, &b""[..], Some(""), Some("")).map_err(|_| {
        anyhow!(
            "the secret key {shown} is damaged: it does not make signatures its public key accepts"
        )
    })?;
    let id = key_id(sk.keynum());
    Ok(SigningKey {
        sk,
        pk,
        id,
        readable_by_others: readable_by_others(path),
    })
}

/// The permission bits of `path` when its group or others may read it.
fn readable_by_others(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o044 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// A prehashed minisign signature of `data`, as the text of a `.minisig`
/// file, with `trusted_comment` signed along with it.
pub fn sign(key: &SigningKey, data: &[u8], trusted_comment: &str) -> Result<String> {
    let sig = minisign::sign(
        Some(&key.pk),
        &key.sk,
        std::io::Cursor::new(data),
        Some(trusted_comment),
        Some(&format!("signature from pack, minisign key {}", key.id)),
    )
    .map_err(|e| anyhow!("cannot sign: {e}"))?;
    Ok(sig.into_string())
}

/// A public key given as a file: minisign's `.pub` (a comment line, then
/// the key), or a file holding the key alone.
pub fn public_key_file(path: &Path) -> Result<PublicKey> {
    let text = read_small(path, "a minisign public key")?;
    let shown = path.display();
    if key_lines(&text).any(|l| detect::holds_secret_key(l.as_bytes())) {
        bail!(
            "{shown} is a secret key: --pubkey takes the public key (the .pub file); never give the secret key to anyone"
        );
    }
    let line = key_lines(&text)
        .next()
        .ok_or_else(|| anyhow!("{shown} holds no public key"))?;
    public_key_string(line).with_context(|| format!("{shown} is not a minisign public key"))
}

/// A public key given as its base64 text (`RW...`, 56 characters).
pub fn public_key_string(text: &str) -> Result<PublicKey> {
    let text = text.trim();
    let pk = PublicKey::from_base64(text).map_err(|_| {
        anyhow!(
            "`{}` is not a minisign public key (56 characters of base64 starting RW)",
            crate::finding::escape_controls(&text.chars().take(60).collect::<String>())
        )
    })?;
    if !pk.to_bytes().starts_with(ED) {
        bail!("this public key is not an Ed25519 minisign key");
    }
    Ok(pk)
}

/// What a good signature says.
#[derive(Debug)]
pub struct Signed {
    pub key_id: KeyId,
    /// The signed comment, with tabs as spaces and controls escaped.
    pub trusted_comment: String,
}

/// The answer of a signature check: good, or bad with the reason.
#[derive(Debug)]
pub enum SigCheck {
    Good(Signed),
    Bad(String),
}

/// Checks `signature` (a `.minisig` file) over the file `data` with `pk`.
/// `Err` means the check could not be made (a file that cannot be read);
/// every way the signature can fail is a `Bad` with its reason.
pub fn check(data: &Path, signature: &Path, pk: &PublicKey) -> Result<SigCheck> {
    let file =
        std::fs::File::open(data).with_context(|| format!("cannot open {}", data.display()))?;
    check_reader(file, data, signature, pk)
}

/// `check` over bytes already open (`shown` names them): a bundle is
/// opened once, its bytes read for the signature and then for the entries.
pub fn check_reader(
    data: impl Read + std::io::Seek,
    shown: &Path,
    signature: &Path,
    pk: &PublicKey,
) -> Result<SigCheck> {
    let sig_shown = signature.display();
    let text = match std::fs::metadata(signature) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(SigCheck::Bad(format!(
                "no signature: {sig_shown} is not beside the bundle (ask the sender for it; `pack build --bundle --sign KEY` writes it)"
            )));
        }
        _ => match read_small(signature, "a minisign signature") {
            Ok(t) => t,
            Err(e) => return Ok(SigCheck::Bad(format!("{e:#}"))),
        },
    };
    let sig = match SignatureBox::from_string(&text) {
        Ok(s) => s,
        Err(e) => {
            return Ok(SigCheck::Bad(format!(
                "the signature {sig_shown} is damaged: {}",
                crate::finding::escape_controls(&e.to_string())
            )));
        }
    };
    let signed_by = key_id(sig.keynum());
    let given = key_id(pk.keynum());
    if signed_by != given {
        return Ok(SigCheck::Bad(format!(
            "wrong key: the bundle was signed with key {signed_by}, but the public key given is key {given}"
        )));
    }
    if !sig.is_prehashed() {
        return Ok(SigCheck::Bad(
            "the signature is in minisign's legacy format (minisign -l), which pack does not accept: sign again without -l".into(),
        ));
    }
    let comment = match sig.trusted_comment() {
        Ok(c) => c,
        Err(e) => {
            return Ok(SigCheck::Bad(format!(
                "the signature {sig_shown} is damaged: {e}"
            )));
        }
    };
    match minisign::verify(pk, &sig, data, true, false, false) {
        Ok(()) => Ok(SigCheck::Good(Signed {
            key_id: signed_by,
            trusted_comment: printable(&comment),
        })),
        Err(e) => match e.kind() {
            minisign::ErrorKind::Verify if e.to_string().contains("Comment") => Ok(SigCheck::Bad(
                "the trusted comment was changed after signing: its signature does not match"
                    .into(),
            )),
            minisign::ErrorKind::Verify => Ok(SigCheck::Bad(format!(
                "the signature does not match {}: the zip, or the signature, was changed after signing",
                shown.display()
            ))),
            _ => Err(anyhow!("cannot read {}: {e}", shown.display())),
        },
    }
}

/// The key a `.minisig` file says signed it: `None` when there is no such
/// file, `Err` (with the reason) when it is not a minisign signature. Only a
/// key found this way is tried, never one named inside the signed data.
pub fn signature_key_id(signature: &Path) -> Result<Option<KeyId>> {
    if !signature.exists() {
        return Ok(None);
    }
    let text = read_small(signature, "a minisign signature")?;
    let sig = SignatureBox::from_string(&text).map_err(|e| {
        anyhow!(
            "the signature {} is damaged: {}",
            signature.display(),
            crate::finding::escape_controls(&e.to_string())
        )
    })?;
    Ok(Some(key_id(sig.keynum())))
}

/// A trusted comment safe to print: tabs (minisign separates its fields
/// with them) as spaces, other control characters escaped.
fn printable(comment: &str) -> String {
    crate::finding::escape_controls(&comment.replace('\t', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_signs_and_its_public_key_checks_the_signature() {
        let dir = tempfile::tempdir().unwrap();
        let key = generate(None).unwrap();
        assert!(key.public.contains(&format!("{:X}", key.id.0)));
        assert!(!key.public.contains(key.secret.lines().nth(1).unwrap()));
        let sk_path = dir.path().join("k.key");
        write_secret_key(&sk_path, &key.secret).unwrap();
        let signer = load_signing_key(&sk_path).unwrap();
        assert_eq!(signer.id, key.id);

        let data = dir.path().join("b.zip");
        std::fs::write(&data, b"a bundle").unwrap();
        let sig = sign(&signer, b"a bundle", "pack bundle b.zip").unwrap();
        let sig_path = signature_path(&data);
        std::fs::write(&sig_path, &sig).unwrap();
        let pk = public_key_string(&key.public_base64).unwrap();
        match check(&data, &sig_path, &pk).unwrap() {
            SigCheck::Good(s) => {
                assert_eq!(s.key_id, key.id);
                assert_eq!(s.trusted_comment, "pack bundle b.zip");
            }
            SigCheck::Bad(why) => panic!("{why}"),
        }
        std::fs::write(&data, b"a bundlf").unwrap();
        assert!(matches!(
            check(&data, &sig_path, &pk).unwrap(),
            SigCheck::Bad(_)
        ));
        let other = generate(None).unwrap();
        let pk2 = public_key_string(&other.public_base64).unwrap();
        match check(&data, &sig_path, &pk2).unwrap() {
            SigCheck::Bad(why) => {
                assert!(why.contains("wrong key") && why.contains(&other.id.to_string()))
            }
            SigCheck::Good(_) => panic!("another key was accepted"),
        }
    }

    #[test]
    fn key_ids_read_as_minisign_prints_them() {
        assert_eq!(
            key_id(&[0xB3, 0xF7, 0x5F, 0x46, 0xBF, 0x02, 0x06, 0xFE]).to_string(),
            "FE0602BF465FF7B3"
        );
        assert_eq!(
            signature_path(Path::new("out/a-bundle.zip")),
            Path::new("out/a-bundle.zip.minisig")
        );
        assert_eq!(
            public_key_path(Path::new("pack.key")),
            Path::new("pack.key.pub")
        );
    }
}
