//! The adviser's keys file: which public key signs for which local area.
//!
//! ```yaml
//! keys:
//!   - { area: E10000016, name: Kent, pubkey: RWQ... }
//! ```
//!
//! `area` is the local area's identity (its `local_authority.code`, else its
//! plan id). A bundle's key is found by the key id in its `.minisig`, never
//! by a name inside the bundle. One area may have several keys (a key being
//! replaced); one key may sign for one area only.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use minisign::PublicKey;

use crate::load::yaml::{self, Node, Value};
use crate::sign::{self, KeyId};

/// Larger than any list of keys an adviser keeps.
const MAX_KEYS_FILE_BYTES: u64 = 4 << 20;

/// One entry of the keys file.
#[derive(Clone)]
pub struct Key {
    pub area: String,
    pub name: String,
    pub id: KeyId,
    pub pk: PublicKey,
}

/// The keys file, read.
#[derive(Default)]
pub struct Keys {
    by_id: BTreeMap<KeyId, Key>,
}

impl Keys {
    /// The entry whose key has this id.
    pub fn by_id(&self, id: KeyId) -> Option<&Key> {
        self.by_id.get(&id)
    }

    /// The keys listed for an area.
    pub fn for_area<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a Key> + 'a {
        self.by_id.values().filter(move |k| k.area == area)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Reads the keys file; every problem in it at once, each with its line and
/// column, or none.
pub fn read(path: &Path) -> Result<Keys> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).with_context(|| format!("cannot open {shown}"))?;
    if meta.len() > MAX_KEYS_FILE_BYTES {
        bail!("{shown} is too large to be a keys file");
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {shown} (a keys file is UTF-8 text)"))?;
    let root = yaml::parse(&text).map_err(|e| {
        anyhow::anyhow!(
            "{shown}:{}:{}: {}\n  hint: {}",
            e.pos.line,
            e.pos.column,
            e.message,
            e.hint
        )
    })?;
    parse(&root, &shown)
}

fn parse(root: &Node, shown: &str) -> Result<Keys> {
    let mut problems: Vec<String> = Vec::new();
    let mut say = |n: &Node, msg: String, hint: &str| {
        problems.push(format!(
            "{shown}:{}:{}: {msg}\n  hint: {hint}",
            n.pos.line, n.pos.column
        ));
    };
    const SHAPE: &str =
        "a keys file is `keys:` then a list of `- { area: E10000016, name: Kent, pubkey: RWQ... }`";
    let list = match &root.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.as_str() == Some("keys"))
            .map(|(_, v)| v),
        _ => None,
    };
    let Some(list) = list else {
        say(root, "there is no `keys:` list".into(), SHAPE);
        return finish(problems, Keys::default());
    };
    let Value::Seq(items) = &list.value else {
        say(
            list,
            format!("`keys` is {}, not a list", list.kind_name()),
            SHAPE,
        );
        return finish(problems, Keys::default());
    };
    let mut keys = Keys::default();
    for item in items {
        let Value::Map(fields) = &item.value else {
            say(
                item,
                format!("a key is {}, not a mapping", item.kind_name()),
                SHAPE,
            );
            continue;
        };
        let field = |name: &str| fields.iter().find(|(k, _)| k.as_str() == Some(name));
        for (k, _) in fields {
            if !matches!(k.as_str(), Some("area" | "name" | "pubkey")) {
                say(
                    k,
                    format!("unknown field `{}`", k.as_str().unwrap_or("?")),
                    "a key has `area`, `name` and `pubkey`",
                );
            }
        }
        let mut text = |name: &str, hint: &str| -> Option<(String, &Node)> {
            match field(name) {
                None => {
                    say(item, format!("this key has no `{name}`"), hint);
                    None
                }
                Some((_, v)) => match v.as_str().map(str::trim).filter(|s| !s.is_empty()) {
                    Some(s) => Some((s.to_owned(), v)),
                    None => match &v.raw {
                        // An area written as a bare number (a plan id of digits).
                        Some(raw) => Some((raw.clone(), v)),
                        None => {
                            say(v, format!("`{name}` is {}, not text", v.kind_name()), hint);
                            None
                        }
                    },
                },
            }
        };
        let area = text(
            "area",
            "`area` is the local area's code (local_authority.code in its plan.yaml), else its plan id",
        );
        let name = text(
            "name",
            "`name` is the local area's name, as the portfolio shows it",
        );
        let pubkey = text(
            "pubkey",
            "`pubkey` is the area's minisign public key: the second line of its .pub file (RW...)",
        );
        let (Some((area, _)), Some((name, _)), Some((pubkey, at))) = (area, name, pubkey) else {
            continue;
        };
        let pk = match sign::public_key_string(&pubkey) {
            Ok(pk) => pk,
            Err(e) => {
                say(
                    at,
                    format!("{e:#}"),
                    "copy the second line of the area's .pub file (`pack keygen` wrote it)",
                );
                continue;
            }
        };
        let id = sign::key_id(pk.keynum());
        if let Some(other) = keys.by_id.get(&id) {
            if other.area != area {
                say(
                    at,
                    format!(
                        "key {id} is listed for area {} already: one key signs for one area",
                        other.area
                    ),
                    "each local area signs with its own key",
                );
            }
            continue;
        }
        keys.by_id.insert(id, Key { area, name, id, pk });
    }
    finish(problems, keys)
}

fn finish(problems: Vec<String>, keys: Keys) -> Result<Keys> {
    if problems.is_empty() {
        return Ok(keys);
    }
    bail!(
        "the keys file has {} problem{}:\n{}",
        problems.len(),
        crate::assess::plural(problems.len()),
        problems.join("\n")
    )
}
