//! echo-leptos hooks against `echo_rs::testing::FakeEcho`: what a user of
//! the hooks would notice (frames on the wire, handlers called, queries
//! refetched, signals shown), one fresh fake and app per test.
//!
//! No DOM: an app is a reactive root that provides the client, and a part of
//! its view that comes and goes (what `<Show>` or a route renders) is a child
//! owner, dropped to unmount it. Each test body is written once and runs
//! twice: natively under `cargo test -p echo-leptos` (effects on a tokio
//! `LocalSet`, Leptos's `effects` feature on), and in headless Chromium under
//! wasm-bindgen-test (`--target wasm32-unknown-unknown`, as scripts/test.sh
//! runs it). What needs Leptos's renderer is in tests/hooks_dom.rs.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use echo_leptos::*;
use echo_rs::testing::FakeEcho;
use echo_rs::{Echo, EchoError, Value};
use leptos::prelude::*;
use leptos_fetch::{QueryClient, QueryOptions, QueryScopeLocal};
use serde_json::json;

const NOTIFICATION: &str = ".Illuminate\\Notifications\\Events\\BroadcastNotificationCreated";

// ----- the two harnesses ---------------------------------------------------------

/// One test entry per body: `native::name` (`#[test]`) and `browser::name`
/// (`#[wasm_bindgen_test]`). A body left out of the list is dead code, and
/// the compiler says so.
macro_rules! run_natively_and_in_the_browser {
    ($($name:ident),* $(,)?) => {
        #[cfg(not(target_arch = "wasm32"))]
        mod native {
            $(
                #[test]
                fn $name() {
                    super::run(super::$name());
                }
            )*
        }

        #[cfg(target_arch = "wasm32")]
        mod browser {
            wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
            $(
                #[wasm_bindgen_test::wasm_bindgen_test]
                async fn $name() {
                    super::run(super::$name()).await;
                }
            )*
        }
    };
}

run_natively_and_in_the_browser!(
    two_parts_share_one_subscription_and_the_last_one_leaves,
    a_handler_capturing_changing_state_never_resubscribes_and_sees_the_new_state,
    changing_the_channel_moves_the_subscription_and_disabling_leaves,
    unmount_and_remount_in_one_tick_keeps_one_subscription_and_one_listener,
    the_global_subscriber_refetches_the_queries_under_the_prefix_on_events_and_resubscription,
    connection_status_and_socket_id_follow_the_connection,
    disconnect_echo_moves_every_hook_to_a_fresh_client,
    presence_members_follow_here_joining_and_leaving,
    two_presence_hooks_share_one_join_and_the_second_sees_the_members,
    typed_events_decode_and_report_what_does_not,
    the_notification_type_filter_accepts_dotted_and_backslashed_forms,
    with_realtime_disabled_every_hook_is_a_no_op,
    a_handler_stops_and_resumes_listening_and_leaves_early,
    leaving_early_as_the_last_holder_unsubscribes_and_unmounting_after_it_releases_nothing_twice,
    leave_also_leaves_the_other_forms_that_no_other_part_holds,
    channel_handles_share_the_subscription_whisper_and_hear_whispers,
    hooks_tell_a_resubscription_from_the_first_subscription,
    model_events_arrive_typed_on_the_models_private_channel,
    stopping_one_notification_hook_keeps_the_channel_and_the_others,
    controls_called_after_unmount_do_nothing,
    a_model_hook_waits_for_its_id_when_disabled,
    unmounted_hooks_leave_nothing_on_the_client_which_can_then_be_freed,
    the_subscription_signal_starts_over_on_a_new_channel,
    a_deferred_leave_from_before_disconnect_echo_does_not_strand_a_channel,
    leave_keeps_a_form_remounted_in_the_same_tick,
    use_echo_takes_one_event_name_or_several_and_whispers_can_be_stopped,
);

/// Runs a test on a current-thread tokio runtime, inside a `LocalSet`: the
/// executor Leptos spawns its effects on (`spawn_local`) and `tick` with.
#[cfg(not(target_arch = "wasm32"))]
fn run(test: impl Future<Output = ()>) {
    let _ = any_spawner::Executor::init_tokio();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a tokio runtime");
    tokio::task::LocalSet::new().block_on(&runtime, test);
}

/// Runs a test on wasm-bindgen-futures, the executor `mount_to` sets up.
#[cfg(target_arch = "wasm32")]
async fn run(test: impl Future<Output = ()>) {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    test.await;
}

async fn sleep(duration: Duration) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(duration).await;
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::sleep(duration).await;
}

// ----- helpers --------------------------------------------------------------

fn fake() -> FakeEcho {
    FakeEcho::new("app-key").expect("a fake client")
}

