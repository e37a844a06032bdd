//! Venues, gallery tiles, reviews and contact messages.

use rusqlite::{params, Connection};

/// `(name, description, capacity, price_per_event in PHP)`.
const VENUES: [(&str, &str, i64, i64); 4] = [
    (
        "Pavilion by the Sea",
        "An open-sided pavilion on the sand with a capiz-shell chandelier, made for sunset weddings and debuts.",
        250,
        85_000,
    ),
    (
        "Garden Terrace",
        "A lawn terrace under the acacia trees, lit with string lights, for receptions and family reunions.",
        120,
        45_000,
    ),
    (
        "Salón Marcelino",
        "The air-conditioned function hall with a stage and sound system, for conferences, galas and christenings.",
        300,
        120_000,
    ),
    (
        "Sunset Deck",
        "A timber deck over the rocks at the end of the cove, for intimate dinners and proposals.",
        40,
        28_000,
    ),
];

/// `(title, caption, colour)`.
const GALLERY: [(&str, &str, &str); 8] = [
    (
        "Cove at golden hour",
        "The sun dropping behind Verde Island, seen from the Sunset Deck.",
        "#f4a261",
    ),
    ("Infinity pool", "The pool's edge meets the sea on a still morning.", "#2a9d8f"),
    (
        "Pavilion wedding",
        "Capiz lanterns and white orchids for a December wedding.",
        "#e9c46a",
    ),
    (
        "Kayaks on the reef",
        "Clear-bottom kayaks ready for the morning paddle over the coral garden.",
        "#00b4d8",
    ),
    (
        "Garden Villa porch",
        "Hammock, bamboo chairs and the frangipani in bloom.",
        "#588157",
    ),
    (
        "Boodle fight",
        "Grilled liempo, inihaw na pusit and ensaladang mangga on banana leaves.",
        "#bc6c25",
    ),
    (
        "Salón Marcelino gala",
        "The function hall dressed for a company anniversary night.",
        "#6d597a",
    ),
    ("Night swim", "The pool lit up under a sky full of stars.", "#1d3557"),
];

/// `(guest_name, rating, body, approved, days ago)`.
const REVIEWS: [(&str, i64, &str, bool, i64); 7] = [
    (
        "Patricia Lim",
        5,
        "We held our daughter's debut at the Pavilion by the Sea and the staff thought of everything, down to the backup generator. The sunset photos are unreal.",
        true,
        3,
    ),
    (
        "Miguel Fernandez",
        5,
        "The Ocean View Suite balcony is worth every peso. Woke up to fishermen bringing in their catch and had the freshest tapsilog of my life.",
        true,
        9,
    ),
    (
        "The Santos Family",
        4,
        "Family Bungalow fit all six of us comfortably. Kids loved the kayaks. Only wish the pool stayed open a little later.",
        true,
        16,
    ),
    (
        "Aileen Garcia",
        5,
        "Quiet, clean and the water is crystal clear. Ate Lorna at the front desk arranged a boat to Isla Verde for us on short notice.",
        true,
        24,
    ),
    (
        "Dennis Ramos",
        4,
        "Our company outing at Salón Marcelino went smoothly. Good sound system, and the merienda of bibingka and puto bumbong was a hit.",
        true,
        31,
    ),
    (
        "Joanna Cruz",
        5,
        "The Treetop Cabin is the most romantic room we have stayed in anywhere in Batangas. Bring mosquito repellent and enjoy the breeze.",
        true,
        40,
    ),
    (
        "Leo Manalo",
        3,
        "Beautiful beach, but the road from the highway is rough after rain. Call ahead for the shuttle from Rosario.",
        false,
        1,
    ),
];

/// `(name, email, subject, message)`.
const CONTACT_MESSAGES: [(&str, &str, &str, &str); 2] = [
    (
        "Bea Villareal",
        "bea.villareal@example.ph",
        "Wedding package for 150 guests",
        "Hello! We are planning a beach wedding next February for about 150 guests. Do you have a package with catering and the Pavilion by the Sea? Salamat po.",
    ),
    (
        "Carlo Mendoza",
        "carlo.mendoza@example.ph",
        "Airport transfer from NAIA",
        "Do you arrange van transfers from NAIA Terminal 3 for a family of five arriving on a Friday evening?",
    ),
];

/// The four event venues.
pub fn venues(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    for (name, description, capacity, price) in VENUES {
        conn.execute(
            "INSERT INTO venues (name, description, capacity, price_per_event, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, description, capacity, price, now],
        )?;
    }
    Ok(())
}

/// The homepage gallery tiles.
pub fn gallery(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    for (title, caption, color) in GALLERY {
        conn.execute(
            "INSERT INTO gallery_items (title, caption, color, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![title, caption, color, now],
        )?;
    }
    Ok(())
}

/// Reviews, all but one approved, dated some days back.
pub fn reviews(conn: &Connection, _now: &str) -> rusqlite::Result<()> {
    for (name, rating, body, approved, days_ago) in REVIEWS {
        let at = std::time::SystemTime::now() - std::time::Duration::from_secs(days_ago.unsigned_abs() * 86_400);
        let at = humantime::format_rfc3339_seconds(at).to_string();
        conn.execute(
            "INSERT INTO reviews (guest_name, rating, body, approved, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![name, rating, body, approved, at],
        )?;
    }
    Ok(())
}

/// Two enquiries waiting in the admin inbox.
pub fn contact_messages(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    for (name, email, subject, message) in CONTACT_MESSAGES {
        conn.execute(
            "INSERT INTO contact_messages (name, email, subject, message, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, email, subject, message, now],
        )?;
    }
    Ok(())
}
