//! Identity: canonical URLs, the 16-hex record id, and which files form one record.
//!
//! An id must be stable across builds and machines, so it is xxh3-64 (a fixed, documented
//! algorithm) of the canonical URL, or of the relative path when the file has no URL.

use url::Url;
use xxhash_rust::xxh3::xxh3_64;

/// Front-matter keys holding an article's own URLs (and a related stub's), most canonical
/// first: the one list the record, the index and `related` all read.
pub const URL_KEYS: [&str; 4] = ["webUrl", "originalUrl", "ampWebUrl", "cdnAmpWebUrl"];

/// The canonical forms of the URLs under `URL_KEYS` in a mapping, once each, in key order.
pub fn canonical_urls_of(map: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for key in URL_KEYS {
        let url = map.get(key).and_then(serde_json::Value::as_str);
        if let Some(url) = url.and_then(canonical_url) {
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
    }
    urls
}

/// The canonical form of a URL: trimmed, scheme and host lower-cased, `#fragment` and `utm_*`
/// query parameters dropped. Text that is not an absolute URL is only trimmed. Empty: `None`.
pub fn canonical_url(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let Ok(mut url) = Url::parse(trimmed) else {
        return Some(trimmed.to_owned());
    };
    if url.cannot_be_a_base() {
        return Some(trimmed.to_owned());
    }
    url.set_fragment(None);
    if let Some(query) = url.query() {
        // Filter the raw pairs rather than re-encoding them, so other parameters keep their
        // exact spelling.
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| !pair.to_ascii_lowercase().starts_with("utm_"))
            .collect();
        let kept = kept.join("&");
        url.set_query((!kept.is_empty()).then_some(kept.as_str()));
    }
    Some(url.to_string())
}

/// The 16-lowercase-hex id of a record keyed by `key` (a canonical URL or a relative path).
pub fn record_id(key: &str) -> String {
    format!("{:016x}", xxh3_64(key.as_bytes()))
}