/// An app whose root provides `fake`'s client; dropping it unmounts the app.
fn app(fake: &FakeEcho) -> Owner {
    let echo = fake.echo().clone();
    app_with(move || {
        provide_echo_with(move || Some(echo.clone()));
    })
}

/// An app whose root runs `root` (provides a context, calls hooks).
fn app_with(root: impl FnOnce()) -> Owner {
    let owner = Owner::new_root(None);
    // `new_root` makes it the thread's current owner; owners are entered
    // with `with` below, so leave none current behind.
    owner.clone().unset();
    owner.with(root);
    owner
}

/// A part of `parent`'s view that comes and goes, built by `view`; dropping
/// it unmounts it (its effects' cleanups run).
fn part(parent: &Owner, view: impl FnOnce()) -> Owner {
    let owner = parent.child();
    owner.with(view);
    owner
}

/// Lets Leptos run its effects and deferred leaves, then the fake client's
/// runtime, a few times over.
async fn settle(fake: &FakeEcho) {
    for _ in 0..3 {
        sleep(Duration::from_millis(10)).await;
        fake.run_until_idle();
    }
}

async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = web_time::Instant::now();
    while !condition() {
        assert!(start.elapsed() < Duration::from_secs(5), "timed out waiting for {what}");
        sleep(Duration::from_millis(10)).await;
    }
}

/// What a component counting `.RoomsUpdated` on `rooms` does.
fn rooms_counter(hits: RwSignal<u32>) {
    use_realtime_event("rooms", ".RoomsUpdated", move |_| hits.update(|n| *n += 1));
}

// ----- shared subscriptions --------------------------------------------------

async fn two_parts_share_one_subscription_and_the_last_one_leaves() {
    let fake = fake();
    let (hits_a, hits_b) = (RwSignal::new(0), RwSignal::new(0));
    let app = app(&fake);
    let a = part(&app, || rooms_counter(hits_a));
    let b = part(&app, || rooms_counter(hits_b));
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1, "one pusher:subscribe for two parts");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!((hits_a.get_untracked(), hits_b.get_untracked()), (1, 1));

    drop(a);
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("rooms"), 0, "the other part still holds the channel");
    assert_eq!(fake.subscriptions(), ["rooms"]);
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(
        (hits_a.get_untracked(), hits_b.get_untracked()),
        (1, 2),
        "the unmounted one stopped listening"
    );

    drop(b);
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("rooms"), 1, "the last one leaves");
    assert!(fake.subscriptions().is_empty());
    assert_eq!(fake.subscribe_count("rooms"), 1);
    assert_eq!(fake.listener_count("rooms"), 0, "no listener left behind");
    drop(app);
}

async fn a_handler_capturing_changing_state_never_resubscribes_and_sees_the_new_state() {
    let fake = fake();
    let mode = RwSignal::new("list");
    let seen = RwSignal::new(Vec::new());
    // The handler reads state that changes; the channel never does.
    let app = app(&fake);
    let _view = part(&app, || {
        use_realtime_event("rooms", ".RoomsUpdated", move |_| seen.update(|v| v.push(mode.get_untracked())));
    });
    settle(&fake).await;
    mode.set("grid");
    settle(&fake).await;
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(seen.get_untracked(), ["grid"]);
    assert_eq!(fake.subscribe_count("rooms"), 1);
    assert_eq!(fake.unsubscribe_count("rooms"), 0);
}

