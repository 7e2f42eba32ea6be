//! The zip container of .xlsx, .xlsm and .ods, bounded by what it really
//! holds: every part is decompressed once, counting bytes, before any
//! reader that trusts the archive opens it. Declared sizes are never used.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::Unreadable;
use super::limits::{MAX_EXPANDED_BYTES, MAX_HELD_PART_BYTES};

pub type Archive = zip::ZipArchive<BufReader<File>>;

pub fn open(path: &Path, name: &str) -> Result<Archive, Unreadable> {
    let f = File::open(path).map_err(|e| Unreadable(format!("cannot read {name}: {e}")))?;
    zip::ZipArchive::new(BufReader::new(f)).map_err(|e| {
        Unreadable(format!(
            "{name} is not a workbook pack can read (it may be damaged): {e}"
        ))
    })
}

/// Counts the bytes read through it; past `limit` reads fail.
pub struct Counted<R> {
    inner: R,
    pub read: u64,
    limit: u64,
}

impl<R: Read> Counted<R> {
    pub fn new(inner: R, limit: u64) -> Counted<R> {
        Counted {
            inner,
            read: 0,
            limit,
        }
    }

    pub fn over(&self) -> bool {
        self.read > self.limit
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.over() {
            return Err(std::io::Error::other("part too large"));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Decompresses every part once, refusing the workbook when one part, or
/// all together, expand past the limits. `held` says which parts a reader
/// keeps in memory whole; `scan` may look at a part as it streams by (it
/// must read it to the end).
pub fn check(
    archive: &mut Archive,
    name: &str,
    held: impl Fn(&str) -> bool,
    mut scan: impl FnMut(&str, &mut dyn Read) -> Result<(), Unreadable>,
) -> Result<(), Unreadable> {
    let too_big = || {
        Unreadable(format!(
            "{name} expands to more than {} MiB; pack refuses it (a workbook that large is likely not an evidence log, or is built to exhaust memory)",
            MAX_EXPANDED_BYTES >> 20
        ))
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            Unreadable(format!(
                "{name} is damaged or encrypted (part {i}: {e}); save it again and import the copy"
            ))
        })?;
        let part = entry.name().to_owned();
        let limit = if held(&part) {
            MAX_HELD_PART_BYTES
        } else {
            MAX_EXPANDED_BYTES - total
        };
        let mut counted = Counted::new(&mut entry, limit);
        let result = scan(&part, &mut counted);
        // Whatever the scan left unread is counted too.
        let copied = if counted.over() {
            Ok(0)
        } else {
            std::io::copy(&mut counted, &mut std::io::sink())
        };
        if counted.over() {
            if held(&part) {
                return Err(Unreadable(format!(
                    "{name}'s part {part} expands to more than {} MiB; pack refuses it",
                    MAX_HELD_PART_BYTES >> 20
                )));
            }
            return Err(too_big());
        }
        result?;
        copied.map_err(|e| {
            Unreadable(format!(
                "{name} is damaged ({part}: {e}); save it again and import the copy"
            ))
        })?;
        total += counted.read;
        if total > MAX_EXPANDED_BYTES {
            return Err(too_big());
        }
    }
    Ok(())
}

/// A part, decompressed as it is read (already bounded by `check`).
pub fn part<'a>(
    archive: &'a mut Archive,
    part: &str,
    name: &str,
) -> Result<Option<impl Read + 'a>, Unreadable> {
    match archive.by_name(part) {
        Ok(f) => Ok(Some(Counted::new(f, MAX_EXPANDED_BYTES))),
        Err(zip::result::ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(Unreadable(format!(
            "{name} is damaged ({part}: {e}); save it again and import the copy"
        ))),
    }
}
