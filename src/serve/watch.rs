//! Watches plan/, evidence/, data/ and templates/ (never out/ or anything else)
//! with a debouncer, so an editor's save-as-rename or a checkout of 200
//! files is one rebuild, and rebuilds on a thread of its own.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};

use super::Shared;

/// Quiet time after the last change before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// The folders whose changes rebuild the pack.
const WATCHED: [&str; 4] = ["plan", "evidence", "data", "templates"];

pub fn spawn(shared: Arc<Shared>) -> Result<()> {
    let root = shared.settings.root.clone();
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).context("cannot watch the repository")?;
    // The root itself, not recursively: to see a watched folder appear.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .context("cannot watch the repository")?;
    let watched: Vec<PathBuf> = WATCHED.iter().map(|n| root.join(n)).collect();
    let mut watching: BTreeSet<PathBuf> = BTreeSet::new();
    let mut refresh = move |debouncer: &mut Debouncer<RecommendedWatcher, RecommendedCache>| {
        for name in WATCHED {
            let dir = root.join(name);
            if dir.is_dir() {
                if !watching.contains(&dir)
                    && debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
                {
                    watching.insert(dir);
                }
            } else if watching.remove(&dir) {
                let _ = debouncer.unwatch(&dir);
            }
        }
    };
    refresh(&mut debouncer);
    std::thread::Builder::new()
        .name("pack-serve-watch".into())
        .spawn(move || {
            while let Ok(batch) = rx.recv() {
                let relevant = match &batch {
                    Ok(events) => events.iter().any(|e| {
                        changes(e)
                            && e.paths
                                .iter()
                                .any(|p| watched.iter().any(|w| p.starts_with(w)))
                    }),
                    // The watcher lost track (e.g. too many events): rebuild to be sure.
                    Err(_) => true,
                };
                if relevant {
                    refresh(&mut debouncer);
                    shared.rebuild();
                }
            }
        })
        .context("cannot start the watcher")?;
    Ok(())
}

/// Whether an event may change what the pack shows: reading a file (as
/// every rebuild does) is not a change; finishing a write is.
fn changes(e: &DebouncedEvent) -> bool {
    match e.event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}
