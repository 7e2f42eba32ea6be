//! The only paths served. Everything is looked up in what the last rebuild
//! made (the page, the PDF, a fixed list of attachments); no request path
//! ever becomes a file path, so `..`, encoded traversal, absolute paths and
//! backslashes all fall through to 404.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::page::{self, ATTACHMENTS};
use super::{CLOSING, Shared};
use crate::cli::BuildFormat;

/// The live-reload script: a fixed path, so no inline script is needed.
pub const LIVE_JS: &str = "/_pack/live.js";
const LIVE_SOURCE: &str = include_str!("live.js");

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(index))
        .route(LIVE_JS, get(live_js))
        .route("/events", get(events))
        .route("/pack.pdf", get(pdf))
        .route(&format!("{ATTACHMENTS}{{*path}}"), get(attachment))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            super::guard::guard,
        ))
        .with_state(shared)
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn index(State(shared): State<Arc<Shared>>) -> Response {
    html(StatusCode::OK, shared.current().html.clone())
}

async fn live_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_SOURCE,
    )
        .into_response()
}

pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found: pack serve serves only the pack, its PDF and the attachments of items in it.\n",
    )
        .into_response()
}

/// Server-Sent Events: the current generation at once (a page that missed
/// a rebuild while loading reloads), then one `changed` per rebuild.
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let rx = shared.changed.subscribe();
    let now = shared.current().generation;
    let later = BroadcastStream::new(rx).map(move |r| match r {
        Ok(g) => g,
        // Missed some: the page only needs to know it is stale.
        Err(_) => shared.current().generation,
    });
    let stream = tokio_stream::once(now)
        .chain(later)
        .take_while(|g| *g != CLOSING)
        .map(|g| Ok::<Event, Infallible>(Event::default().event("changed").data(g.to_string())));
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// `/attachments/<path>`: only a file an item in the pack names, and only
/// when it is inside the repository once symlinks are followed.
async fn attachment(State(shared): State<Arc<Shared>>, Path(path): Path<String>) -> Response {
    let built = shared.current();
    let Some(file) = built.attachments.get(&path) else {
        return not_found().await;
    };
    if !page::inside(&shared.settings.root, file) {
        return not_found().await;
    }
    let Ok(bytes) = std::fs::read(file) else {
        return not_found().await;
    };
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let (kind, inline) = match ext.as_str() {
        "pdf" => ("application/pdf", true),
        "png" => ("image/png", true),
        "jpg" | "jpeg" => ("image/jpeg", true),
        "txt" => ("text/plain; charset=utf-8", true),
        "csv" => ("text/csv; charset=utf-8", true),
        _ => ("application/octet-stream", false),
    };
    let name = path
        .rsplit('/')
        .next()
        .unwrap_or("attachment")
        .replace('"', "");
    let disposition = format!(
        "{}; filename=\"{name}\"",
        if inline { "inline" } else { "attachment" }
    );
    let mut resp = (StatusCode::OK, [(header::CONTENT_TYPE, kind)], bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    // An attachment never runs script in the pack's origin.
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        ),
    );
    resp
}

/// The PDF of one generation: laid out when first asked for, in the
/// background, and kept until the next rebuild.
#[derive(Default)]
pub struct PdfSlot {
    generation: u64,
    state: PdfState,
}

#[derive(Default)]
enum PdfState {
    #[default]
    Idle,
    Building,
    Ready(Arc<Vec<u8>>),
    Failed(String),
}

const BUILDING: &str = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"refresh\" content=\"1\">\n<title>The PDF is being built – pack serve</title>\n</head>\n\
<body>\n<main>\n<h1>The PDF is being built</h1>\n<p>This page shows the PDF by itself when it is ready.</p>\n\
</main>\n</body>\n</html>\n";

async fn pdf(State(shared): State<Arc<Shared>>) -> Response {
    if !crate::render::HAS_PDF {
        return html(
            StatusCode::NOT_IMPLEMENTED,
            format!(
                "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>No PDF – pack serve</title></head>\
                 <body><main><h1>No PDF</h1><p>{}.</p><p><a href=\"/\">The pack</a></p></main></body></html>\n",
                page::escape(crate::render::NO_PDF)
            ),
        );
    }
    let built = shared.current();
    let Some(view) = built.view.clone() else {
        return html(
            StatusCode::NOT_FOUND,
            "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>No PDF – pack serve</title></head>\
             <body><main><h1>No PDF</h1><p>The pack is not served while the repository does not load or holds a \
             personal identifier: see <a href=\"/\">the findings</a>.</p></main></body></html>\n"
                .to_owned(),
        );
    };
    let mut slot = shared.pdf.lock().unwrap_or_else(|e| e.into_inner());
    if slot.generation != built.generation {
        *slot = PdfSlot {
            generation: built.generation,
            state: PdfState::Idle,
        };
    }
    match &slot.state {
        PdfState::Ready(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (header::CONTENT_DISPOSITION, "inline; filename=\"pack.pdf\""),
            ],
            bytes.as_ref().clone(),
        )
            .into_response(),
        PdfState::Failed(msg) => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>The PDF was not made – pack serve</title></head>\
                 <body><main><h1>The PDF was not made</h1><pre>{}</pre></main></body></html>\n",
                page::escape(msg)
            ),
        ),
        PdfState::Building => html(StatusCode::OK, BUILDING.to_owned()),
        PdfState::Idle => {
            slot.state = PdfState::Building;
            let generation = built.generation;
            let shared = shared.clone();
            tokio::task::spawn_blocking(move || {
                let ctx = crate::render::RenderContext {
                    view: &view,
                    root: &shared.settings.root,
                    progress: false,
                };
                let state = match crate::render::renderer(BuildFormat::Pdf).render(&ctx) {
                    Ok(files) => match files.into_iter().find(|f| f.path.ends_with(".pdf")) {
                        Some(f) => PdfState::Ready(Arc::new(f.bytes)),
                        None => PdfState::Failed("the PDF renderer made no PDF".to_owned()),
                    },
                    Err(e) => PdfState::Failed(format!("{e:#}")),
                };
                let mut slot = shared.pdf.lock().unwrap_or_else(|e| e.into_inner());
                if slot.generation == generation {
                    slot.state = state;
                }
            });
            html(StatusCode::OK, BUILDING.to_owned())
        }
    }
}
