//! pack's own accept loop. axum's `serve` has no timer, so hyper's header
//! read timeout does nothing there and a client that sends half a request
//! head holds its connection (and a task) for ever. Here every connection
//! is served by hyper's HTTP/1 server with a timer: a client that has not
//! sent its whole request head within [`HEADER_READ_TIMEOUT`] of starting
//! it (or of connecting) is disconnected, however slowly it trickles bytes.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a client has to send its whole request head (spec section 7).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a stop waits for answers in progress before it gives up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until `stop` completes, then lets the
/// answers in progress finish (open event streams end themselves: the
/// caller tells them before `stop` completes).
pub async fn serve(listener: TcpListener, app: Router, stop: impl Future<Output = ()>) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // A connection that failed while being accepted is that
                    // client's problem; anything else (out of file
                    // descriptors) is waited out rather than spun on.
                    if !is_connection_error(&e) {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that went away or timed out is not the server's error.
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}
