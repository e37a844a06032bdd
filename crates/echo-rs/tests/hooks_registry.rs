//! The framework-neutral part of the UI hooks (`echo_rs::hooks`), with the
//! test double: what echo-leptos (and echo-yew) build their reference
//! counting, generations and prefix invalidation on.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use echo_rs::hooks::{key_matches_prefix, ChannelRegistry};
use echo_rs::testing::FakeEcho;
use echo_rs::Echo;

fn fake() -> FakeEcho {
    FakeEcho::new("app-key").expect("a valid key")
}

fn registry_of(fake: &FakeEcho) -> ChannelRegistry {
    let echo = fake.echo().clone();
    ChannelRegistry::new(move || Some(echo.clone()))
}

#[test]
fn the_client_is_built_once_on_first_use_and_a_none_factory_turns_realtime_off() {
    let built = Rc::new(Cell::new(0));
    let counter = built.clone();
    let fake = fake();
    let echo = fake.echo().clone();
    let registry = ChannelRegistry::new(move || {
        counter.set(counter.get() + 1);
        Some(echo.clone())
    });
    assert_eq!(built.get(), 0, "nothing is built before it is needed");
    assert!(registry.is_configured());
    registry.acquire("rooms");
    assert_eq!(built.get(), 1);

    let asked = Rc::new(Cell::new(0));
    let counter = asked.clone();
    let off = ChannelRegistry::new(move || {
        counter.set(counter.get() + 1);
        None
    });
    assert!(off.acquire("rooms").is_none());
    assert!(!off.is_configured());
    assert!(off.client().is_none());
    assert_eq!(asked.get(), 1, "a factory that said no is not asked again");
}

#[test]
fn the_last_release_leaves_after_the_render_unless_taken_again() {
    let fake = fake();
    let registry = registry_of(&fake);
    let (generation, _) = registry.acquire("rooms").expect("on");
    let leave = registry.release(generation, "rooms").expect("the last reference");
    // Remounted in the same render: taken again before the leave finishes.
    registry.acquire("rooms");
    leave.finish();
    assert_eq!(fake.subscriptions(), ["rooms"]);
    assert_eq!(fake.unsubscribe_count("rooms"), 0);
    assert_eq!(registry.channel_refs("rooms"), 1);

    let leave = registry.release(generation, "rooms").expect("the last reference");
    leave.finish();
    assert!(fake.subscriptions().is_empty());
    assert_eq!(registry.channel_refs("rooms"), 0);
    assert!(registry.release(generation, "rooms").is_none(), "nothing left to release");
}

#[test]
fn disconnect_starts_a_new_generation_on_a_new_client() {
    let (first, second) = (fake(), fake());
    let clients: Rc<RefCell<Vec<Echo>>> = Rc::new(RefCell::new(vec![second.echo().clone(), first.echo().clone()]));
    let registry = ChannelRegistry::new(move || clients.borrow_mut().pop());
    let (old, _) = registry.acquire("rooms").expect("on");
    let stale = registry.release(old, "rooms").expect("the last reference");

    registry.disconnect();
    assert_eq!(registry.generation(), old + 1);
    assert_eq!(first.echo().connection_state(), echo_rs::ConnectionState::Disconnected);
    let (new, _) = registry.acquire("rooms").expect("a fresh client");
    assert_eq!(new, old + 1);
    assert!(
        registry.release(old, "rooms").is_none(),
        "an old generation's reference drops nothing"
    );
    stale.finish();
    assert_eq!(second.subscriptions(), ["rooms"], "an old generation's leave leaves nothing");
    assert!(registry.client_of(old).is_none());
    assert!(registry.client_of(new).is_some());
}

#[test]
fn leave_other_forms_spares_what_hooks_hold() {
    let fake = fake();
    let registry = registry_of(&fake);
    let (generation, _) = registry.acquire("private-orders.1").expect("on");
    registry.acquire("orders.1");
    let _encrypted = fake.echo().encrypted_private("orders.1");
    registry.leave_other_forms(generation, "private-orders.1");
    assert_eq!(fake.subscriptions(), ["orders.1", "private-orders.1"]);
}