async fn changing_the_channel_moves_the_subscription_and_disabling_leaves() {
    let fake = fake();
    let channel = RwSignal::new("rooms".to_owned());
    let enabled = RwSignal::new(true);
    let hits = RwSignal::new(Vec::<String>::new());
    let app = app(&fake);
    let _view = part(&app, || {
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
    assert_eq!(fake.unsubscribe_count("rooms"), 1, "the old channel is left");
    assert_eq!(fake.subscribe_count("venues"), 1);
    assert_eq!(fake.subscriptions(), ["venues"]);
    assert!(!fake.emit("rooms", ".Updated", json!({})), "the server no longer sends rooms");
    assert!(fake.emit("venues", ".Updated", json!({})));
    assert_eq!(hits.get_untracked(), ["venues"]);

    enabled.set(false);
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("venues"), 1, "disabling leaves");
    assert!(fake.subscriptions().is_empty());
}

async fn unmount_and_remount_in_one_tick_keeps_one_subscription_and_one_listener() {
    let fake = fake();
    let hits = RwSignal::new(0);
    let app = app(&fake);
    let mut view = part(&app, || rooms_counter(hits));
    settle(&fake).await;
    // A route left and entered again before Leptos's next tick: the last
    // reference goes, and a new one comes before the deferred leave runs.
    for _ in 0..2 {
        drop(view);
        view = part(&app, || rooms_counter(hits));
    }
    settle(&fake).await;
    drop(view);
    let _view = part(&app, || rooms_counter(hits));
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("rooms"), 1);
    assert_eq!(fake.unsubscribe_count("rooms"), 0);
    assert_eq!(fake.listener_count("rooms"), 1, "one set of listeners");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(hits.get_untracked(), 1, "the event is handled once");
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

/// A catalogue page: two room lists and a venue list, kept fresh by the
/// global subscriber.
fn catalogue() {
    // Never garbage-collected: leptos-fetch times its collection with the
    // browser's `setTimeout`, which does not exist natively.
    let client = QueryClient::new()
        .with_options(QueryOptions::new().with_gc_time(Duration::MAX))
        .provide();
    let queries = provide_realtime_queries(client);
    queries.register(QueryScopeLocal::new(fetch_room_list), |view: &String| {
        vec!["rooms".into(), view.clone()]
    });
    queries.register(QueryScopeLocal::new(fetch_venue_list), |_: &()| vec!["venues".into()]);
    use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
    let home = client.local_resource(fetch_room_list, || "home".to_owned());
    let search = client.local_resource(fetch_room_list, || "search".to_owned());
    let venues = client.local_resource(fetch_venue_list, || ());
    // What the page shows, read the way a view reads it.
    Effect::new(move |_| {
        home.track();
        search.track();
        venues.track();
    });
}

async fn the_global_subscriber_refetches_the_queries_under_the_prefix_on_events_and_resubscription() {
    ROOM_FETCHES.with(|n| n.set(0));
    VENUE_FETCHES.with(|n| n.set(0));
    let rooms = || ROOM_FETCHES.with(Cell::get);
    let venues = || VENUE_FETCHES.with(Cell::get);
    let fake = fake();
    let app = app(&fake);
    let _page = part(&app, catalogue);
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
}

// ----- connection status, socket id, disconnect_echo --------------------------

async fn connection_status_and_socket_id_follow_the_connection() {
    let fake = fake();
    let app = app(&fake);
    let (status, state, socket_id) = app.with(|| (use_connection_status(), use_connection_state(), use_socket_id()));
    settle(&fake).await;
    assert_eq!(status.get_untracked(), ConnectionStatus::Connected);
    assert_eq!(state.get_untracked(), ConnectionState::Connected);
    assert_eq!(socket_id.get_untracked(), fake.runtime().socket_id());
    assert!(socket_id.get_untracked().is_some());

    fake.runtime().set_auto_handshake(false);
    fake.drop_connection(None);
    assert_eq!(status.get_untracked(), ConnectionStatus::Reconnecting, "a connection that was up");
    assert_eq!(state.get_untracked(), ConnectionState::Connecting);
    assert_eq!(socket_id.get_untracked(), None);
    fake.advance(Duration::from_secs(11));
    assert_eq!(state.get_untracked(), ConnectionState::Unavailable, "still retrying after 10 s");
    assert_eq!(
        status.get_untracked(),
        ConnectionStatus::Reconnecting,
        "still reconnecting, not failed"
    );

    fake.runtime().set_auto_handshake(true);
    fake.advance(Duration::from_secs(30));
    assert_eq!(status.get_untracked(), ConnectionStatus::Connected);
    assert_eq!(state.get_untracked(), ConnectionState::Connected);
    assert_eq!(socket_id.get_untracked(), fake.runtime().socket_id());
    assert!(socket_id.get_untracked().is_some());
}

async fn disconnect_echo_moves_every_hook_to_a_fresh_client() {
    let (first, second) = (fake(), fake());
    let clients: Rc<RefCell<Vec<Echo>>> = Rc::new(RefCell::new(vec![second.echo().clone(), first.echo().clone()]));
    let built = Rc::new(Cell::new(0));
    let (hits_a, hits_b) = (RwSignal::new(0), RwSignal::new(0));
    let factory_built = built.clone();
    let mut context = None;
    let app = app_with(|| {
        context = Some(provide_echo_with(move || {
            factory_built.set(factory_built.get() + 1);
            clients.borrow_mut().pop()
        }));
    });
    let context = context.expect("provided");
    let (status, socket_id) = app.with(|| (use_connection_status(), use_socket_id()));
    let a = part(&app, || rooms_counter(hits_a));
    let _b = part(&app, || rooms_counter(hits_b));
    settle(&first).await;
    assert_eq!(built.get(), 1);
    assert_eq!(first.subscribe_count("rooms"), 1);
    assert_eq!(status.get_untracked(), ConnectionStatus::Connected);

    context.disconnect(); // what disconnect_echo() does, from outside a component
    settle(&second).await;
    assert_eq!(built.get(), 2, "the factory built a fresh client");
    assert_eq!(first.echo().connection_state(), ConnectionState::Disconnected);
    assert_eq!(second.subscribe_count("rooms"), 1, "the hooks subscribed once on the new client");
    assert_eq!(status.get_untracked(), ConnectionStatus::Connected);
    assert_eq!(socket_id.get_untracked(), second.runtime().socket_id());
    assert!(second.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!((hits_a.get_untracked(), hits_b.get_untracked()), (1, 1));
    assert_eq!(first.listener_count("rooms"), 0, "nothing is left on the old client");

    // The reference counts restarted with the new client: unmounting one
    // part must not leave the channel the other still needs.
    drop(a);
    settle(&second).await;
    assert_eq!(second.unsubscribe_count("rooms"), 0);
    assert_eq!(second.subscriptions(), ["rooms"]);
    assert!(second.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!((hits_a.get_untracked(), hits_b.get_untracked()), (1, 2));
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

fn presence(name: &str) -> Presence {
    let room = use_presence_channel(name.to_owned());
    Presence {
        members: room.members,
        me: room.me,
        count: room.count,
        joining: room.joining,
        leaving: room.leaving,
        whisper: Rc::new(move |event, data| room.whisper(event, data)),
    }
}

fn ids(members: &[Member]) -> Vec<String> {
    let mut ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
    ids.sort();
    ids
}

async fn presence_members_follow_here_joining_and_leaving() {
    let fake = fake();
    fake.set_user(json!(1), json!({ "name": "Me" }));
    fake.runtime()
        .set_members("presence-room.1", [json!({ "user_id": 2, "user_info": { "name": "Ann" } })]);
    let app = app(&fake);
    let seen = app.with(|| presence("room.1"));
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
}

async fn two_presence_hooks_share_one_join_and_the_second_sees_the_members() {
    let fake = fake();
    fake.runtime().set_members("presence-room.2", [json!({ "user_id": 5 })]);
    let app = app(&fake);
    let a = app.with(|| presence("presence-room.2"));
    settle(&fake).await;
    let mut b = None;
    let late = part(&app, || b = Some(presence("room.2")));
    let b = b.expect("mounted");
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("presence-room.2"), 1);
    assert_eq!(ids(&a.members.get_untracked()), ["1", "5"]);
    assert_eq!(
        ids(&b.members.get_untracked()),
        ["1", "5"],
        "a late hook starts from the known members"
    );
    drop(late);
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("presence-room.2"), 0);
    assert!(fake.runtime().add_member("presence-room.2", &json!({ "user_id": 6 })));
    assert_eq!(ids(&a.members.get_untracked()), ["1", "5", "6"]);
    drop(app);
    settle(&fake).await;
    assert_eq!(
        fake.unsubscribe_count("presence-room.2"),
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

async fn typed_events_decode_and_report_what_does_not() {
    let fake = fake();
    let got = RwSignal::new(Vec::<u64>::new());
    let app = app(&fake);
    let error = app.with(|| use_realtime_event_typed("rooms", move |e: RoomsUpdated| got.update(|v| v.extend(e.room_ids))).error);
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
}

// ----- notifications ----------------------------------------------------------

async fn the_notification_type_filter_accepts_dotted_and_backslashed_forms() {
    let fake = fake();
    let (dotted, backslashed, all) = (RwSignal::new(0), RwSignal::new(0), RwSignal::new(0));
    let app = app(&fake);
    app.with(|| {
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
}

// ----- realtime disabled ------------------------------------------------------

async fn with_realtime_disabled_every_hook_is_a_no_op() {
    let mut seen = None;
    let _app = app_with(|| {
        let context = provide_echo(None);
        let queries = provide_realtime_queries(QueryClient::new().provide());
        queries.register(QueryScopeLocal::new(fetch_venue_list), |_: &()| vec!["venues".into()]);
        use_realtime_event("rooms", ".RoomsUpdated", |_| panic!("no events when disabled"));
        use_realtime_event_typed("rooms", |_: RoomsUpdated| panic!("no events when disabled"));
        let channel = use_realtime_channel("rooms".to_owned(), vec![".RoomsUpdated".into()], |_, _| {});
        use_echo_notification("App.Models.User.1".to_owned(), |_| {});
        use_realtime_global_subscriber(vec![GlobalSubscription::new("rooms", ".RoomsUpdated", &["rooms"])]);
        let room = use_presence_channel("room.1".to_owned());
        let whisper: Whisper = Rc::new(move |event, data| room.whisper(event, data));
        seen = Some((context, use_connection_status(), use_socket_id(), channel, room.members, whisper));
        disconnect_echo();
    });
    sleep(Duration::from_millis(30)).await;
    let (context, status, socket_id, channel, members, whisper) = seen.expect("mounted");
    assert!(context.client().is_none());
    assert_eq!(status.get_untracked(), ConnectionStatus::Disconnected);
    assert_eq!(socket_id.get_untracked(), None);
    assert!(!channel.subscribed.get_untracked());
    assert!(members.get_untracked().is_empty());
    assert!(whisper("typing", &json!({})).is_err());
}

// ----- controls (echo-react's listen / stopListening / leaveChannel / leave) ----

async fn a_handler_stops_and_resumes_listening_and_leaves_early() {
    let fake = fake();
    let hits = RwSignal::new(0);
    let other_hits = RwSignal::new(0);
    let controls: StoredValue<Option<UseChannelReturn>, LocalStorage> = StoredValue::new_local(None);
    let app = app(&fake);
    let _mine = part(&app, || {
        let rooms = use_echo_public("rooms", [".RoomsUpdated"], move |data| {
            hits.update(|n| *n += 1);
            let Some(rooms) = controls.get_value() else { return };
            // What an app does from its own handler.
            match data["then"].as_str() {
                Some("stop") => rooms.stop_listening(),
                Some("leave") => rooms.leave_channel(),
                _ => {}
            }
        });
        controls.set_value(Some(rooms));
    });
    let _other = part(&app, || rooms_counter(other_hits));
    settle(&fake).await;
    let rooms = controls.get_value().expect("mounted");
    assert!(rooms.subscribed.get_untracked());
    assert!(rooms.listening.get_untracked());

    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "then": "stop" })));
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(
        (hits.get_untracked(), other_hits.get_untracked()),
        (1, 2),
        "stopped after the first"
    );
    assert!(!rooms.listening.get_untracked());
    assert!(rooms.subscribed.get_untracked(), "stopping keeps the channel");
    assert_eq!(fake.unsubscribe_count("rooms"), 0);

    rooms.listen();
    rooms.listen(); // listening already: no second listener
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(hits.get_untracked(), 2, "resumed, once");

    assert!(fake.emit("rooms", ".RoomsUpdated", json!({ "then": "leave" })));
    settle(&fake).await;
    assert_eq!(hits.get_untracked(), 3);
    assert!(!rooms.subscribed.get_untracked(), "this hook left");
    assert!(rooms.channel().is_none());
    assert_eq!(fake.unsubscribe_count("rooms"), 0, "the other part still holds the channel");
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!((hits.get_untracked(), other_hits.get_untracked()), (3, 5));

    rooms.join();
    settle(&fake).await;
    assert!(rooms.subscribed.get_untracked());
    assert!(fake.emit("rooms", ".RoomsUpdated", json!({})));
    assert_eq!(
        (hits.get_untracked(), other_hits.get_untracked()),
        (4, 6),
        "joined again, listening"
    );
    assert_eq!(fake.subscribe_count("rooms"), 1, "never unsubscribed meanwhile");
    assert_eq!(fake.listener_count("rooms"), 2, "one listener per part, nothing left behind");
}

async fn leaving_early_as_the_last_holder_unsubscribes_and_unmounting_after_it_releases_nothing_twice() {
    let fake = fake();
    let hits = RwSignal::new(0);
    let app = app(&fake);
    let mut rooms = None;
    let mine = part(&app, || {
        rooms = Some(use_echo_public("rooms", [".RoomsUpdated"], move |_| hits.update(|n| *n += 1)))
    });
    let rooms = rooms.expect("mounted");
    settle(&fake).await;
    rooms.leave_channel();
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("rooms"), 1, "the last holder's leave unsubscribes");
    assert!(!fake.emit("rooms", ".RoomsUpdated", json!({})));

    // Another part takes the channel; unmounting the one that left must not
    // drop the newcomer's reference.
    let _other = part(&app, || rooms_counter(RwSignal::new(0)));
    settle(&fake).await;
    drop(mine);
    settle(&fake).await;
    assert_eq!(fake.subscriptions(), ["rooms"]);
    assert_eq!(fake.unsubscribe_count("rooms"), 1);
    assert_eq!(hits.get_untracked(), 0);
}

async fn leave_also_leaves_the_other_forms_that_no_other_part_holds() {
    let fake = fake();
    let app = app(&fake);
    let mut private = None;
    app.with(|| {
        private = Some(use_channel("orders.1"));
    });
    let _public = part(&app, || {
        use_public_channel("orders.1");
    });
    // Subscribed outside the hooks: Echo's `leave(name)` would leave it too.
    let encrypted = fake.echo().encrypted_private("orders.1");
    settle(&fake).await;
    assert_eq!(fake.subscriptions(), ["orders.1", "private-encrypted-orders.1", "private-orders.1"]);

    private.expect("mounted").leave();
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("private-orders.1"), 1);
    assert_eq!(fake.unsubscribe_count("private-encrypted-orders.1"), 1, "no hook held it");
    assert_eq!(fake.unsubscribe_count("orders.1"), 0, "another part holds the public form");
    assert_eq!(fake.subscriptions(), ["orders.1"]);
    drop(encrypted);
}

