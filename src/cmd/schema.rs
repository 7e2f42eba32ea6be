//! `pack schema [KIND] [--out DIR]` (spec section 13): the JSON Schema of a
//! file kind on stdout, or every kind written to DIR/<kind>.schema.json
//! (how `.pack/schemas/` is refreshed after an upgrade).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::SchemaArgs;
use crate::schema::Kind;

pub fn run(args: &SchemaArgs) -> Result<ExitCode> {
    let kinds: Vec<Kind> = match args.kind {
        Some(k) => vec![k.into()],
        None => Kind::ALL.to_vec(),
    };
    match &args.out {
        None => {
            let [kind] = kinds[..] else {
                bail!(
                    "name the schema to print (plan, area, evidence or view), or write them all with --out DIR\n  hint: `pack schema --out .pack/schemas` refreshes an editor's schemas"
                );
            };
            print!("{}", kind.text());
        }
        Some(dir) => {
            write_all(dir, &kinds)?;
            for k in &kinds {
                println!("wrote {}", dir.join(k.file_name()).display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes each kind's schema into `dir` (made if missing), replacing what
/// was there: the schemas are pack's, not the user's.
pub fn write_all(dir: &Path, kinds: &[Kind]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for k in kinds {
        crate::output::write_atomic(&dir.join(k.file_name()), k.text().as_bytes())?;
    }
    Ok(())
}
