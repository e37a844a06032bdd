//! Same-origin checks for the `X-Socket-ID` header (Laravel `toOthers()`):
//! the socket id goes only to the app's own origin.

/// The `scheme://host:port` of an absolute http(s) URL, with the default
/// port made explicit; `None` for anything else.
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => (host, port.parse().ok()?),
        _ => (authority, default_port),
    };
    Some((scheme, host.to_ascii_lowercase(), port))
}

/// Whether a request to `url` stays on `page_origin` (`https://app.test`):
/// relative URLs do; protocol-relative and absolute ones must match scheme,
/// host and port.
pub fn is_same_origin(url: &str, page_origin: &str) -> bool {
    let url = url.trim();
    if url.starts_with("//") || url.starts_with("\\\\") || url.starts_with("/\\") {
        return false;
    }
    if !url.contains("://") {
        // Relative, unless it has a scheme of its own such as `javascript:`.
        return !url.split(['/', '?', '#']).next().is_some_and(|first| first.contains(':'));
    }
    match (origin_of(url), origin_of(page_origin)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_same_origin;

    #[test]
    fn socket_id_goes_only_to_the_same_origin() {
        let page = "https://resort.test";
        for url in [
            "/api/bookings",
            "api/bookings",
            "?x=1",
            "https://resort.test/api",
            "https://RESORT.test:443/api",
        ] {
            assert!(is_same_origin(url, page), "{url}");
        }
        for url in [
            "https://evil.test/api",
            "http://resort.test/api",
            "https://resort.test:8443/api",
            "//evil.test/api",
            "https://resort.test@evil.test/",
            "javascript:alert(1)",
            "https://resort.test.evil.test/",
        ] {
            assert!(!is_same_origin(url, page), "{url}");
        }
    }
}
