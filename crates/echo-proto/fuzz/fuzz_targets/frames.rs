//! Frame decoding and dispatch under arbitrary server input: the first byte
//! picks a time step, the rest is split on `\n` into text frames fed to a
//! connected client with a public, a private, a presence and an encrypted
//! channel. Must not panic; the channel table must not change; the outputs
//! of one frame stay bounded. libFuzzer's `-rss_limit_mb` catches growth.
#![no_main]

use std::time::Duration;

use echo_proto::web_time::Instant;
use echo_proto::channel::requires_auth;
use echo_proto::{ChannelAuth, Connection, EchoOptions, Output};
use libfuzzer_sys::fuzz_target;

const CHANNELS: [&str; 4] = ["rooms", "private-orders.1", "presence-lobby", "private-encrypted-vault"];

fn auth_for(channel: &str) -> ChannelAuth {
    ChannelAuth {
        auth: "app-key:signature".into(),
        channel_data: channel.starts_with("presence-").then(|| r#"{"user_id":"me"}"#.to_owned()),
        // 32 bytes of 9, base64.
        shared_secret: channel
            .starts_with("private-encrypted-")
            .then(|| "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=".to_owned()),
    }
}

fn drain(conn: &mut Connection) {
    let mut count = 0;
    while let Some(output) = conn.poll_output() {
        count += 1;
        assert!(count <= 64, "unbounded outputs for one input");
        match output {
            Output::Authorize { channel, socket_id } => conn.handle_auth(&channel, &socket_id, Ok(auth_for(&channel))),
            Output::Send(text) if text.contains("pusher:subscribe") => {
                let sent: serde_json::Value = serde_json::from_str(&text).unwrap();
                let channel = sent["data"]["channel"].as_str().unwrap_or_default();
                assert!(!requires_auth(channel) || sent["data"]["auth"].is_string());
            }
            Output::Event(frame) => {
                if let Some(channel) = frame.channel.as_deref() {
                    assert!(CHANNELS.contains(&channel));
                }
            }
            _ => {}
        }
    }
    assert_eq!(conn.channels().count(), CHANNELS.len());
}

fuzz_target!(|data: &[u8]| {
    let Some((&step, rest)) = data.split_first() else { return };
    let mut now = Instant::now();
    let mut conn = Connection::new(EchoOptions::reverb("app-key", "127.0.0.1", 6001, "http"), false, 7);
    for channel in CHANNELS {
        conn.subscribe(channel, now);
    }
    conn.connect(now);
    conn.handle_open(now);
    conn.handle_message(
        now,
        r#"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.1\",\"activity_timeout\":120}"}"#,
    );
    drain(&mut conn);
    for channel in CHANNELS {
        conn.handle_message(
            now,
            &format!(r#"{{"event":"pusher_internal:subscription_succeeded","channel":"{channel}","data":"{{}}"}}"#),
        );
        drain(&mut conn);
    }
    let text = String::from_utf8_lossy(rest);
    for line in text.split('\n') {
        conn.handle_message(now, line);
        drain(&mut conn);
        now += Duration::from_millis(u64::from(step) * 40);
        conn.handle_timeout(now);
        drain(&mut conn);
    }
});
