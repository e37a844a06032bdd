//! The browser WebSocket, turned into plain Rust data. Dropping a [`Socket`]
//! removes its handlers and closes it; nothing is leaked with `forget`.

use std::cell::RefCell;
use std::rc::Weak;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

use super::{Echo, Shared};

/// What the socket reports.
pub(super) enum SocketEvent {
    Open,
    Message(String),
    Binary,
    Close { code: Option<u16>, reason: String },
}

pub(super) struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Opens a socket whose events go to the `Echo` behind `weak`, tagged
    /// with `generation` so that events of a replaced socket are ignored.
    pub(super) fn open(url: &str, weak: Weak<RefCell<Shared>>, generation: u64) -> Result<Self, String> {
        let ws = WebSocket::new(url).map_err(|e| format!("cannot open a WebSocket to {url}: {e:?}"))?;
        let on_open = {
            let weak = weak.clone();
            Closure::<dyn FnMut(Event)>::new(move |_| Echo::socket_event(&weak, generation, SocketEvent::Open))
        };
        let on_message = {
            let weak = weak.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let message = match event.data().as_string() {
                    Some(text) => SocketEvent::Message(text),
                    None => SocketEvent::Binary,
                };
                Echo::socket_event(&weak, generation, message);
            })
        };
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            // 1005/1006: no close frame was received.
            let code = Some(event.code()).filter(|c| *c != 1005 && *c != 1006);
            Echo::socket_event(
                &weak,
                generation,
                SocketEvent::Close {
                    code,
                    reason: event.reason(),
                },
            );
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

    /// Sends a text frame; a socket that is not open drops it (the core
    /// resends what matters after the next handshake).
    pub(super) fn send(&self, text: &str) {
        if self.ws.ready_state() == WebSocket::OPEN {
            let _ = self.ws.send_with_str(text);
        }
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
