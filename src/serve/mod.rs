//! `pack serve`: the HTML pack and its findings on a local address,
//! rebuilt in memory whenever plan/, evidence/ or templates/ change.
//!
//! - `page`: one rebuild (the `pack build` pipeline, in memory) and the
//!   findings panel;
//! - `routes`: the only paths served; everything else is 404;
//! - `accept`: the accept loop, which disconnects clients that never
//!   finish their request head;
//! - `guard`: the Host check and the security headers on every answer;
//! - `watch`: the debounced watcher that rebuilds and tells open pages.

mod accept;
mod guard;
mod page;
mod routes;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use tokio::sync::broadcast;

use crate::cli::ServeArgs;
use page::{Built, Settings};

/// Sent to open pages in place of a generation when the server stops, so
/// that their event streams end and shutdown does not wait on them.
const CLOSING: u64 = u64::MAX;

/// What every request handler shares.
pub struct Shared {
    hosts: Vec<String>,
    settings: Settings,
    current: RwLock<Arc<Built>>,
    changed: broadcast::Sender<u64>,
    pdf: Mutex<routes::PdfSlot>,
    timing: bool,
}

impl Shared {
    fn current(&self) -> Arc<Built> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Rebuilds everything and tells open pages. Only the watcher calls it,
    /// so rebuilds never overlap.
    fn rebuild(&self) {
        let start = Instant::now();
        let generation = self.current().generation + 1;
        let built = Arc::new(build(&self.settings, generation));
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = built;
        // No open page is not an error.
        let _ = self.changed.send(generation);
        if self.timing {
            eprintln!(
                "pack serve: generation {generation} rebuilt in {} ms",
                start.elapsed().as_millis()
            );
        }
    }
}

/// One rebuild; a bug in it is a page saying so, and the server goes on
/// watching, so that the next save can fix what the page shows.
fn build(settings: &Settings, generation: u64) -> Built {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| page::build(settings, generation)))
        .unwrap_or_else(|_| {
            page::error_page(
                generation,
                "pack failed while building the page (a bug: please report it with the repository's last change)",
            )
        })
}

pub fn run(dir: &Path, args: &ServeArgs) -> Result<ExitCode> {
    let root = crate::load::find_root(dir)?;
    let addr = SocketAddr::new(args.host, args.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow!(
                "port {} on {} is in use by another program: stop it, or choose another port with --port",
                args.port,
                args.host
            )
        } else {
            anyhow!(e).context(format!("cannot listen on {addr}"))
        }
    })?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    if !args.host.is_loopback() {
        eprintln!(
            "warning: listening on {} (not loopback): anyone who can reach this machine on port {port} can read the pack, \
             which may hold OFFICIAL information",
            args.host
        );
    }

    let settings = Settings {
        root,
        as_of: args.as_of.clone(),
        include_sensitive: args.include_sensitive,
    };
    let timing = std::env::var_os("PACK_SERVE_TIMING").is_some_and(|v| !v.is_empty());
    let start = Instant::now();
    let first = build(&settings, 1);
    if timing {
        eprintln!(
            "pack serve: first build in {} ms",
            start.elapsed().as_millis()
        );
    }
    let (changed, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        hosts: guard::allowed_hosts(args.host, port),
        settings,
        current: RwLock::new(Arc::new(first)),
        changed,
        pdf: Mutex::new(routes::PdfSlot::default()),
        timing,
    });
    watch::spawn(shared.clone())?;

    let url_host = match args.host {
        h if h.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST).to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let url = format!("http://{url_host}:{port}/");
    println!(
        "Serving the pack of {} on {url} (Ctrl-C stops)",
        shared.settings.root.display()
    );
    use std::io::Write;
    std::io::stdout().flush()?;
    if args.open {
        open_browser(&url);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = routes::router(shared.clone());
        let closing = shared.clone();
        accept::serve(listener, app, async move {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("stopping");
            let _ = closing.changed.send(CLOSING);
        })
        .await;
        anyhow::Ok(())
    })?;
    // The watcher thread ends with the process.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    Ok(ExitCode::SUCCESS)
}

/// Opens the default browser; a failure is a message, not an error.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("note: could not open a browser ({program}: {e}); open {url} yourself");
    }
}
