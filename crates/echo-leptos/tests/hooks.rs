//! echo-leptos hooks in headless Chromium against `echo_rs::testing::FakeEcho`:
//! what a user of the hooks would notice (frames on the wire, handlers
//! called, queries refetched, signals shown), one fresh fake and mount per
//! test.
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use echo_leptos::*;
use echo_rs::testing::FakeEcho;
use echo_rs::{EchoError, Value};
use leptos::mount::UnmountHandle;
use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use leptos_fetch::{QueryClient, QueryScopeLocal};
use serde_json::json;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOTIFICATION: &str = ".Illuminate\\Notifications\\Events\\BroadcastNotificationCreated";

// ----- helpers --------------------------------------------------------------

fn fake() -> FakeEcho {
    FakeEcho::new("app-key").expect("a fake client")
}

/// Mounts `view` under a root that provides `fake`'s client.
fn mount<N: IntoView + 'static>(fake: &FakeEcho, view: impl FnOnce() -> N + 'static) -> UnmountHandle<impl Mountable> {
    let echo = fake.echo().clone();
    mount_with(move || {
        provide_echo_with(move || Some(echo.clone()));
        view()
    })
}

fn mount_with<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> UnmountHandle<impl Mountable> {
    let body = web_sys::window().unwrap().document().unwrap().body().unwrap();
    leptos::mount::mount_to(body, view)
}

/// Lets Leptos run its effects and deferred leaves, then the fake client's
/// runtime, a few times over.
async fn settle(fake: &FakeEcho) {
    for _ in 0..3 {
        gloo_timers::future::sleep(Duration::from_millis(10)).await;
        fake.run_until_idle();
    }
}

async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = web_time::Instant::now();
    while !condition() {
        assert!(start.elapsed() < Duration::from_secs(5), "timed out waiting for {what}");
        gloo_timers::future::sleep(Duration::from_millis(10)).await;
    }
}

/// How many `pusher:unsubscribe` frames the client sent for `channel`.
fn unsubscribe_count(fake: &FakeEcho, channel: &str) -> usize {
    let needle = format!(r#""channel":"{channel}""#);
    fake.sent_frames()
        .iter()
        .filter(|f| f.contains("pusher:unsubscribe") && f.contains(&needle))
        .count()
}

#[component]
fn RoomsCounter(hits: RwSignal<u32>) -> impl IntoView {
    use_realtime_event("rooms", ".RoomsUpdated", move |_| hits.update(|n| *n += 1));
}

// ----- shared subscriptions --------------------------------------------------

#[wasm_bindgen_test]
async fn two_components_share_one_subscription_and_the_last_one_leaves() {
    let fake = fake();
    let (show_a, show_b) = (RwSignal::new(true), RwSignal::new(true));
    let (hits_a, hits_b) = (RwSignal::new(0), RwSignal::new(0));
    let mounted = mount(&fake, move || {
        view! {
            <Show when=move || show_a.get()><RoomsCounter hits=hits_a/></Show>
            <Show when=move || show_b.get()><RoomsCounter hits=hits_b/></Show>
        }
    });
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1, "one pusher:subscribe for two components");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!((hits_a.get_untracked(), hits_b.get_untracked()), (1, 1));

    show_a.set(false);
    settle(&fake).await;
    assert_eq!(unsubscribe_count(&fake, "rooms"), 0, "the other component still holds the channel");
    assert_eq!(fake.subscriptions(), ["rooms"]);
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(
        (hits_a.get_untracked(), hits_b.get_untracked()),
        (1, 2),
        "the unmounted one stopped listening"
    );

    show_b.set(false);
    settle(&fake).await;
    assert_eq!(unsubscribe_count(&fake, "rooms"), 1, "the last one leaves");
    assert!(fake.subscriptions().is_empty());
    assert_eq!(fake.subscribe_count("rooms"), 1);
    drop(mounted);
}

#[component]
fn Labelled(label: String, seen: RwSignal<Vec<String>>) -> impl IntoView {
    use_realtime_event("rooms", ".RoomsUpdated", move |_| seen.update(|v| v.push(label.clone())));
}