#[test]
fn shutdown_leaves_what_hooks_hold_and_disconnects() {
    let fake = fake();
    let registry = registry_of(&fake);
    registry.acquire("rooms");
    registry.shutdown();
    assert!(fake.subscriptions().is_empty());
    assert_eq!(fake.echo().connection_state(), echo_rs::ConnectionState::Disconnected);
}

#[test]
fn tanstack_prefix_rule() {
    let path = |parts: &[&str]| parts.iter().map(|p| p.to_string()).collect::<Vec<_>>();
    let rooms = path(&["rooms"]);
    assert!(key_matches_prefix(&path(&["rooms"]), &rooms));
    assert!(key_matches_prefix(&path(&["rooms", "home"]), &rooms));
    assert!(key_matches_prefix(&path(&["rooms", "2026-12-01", "2026-12-04"]), &rooms));
    assert!(!key_matches_prefix(&path(&["rooms-archive"]), &rooms));
    assert!(!key_matches_prefix(&path(&["venues", "rooms"]), &rooms));
    assert!(!key_matches_prefix(&path(&[]), &rooms));
    assert!(key_matches_prefix(&path(&["rooms", "home"]), &path(&["rooms", "home"])));
    assert!(!key_matches_prefix(&path(&["rooms", "home"]), &path(&["rooms", "all"])));
}

#[test]
fn a_hold_reports_its_status_and_obeys_echo_reacts_controls_without_a_framework() {
    use echo_rs::hooks::{ChannelHold, DeferredLeave, HoldSpec, HoldStatus};
    use echo_rs::Subscription;

    let fake = fake();
    let registry = registry_of(&fake);
    let statuses: Rc<RefCell<Vec<HoldStatus>>> = Rc::default();
    let leaves: Rc<RefCell<Vec<DeferredLeave>>> = Rc::default();
    let heard = Rc::new(Cell::new(0));
    let (sink, deferred, count) = (statuses.clone(), leaves.clone(), heard.clone());
    let hold = ChannelHold::new(
        registry.clone(),
        HoldSpec::listening(move |channel, _| {
            let count = count.clone();
            vec![channel.listen(".Updated", move |_| count.set(count.get() + 1))]
        }),
        move |status| sink.borrow_mut().push(status.clone()),
        move |leave| deferred.borrow_mut().push(leave),
    );
    hold.want(Some("private-chat.1".into()));
    hold.take();
    fake.run_until_idle();
    let last = statuses.borrow().last().cloned().expect("reported");
    assert!(last.subscribed && last.listening);
    assert_eq!(last.subscription, Some(Subscription::First));

    assert!(fake.emit("private-chat.1", ".Updated", serde_json::json!({})));
    hold.stop_listening();
    assert!(fake.emit("private-chat.1", ".Updated", serde_json::json!({})));
    assert_eq!(heard.get(), 1, "stopped");
    assert!(!hold.status().listening);
    hold.listen();
    assert!(fake.emit("private-chat.1", ".Updated", serde_json::json!({})));
    assert_eq!(heard.get(), 2, "resumed");
    hold.whisper("typing", &serde_json::json!({}))
        .expect("a private channel carries whispers");

    hold.leave_channel();
    assert!(!hold.status().subscribed);
    assert_eq!(hold.status().subscription, None);
    leaves.borrow_mut().drain(..).for_each(DeferredLeave::finish);
    assert!(
        fake.subscriptions().is_empty(),
        "the last holder's leave, finished after the render"
    );
    hold.take();
    assert!(hold.channel().is_none(), "left: not taken again until join");
    hold.join();
    fake.run_until_idle();
    assert!(hold.status().subscribed);
    hold.release(false);
    assert_eq!(fake.listener_count("private-chat.1"), 0, "nothing left behind");
}
