//! What Laravel Echo 2.5 and echo-react 2.5 offer beyond channels and
//! events, on the client, with the test double: first subscription versus
//! resubscription, Echo's connection status with a real `reconnecting`,
//! removing one notification listener, and model broadcasting.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use echo_rs::testing::FakeEcho;
use echo_rs::{ConnectionStatus, EchoError, ModelEvent, ModelPayload, Subscription};
use serde::Deserialize;
use serde_json::json;

fn fake() -> FakeEcho {
    FakeEcho::new("app-key").expect("a valid key")
}

fn recorder<T: 'static>() -> (Rc<RefCell<Vec<T>>>, impl Fn(T) + Clone + 'static) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    (seen, move |value| sink.borrow_mut().push(value))
}

#[test]
fn subscribed_listeners_tell_a_resubscription_after_a_connection_loss() {
    let fake = fake();
    let rooms = fake.echo().channel("rooms");
    let (seen, on_subscribed) = recorder();
    rooms.subscribed(on_subscribed);
    fake.run_until_idle();
    assert_eq!(*seen.borrow(), [Subscription::First]);

    fake.drop_connection(Some(1006));
    fake.advance(Duration::from_secs(2));
    assert_eq!(*seen.borrow(), [Subscription::First, Subscription::Resubscription]);
    assert!(seen.borrow()[1].is_resubscription());

    // Left and subscribed again on the same connection: a first subscription
    // again, since the app chose to start over.
    rooms.leave();
    let rooms = fake.echo().channel("rooms");
    let (again, on_again) = recorder();
    rooms.subscribed(on_again);
    fake.run_until_idle();
    assert_eq!(*again.borrow(), [Subscription::First]);
    assert_eq!(seen.borrow().len(), 2, "a left channel's listeners are gone");
}

#[test]
fn connection_status_uses_echos_words_with_a_real_reconnecting() {
    let fake = fake();
    let echo = fake.echo();
    let (seen, on_status) = recorder();
    echo.on_connection_status(on_status);
    fake.run_until_idle();
    assert_eq!(echo.connection_status(), ConnectionStatus::Connected);

    fake.drop_connection(Some(1006));
    assert_eq!(echo.connection_status(), ConnectionStatus::Reconnecting);
    // Down long enough to become `unavailable`: still `reconnecting`, told once.
    fake.runtime().set_auto_handshake(false);
    fake.advance(Duration::from_secs(30));
    assert_eq!(echo.connection_state(), echo_rs::ConnectionState::Unavailable);
    assert_eq!(echo.connection_status(), ConnectionStatus::Reconnecting);
    fake.runtime().set_auto_handshake(true);
    fake.advance(Duration::from_secs(60));
    assert_eq!(echo.connection_status(), ConnectionStatus::Connected);

    echo.disconnect();
    assert_eq!(
        *seen.borrow(),
        [
            ConnectionStatus::Reconnecting,
            ConnectionStatus::Connected,
            ConnectionStatus::Disconnected
        ]
    );
    assert_eq!(ConnectionStatus::Disconnected.as_str(), "disconnected");
}

#[test]
fn one_notification_listener_stops_and_the_others_keep_listening() {
    let fake = fake();
    let user = fake.echo().private("App.Models.User.1");
    let (first, on_first) = recorder();
    let (second, on_second) = recorder();
    let handle = user.notification(move |n| on_first(n["type"].clone()));
    user.notification(move |n| on_second(n["type"].clone()));
    let other = user.listen(".BookingConfirmed", |_| {});
    assert!(!user.stop_listening_for_notification(other), "not a notification listener");
    assert!(user.stop_listening(other));
    fake.run_until_idle();
    let notification = json!({ "id": "9b1c", "type": "App\\Notifications\\BookingConfirmed", "reference": "CMR-AB123" });
    let event = echo_rs::NOTIFICATION_EVENT;
    assert!(fake.emit("private-App.Models.User.1", event, notification.clone()));

    assert!(user.stop_listening_for_notification(handle));
    assert!(!user.stop_listening_for_notification(handle), "already removed");
    assert!(fake.emit("private-App.Models.User.1", event, notification));
    assert_eq!(first.borrow().len(), 1);
    assert_eq!(second.borrow().len(), 2);
}

#[derive(Debug, Deserialize, PartialEq)]
struct Booking {
    id: u64,
    status: String,
}

#[test]
fn model_events_arrive_typed_on_the_models_private_channel() {
    let fake = fake();
    let booking = fake.echo().model("App\\Models\\Booking", 42);
    assert_eq!(booking.name(), "private-App.Models.Booking.42");
    let (seen, on_event) = recorder();
    for event in [ModelEvent::Updated, ModelEvent::Deleted] {
        let on_event = on_event.clone();
        booking.listen_model("App.Models.Booking", event, move |event, payload: ModelPayload<Booking>| {
            on_event((event, payload))
        });
    }
    let (errors, on_error) = recorder();
    booking.error(move |e: &EchoError| on_error(e.clone()));
    fake.run_until_idle();

    let channel = "private-App.Models.Booking.42";
    let model = json!({ "model": { "id": 42, "status": "confirmed" }, "connection": null, "queue": null, "afterCommit": false });
    assert!(fake.emit(channel, ".BookingUpdated", model.clone()));
    assert!(fake.emit(channel, ".BookingCreated", model), "not listened for");
    assert!(fake.emit(channel, ".BookingDeleted", json!({ "model": { "id": "42" } })));

    let seen = seen.borrow();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, ModelEvent::Updated);
    assert_eq!(
        seen[0].1.model,
        Booking {
            id: 42,
            status: "confirmed".into()
        }
    );
    assert!(!seen[0].1.after_commit);
    assert!(
        matches!(&errors.borrow()[..], [EchoError::Decode { event, .. }] if event == "BookingDeleted"),
        "{:?}",
        errors.borrow()
    );
}