// ----- channel-handle hooks -------------------------------------------------------

async fn channel_handles_share_the_subscription_whisper_and_hear_whispers() {
    let fake = fake();
    let (typing, messages) = (RwSignal::new(Vec::<Value>::new()), RwSignal::new(0));
    let app = app(&fake);
    let mut chat = None;
    let handle = part(&app, || {
        let handle = use_channel("chat.1");
        handle.listen_for_whisper("typing", move |data| typing.update(|v| v.push(data.clone())));
        chat = Some(handle);
    });
    let _messages = part(&app, || {
        use_echo("chat.1", [".MessageSent"], move |_| messages.update(|n| *n += 1));
    });
    let mut rooms = None;
    app.with(|| rooms = Some(use_public_channel("rooms")));
    let (chat, rooms) = (chat.expect("mounted"), rooms.expect("mounted"));
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("private-chat.1"), 1, "one subscription for both hooks");
    assert_eq!(chat.channel().map(|c| c.name().to_owned()).as_deref(), Some("private-chat.1"));
    assert_eq!(chat.subscription.get_untracked(), Some(Subscription::First));

    assert!(fake.emit_whisper("private-chat.1", "typing", json!({ "name": "Ana" })));
    assert!(fake.emit("private-chat.1", ".MessageSent", json!({})));
    assert_eq!(typing.get_untracked(), [json!({ "name": "Ana" })]);
    assert_eq!(messages.get_untracked(), 1);

    chat.whisper("typing", &json!({ "name": "Ben" }))
        .expect("a private channel carries whispers");
    assert!(fake
        .sent_frames()
        .iter()
        .any(|f| f.contains(r#""event":"client-typing""#) && f.contains("Ben")));
    let refused = rooms.whisper("typing", &json!({})).expect_err("public channels carry no whispers");
    assert!(matches!(refused, EchoError::ClientEvent { .. }), "{refused:?}");

    // Paused like any listener of the hook.
    chat.stop_listening();
    assert!(fake.emit_whisper("private-chat.1", "typing", json!({ "name": "Cy" })));
    assert_eq!(typing.get_untracked().len(), 1);
    chat.listen();
    assert!(fake.emit_whisper("private-chat.1", "typing", json!({ "name": "Di" })));
    assert_eq!(typing.get_untracked().len(), 2);

    drop(handle);
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("private-chat.1"), 0, "the event hook still holds it");
    assert!(fake.emit_whisper("private-chat.1", "typing", json!({})));
    assert_eq!(
        typing.get_untracked().len(),
        2,
        "the unmounted handle's whisper listener went with it"
    );
    let refused = chat.whisper("typing", &json!({})).expect_err("unmounted");
    assert!(matches!(refused, EchoError::ClientEvent { .. }), "{refused:?}");
}

async fn hooks_tell_a_resubscription_from_the_first_subscription() {
    let fake = fake();
    let app = app(&fake);
    let rooms = app.with(|| use_echo_public("rooms", [".RoomsUpdated"], |_| {}));
    assert_eq!(rooms.subscription.get_untracked(), None);
    settle(&fake).await;
    assert_eq!(rooms.subscription.get_untracked(), Some(Subscription::First));

    fake.runtime().set_auto_handshake(false);
    fake.drop_connection(Some(1006));
    assert!(!rooms.subscribed.get_untracked(), "not subscribed while the connection is lost");
    fake.runtime().set_auto_handshake(true);
    fake.advance(Duration::from_secs(30));
    settle(&fake).await;
    assert!(rooms.subscribed.get_untracked());
    assert_eq!(
        rooms.subscription.get_untracked(),
        Some(Subscription::Resubscription),
        "events may have been missed"
    );
}

// ----- model broadcasting -----------------------------------------------------------

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct BookingModel {
    id: u64,
    status: String,
}

async fn model_events_arrive_typed_on_the_models_private_channel() {
    let fake = fake();
    let id = RwSignal::new("42".to_owned());
    let seen = RwSignal::new(Vec::<(ModelEvent, BookingModel)>::new());
    let app = app(&fake);
    let booking = app.with(|| {
        use_echo_model(
            "App.Models.Booking",
            id,
            [ModelEvent::Updated, ModelEvent::Trashed],
            move |event, payload: ModelPayload<BookingModel>| seen.update(|v| v.push((event, payload.model))),
        )
    });
    settle(&fake).await;
    let channel = "private-App.Models.Booking.42";
    assert_eq!(fake.subscriptions(), [channel]);
    let payload =
        |status: &str| json!({ "model": { "id": 42, "status": status }, "connection": null, "queue": null, "afterCommit": false });
    assert!(fake.emit(channel, ".BookingUpdated", payload("confirmed")));
    assert!(fake.emit(channel, ".BookingCreated", payload("pending")));
    assert!(fake.emit(channel, ".BookingTrashed", payload("cancelled")));
    let booking_42 = |status: &str| BookingModel {
        id: 42,
        status: status.into(),
    };
    assert_eq!(
        seen.get_untracked(),
        [
            (ModelEvent::Updated, booking_42("confirmed")),
            (ModelEvent::Trashed, booking_42("cancelled"))
        ],
        "only the events asked for"
    );
    assert_eq!(booking.error.get_untracked(), None);

    assert!(fake.emit(channel, ".BookingUpdated", json!({ "model": { "id": "42" } })));
    assert_eq!(seen.get_untracked().len(), 2, "undecodable data is not delivered");
    assert!(
        matches!(booking.error.get_untracked(), Some(EchoError::Decode { event, .. }) if event == "BookingUpdated"),
        "{:?}",
        booking.error.get_untracked()
    );

    assert!(fake.emit(channel, ".BookingUpdated", payload("completed")));
    assert_eq!(booking.error.get_untracked(), None, "cleared when one decodes again");
    assert_eq!(seen.get_untracked().len(), 3);

    id.set("43".to_owned());
    settle(&fake).await;
    assert_eq!(fake.subscriptions(), ["private-App.Models.Booking.43"], "follows the id");
    assert_eq!(fake.unsubscribe_count(channel), 1);
}

async fn a_model_hook_waits_for_its_id_when_disabled() {
    let fake = fake();
    let id = RwSignal::new(None::<u64>);
    let app = app(&fake);
    app.with(|| {
        use_echo_model_with_options(
            "App\\Models\\Booking",
            Signal::derive(move || id.get().map(|id| id.to_string()).unwrap_or_default()),
            [ModelEvent::Updated],
            |_, _: ModelPayload<BookingModel>| {},
            UseEchoModelOptions {
                enabled: Signal::derive(move || id.get().is_some()),
            },
        )
    });
    settle(&fake).await;
    assert!(fake.subscriptions().is_empty(), "no `App.Models.Booking.` channel without an id");
    assert!(fake.auth_requests().is_empty());
    id.set(Some(7));
    settle(&fake).await;
    assert_eq!(fake.subscriptions(), ["private-App.Models.Booking.7"]);
}

// ----- notifications: stopping one ------------------------------------------------

async fn stopping_one_notification_hook_keeps_the_channel_and_the_others() {
    let fake = fake();
    let (a_hits, b_hits) = (RwSignal::new(0), RwSignal::new(0));
    let app = app(&fake);
    let a = app.with(|| {
        let a = use_echo_notification("App.Models.User.1".to_owned(), move |_| a_hits.update(|n| *n += 1));
        use_echo_notification("App.Models.User.1".to_owned(), move |_| b_hits.update(|n| *n += 1));
        a
    });
    settle(&fake).await;
    let channel = "private-App.Models.User.1";
    let notify = || fake.emit(channel, NOTIFICATION, json!({ "type": "App\\Notifications\\Hello", "id": "1" }));
    assert!(notify());
    a.stop_listening();
    assert!(notify());
    assert_eq!((a_hits.get_untracked(), b_hits.get_untracked()), (1, 2));
    assert_eq!(fake.unsubscribe_count(channel), 0);
    a.listen();
    assert!(notify());
    assert_eq!((a_hits.get_untracked(), b_hits.get_untracked()), (2, 3));
}

async fn controls_called_after_unmount_do_nothing() {
    let fake = fake();
    let app = app(&fake);
    let mut chat = None;
    let view = part(&app, || chat = Some(use_channel("chat.1")));
    let chat = chat.expect("mounted");
    settle(&fake).await;
    drop(view);
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("private-chat.1"), 1);
    // What a late task or timer of the gone component might still call.
    chat.listen();
    chat.stop_listening();
    chat.join();
    chat.leave_channel();
    chat.leave();
    chat.listen_for_whisper("typing", |_| {});
    assert!(chat.channel().is_none());
    assert!(chat.whisper("typing", &json!({})).is_err());
    settle(&fake).await;
    assert_eq!(fake.subscribe_count("private-chat.1"), 1, "nothing joined again");
    assert!(fake.subscriptions().is_empty());
}

