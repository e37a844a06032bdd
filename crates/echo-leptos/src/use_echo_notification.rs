use echo_rs::hooks::HoldSpec;
use echo_rs::Value;
use leptos::prelude::*;

use crate::subscription::{full_name, use_channel_hook, UseChannelReturn};

/// Options for [`use_echo_notification_with_options`].
#[derive(Clone)]
pub struct UseEchoNotificationOptions {
    /// Only notifications whose `type` is one of these, each in dotted
    /// (`App.Notifications.BookingConfirmed`) or backslashed
    /// (`App\Notifications\BookingConfirmed`) form, whichever the server
    /// sends (echo-react's `event` argument). Default: every type.
    pub types: Vec<String>,
    /// Listen only while this is `true`. Default: always `true`.
    pub enabled: Signal<bool>,
}

impl Default for UseEchoNotificationOptions {
    fn default() -> Self {
        Self {
            types: Vec::new(),
            enabled: Signal::stored(true),
        }
    }
}

/// Listens for Laravel notifications on the private channel `channel`
/// (e.g. `App.Models.User.1`; `private-` is added) while mounted
/// (echo-react `useEchoNotification`, Echo `notification`). The handler gets
/// the notification's data with its `id` and `type`.
///
/// The returned [`UseChannelReturn`]'s `stop_listening` removes exactly this
/// hook's notification listener (Echo `stopListeningForNotification`),
/// keeping the channel and every other listener on it; `listen` puts it
/// back.
pub fn use_echo_notification(channel: impl Into<Signal<String>>, on_notification: impl Fn(&Value) + 'static) -> UseChannelReturn {
    use_echo_notification_with_options(channel, on_notification, UseEchoNotificationOptions::default())
}

/// [`use_echo_notification`] with [`UseEchoNotificationOptions`] (type
/// filter, `enabled`).
pub fn use_echo_notification_with_options(
    channel: impl Into<Signal<String>>,
    on_notification: impl Fn(&Value) + 'static,
    options: UseEchoNotificationOptions,
) -> UseChannelReturn {
    let channel = channel.into();
    let handler = StoredValue::new_local(Box::new(on_notification) as Box<dyn Fn(&Value)>);
    let types: Vec<String> = options.types.iter().map(|t| notification_type(t)).collect();
    let enabled = options.enabled;
    use_channel_hook(
        move || enabled.get().then(|| full_name(&channel.get(), true)),
        HoldSpec::listening(move |ch, _| {
            let types = types.clone();
            vec![ch.notification(move |data| {
                let kind = data.get("type").and_then(Value::as_str).map(notification_type);
                if types.is_empty() || kind.is_some_and(|k| types.contains(&k)) {
                    handler.with_value(|f| f(data));
                }
            })]
        }),
    )
}

/// A notification class name in one form: `App.Notifications.X` and
/// `App\Notifications\X` are the same type.
fn notification_type(name: &str) -> String {
    name.replace('.', "\\")
}
