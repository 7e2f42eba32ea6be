//! The real binary as a child process, measured alone: its exit (or the
//! signal that ended it) and its peak memory, read with `wait4` on its pid
//! (RUSAGE_CHILDREN would also count LibreOffice and Chromium started by
//! tests running alongside). A run past the time bound is killed: the bound
//! only catches hangs.
//!
//! Linux carries the spawning process's own peak into the child's
//! `ru_maxrss` (across fork and exec), so the figure is the larger of the
//! child's peak and the test process's peak at the spawn (`floor_mib`):
//! an upper bound of the child's own, exact whenever it is above the floor.
//! Tests that measure keep their own memory small (big files are written
//! as streams) so that the floor stays low.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How one run ended.
#[derive(Debug)]
pub struct Run {
    /// The exit code, when it exited.
    pub code: Option<i32>,
    /// The signal that ended it, when one did.
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident memory, in MiB.
    pub peak_mib: f64,
    /// The test process's own peak when it spawned the child, in MiB.
    pub floor_mib: f64,
    pub killed_for_time: bool,
    pub took: Duration,
}

impl Run {
    /// Both streams, for messages.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// `pack ARGS` in `dir` with today pinned, killed after `limit`.
pub fn pack(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let out = tempfile::tempdir().unwrap();
    let stdout = std::fs::File::create(out.path().join("out")).unwrap();
    let stderr = std::fs::File::create(out.path().join("err")).unwrap();
    let floor_mib = own_peak_mib();
    let start = Instant::now();
    let child = Command::new(assert_cmd::cargo::cargo_bin("pack"))
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let done = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let (done, killed) = (done.clone(), killed.clone());
        std::thread::spawn(move || {
            while start.elapsed() < limit {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if !done.load(Ordering::SeqCst) {
                killed.store(true, Ordering::SeqCst);
                // The child is not reaped yet (only wait4 below reaps it),
                // so the pid is still ours.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        })
    };
    let mut status: libc::c_int = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4: {}", std::io::Error::last_os_error());
    done.store(true, Ordering::SeqCst);
    watchdog.join().unwrap();
    // `child` is reaped already; dropping it does not wait.
    drop(child);
    let took = start.elapsed();
    let (code, signal) = if libc::WIFEXITED(status) {
        (Some(libc::WEXITSTATUS(status)), None)
    } else if libc::WIFSIGNALED(status) {
        (None, Some(libc::WTERMSIG(status)))
    } else {
        (None, None)
    };
    Run {
        code,
        signal,
        stdout: std::fs::read_to_string(out.path().join("out")).unwrap_or_default(),
        stderr: std::fs::read_to_string(out.path().join("err")).unwrap_or_default(),
        // Linux reports ru_maxrss in KiB.
        peak_mib: usage.ru_maxrss as f64 / 1024.0,
        floor_mib,
        killed_for_time: killed.load(Ordering::SeqCst),
        took,
    }
}

/// This process's peak resident memory (VmHWM), in MiB.
pub fn own_peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}