// ----- review findings ------------------------------------------------------------

async fn unmounted_hooks_leave_nothing_on_the_client_which_can_then_be_freed() {
    let fake = fake();
    let app = app(&fake);
    let view = part(&app, || {
        use_presence_channel("room.1".to_owned());
        use_realtime_channel("rooms".to_owned(), vec![".RoomsUpdated".into()], |_, _| {});
        use_channel("chat.1");
    });
    settle(&fake).await;
    drop(view);
    settle(&fake).await;
    drop(app);
    settle(&fake).await;
    // A client nothing holds any more closes its socket and warns if it was
    // connected: connection listeners left behind by the hooks (one holding
    // the presence channel, i.e. the client) would keep it alive instead.
    fake.echo().connect();
    fake.run_until_idle();
    let runtime = fake.runtime().clone();
    drop(fake);
    runtime.run_until_idle();
    assert!(
        runtime.warnings().iter().any(|w| w.contains("dropped while connected")),
        "the client was never freed: {:?}",
        runtime.warnings()
    );
}

async fn the_subscription_signal_starts_over_on_a_new_channel() {
    let fake = fake();
    let name = RwSignal::new("a".to_owned());
    let app = app(&fake);
    let _b = part(&app, || {
        use_public_channel("b");
    });
    let hook = app.with(|| use_public_channel(name));
    settle(&fake).await;
    fake.drop_connection(Some(1006));
    fake.advance(Duration::from_secs(30));
    settle(&fake).await;
    assert_eq!(hook.subscription.get_untracked(), Some(Subscription::Resubscription));
    name.set("b".to_owned());
    settle(&fake).await;
    assert_eq!(
        hook.subscription.get_untracked(),
        Some(Subscription::First),
        "its first on `b`, subscribed by another part"
    );
    hook.leave_channel();
    assert_eq!(hook.subscription.get_untracked(), None);
}

