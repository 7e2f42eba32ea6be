//! What every request passes through: the Host header must name this
//! server (a web page on another site must not read the pack through DNS
//! rebinding), and every answer carries the security headers.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Shared;

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                       img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                       frame-ancestors 'none'; form-action 'none'";

/// The Host header values this server answers to: the loopback names and
/// the `--host` address, each with the port it listens on.
pub fn allowed_hosts(host: IpAddr, port: u16) -> Vec<String> {
    let mut names = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    let own = match host {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    };
    if !host.is_unspecified() && !names.contains(&own) {
        names.push(own);
    }
    names
}

/// Whether a request names this server, and how it fails when it does not.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Ours,
    /// Malformed: two Host headers (a proxy and the server could each
    /// believe a different one).
    Ambiguous,
    /// Another name, another port, or none.
    Foreign,
}

/// Judges the request's Host header and, for an absolute-form request
/// (`GET http://host/ HTTP/1.1`), its authority, which HTTP says takes the
/// place of Host: both must name this server, so that no reading of the
/// request reaches the pack under a foreign name. Names are compared whole
/// (a trailing dot, user info or another spelling of an address is not
/// the same name), letter case aside.
pub fn judge(allowed: &[String], req: &Request) -> Verdict {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return if req.headers().contains_key(header::HOST) {
            Verdict::Ambiguous
        } else {
            Verdict::Foreign
        };
    };
    let named = |name: &str| allowed.iter().any(|a| a.eq_ignore_ascii_case(name));
    let host_ok = host.to_str().is_ok_and(named);
    let authority_ok = req
        .uri()
        .authority()
        .is_none_or(|a| named(a.as_str()) && req.uri().scheme_str() == Some("http"));
    if host_ok && authority_ok {
        Verdict::Ours
    } else {
        Verdict::Foreign
    }
}

/// Refuses a foreign Host with 421 (two Host headers with 400), then adds
/// the security headers. A policy a route set itself (an attachment's
/// sandbox) is kept: the page policy only fills in where there is none.
pub async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let mut resp = match judge(&shared.hosts, &req) {
        Verdict::Ours => next.run(req).await,
        Verdict::Ambiguous => (
            StatusCode::BAD_REQUEST,
            "A request names its server once: this one has two Host headers.\n",
        )
            .into_response(),
        Verdict::Foreign => (
            StatusCode::MISDIRECTED_REQUEST,
            "This server answers only to its own address (127.0.0.1, localhost or [::1] with its port).\n",
        )
            .into_response(),
    };
    let h = resp.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, hosts: &[&str]) -> Request {
        let mut b = Request::builder().uri(uri);
        for h in hosts {
            b = b.header(header::HOST, *h);
        }
        b.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn only_loopback_names_and_the_host_with_the_port() {
        let allowed = allowed_hosts("127.0.0.1".parse().unwrap(), 8000);
        let ok = |h: &str| judge(&allowed, &request("/", &[h])) == Verdict::Ours;
        assert!(ok("127.0.0.1:8000") && ok("LOCALHOST:8000") && ok("[::1]:8000"));
        assert!(!ok("evil.example:8000") && !ok("localhost:8001") && !ok("localhost"));
        assert!(
            !ok("localhost.:8000") && !ok("u@localhost:8000") && !ok("[::ffff:127.0.0.1]:8000")
        );
        assert_eq!(judge(&allowed, &request("/", &[])), Verdict::Foreign);
        let two = request("/", &["localhost:8000", "evil.example"]);
        assert_eq!(judge(&allowed, &two), Verdict::Ambiguous);
        let absolute = request("http://evil.example:8000/", &["localhost:8000"]);
        assert_eq!(judge(&allowed, &absolute), Verdict::Foreign);
        let own = request("http://localhost:8000/", &["localhost:8000"]);
        assert_eq!(judge(&allowed, &own), Verdict::Ours);
        let lan = allowed_hosts("192.168.1.5".parse().unwrap(), 9000);
        assert!(lan.contains(&"192.168.1.5:9000".to_owned()));
    }
}
