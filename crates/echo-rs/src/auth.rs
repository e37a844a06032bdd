//! Where the bearer token comes from, and the custom authorizer type; the
//! request and the answer's rules are the core's (`echo_proto::auth`).

use std::cell::RefCell;
use std::rc::Rc;

use echo_proto::{AuthRequest, ChannelAuth, EchoError};

use crate::runtime::LocalBoxFuture;

/// Replaces the HTTP call of channel authorization (pusher-js
/// `channelAuthorization.customHandler`, Echo `authorizer`).
pub type Authorizer = Rc<dyn Fn(AuthRequest) -> LocalBoxFuture<Result<ChannelAuth, EchoError>>>;

/// Where the bearer token comes from; may be async.
pub type TokenGetter = Rc<dyn Fn() -> LocalBoxFuture<Option<String>>>;

thread_local! {
    static TOKEN_GETTER: RefCell<Option<TokenGetter>> = const { RefCell::new(None) };
}

/// Replaces where the bearer token sent to the auth endpoint comes from (the
/// `setEchoTokenGetter` a typical Laravel + React app has). Runs before every auth request, so a
/// refreshed token is picked up. Default: `localStorage.getItem("token")` in
/// the browser, none elsewhere.
pub fn set_echo_token_getter(getter: impl Fn() -> Option<String> + 'static) {
    let getter = Rc::new(getter);
    set_echo_token_getter_async(move || {
        let token = getter();
        Box::pin(async move { token })
    });
}

/// Like [`set_echo_token_getter`] for a getter that must wait (a token
/// refresh, an async store).
pub fn set_echo_token_getter_async(getter: impl Fn() -> LocalBoxFuture<Option<String>> + 'static) {
    TOKEN_GETTER.with(|g| *g.borrow_mut() = Some(Rc::new(getter)));
}

/// Restores the default token getter.
pub fn reset_echo_token_getter() {
    TOKEN_GETTER.with(|g| *g.borrow_mut() = None);
}

pub(crate) fn token_getter() -> Option<TokenGetter> {
    TOKEN_GETTER.with(|g| g.borrow().clone())
}
