//! `pack serve` against the real binary: paths and Host headers with a raw
//! TCP client (so nothing normalises the request), a repository that
//! breaks and recovers, and the live page in headless Chromium.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use common::{EVIDENCE, Fixture, TODAY_EPOCH};
use serde_json::{Value, json};

/// A running `pack serve --port 0`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(f: &Fixture) -> Server {
        Server::start_with(f, &[])
    }

    fn start_with(f: &Fixture, args: &[&str]) -> Server {
        Server::start_env(f, args, &[])
    }

    /// With `env` set after the defaults (today pinned, no colour).
    fn start_env(f: &Fixture, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pack"))
            .current_dir(f.path())
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .args(["serve", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("pack serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no URL on the first line: {line:?}"));
        Server { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// GET `path` exactly as written, with `host` as the Host header.
    fn raw(&self, path: &str, host: &str) -> Answer {
        self.send(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    }

    /// Sends `request` byte for byte and reads the answer to its end.
    fn send(&self, request: &str) -> Answer {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        Answer {
            status,
            head: head.to_ascii_lowercase(),
            body: body.to_owned(),
        }
    }

    fn get(&self, path: &str) -> Answer {
        self.raw(path, &self.host())
    }

    /// Polls `/` until its body satisfies `ok` (the watcher rebuilt).
    fn wait_page(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let a = self.get("/");
            if a.status == 200 && ok(&a.body) {
                return a.body;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "after 10 s the page still does not show {what}:\n{}",
                a.body
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

/// The fixture with an attachment on its item, an item left out of the
/// pack (sensitive) with its own attachment, and a link out of the
/// repository inside evidence/.
fn fixture_with_attachments() -> Fixture {
    let f = Fixture::new();
    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "evidence/2025/dashboard.yaml",
        &format!("{EVIDENCE}file: dashboard.csv\n"),
    );
    f.write("evidence/2025/secret.csv", "name\nsomeone\n");
    f.write(
        "evidence/2025/secret.yaml",
        &EVIDENCE
            .replace("E-2025-001", "E-2025-002")
            .replace("Timeliness dashboard", "Case file")
            .replace(
                "summary:",
                "personal_data: true\nfile: secret.csv\nsummary:",
            ),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", f.file("evidence/2025/passwd.csv")).unwrap();
    f
}

#[test]
fn only_the_packs_own_paths_are_served() {
    let f = fixture_with_attachments();
    let s = Server::start(&f);
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Timeliness dashboard, April 2025"));
    assert!(
        !page.body.contains("Case file"),
        "a sensitive item is not in the pack"
    );
    let a = s.get("/attachments/evidence/2025/dashboard.csv");
    assert_eq!(a.status, 200, "the attachment of an item in the pack");
    assert!(a.body.contains("2025-04,45.5"));
    assert_eq!(s.get("/_pack/live.js").status, 200);
    for path in [
        "/../plan/plan.yaml",
        "/%2e%2e/plan/plan.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/plan/plan.yaml",
        "/plan/areas/a1.yaml",
        "/evidence/2025/dashboard.yaml",
        "/evidence/2025/dashboard.csv",
        "/.git/config",
        "//etc/passwd",
        "/..%5cplan",
        "/..\\plan\\plan.yaml",
        "/attachments/../plan/plan.yaml",
        "/attachments/%2e%2e/plan/plan.yaml",
        "/attachments//etc/passwd",
        "/attachments/evidence/2025/secret.csv",
        "/attachments/evidence/2025/secret.yaml",
        "/attachments/evidence/2025/dashboard.yaml",
        "/attachments/evidence/2025/passwd.csv",
        "/attachments/evidence/2025/",
        "/attachments/evidence%2f2025%2fdashboard.csv%00",
        "/index.html",
        "/out/",
    ] {
        let a = s.get(path);
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        assert!(!a.body.contains("root:"), "{path}");
        assert!(!a.body.contains("plan/plan.yaml"), "{path}");
    }
}

#[test]
fn only_requests_naming_this_server_are_answered() {
    let f = Fixture::new();
    let s = Server::start(&f);
    let port = s.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(s.raw("/", &host).status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost".to_owned(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.2:{port}"),
    ] {
        let a = s.raw("/", &host);
        assert_eq!(a.status, 421, "{host}");
        assert!(!a.body.contains("Test SEND plan"), "{host}");
    }
    // Not even a 404 tells a foreign page what exists.
    assert_eq!(
        s.raw("/pack.pdf", &format!("evil.example:{port}")).status,
        421
    );
}

#[test]
fn every_answer_carries_the_security_headers() {
    let f = Fixture::new();
    let s = Server::start(&f);
    let evil = format!("evil.example:{}", s.port);
    for a in [
        s.get("/"),
        s.get("/no-such-page"),
        s.get("/_pack/live.js"),
        s.raw("/", &evil),
    ] {
        assert!(
            a.head
                .contains("content-security-policy: default-src 'self'; script-src 'self';"),
            "{}",
            a.head
        );
        assert!(a.head.contains("object-src 'none'"), "{}", a.head);
        assert!(a.head.contains("frame-ancestors 'none'"), "{}", a.head);
        assert!(
            a.head.contains("x-content-type-options: nosniff"),
            "{}",
            a.head
        );
        assert!(
            a.head.contains("referrer-policy: no-referrer"),
            "{}",
            a.head
        );
    }
    // No inline script: the page loads its one script from the server.
    let page = s.get("/").body;
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    assert!(page.contains("<script src=\"/_pack/live.js\" defer></script>"));
}

#[test]
fn attachments_keep_their_own_sandbox_policy() {
    let f = fixture_with_attachments();
    f.write("evidence/2025/page.txt", "<script>alert(1)</script>\n");
    f.write(
        "evidence/2025/page.yaml",
        &EVIDENCE
            .replace("E-2025-001", "E-2025-003")
            .replace("summary:", "file: page.txt\nsummary:"),
    );
    let s = Server::start(&f);
    for path in [
        "/attachments/evidence/2025/dashboard.csv",
        "/attachments/evidence/2025/page.txt",
    ] {
        let a = s.get(path);
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        let policies: Vec<&str> = a
            .head
            .lines()
            .filter(|l| l.starts_with("content-security-policy:"))
            .collect();
        assert_eq!(policies.len(), 1, "{path}: {}", a.head);
        assert!(
            policies[0].starts_with("content-security-policy: sandbox; default-src 'none'"),
            "{path}: {}",
            a.head
        );
        assert!(!policies[0].contains("script-src"), "{path}: {}", a.head);
        assert!(a.head.contains("x-content-type-options: nosniff"));
    }
    // The page, and a 404 under /attachments/, keep the page policy.
    for path in ["/", "/attachments/evidence/2025/secret.csv"] {
        assert!(
            s.get(path)
                .head
                .contains("content-security-policy: default-src 'self'; script-src 'self';"),
            "{path}"
        );
    }
}

/// The page served is the built pack: a remote image in user Markdown is a
/// link there too, and raw HTML is text, so opening the preview fetches
/// nothing from elsewhere.
#[test]
fn the_served_page_fetches_nothing_from_elsewhere() {
    let f = Fixture::new();
    f.write(
        "plan/areas/a1.md",
        "See ![pixel](https://tracker.example/p.gif) and <img src=\"https://tracker.example/r.gif\">.\n",
    );
    let s = Server::start(&f);
    let page = s.get("/").body;
    assert!(
        page.contains("<a href=\"https://tracker.example/p.gif\">pixel</a>"),
        "{page}"
    );
    for live in ["src=\"https://tracker", "<img src=\"https"] {
        assert!(!page.contains(live), "{live}: {page}");
    }
}

#[test]
fn every_other_form_of_host_is_refused() {
    let f = Fixture::new();
    let s = Server::start(&f);
    let port = s.port;
    let get = |target: &str, hosts: &[String]| {
        let mut req = format!("GET {target} HTTP/1.1\r\n");
        for h in hosts {
            req.push_str(&format!("Host: {h}\r\n"));
        }
        req.push_str("Connection: close\r\n\r\n");
        s.send(&req)
    };
    let local = format!("127.0.0.1:{port}");
    let evil = format!("evil.example:{port}");
    // Two Host headers, whichever comes first and even when both are local.
    for hosts in [
        vec![local.clone(), evil.clone()],
        vec![evil.clone(), local.clone()],
        vec![local.clone(), local.clone()],
        vec![local.clone(), format!("localhost:{port}")],
    ] {
        let a = get("/", &hosts);
        assert_eq!(a.status, 400, "{hosts:?}: {}", a.body);
        assert!(!a.body.contains("Test SEND plan"), "{hosts:?}");
    }
    // An absolute-form target names the server too, and must name this one.
    for target in [
        format!("http://evil.example:{port}/"),
        format!("http://localhost.evil.example:{port}/"),
        format!("http://127.0.0.1:{}/", port.wrapping_add(1)),
        format!("http://user@127.0.0.1:{port}/"),
        format!("https://127.0.0.1:{port}/"),
        format!("127.0.0.1:{port}"),
    ] {
        let a = get(&target, std::slice::from_ref(&local));
        assert_eq!(a.status, 421, "{target}: {}", a.body);
        assert!(!a.body.contains("Test SEND plan"), "{target}");
    }
    let a = get(
        &format!("http://127.0.0.1:{port}/"),
        std::slice::from_ref(&local),
    );
    assert_eq!(a.status, 200, "an absolute form naming this server is fine");
    // Names that only look local, and other spellings of a loopback address.
    for host in [
        format!("localhost.:{port}"),
        format!("127.0.0.1.:{port}"),
        format!("user@localhost:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("evil.example.localhost:{port}"),
        format!("127.1:{port}"),
        format!("2130706433:{port}"),
        format!("0x7f000001:{port}"),
        format!("[0:0:0:0:0:0:0:1]:{port}"),
        format!("[::ffff:127.0.0.1]:{port}"),
        format!("::1:{port}"),
        format!("[::1]:{}", port.wrapping_add(1)),
        format!("localhost:0{port}"),
        format!("localhost:{port}:{port}"),
        "127.0.0.1".to_owned(),
        String::new(),
    ] {
        let a = get("/", std::slice::from_ref(&host));
        assert_eq!(a.status, 421, "{host:?}: {}", a.body);
    }
    for host in [format!("LOCALHOST:{port}"), format!("[::1]:{port}")] {
        assert_eq!(get("/", std::slice::from_ref(&host)).status, 200, "{host}");
    }
    // No Host at all (HTTP/1.0 allows it) names nothing.
    let a = s.send("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(a.status, 421, "{}", a.body);
}

/// One connection that sends nothing, one that stops half way through its
/// request head, one that sends a byte a second for ever: each is cut off
/// once 30 s have passed, while the server goes on answering others.
#[test]
fn a_client_that_never_finishes_its_request_head_is_disconnected() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let f = Fixture::new();
    let s = Server::start(&f);
    let port = s.port;
    let start = Instant::now();
    // Generous: the limit is 30 s; only a connection still open after this fails.
    let bound = Duration::from_secs(50);
    let connect = || {
        let c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        c.set_read_timeout(Some(bound)).unwrap();
        c
    };
    let silent = connect();
    let mut half = connect();
    write!(half, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ").unwrap();
    let trickle = connect();
    let closed = Arc::new(AtomicBool::new(false));
    let writer = {
        let closed = closed.clone();
        let mut out = trickle.try_clone().unwrap();
        std::thread::spawn(move || {
            let head = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
            let endless = head.bytes().chain(std::iter::repeat(b'a'));
            for byte in endless {
                if closed.load(Ordering::SeqCst)
                    || start.elapsed() > bound
                    || out.write_all(&[byte]).is_err()
                {
                    break;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    };
    // Waits until the server closes the connection; what it sent first
    // (a 408 or nothing) does not matter.
    let wait_closed = |mut c: TcpStream, what: &'static str| {
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            match c.read_to_end(&mut sink) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
                Err(e) => panic!("{what}: still open after {:?} ({e})", start.elapsed()),
            }
            start.elapsed()
        })
    };
    let waits = [
        wait_closed(silent, "the silent client"),
        wait_closed(half, "the client that stopped half way"),
        wait_closed(trickle.try_clone().unwrap(), "the trickling client"),
    ];
    // Meanwhile, others are answered.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(s.get("/").status, 200);
    let mut times = Vec::new();
    for w in waits {
        times.push(w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
    }
    closed.store(true, Ordering::SeqCst);
    let _ = trickle.shutdown(std::net::Shutdown::Both);
    writer.join().unwrap();
    for t in &times {
        assert!(*t >= Duration::from_secs(29), "cut off early: {times:?}");
    }
    assert_eq!(s.get("/").status, 200, "the server still answers");
}

#[test]
fn a_repository_that_stops_loading_shows_why_and_recovers() {
    let f = Fixture::new();
    let s = Server::start(&f);
    let before = s.wait_page("the pack", |b| {
        b.contains("Timeliness dashboard, April 2025")
    });
    let findings = |b: &str| b.matches("<li class=\"pack-finding ").count();
    let baseline = findings(&before);

    f.remove("plan/plan.yaml");
    let page = s.wait_page("that plan.yaml is missing", |b| {
        b.contains("plan/plan.yaml is missing")
    });
    assert!(
        !page.contains("Timeliness dashboard"),
        "no stale pack: {page}"
    );
    assert_eq!(s.get("/pack.pdf").status, 404);

    f.write("plan/plan.yaml", common::PLAN);
    s.wait_page("the pack again", |b| {
        b.contains("Timeliness dashboard, April 2025") && !b.contains("is missing")
    });

    // A YAML syntax error: the finding, in pack check's words.
    f.write("evidence/2025/dashboard.yaml", "id: [E-2025-001\n");
    let page = s.wait_page("the syntax error", |b| {
        b.contains("evidence/2025/dashboard.yaml")
    });
    let check = f.pack(&["check"]).output().unwrap();
    let check = String::from_utf8_lossy(&check.stdout);
    let first = check.lines().find(|l| l.starts_with("error")).unwrap();
    let escaped = first
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(page.contains(&escaped), "{first:?} not in\n{page}");
    f.write("evidence/2025/dashboard.yaml", EVIDENCE);
    s.wait_page("the pack as it was", |b| {
        b.contains("Timeliness dashboard, April 2025") && findings(b) == baseline
    });
}

#[test]
fn nothing_of_the_pack_is_served_with_a_personal_identifier() {
    let f = Fixture::new();
    f.write("evidence/2025/dashboard.csv", "month,value\n2025-04,45.5\n");
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE
            .replace(
                "Timeliness rose to 45.5%.",
                "Case of NHS number 943 476 5919.",
            )
            .replace("summary:", "file: dashboard.csv\nsummary:"),
    );
    let s = Server::start(&f);
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.contains_all(&["personal-identifier", "nothing of the pack is served"]),
        "{}",
        page.body
    );
    assert!(!page.body.contains("943 476 5919"), "{}", page.body);
    assert!(!page.body.contains("Timeliness dashboard"), "{}", page.body);
    assert_eq!(
        s.get("/attachments/evidence/2025/dashboard.csv").status,
        404
    );
    assert_eq!(s.get("/pack.pdf").status, 404);
}

trait ContainsAll {
    fn contains_all(&self, parts: &[&str]) -> bool;
}

impl ContainsAll for Answer {
    fn contains_all(&self, parts: &[&str]) -> bool {
        parts.iter().all(|p| self.body.contains(p))
    }
}

#[test]
fn the_pdf_is_built_on_request_and_kept() {
    let f = Fixture::new();
    let files = |f: &Fixture| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut all = Vec::new();
        let mut stack = vec![f.path().to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    all.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        all.sort();
        all
    };
    let before = files(&f);
    let s = Server::start(&f);
    let first = s.get("/pack.pdf");
    assert_eq!(first.status, 200);
    assert!(
        first.body.contains("The PDF is being built"),
        "{}",
        first.body
    );
    let start = Instant::now();
    loop {
        let a = s.get("/pack.pdf");
        if a.head.contains("content-type: application/pdf") {
            assert!(a.body.starts_with("%PDF-"));
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "{}", a.body);
        std::thread::sleep(Duration::from_millis(200));
    }
    // Kept: the next request answers at once with the PDF.
    assert!(s.get("/pack.pdf").head.contains("application/pdf"));
    // Read-only: pages and the PDF came from memory; nothing was written
    // in the repository (no out/, no cache, no changed file).
    assert_eq!(s.get("/").status, 200);
    drop(s);
    assert!(files(&f) == before, "pack serve wrote in the repository");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let f = Fixture::new();
    let out = f.pack(&["serve", "--port", &port]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port}")) && err.contains("in use"),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn answers_stay_200_or_404_while_rebuilds_happen() {
    let f = fixture_with_attachments();
    let s = Server::start(&f);
    let port = s.port;
    let writer = {
        let path = f.file("evidence/2025/dashboard.yaml");
        std::thread::spawn(move || {
            for i in 0..50 {
                let text = format!("{EVIDENCE}file: dashboard.csv\n")
                    .replace("April 2025", &format!("April 2025 v{i}"));
                std::fs::write(&path, text).unwrap();
                std::thread::sleep(Duration::from_millis(40));
            }
        })
    };
    let paths = [
        ("/", 200),
        ("/attachments/evidence/2025/dashboard.csv", 200),
        ("/_pack/live.js", 200),
        ("/plan/plan.yaml", 404),
        ("/%2e%2e/plan/plan.yaml", 404),
    ];
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let (path, want) = paths[i % paths.len()];
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
                write!(
                    s,
                    "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut text = String::new();
                s.read_to_string(&mut text).unwrap();
                let status: u16 = text.split(' ').nth(1).unwrap().parse().unwrap();
                (path, want, status)
            })
        })
        .collect();
    for c in clients {
        let (path, want, status) = c.join().unwrap();
        assert_eq!(status, want, "{path}");
    }
    writer.join().unwrap();
    s.wait_page("the last edit", |b| b.contains("April 2025 v49"));
}

/// tests/browser/serve.mjs: one page in headless Chromium, driven step by step.
struct Browser {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Browser {
    fn start() -> Browser {
        common::setup();
        let script =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser/serve.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs (tests/setup.sh installs it)");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Browser {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, cmd: Value) -> Value {
        writeln!(self.stdin, "{cmd}").unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        let answer: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("serve.mjs answered {line:?} to {cmd}: {e}"));
        assert_eq!(answer["ok"], true, "{cmd}: {answer:#}");
        answer
    }

    fn wait_text(&mut self, text: &str) -> Value {
        self.send(json!({"cmd": "waitText", "text": text, "ms": 10000}))
    }

    fn wait_gone(&mut self, text: &str) -> Value {
        self.send(json!({"cmd": "waitGone", "text": text, "ms": 10000}))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_open_page_follows_every_save_and_shows_the_findings() {
    let f = Fixture::new();
    let s = Server::start(&f);
    let mut b = Browser::start();
    b.send(json!({"cmd": "open", "url": s.url()}));
    b.wait_text("Timeliness dashboard, April 2025");
    let scrolled = b.send(json!({"cmd": "scroll", "y": 400}))["y"]
        .as_f64()
        .unwrap();

    // An edit appears without the test navigating, at the same scroll position.
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace(
            "Timeliness dashboard, April 2025",
            "Timeliness dashboard, edited live",
        ),
    );
    let shown = b.wait_text("Timeliness dashboard, edited live");
    eprintln!("edit shown {} ms after the save was seen", shown["ms"]);
    let y = b.send(json!({"cmd": "scrollY"}))["y"].as_f64().unwrap();
    assert!(
        (y - scrolled).abs() < 2.0,
        "scrolled to {scrolled}, now at {y}"
    );

    // A broken date: the finding with its file and line, above the pack.
    f.write(
        "evidence/2025/dashboard.yaml",
        &EVIDENCE.replace("date: 2025-04-30", "date: 2025-04-31"),
    );
    b.wait_text("evidence/2025/dashboard.yaml:3");
    b.wait_text("The pack could not be built");
    let axe = b.send(json!({"cmd": "axe"}));
    assert_eq!(
        axe["violations"].as_array().unwrap().len(),
        0,
        "axe-core on the page with findings: {:#}",
        axe["violations"]
    );

    // Fixed: the finding goes.
    f.write("evidence/2025/dashboard.yaml", EVIDENCE);
    b.wait_gone("evidence/2025/dashboard.yaml:3");
    b.wait_text("Timeliness dashboard, April 2025");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly_with_a_page_open() {
    let f = Fixture::new();
    let mut s = Server::start(&f);
    // An open page holds an event stream: shutdown must not wait on it.
    let mut events = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(
        events,
        "GET /events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        s.port
    )
    .unwrap();
    let mut first = [0u8; 64];
    events.read_exact(&mut first[..12]).unwrap();
    // SAFETY: sends SIGINT (Ctrl-C) to the child this test started.
    unsafe {
        libc::kill(s.child.id() as libc::pid_t, libc::SIGINT);
    }
    let start = Instant::now();
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "still running 5 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn another_address_than_loopback_is_a_warning() {
    let f = Fixture::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pack"))
        .current_dir(f.path())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .args(["serve", "--port", "0", "--host", "0.0.0.0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("Serving the pack of "), "{line}");
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning:") && err.contains("OFFICIAL") && err.contains("not loopback"),
        "{err}"
    );
}

/// A `git checkout` of many files: every item deleted, then written back,
/// in bursts the watcher must fold into a few rebuilds; the page follows
/// each state and the server never stops answering.
#[test]
fn files_deleted_and_recreated_under_the_watcher() {
    let f = Fixture::new();
    let item = |n: usize| {
        EVIDENCE
            .replace("E-2025-001", &format!("E-2025-{:03}", n + 100))
            .replace(
                "Timeliness dashboard, April 2025",
                &format!("Burst item {n}"),
            )
    };
    for n in 0..60 {
        f.write(&format!("evidence/2025/burst-{n}.yaml"), &item(n));
    }
    let s = Server::start(&f);
    s.wait_page("the 60 items", |b| b.contains("Burst item 59"));
    for round in 0..3 {
        for n in 0..60 {
            f.remove(&format!("evidence/2025/burst-{n}.yaml"));
        }
        f.remove("evidence/2025/dashboard.yaml");
        s.wait_page("the items gone", |b| {
            !b.contains("Burst item") && !b.contains("Timeliness dashboard, April 2025")
        });
        for n in 0..60 {
            f.write(&format!("evidence/2025/burst-{n}.yaml"), &item(n + round));
        }
        f.write("evidence/2025/dashboard.yaml", EVIDENCE);
        s.wait_page("the items back", |b| {
            b.contains(&format!("Burst item {}", 59 + round))
                && b.contains("Timeliness dashboard, April 2025")
        });
    }
}

/// The benchmark's 10,000 items: served, and a save shows.
#[test]
fn a_ten_thousand_item_repository_is_served_and_follows_a_save() {
    #[path = "../benches/support/generate.rs"]
    mod generate;
    let f = Fixture::empty();
    generate::repository_over(f.path(), 10_000, 5);
    // The generated items are current on 2025-11-18; today after them.
    let s = Server::start_env(&f, &[], &[("SOURCE_DATE_EPOCH", "1763596800")]);
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Evidence item 9999 for area"),
        "not all items"
    );
    let first = walk_yaml(&f.file("evidence")).into_iter().next().unwrap();
    let text = std::fs::read_to_string(&first).unwrap();
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .to_owned();
    std::fs::write(&first, text.replace(&title, "Renamed among ten thousand")).unwrap();
    let start = Instant::now();
    loop {
        let a = s.get("/");
        if a.body.contains("Renamed among ten thousand") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the save never showed"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn walk_yaml(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `--open` hands the address to the desktop's opener (`xdg-open` here: a
/// stand-in that records what it was given).
#[cfg(target_os = "linux")]
#[test]
fn open_hands_the_address_to_the_browser() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("opened.txt");
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", record.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let s = Server::start_env(&f, &["--open"], &[("PATH", &path)]);
    let port = s.port;
    let start = Instant::now();
    loop {
        if let Ok(t) = std::fs::read_to_string(&record)
            && !t.is_empty()
        {
            assert_eq!(t, format!("http://127.0.0.1:{port}/"));
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no browser was opened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Spec section 7, "Errors in view": the reader is far down a long pack
/// when a save breaks a file; the page reloads to the same place, and the
/// bar at the top of the window names the count, the first error's file
/// and line, and links to the findings (which are off screen above).
#[test]
fn an_error_stays_in_view_however_far_down_the_page_is() {
    let f = Fixture::new();
    // A pack long enough to be read thousands of pixels down.
    for n in 2..=80 {
        f.write(
            &format!("evidence/2025/item-{n:03}.yaml"),
            &EVIDENCE
                .replace("E-2025-001", &format!("E-2025-{n:03}"))
                .replace("Timeliness dashboard", &format!("Dashboard number {n}")),
        );
    }
    let s = Server::start(&f);
    let mut b = Browser::start();
    b.send(json!({"cmd": "open", "url": s.url()}));
    b.wait_text("Dashboard number 80");
    let page = b.send(json!({"cmd": "box", "selector": "body"}));
    let far = page["scrollHeight"].as_f64().unwrap() - 1200.0;
    assert!(far > 5000.0, "the pack is too short to test: {page}");
    let scrolled = b.send(json!({"cmd": "scroll", "y": far}))["y"]
        .as_f64()
        .unwrap();
    assert!(b.send(json!({"cmd": "box", "selector": ".pack-error-bar"}))["found"] == false);
    let reading = "[id=\"ev-e-2025-070\"]";
    let before = b.send(json!({"cmd": "box", "selector": reading}));

    // Two errors in the last item, which change nothing of the pack above
    // where the reader is: an unknown organisation (line 4) and an unknown
    // measure (line 10).
    let last = EVIDENCE
        .replace("E-2025-001", "E-2025-080")
        .replace("Timeliness dashboard", "Dashboard number 80");
    f.write(
        "evidence/2025/item-080.yaml",
        &last
            .replace("organisation: kcc", "organisation: kc")
            .replace("measures: [A1.M1]", "measures: [A1.M9]"),
    );
    b.wait_text("2 errors: the first is evidence/2025/item-080.yaml line 4:");
    let bar = b.send(json!({"cmd": "box", "selector": ".pack-error-bar"}));
    assert!(
        bar["top"].as_f64().unwrap() >= 0.0
            && bar["bottom"].as_f64().unwrap() <= bar["innerHeight"].as_f64().unwrap(),
        "the bar is not inside the window: {bar:#}"
    );
    let text = bar["text"].as_str().unwrap();
    assert!(
        text.contains("`kc`") && text.contains("Show the findings"),
        "{text}"
    );
    // The pack stays where the reader was, though the findings panel above
    // it pushed it down the page.
    let after = b.send(json!({"cmd": "box", "selector": reading}));
    let (was, now) = (
        before["top"].as_f64().unwrap(),
        after["top"].as_f64().unwrap(),
    );
    assert!(
        (was - now).abs() < 2.0,
        "E-2025-070 was {was} px from the top of the window, now {now} (scrolled to {scrolled})"
    );
    assert!(after["scrollY"].as_f64().unwrap() > scrolled, "{after}");
    // The link leads to the findings panel, which is then on screen.
    let link = b.send(
        json!({"cmd": "box", "selector": ".pack-error-bar a[href=\"#pack-findings-title\"]"}),
    );
    assert_eq!(link["found"], true, "{link}");
    let axe = b.send(json!({"cmd": "axe"}));
    assert_eq!(
        axe["violations"].as_array().unwrap().len(),
        0,
        "axe-core on the page with the bar: {:#}",
        axe["violations"]
    );
    b.send(json!({"cmd": "click", "selector": ".pack-error-bar a"}));
    let heading = b.send(json!({"cmd": "box", "selector": "#pack-findings-title"}));
    let bar = b.send(json!({"cmd": "box", "selector": ".pack-error-bar"}));
    let (top, bottom) = (
        heading["top"].as_f64().unwrap(),
        heading["bottom"].as_f64().unwrap(),
    );
    assert!(
        top >= bar["bottom"].as_f64().unwrap()
            && bottom <= heading["innerHeight"].as_f64().unwrap(),
        "after the link, the findings heading is not in view below the bar: {heading:#} {bar:#}"
    );

    // One error: the bar says so without "the first".
    f.write(
        "evidence/2025/item-080.yaml",
        &last.replace("organisation: kcc", "organisation: kc"),
    );
    b.wait_text("1 error: evidence/2025/item-080.yaml line 4:");
    let bar = b.send(json!({"cmd": "box", "selector": ".pack-error-bar"}));
    assert!(bar["top"].as_f64().unwrap() >= 0.0, "{bar:#}");

    // Fixed: the bar goes.
    f.write("evidence/2025/item-080.yaml", &last);
    b.wait_gone("evidence/2025/item-080.yaml line 4");
    assert!(b.send(json!({"cmd": "box", "selector": ".pack-error-bar"}))["found"] == false);
}

/// data/ is watched (spec section 7): a changed statistics file rebuilds
/// the pack like a changed plan does.
#[test]
fn a_changed_data_file_rebuilds_the_page() {
    let f = Fixture::new();
    f.write(
        "plan/plan.yaml",
        &format!(
            "{}local_authority: {{code: E10000016, name: Kent}}\n",
            common::PLAN
        ),
    );
    f.write(
        "plan/areas/a1.yaml",
        &common::AREA.replace(
            "      - { date: 2025-04-30, value: 45.5 }\n",
            "      - { date: 2025-04-30, value: 45.5 }\n    official: {file: data/t.csv, value: rate, where: {breakdown: All}}\n",
        ),
    );
    let head = "time_period,time_identifier,geographic_level,new_la_code,breakdown,rate\n";
    f.write(
        "data/t.csv",
        &format!("{head}2024,Calendar year,Local authority,E10000016,Some,40\n"),
    );
    let s = Server::start(&f);
    s.wait_page("the data-source finding", |b| b.contains("never holds"));
    f.write(
        "data/t.csv",
        &format!("{head}2024,Calendar year,Local authority,E10000016,All,40\n"),
    );
    s.wait_page("the finding gone", |b| !b.contains("never holds"));
}
