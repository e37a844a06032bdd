//! What the API answers: the types both demo apps share
//! (`demo/shared/src/types.rs`).

pub use echo_demo_shared::types::*;
