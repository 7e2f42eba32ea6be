//! Records the commit pack was built from, for `pack --version`.
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs");
    let version = env!("CARGO_PKG_VERSION");
    let sha = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|s| !s.is_empty());
    match sha {
        Some(sha) => println!("cargo:rustc-env=PACK_VERSION={version} (commit {sha})"),
        None => println!("cargo:rustc-env=PACK_VERSION={version}"),
    }
}