/// True when `text` looks like a record id.
pub fn is_record_id(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A record id as the 64-bit number it spells, for compact sets and maps of ids. Text that is
/// not an id (never written by `record_id`) is hashed instead, so it still gets a key.
pub fn id_key(id: &str) -> u64 {
    if is_record_id(id) {
        u64::from_str_radix(id, 16).unwrap_or_else(|_| xxh3_64(id.as_bytes()))
    } else {
        xxh3_64(id.as_bytes())
    }
}

/// The record id of an `id_key`.
pub fn id_from_key(key: u64) -> String {
    format!("{key:016x}")
}

/// The pairing key of a relative path: its folder and its whole stem, the name without its
/// last extension and, before that, a `.body` (`a/x.md`, `a/x.txt` and `a/x.body.txt` all give
/// `a/x`; `a/v20.12.0.md` gives `a/v20.12.0`, never the key of `a/v20.12.2.md`).
pub fn group_key(rel: &str) -> &str {
    let name_start = rel.rfind('/').map_or(0, |slash| slash + 1);
    let stem = match rel[name_start..].rfind('.') {
        // A name that starts with a dot is hidden and never walked; keep it whole anyway.
        Some(0) | None => return rel,
        Some(dot) => &rel[..name_start + dot],
    };
    match stem.strip_suffix(".body") {
        Some(before) if before.len() > name_start => before,
        _ => stem,
    }
}

/// The host of a URL without `www.`, lower-cased.
pub fn url_domain(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    url.host_str().map(normalise_domain)
}

/// A domain as filters compare it: lower-cased, no `www.`, no trailing dot.
pub fn normalise_domain(domain: &str) -> String {
    let lower = domain.trim().trim_end_matches('.').to_lowercase();
    match lower.strip_prefix("www.") {
        Some(rest) => rest.to_owned(),
        None => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_url_variants_agree() {
        let base = canonical_url("https://www.example-news.com/a/b").unwrap();
        for variant in [
            "  https://www.example-news.com/a/b  ",
            "HTTPS://WWW.Example-News.com/a/b",
            "https://www.example-news.com/a/b#top",
            "https://www.example-news.com/a/b?utm_source=rss&utm_medium=x",
            "https://www.example-news.com/a/b?UTM_Campaign=y#frag",
        ] {
            assert_eq!(canonical_url(variant).unwrap(), base, "{variant}");
        }
        assert_eq!(base, "https://www.example-news.com/a/b");
    }

    #[test]
    fn canonical_url_keeps_other_parameters_and_path_case() {
        assert_eq!(
            canonical_url("https://x.com/A/B?id=7&utm_source=a&q=a%2Cb").unwrap(),
            "https://x.com/A/B?id=7&q=a%2Cb"
        );
        assert_eq!(canonical_url("  not a url ").unwrap(), "not a url");
        assert_eq!(canonical_url("   "), None);
    }

    #[test]
    fn ids_are_stable_hex() {
        let id = record_id("https://www.example-news.com/a/b");
        assert!(is_record_id(&id), "{id}");
        assert_eq!(id, record_id("https://www.example-news.com/a/b"));
        assert_ne!(id, record_id("https://www.example-news.com/a/c"));
        // Pinned: ids must not change between releases or machines.
        assert_eq!(record_id("abc"), format!("{:016x}", 0x78af5f94892f3950u64));
    }

    #[test]
    fn group_keys_pair_files() {
        assert_eq!(group_key("a/x.md"), "a/x");
        assert_eq!(group_key("a/x.body.txt"), "a/x");
        assert_eq!(group_key("a/x.txt"), "a/x");
        assert_eq!(group_key("x"), "x");
        assert_eq!(group_key("rel/v20.12.0.md"), "rel/v20.12.0");
        assert_eq!(group_key("rel/v20.12.0.txt"), "rel/v20.12.0");
        assert_eq!(group_key("rel/v20.12.0.body.txt"), "rel/v20.12.0");
        assert_ne!(group_key("rel/v20.12.0.md"), group_key("rel/v20.12.2.md"));
        assert_eq!(group_key("2019-04-11-rust-1.34.md"), "2019-04-11-rust-1.34");
        assert_eq!(group_key("a/.body.txt"), "a/.body");
        assert_eq!(group_key("a.b/x"), "a.b/x");
        assert_ne!(group_key("a/x-y.md"), group_key("a/x.md"));
    }

    #[test]
    fn domains_drop_www() {
        assert_eq!(normalise_domain("WWW.DailyDot.com"), "dailydot.com");
        assert_eq!(
            url_domain("https://www.Reuters.com/x").as_deref(),
            Some("reuters.com")
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn segment() -> impl Strategy<Value = String> {
        "[a-z0-9][a-z0-9-]{0,12}"
    }

    proptest! {
        #[test]
        fn canonical_url_and_id_ignore_the_listed_variations(
            host in "[a-z]{1,10}\\.(com|org|co\\.uk)",
            path in proptest::collection::vec(segment(), 0..4),
            params in proptest::collection::vec(("[a-z]{1,6}", "[a-z0-9]{0,6}"), 0..3),
            utm in proptest::collection::vec(("(source|medium|campaign)", "[a-z0-9]{1,6}"), 0..3),
            fragment in proptest::option::of("[a-z0-9]{0,8}"),
            upper_host in any::<bool>(),
            padding in "[ \t]{0,3}",
        ) {
            let params: Vec<(String, String)> = params.into_iter().filter(|(k, _)| !k.starts_with("utm_")).collect();
            let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let base = format!("https://{host}/{}{}", path.join("/"), if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) });
            let mut all: Vec<String> = query.clone();
            all.extend(utm.iter().map(|(k, v)| format!("utm_{k}={v}")));
            let shown_host = if upper_host { host.to_uppercase() } else { host.clone() };
            let mut variant = format!("{padding}HTTPS://{shown_host}/{}", path.join("/"));
            if !all.is_empty() {
                variant.push('?');
                variant.push_str(&all.join("&"));
            }
            if let Some(fragment) = fragment {
                variant.push('#');
                variant.push_str(&fragment);
            }
            variant.push_str(&padding);
            let canonical = canonical_url(&base).unwrap();
            prop_assert_eq!(canonical_url(&variant).unwrap(), canonical.clone());
            prop_assert_eq!(record_id(&canonical_url(&variant).unwrap()), record_id(&canonical));
            // Canonical form is a fixed point.
            prop_assert_eq!(canonical_url(&canonical).unwrap(), canonical);
        }

        #[test]
        fn ids_are_16_hex_for_any_key(key in ".*") {
            prop_assert!(is_record_id(&record_id(&key)));
        }
    }
}