#[wasm_bindgen_test]
async fn re_rendering_with_a_new_prop_keeps_the_subscription_and_uses_the_new_handler() {
    let fake = fake();
    let label = RwSignal::new("first".to_owned());
    let seen = RwSignal::new(Vec::<String>::new());
    let mounted = mount(&fake, move || {
        view! { {move || view! { <Labelled label=label.get() seen=seen/> }} }
    });
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1);

    label.set("second".to_owned());
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1, "no resubscribe on re-render");
    assert_eq!(unsubscribe_count(&fake, "rooms"), 0, "no leave on re-render");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(seen.get_untracked(), ["second"], "only the new handler runs, once");
    drop(mounted);
}

#[component]
fn CapturesState(mode: RwSignal<&'static str>, seen: RwSignal<Vec<&'static str>>) -> impl IntoView {
    // The handler reads state that changes; the channel never does.
    use_realtime_event("rooms", ".RoomsUpdated", move |_| seen.update(|v| v.push(mode.get_untracked())));
    view! { <p>{move || mode.get()}</p> }
}

#[wasm_bindgen_test]
async fn a_handler_capturing_changing_state_never_resubscribes_and_sees_the_new_state() {
    let fake = fake();
    let mode = RwSignal::new("list");
    let seen = RwSignal::new(Vec::new());
    let mounted = mount(&fake, move || view! { <CapturesState mode=mode seen=seen/> });
    settle(&fake).await;
    mode.set("grid");
    settle(&fake).await;
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(seen.get_untracked(), ["grid"]);
    assert_eq!(fake.subscribe_count("rooms"), 1);
    assert_eq!(unsubscribe_count(&fake, "rooms"), 0);
    drop(mounted);
}

#[wasm_bindgen_test]
async fn changing_the_channel_moves_the_subscription_and_disabling_leaves() {
    let fake = fake();
    let channel = RwSignal::new("rooms".to_owned());
    let enabled = RwSignal::new(true);
    let hits = RwSignal::new(Vec::<String>::new());
    let mounted = mount(&fake, move || {
        use_realtime_event_with_options(
            channel,
            ".Updated",
            move |_| hits.update(|v| v.push(channel.get_untracked())),
            UseRealtimeEventOptions {
                enabled: enabled.into(),
                ..Default::default()
            },
        );
    });
    settle(&fake).await;
    assert_eq!(fake.subscriptions(), ["rooms"]);

    channel.set("venues".to_owned());
    settle(&fake).await;
    assert_eq!(unsubscribe_count(&fake, "rooms"), 1, "the old channel is left");
    assert_eq!(fake.subscribe_count("venues"), 1);
    assert_eq!(fake.subscriptions(), ["venues"]);
    assert!(!fake.emit("rooms", ".Updated", json!({})), "the server no longer sends rooms");
    assert!(fake.emit("venues", ".Updated", json!({})));
    assert_eq!(hits.get_untracked(), ["venues"]);

    enabled.set(false);
    settle(&fake).await;
    assert_eq!(unsubscribe_count(&fake, "venues"), 1, "disabling leaves");
    assert!(fake.subscriptions().is_empty());
    drop(mounted);
}

#[wasm_bindgen_test]
async fn unmount_and_remount_in_one_tick_keeps_one_subscription_and_one_listener() {
    let fake = fake();
    let key = RwSignal::new(0);
    let hits = RwSignal::new(0);
    let mounted = mount(&fake, move || {
        // A keyed child: every change of `key` unmounts it and mounts a new one.
        view! { {move || { key.get(); view! { <RoomsCounter hits=hits/> } }} }
    });
    settle(&fake).await;
    key.set(1);
    key.set(2);
    settle(&fake).await;
    key.set(3);
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1);
    assert_eq!(unsubscribe_count(&fake, "rooms"), 0);
    assert_eq!(fake.listener_count("rooms"), 1, "one set of listeners");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(hits.get_untracked(), 1, "the event is handled once");
    drop(mounted);
}

// ----- the global subscriber and leptos-fetch ----------------------------------

thread_local! {
    static ROOM_FETCHES: Cell<u32> = const { Cell::new(0) };
    static VENUE_FETCHES: Cell<u32> = const { Cell::new(0) };
}

