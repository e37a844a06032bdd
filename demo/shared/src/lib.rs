//! What the demo's two frontends (`demo/app`, Leptos; `demo/yew-app`,
//! Yew) share, so that it is written once: the API's answers
//! ([`types`]) and the realtime names and query keys ([`names`]).

pub mod names;
pub mod types;
