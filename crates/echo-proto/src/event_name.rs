//! Laravel Echo's event-name rules (laravel/echo `src/util/event-formatter.ts`).

/// The namespace Laravel Echo prefixes to event names by default: `App.Events`.
pub const DEFAULT_NAMESPACE: &str = "App.Events";

/// Formats an event name the way Laravel Echo's `EventFormatter.format` does.
///
/// - A leading `.` or `\` is stripped and the rest is used verbatim:
///   `.RoomsUpdated` → `RoomsUpdated`, `\App\Events\X` → `App\Events\X`.
/// - Otherwise, with a namespace, the name becomes `namespace + "." + event`
///   and every `.` becomes `\`: `OrderShipped` → `App\Events\OrderShipped`.
/// - With `namespace` `None` (Echo's `namespace: false`) the name is only
///   converted, dots to backslashes.
///
/// ```
/// use echo_proto::format_event_name;
/// assert_eq!(format_event_name(Some("App.Events"), ".RoomsUpdated"), "RoomsUpdated");
/// assert_eq!(format_event_name(Some("App.Events"), "OrderShipped"), "App\\Events\\OrderShipped");
/// assert_eq!(format_event_name(None, "Orders.Shipped"), "Orders\\Shipped");
/// ```
pub fn format_event_name(namespace: Option<&str>, event: &str) -> String {
    if let Some(rest) = event.strip_prefix('.').or_else(|| event.strip_prefix('\\')) {
        return rest.to_owned();
    }
    let full = match namespace {
        Some(ns) if !ns.is_empty() => format!("{ns}.{event}"),
        _ => event.to_owned(),
    };
    full.replace('.', "\\")
}

/// Whether `event` is one of the protocol's own events (`pusher:*`,
/// `pusher_internal:*`), not an application's: never encrypted, never given
/// to catch-all listeners (Echo `listenToAll`).
///
/// ```
/// assert!(echo_proto::is_protocol_event("pusher:subscription_succeeded"));
/// assert!(echo_proto::is_protocol_event("pusher_internal:member_added"));
/// assert!(!echo_proto::is_protocol_event("App\\Events\\RoomsUpdated"));
/// ```
pub fn is_protocol_event(event: &str) -> bool {
    event.starts_with("pusher:") || event.starts_with("pusher_internal:")
}

/// Reverses [`format_event_name`] for catch-all listeners, like Echo's
/// `listenToAll`: a name under the namespace loses it (`App\Events\X` → `X`),
/// any other name gets a leading `.` (`RoomsUpdated` → `.RoomsUpdated`).
pub fn unformat_event_name(namespace: Option<&str>, event: &str) -> String {
    if let Some(ns) = namespace.filter(|ns| !ns.is_empty()) {
        let prefix = format!("{}\\", ns.replace('.', "\\"));
        if let Some(rest) = event.strip_prefix(&prefix) {
            return rest.to_owned();
        }
    }
    format!(".{event}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_event_name_rules() {
        let ns = Some(DEFAULT_NAMESPACE);
        let cases = [
            (ns, ".RoomsUpdated", "RoomsUpdated"),
            (ns, "\\App\\Events\\RoomsUpdated", "App\\Events\\RoomsUpdated"),
            (ns, "RoomsUpdated", "App\\Events\\RoomsUpdated"),
            (ns, "Admin.RoomsUpdated", "App\\Events\\Admin\\RoomsUpdated"),
            (Some("Domain.Events"), "X", "Domain\\Events\\X"),
            (None, "RoomsUpdated", "RoomsUpdated"),
            (None, "Admin.RoomsUpdated", "Admin\\RoomsUpdated"),
            (Some(""), "A.B", "A\\B"),
            (ns, ".client-typing", "client-typing"),
            (ns, ".", ""),
        ];
        for (namespace, input, expected) in cases {
            assert_eq!(format_event_name(namespace, input), expected, "{input:?} under {namespace:?}");
        }
    }

    #[test]
    fn listen_to_all_reverses_the_namespace() {
        let ns = Some(DEFAULT_NAMESPACE);
        assert_eq!(unformat_event_name(ns, "App\\Events\\RoomsUpdated"), "RoomsUpdated");
        assert_eq!(unformat_event_name(ns, "RoomsUpdated"), ".RoomsUpdated");
        assert_eq!(unformat_event_name(None, "App\\Events\\X"), ".App\\Events\\X");
    }
}