async fn fetch_room_list(_view: String) -> u32 {
    ROOM_FETCHES.with(|n| n.replace(n.get() + 1) + 1)
}

async fn fetch_venue_list() -> u32 {
    VENUE_FETCHES.with(|n| n.replace(n.get() + 1) + 1)
}

#[component]
fn Catalogue() -> impl IntoView {
    let client = QueryClient::new().provide();
    let queries = provide_realtime_queries(client);
    queries.register(QueryScopeLocal::new(fetch_room_list), |view: &String| {
        vec!["rooms".into(), view.clone()]
    });
    queries.register(QueryScopeLocal::new(fetch_venue_list), |_: &()| vec!["venues".into()]);
    use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
    let home = client.local_resource(fetch_room_list, || "home".to_owned());
    let search = client.local_resource(fetch_room_list, || "search".to_owned());
    let venues = client.local_resource(fetch_venue_list, || ());
    view! {
        <p>{move || home.get()}</p>
        <p>{move || search.get()}</p>
        <p>{move || venues.get()}</p>
    }
}

#[wasm_bindgen_test]
async fn the_global_subscriber_refetches_the_queries_under_the_prefix_on_events_and_resubscription() {
    ROOM_FETCHES.with(|n| n.set(0));
    VENUE_FETCHES.with(|n| n.set(0));
    let rooms = || ROOM_FETCHES.with(Cell::get);
    let venues = || VENUE_FETCHES.with(Cell::get);
    let fake = fake();
    let mounted = mount(&fake, Catalogue);
    settle(&fake).await;
    wait_until("the first fetches", || rooms() == 2 && venues() == 1).await;
    assert_eq!(fake.subscribe_count("rooms"), 1);

    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    wait_until("RoomsUpdated to refetch both rooms queries", || rooms() == 4).await;
    settle(&fake).await;
    assert_eq!((rooms(), venues()), (4, 1), "exactly the two rooms queries, not venues");

    fake.drop_connection(None);
    fake.advance(Duration::from_secs(2));
    assert_eq!(fake.subscribe_count("rooms"), 2, "resubscribed after the reconnect");
    wait_until("the resubscription to refetch the rooms queries", || rooms() == 6).await;
    settle(&fake).await;
    assert_eq!((rooms(), venues()), (6, 1), "once each, without any event");
    drop(mounted);
}

// ----- connection status, socket id, disconnect_echo --------------------------

#[wasm_bindgen_test]
async fn connection_status_and_socket_id_follow_the_connection() {
    let fake = fake();
    let seen = Rc::new(RefCell::new(None));
    let stash = seen.clone();
    let mounted = mount(&fake, move || {
        *stash.borrow_mut() = Some((use_connection_status(), use_socket_id()));
    });
    let (status, socket_id) = seen.borrow().expect("mounted");
    settle(&fake).await;
    assert_eq!(status.get_untracked(), ConnectionState::Connected);
    assert_eq!(socket_id.get_untracked(), fake.runtime().socket_id());
    assert!(socket_id.get_untracked().is_some());

    fake.runtime().set_auto_handshake(false);
    fake.drop_connection(None);
    assert_eq!(status.get_untracked(), ConnectionState::Connecting, "reconnecting");
    assert_eq!(socket_id.get_untracked(), None);
    fake.advance(Duration::from_secs(11));
    assert_eq!(status.get_untracked(), ConnectionState::Unavailable, "still retrying after 10 s");

    fake.runtime().set_auto_handshake(true);
    fake.advance(Duration::from_secs(30));
    assert_eq!(status.get_untracked(), ConnectionState::Connected);
    assert_eq!(socket_id.get_untracked(), fake.runtime().socket_id());
    assert!(socket_id.get_untracked().is_some());
    drop(mounted);
}

