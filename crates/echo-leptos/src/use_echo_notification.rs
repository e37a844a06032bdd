use echo_rs::Value;
use leptos::prelude::*;

use crate::subscription::{full_name, use_channel_listeners};

/// Options for [`use_echo_notification_with_options`].
#[derive(Clone)]
pub struct UseEchoNotificationOptions {
    /// Only notifications whose `type` is one of these, in dotted
    /// (`App.Notifications.BookingCreated`) or backslashed form. Default:
    /// every type.
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
/// (echo-react `useEchoNotification`, Echo `notification`).
pub fn use_echo_notification(channel: impl Into<Signal<String>>, on_notification: impl Fn(&Value) + 'static) {
    use_echo_notification_with_options(channel, on_notification, UseEchoNotificationOptions::default());
}

/// [`use_echo_notification`] with [`UseEchoNotificationOptions`].
pub fn use_echo_notification_with_options(
    channel: impl Into<Signal<String>>,
    on_notification: impl Fn(&Value) + 'static,
    options: UseEchoNotificationOptions,
) {
    let channel = channel.into();
    let handler = StoredValue::new_local(Box::new(on_notification) as Box<dyn Fn(&Value)>);
    let normalise = |t: &str| t.replace('.', "\\");
    let types: Vec<String> = options.types.iter().map(|t| normalise(t)).collect();
    let enabled = options.enabled;
    use_channel_listeners(
        move || enabled.get().then(|| full_name(&channel.get(), true)),
        move |ch| {
            let types = types.clone();
            vec![ch.notification(move |data| {
                let kind = data.get("type").and_then(Value::as_str).map(normalise);
                if types.is_empty() || kind.is_some_and(|k| types.contains(&k)) {
                    handler.with_value(|f| f(data));
                }
            })]
        },
    );
}
