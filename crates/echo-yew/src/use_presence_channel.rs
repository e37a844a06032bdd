use std::cell::RefCell;
use std::rc::Rc;

use echo_rs::hooks::{HoldControl, HoldSpec, Visibility};
use echo_rs::proto::channel::ChannelKind;
use echo_rs::{Channel, Member};
use yew::prelude::*;

use crate::hold::{use_channel_hold, UseChannelReturn};

/// A presence channel's members, as of this render.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Roster {
    /// Everyone on the channel, this client included, in the server's
    /// order (Echo `here`, reset on every subscription, updated by
    /// `joining` and `leaving`); empty until joined and while the
    /// connection is lost.
    pub members: Vec<Member>,
    /// This client as a member; `None` until joined.
    pub me: Option<Member>,
    /// The number of distinct members (pusher-js `members.count`).
    pub count: usize,
    /// The member who joined last (Echo `joining`).
    pub joining: Option<Member>,
    /// The member who left last (Echo `leaving`).
    pub leaving: Option<Member>,
}

/// What [`use_presence_channel`] returns.
#[derive(Clone, PartialEq)]
pub struct UsePresenceChannelReturn {
    /// The members.
    pub roster: Roster,
    /// The channel's state and controls (`whisper`, `listen_for_whisper`,
    /// `leave` …; echo-react `usePresenceChannel`).
    pub handle: UseChannelReturn,
}

/// Joins the presence channel `name` (`presence-` is added, Echo
/// `join(name)`) while the component is mounted and follows its members
/// (echo-react `usePresenceChannel`, with the member list as state, which
/// echo-react does not keep). Components on one channel share one
/// subscription.
#[hook]
pub fn use_presence_channel(name: &str) -> UsePresenceChannelReturn {
    let roster = use_state_eq(Roster::default);
    let setter = roster.setter();
    let handle = use_channel_hold(Some(Visibility::Presence.full_name(name)), move || {
        let latest = Rc::new(RefCell::new(Roster::default()));
        let (on_release, forget) = (setter.clone(), latest.clone());
        HoldSpec {
            hold: Box::new(move |ch: &Channel, _: &HoldControl| {
                // Same subscription (`subscribe` is idempotent), presence API.
                let presence = ch.echo().join(ChannelKind::Presence.strip_prefix(ch.name()));
                let (setter, latest, reader) = (setter.clone(), latest.clone(), presence.clone());
                let snapshot = Rc::new(move |joining: Option<&Member>, leaving: Option<&Member>| {
                    let mut roster = latest.borrow_mut();
                    roster.members = reader.members();
                    roster.me = reader.me();
                    roster.count = reader.count();
                    if let Some(member) = joining {
                        roster.joining = Some(member.clone());
                    }
                    if let Some(member) = leaving {
                        roster.leaving = Some(member.clone());
                    }
                    setter.set(roster.clone());
                });
                // Another hook may have joined already: start from what is known.
                snapshot(None, None);
                let (here, joining, leaving, lost) = (snapshot.clone(), snapshot.clone(), snapshot.clone(), snapshot);
                vec![
                    presence.here(move |_| here(None, None)),
                    presence.joining(move |member| joining(Some(member), None)),
                    presence.leaving(move |member| leaving(None, Some(member))),
                    // The client empties the members when the connection is lost.
                    presence.echo().on_connection_change(move |_| lost(None, None)),
                ]
            }),
            listen: Box::new(|_, _| Vec::new()),
            release: Box::new(move || {
                *forget.borrow_mut() = Roster::default();
                on_release.set(Roster::default());
            }),
            shows_error: Box::new(echo_rs::EchoError::is_subscription_failure),
        }
    });
    UsePresenceChannelReturn {
        roster: (*roster).clone(),
        handle,
    }
}