#[wasm_bindgen_test]
async fn disconnect_echo_moves_every_hook_to_a_fresh_client() {
    let (first, second) = (fake(), fake());
    let clients = Rc::new(RefCell::new(vec![second.echo().clone(), first.echo().clone()]));
    let built = Rc::new(Cell::new(0));
    let (show_a, hits_a, hits_b) = (RwSignal::new(true), RwSignal::new(0), RwSignal::new(0));
    let seen = Rc::new(RefCell::new(None));
    let (stash, factory_built) = (seen.clone(), built.clone());
    let mounted = mount_with(move || {
        let context = provide_echo_with(move || {
            factory_built.set(factory_built.get() + 1);
            clients.borrow_mut().pop()
        });
        *stash.borrow_mut() = Some((context, use_connection_status(), use_socket_id()));
        view! {
            <Show when=move || show_a.get()><RoomsCounter hits=hits_a/></Show>
            <RoomsCounter hits=hits_b/>
        }
    });
    let (context, status, socket_id) = seen.borrow().expect("mounted");
    settle(&first).await;
    assert_eq!(built.get(), 1);
    assert_eq!(first.subscribe_count("rooms"), 1);
    assert_eq!(status.get_untracked(), ConnectionState::Connected);

    context.disconnect(); // what disconnect_echo() does, from outside a component
    settle(&second).await;
    assert_eq!(built.get(), 2, "the factory built a fresh client");
    assert_eq!(first.echo().connection_state(), ConnectionState::Disconnected);
    assert_eq!(second.subscribe_count("rooms"), 1, "the hooks subscribed once on the new client");
    assert_eq!(status.get_untracked(), ConnectionState::Connected);
    assert_eq!(socket_id.get_untracked(), second.runtime().socket_id());
    assert!(second.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!((hits_a.get_untracked(), hits_b.get_untracked()), (1, 1));
    assert_eq!(first.listener_count("rooms"), 0, "nothing is left on the old client");

    // The reference counts restarted with the new client: unmounting one
    // component must not leave the channel the other still needs.
    show_a.set(false);
    settle(&second).await;
    assert_eq!(unsubscribe_count(&second, "rooms"), 0);
    assert_eq!(second.subscriptions(), ["rooms"]);
    assert!(second.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!((hits_a.get_untracked(), hits_b.get_untracked()), (1, 2));
    drop(mounted);
}

// ----- presence ----------------------------------------------------------------

type Whisper = Rc<dyn Fn(&str, &Value) -> Result<(), EchoError>>;

struct Presence {
    members: Signal<Vec<Member>>,
    me: Signal<Option<Member>>,
    count: Signal<usize>,
    joining: Signal<Option<Member>>,
    leaving: Signal<Option<Member>>,
    whisper: Whisper,
}

fn stash_presence(stash: &RefCell<Option<Presence>>, name: &str) {
    let room = use_presence_channel(name.to_owned());
    *stash.borrow_mut() = Some(Presence {
        members: room.members,
        me: room.me,
        count: room.count,
        joining: room.joining,
        leaving: room.leaving,
        whisper: Rc::new(room.whisper),
    });
}

fn ids(members: &[Member]) -> Vec<String> {
    let mut ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
    ids.sort();
    ids
}

#[wasm_bindgen_test]
async fn presence_members_follow_here_joining_and_leaving() {
    let fake = fake();
    fake.set_user(json!(1), json!({ "name": "Me" }));
    fake.runtime()
        .set_members("presence-room.1", [json!({ "user_id": 2, "user_info": { "name": "Ann" } })]);
    let seen = Rc::new(RefCell::new(None));
    let stash = seen.clone();
    let mounted = mount(&fake, move || stash_presence(&stash, "room.1"));
    let seen = seen.borrow_mut().take().expect("mounted");
    assert!((seen.whisper)("typing", &json!({})).is_err(), "not joined before the effect runs");
    settle(&fake).await;
    assert_eq!(fake.subscriptions(), ["presence-room.1"]);
    assert_eq!(ids(&seen.members.get_untracked()), ["1", "2"], "here: everyone");
    assert_eq!(seen.count.get_untracked(), 2);
    assert_eq!(seen.me.get_untracked().map(|m| m.id), Some("1".to_owned()));

    assert!(fake
        .runtime()
        .add_member("presence-room.1", &json!({ "user_id": 3, "user_info": { "name": "Bo" } })));
    assert_eq!(ids(&seen.members.get_untracked()), ["1", "2", "3"]);
    assert_eq!(seen.count.get_untracked(), 3);
    let joined = seen.joining.get_untracked().expect("joining");
    assert_eq!((joined.id.as_str(), &joined.info), ("3", &json!({ "name": "Bo" })));

    assert!(fake.runtime().remove_member("presence-room.1", &json!(2)));
    assert_eq!(ids(&seen.members.get_untracked()), ["1", "3"]);
    assert_eq!(seen.count.get_untracked(), 2);
    assert_eq!(seen.leaving.get_untracked().map(|m| m.id), Some("2".to_owned()));

    (seen.whisper)("typing", &json!({ "name": "Me" })).expect("whisper while joined");
    assert!(fake
        .sent_frames()
        .iter()
        .any(|f| f.contains("client-typing") && f.contains("presence-room.1")));

    fake.drop_connection(None);
    assert!(seen.members.get_untracked().is_empty(), "no members while the connection is lost");
    fake.advance(Duration::from_secs(2));
    assert_eq!(
        ids(&seen.members.get_untracked()),
        ["1", "3"],
        "here again on resubscription: a reset"
    );
    assert_eq!(seen.count.get_untracked(), 2);
    drop(mounted);
}

thread_local! {
    static LATE_PRESENCE: RefCell<Option<Presence>> = const { RefCell::new(None) };
}

#[component]
fn LatePresence() -> impl IntoView {
    LATE_PRESENCE.with(|stash| stash_presence(stash, "room.2"));
}

#[wasm_bindgen_test]
async fn two_presence_hooks_share_one_join_and_the_second_sees_the_members() {
    let fake = fake();
    fake.runtime().set_members("presence-room.2", [json!({ "user_id": 5 })]);
    let show_second = RwSignal::new(false);
    let a = Rc::new(RefCell::new(None));
    let stash_a = a.clone();
    let mounted = mount(&fake, move || {
        stash_presence(&stash_a, "presence-room.2");
        view! { <Show when=move || show_second.get()><LatePresence/></Show> }
    });
    settle(&fake).await;
    show_second.set(true);
    settle(&fake).await;
    let a = a.borrow_mut().take().unwrap();
    let b = LATE_PRESENCE.with(|stash| stash.borrow_mut().take()).unwrap();
    assert_eq!(fake.subscribe_count("presence-room.2"), 1);
    assert_eq!(ids(&a.members.get_untracked()), ["1", "5"]);
    assert_eq!(
        ids(&b.members.get_untracked()),
        ["1", "5"],
        "a late hook starts from the known members"
    );
    show_second.set(false);
    settle(&fake).await;
    assert_eq!(unsubscribe_count(&fake, "presence-room.2"), 0);
    assert!(fake.runtime().add_member("presence-room.2", &json!({ "user_id": 6 })));
    assert_eq!(ids(&a.members.get_untracked()), ["1", "5", "6"]);
    drop(mounted);
    settle(&fake).await;
    assert_eq!(
        unsubscribe_count(&fake, "presence-room.2"),
        1,
        "unmounting the app leaves its channels"
    );
    assert!(!fake.runtime().is_open(), "and closes the connection");
}

// ----- typed events --------------------------------------------------------------

#[derive(serde::Deserialize)]
struct RoomsUpdated {
    room_ids: Vec<u64>,
}

impl BroadcastEvent for RoomsUpdated {
    const NAME: &'static str = ".RoomsUpdated";
}

#[wasm_bindgen_test]
async fn typed_events_decode_and_report_what_does_not() {
    let fake = fake();
    let got = RwSignal::new(Vec::<u64>::new());
    let seen = Rc::new(Cell::new(None));
    let stash = seen.clone();
    let mounted = mount(&fake, move || {
        let rooms = use_realtime_event_typed("rooms", move |e: RoomsUpdated| got.update(|v| v.extend(e.room_ids)));
        stash.set(Some(rooms.error));
    });
    let error = seen.get().expect("mounted");
    settle(&fake).await;
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": [1, 2] })));
    assert_eq!(got.get_untracked(), [1, 2]);
    assert_eq!(error.get_untracked(), None);

    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": "all" })));
    assert_eq!(got.get_untracked(), [1, 2], "undecodable data is not delivered");
    let decode = error.get_untracked().expect("the decode error is shown");
    assert!(
        matches!(&decode, echo_rs::EchoError::Decode { channel, event, .. } if channel == "rooms" && event == "RoomsUpdated"),
        "{decode:?}"
    );

    assert!(fake.emit("rooms", ".Other", json!("garbage")), "another event");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "room_ids": [3] })));
    assert_eq!(got.get_untracked(), [1, 2, 3]);
    assert_eq!(error.get_untracked(), None, "cleared by the next good event");
    drop(mounted);
}

