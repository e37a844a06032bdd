//! The browser runtime: `WebSocket`, `setTimeout`, `fetch`, `localStorage`
//! and the page's `online` / `visibilitychange` events, turned into plain
//! Rust data. Dropping a socket or timer removes its handlers; nothing is
//! leaked with `forget`.

use std::any::Any;
use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CloseEvent, Event, Headers, MessageEvent, RequestInit, Response, WebSocket};

use super::{HttpError, HttpRequest, HttpResponse, LocalBoxFuture, Runtime, SocketEvent, SocketHandle, SocketSink};

/// The browser [`Runtime`]; [`Echo::new`](crate::Echo::new) uses it.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebRuntime;

impl Runtime for WebRuntime {
    fn open_socket(&self, url: &str, sink: SocketSink) -> Result<Box<dyn SocketHandle>, String> {
        Ok(Box::new(WebSocketHandle::open(url, sink)?))
    }

    fn set_timer(&self, delay: Duration, callback: Box<dyn FnOnce()>) -> Box<dyn Any> {
        let millis = u32::try_from(delay.as_millis()).unwrap_or(u32::MAX);
        Box::new(gloo_timers::callback::Timeout::new(millis, callback))
    }

    fn spawn_local(&self, future: LocalBoxFuture<()>) {
        wasm_bindgen_futures::spawn_local(future);
    }

    fn page_is_https(&self) -> bool {
        web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .is_some_and(|p| p == "https:")
    }

    fn random_seed(&self) -> u64 {
        (js_sys::Math::random() * u64::MAX as f64) as u64
    }

    fn local_storage(&self, key: &str) -> Option<String> {
        web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
    }

    fn meta_content(&self, name: &str) -> Option<String> {
        let document = web_sys::window()?.document()?;
        let meta = document.query_selector(&format!("meta[name=\"{name}\"]")).ok()??;
        meta.get_attribute("content")
    }

    fn page_origin(&self) -> Option<String> {
        web_sys::window()?.location().origin().ok()
    }

    fn http_post(&self, request: HttpRequest) -> LocalBoxFuture<Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            post(&request)
                .await
                .map(|(status, body)| HttpResponse { status, body })
                .map_err(|e| HttpError::Transport(js_error_text(&e)))
        })
    }

    fn cookie(&self, name: &str) -> Option<String> {
        let document: web_sys::HtmlDocument = web_sys::window()?.document()?.dyn_into().ok()?;
        let cookies = document.cookie().ok()?;
        let value = cookies.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })?;
        // Laravel URL-encodes the value; axios decodes it the same way.
        js_sys::decode_uri_component(value).ok().and_then(|v| v.as_string())
    }

    fn warn(&self, message: &str) {
        web_sys::console::warn_1(&JsValue::from_str(message));
    }

    fn watch_liveness(&self, callback: Box<dyn Fn()>) -> Box<dyn Any> {
        let Some(window) = web_sys::window() else { return Box::new(()) };
        let callback = std::rc::Rc::new(callback);
        let mut listeners = Vec::new();
        let mut targets: Vec<(web_sys::EventTarget, &str)> = vec![(window.clone().into(), "online")];
        if let Some(document) = window.document() {
            targets.push((document.into(), "visibilitychange"));
        }
        for (target, event) in targets {
            let callback = callback.clone();
            listeners.push(gloo_events::EventListener::new(&target, event, move |_| {
                let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
                if !hidden {
                    callback();
                }
            }));
        }
        Box::new(listeners)
    }
}

/// POSTs `request` with `fetch` (web-sys directly: no HTTP crate in the
/// wasm); returns the status and the body text.
async fn post(request: &HttpRequest) -> Result<(u16, String), JsValue> {
    let headers = Headers::new()?;
    for (name, value) in &request.headers {
        headers.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_credentials(match request.credentials {
        echo_proto::AuthCredentials::SameOrigin => web_sys::RequestCredentials::SameOrigin,
        echo_proto::AuthCredentials::Include => web_sys::RequestCredentials::Include,
        echo_proto::AuthCredentials::Omit => web_sys::RequestCredentials::Omit,
    });
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&request.body));
    let fetch = match web_sys::window() {
        Some(window) => window.fetch_with_str_and_init(&request.url, &init),
        // A worker.
        None => js_sys::global()
            .unchecked_into::<web_sys::WorkerGlobalScope>()
            .fetch_with_str_and_init(&request.url, &init),
    };
    let response: Response = JsFuture::from(fetch).await?.unchecked_into();
    let body = match response.text() {
        Ok(text) => JsFuture::from(text).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok((response.status(), body))
}

/// `TypeError: Failed to fetch` for a JS error, its text for anything else.
fn js_error_text(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => format!("{}: {}", String::from(error.name()), String::from(error.message())),
        None => error.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}

struct WebSocketHandle {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl WebSocketHandle {
    fn open(url: &str, sink: SocketSink) -> Result<Self, String> {
        let ws = WebSocket::new(url).map_err(|e| format!("cannot open a WebSocket to {url}: {}", js_error_text(&e)))?;
        let on_open = {
            let sink = sink.clone();
            Closure::<dyn FnMut(Event)>::new(move |_| sink(SocketEvent::Open))
        };
        let on_message = {
            let sink = sink.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                sink(match event.data().as_string() {
                    Some(text) => SocketEvent::Message(text),
                    None => SocketEvent::Binary,
                })
            })
        };
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            // 1005/1006: no close frame was received.
            let code = Some(event.code()).filter(|c| *c != 1005 && *c != 1006);
            sink(SocketEvent::Close {
                code,
                reason: event.reason(),
            });
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Self {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }
}

impl SocketHandle for WebSocketHandle {
    fn send(&self, text: &str) {
        if self.ws.ready_state() == WebSocket::OPEN {
            let _ = self.ws.send_with_str(text);
        }
    }
}

impl Drop for WebSocketHandle {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