async fn a_deferred_leave_from_before_disconnect_echo_does_not_strand_a_channel() {
    let (first, second) = (fake(), fake());
    let clients: Rc<RefCell<Vec<Echo>>> = Rc::new(RefCell::new(vec![second.echo().clone(), first.echo().clone()]));
    let mut context = None;
    let app = app_with(|| context = Some(provide_echo_with(move || clients.borrow_mut().pop())));
    let context = context.expect("provided");
    let a = part(&app, || {
        use_public_channel("rooms");
    });
    let c = app.with(|| use_public_channel("rooms"));
    settle(&first).await;
    // All in one tick: the last reference on the old client goes (its leave
    // deferred), the client is replaced, and a hook takes and leaves the
    // channel on the new one.
    c.leave_channel();
    drop(a);
    context.disconnect();
    c.join();
    c.leave_channel();
    settle(&second).await;
    assert!(second.subscriptions().is_empty(), "nothing holds `rooms` on the new client");
}

async fn leave_keeps_a_form_remounted_in_the_same_tick() {
    let fake = fake();
    let app = app(&fake);
    let mut private = None;
    app.with(|| private = Some(use_channel("x")));
    let public = part(&app, || {
        use_public_channel("x");
    });
    settle(&fake).await;
    // The public part is unmounted and mounted again in one tick, while the
    // private hook leaves every form of `x`.
    drop(public);
    private.expect("mounted").leave();
    let _public = part(&app, || {
        use_public_channel("x");
    });
    settle(&fake).await;
    assert_eq!(fake.unsubscribe_count("x"), 0, "the remount kept the public form");
    assert_eq!(fake.subscribe_count("x"), 1);
    assert_eq!(fake.unsubscribe_count("private-x"), 1);
}