// ----- notifications ----------------------------------------------------------

#[wasm_bindgen_test]
async fn the_notification_type_filter_accepts_dotted_and_backslashed_forms() {
    let fake = fake();
    let (dotted, backslashed, all) = (RwSignal::new(0), RwSignal::new(0), RwSignal::new(0));
    let mounted = mount(&fake, move || {
        let only = |types: &[&str]| UseEchoNotificationOptions {
            types: types.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        };
        use_echo_notification_with_options(
            "App.Models.User.1".to_owned(),
            move |_| dotted.update(|n| *n += 1),
            only(&["App.Notifications.BookingCreated"]),
        );
        use_echo_notification_with_options(
            "App.Models.User.1".to_owned(),
            move |_| backslashed.update(|n| *n += 1),
            only(&["App\\Notifications\\BookingCreated"]),
        );
        use_echo_notification("App.Models.User.1".to_owned(), move |_| all.update(|n| *n += 1));
    });
    settle(&fake).await;
    let channel = "private-App.Models.User.1";
    assert_eq!(fake.subscriptions(), [channel]);
    assert_eq!(fake.subscribe_count(channel), 1);
    let counts = || (dotted.get_untracked(), backslashed.get_untracked(), all.get_untracked());

    assert!(fake.emit(
        channel,
        NOTIFICATION,
        json!({ "type": "App\\Notifications\\BookingCreated", "id": "a" })
    ));
    assert_eq!(counts(), (1, 1, 1));
    assert!(fake.emit(
        channel,
        NOTIFICATION,
        json!({ "type": "App.Notifications.BookingCreated", "id": "b" })
    ));
    assert_eq!(counts(), (2, 2, 2));
    assert!(fake.emit(channel, NOTIFICATION, json!({ "type": "App\\Notifications\\Other", "id": "c" })));
    assert_eq!(counts(), (2, 2, 3), "other types pass only the unfiltered hook");
    drop(mounted);
}

