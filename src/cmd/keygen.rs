//! `pack keygen`: a key pair for signing bundles, in minisign's format
//! (spec section 9). The secret key goes where no repository is (mode
//! 0600), the public key beside it; only the public key is printed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::KeygenArgs;
use crate::sign;

pub fn run(args: &KeygenArgs) -> Result<ExitCode> {
    let secret: PathBuf = match &args.out {
        Some(p) => p.clone(),
        None => sign::default_key_path()?,
    };
    let public = sign::public_key_path(&secret);
    if let Some(repo) = sign::repository_holding(&secret) {
        bail!(
            "refusing to write a secret key inside the evidence repository {}: it could be committed with the evidence\n  hint: leave out --out to use {}, or choose a folder outside any repository",
            repo.display(),
            sign::default_key_path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| "~/.config/pack/pack.key".into())
        );
    }
    if !args.force {
        for p in [&secret, &public] {
            if p.symlink_metadata().is_ok() {
                bail!(
                    "{} already exists: pack never replaces a key (bundles signed with it could no longer be checked against a new one)\n  hint: pass --out FILE for another key, or --force to replace it",
                    p.display()
                );
            }
        }
    }
    let password = if args.no_password {
        None
    } else if let Some(p) = sign::env_password() {
        Some(p)
    } else {
        let how = format!(
            "set {} to the password, or pass --no-password for a key without one",
            sign::PASSWORD_ENV
        );
        let first = sign::ask_password("Password for the new secret key: ", &how)?;
        if first.is_empty() {
            bail!("an empty password protects nothing: type one, or pass --no-password");
        }
        let again = sign::ask_password("The same password again: ", &how)?;
        if first != again {
            bail!("the two passwords differ: nothing was written");
        }
        Some(first)
    };
    let key = sign::generate(password)?;
    sign::write_secret_key(&secret, &key.secret)?;
    crate::output::write_atomic(&public, key.public.as_bytes())?;

    println!(
        "wrote the secret key {} (readable by you only; {})",
        secret.display(),
        if key.encrypted {
            "protected by a password"
        } else {
            "not protected by a password"
        }
    );
    println!("wrote the public key {}", public.display());
    match key.id.short_spelling() {
        // Older minisign releases (Debian's) drop leading zeros: say both.
        Some(short) => println!("key id: {} (minisign may print it as {short})", key.id),
        None => println!("key id: {}", key.id),
    }
    println!("public key: {}", key.public_base64);
    println!();
    println!(
        "Sign a bundle:     pack build --bundle --sign {}",
        secret.display()
    );
    println!(
        "Reviewers check it: pack verify BUNDLE.zip --pubkey {}",
        public.display()
    );
    println!(
        "               or: minisign -Vm BUNDLE.zip -P {}",
        key.public_base64
    );
    println!("Keep the secret key out of every repository; give reviewers the public key.");
    Ok(ExitCode::SUCCESS)
}