async fn use_echo_takes_one_event_name_or_several_and_whispers_can_be_stopped() {
    let fake = fake();
    let (one, several, typing) = (RwSignal::new(0), RwSignal::new(0), RwSignal::new(0));
    let app = app(&fake);
    let chat = app.with(|| {
        use_echo("chat.1", ".MessageSent", move |_| one.update(|n| *n += 1));
        use_echo("chat.1", vec![".MessageSent".to_owned(), ".MessageDeleted".to_owned()], move |_| {
            several.update(|n| *n += 1)
        });
        let chat = use_channel("chat.1");
        chat.listen_for_whisper("typing", move |_| typing.update(|n| *n += 1));
        chat.listen_for_whisper("client-typing", move |_| typing.update(|n| *n += 1));
        chat
    });
    settle(&fake).await;
    assert!(fake.emit("private-chat.1", ".MessageSent", json!({})));
    assert!(fake.emit("private-chat.1", ".MessageDeleted", json!({})));
    assert_eq!((one.get_untracked(), several.get_untracked()), (1, 2));

    assert!(fake.emit_whisper("private-chat.1", "typing", json!({})));
    assert_eq!(typing.get_untracked(), 2, "two listeners, one named with its prefix");
    chat.stop_listening_for_whisper("typing");
    assert!(fake.emit_whisper("private-chat.1", "typing", json!({})));
    assert_eq!(typing.get_untracked(), 2);
    chat.leave_channel();
    chat.join();
    settle(&fake).await;
    assert!(fake.emit_whisper("private-chat.1", "typing", json!({})));
    assert_eq!(typing.get_untracked(), 2, "not back after a join either");
}
