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

pub fn host_allowed(allowed: &[String], host: Option<&HeaderValue>) -> bool {
    let Some(host) = host.and_then(|h| h.to_str().ok()) else {
        return false;
    };
    allowed.iter().any(|a| a.eq_ignore_ascii_case(host))
}

/// Refuses a foreign Host with 421, then adds the security headers.
pub async fn guard(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let mut resp = if host_allowed(&shared.hosts, req.headers().get(header::HOST)) {
        next.run(req).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "This server answers only to its own address (127.0.0.1, localhost or [::1] with its port).\n",
        )
            .into_response()
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
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

    #[test]
    fn only_loopback_names_and_the_host_with_the_port() {
        let allowed = allowed_hosts("127.0.0.1".parse().unwrap(), 8000);
        let ok = |h: &str| host_allowed(&allowed, Some(&HeaderValue::from_str(h).unwrap()));
        assert!(ok("127.0.0.1:8000") && ok("LOCALHOST:8000") && ok("[::1]:8000"));
        assert!(!ok("evil.example:8000") && !ok("localhost:8001") && !ok("localhost"));
        assert!(!host_allowed(&allowed, None));
        let lan = allowed_hosts("192.168.1.5".parse().unwrap(), 9000);
        assert!(lan.contains(&"192.168.1.5:9000".to_owned()));
    }
}