// ----- realtime disabled ------------------------------------------------------

#[wasm_bindgen_test]
async fn with_realtime_disabled_every_hook_is_a_no_op() {
    let seen = Rc::new(RefCell::new(None));
    let stash = seen.clone();
    let mounted = mount_with(move || {
        let context = provide_echo(None);
        let queries = provide_realtime_queries(QueryClient::new().provide());
        queries.register(QueryScopeLocal::new(fetch_venue_list), |_: &()| vec!["venues".into()]);
        use_realtime_event("rooms", ".RoomsUpdated", |_| panic!("no events when disabled"));
        use_realtime_event_typed("rooms", |_: RoomsUpdated| panic!("no events when disabled"));
        let channel = use_realtime_channel("rooms".to_owned(), vec![".RoomsUpdated".into()], |_, _| {});
        use_echo_notification("App.Models.User.1".to_owned(), |_| {});
        use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
        let room = use_presence_channel("room.1".to_owned());
        let whisper: Whisper = Rc::new(room.whisper);
        *stash.borrow_mut() = Some((context, use_connection_status(), use_socket_id(), channel, room.members, whisper));
        disconnect_echo();
        view! { <p>"still here"</p> }
    });
    gloo_timers::future::sleep(Duration::from_millis(30)).await;
    let (context, status, socket_id, channel, members, whisper) = seen.borrow_mut().take().expect("mounted");
    assert!(context.client().is_none());
    assert_eq!(status.get_untracked(), ConnectionState::Initialized);
    assert_eq!(socket_id.get_untracked(), None);
    assert!(!channel.subscribed.get_untracked());
    assert!(members.get_untracked().is_empty());
    assert!(whisper("typing", &json!({})).is_err());
    drop(mounted);
}
