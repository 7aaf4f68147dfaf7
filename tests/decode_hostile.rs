//! Hostile input to the decoder of every answer the console reads: arbitrary bytes, mutations of
//! valid bodies and a corpus of classic malformed JSON never panic (a wasm panic kills the page),
//! and what cannot be read is one of the defined errors.
#![cfg(not(target_arch = "wasm32"))]

use apikeys_console::api::{decode, ApiError, RawResponse};
use platform_types::{ApiKey, ApiKeys, BaseInfo, SensitiveData, Session};
use proptest::prelude::*;
use serde::de::IgnoredAny;

/// Decodes `body` as every payload type the console asks for; `Err` holds the first error.
fn decode_all(status: u16, body: &str) -> Vec<Result<(), ApiError>> {
    let raw = RawResponse {
        status,
        body: body.to_owned(),
        retry_after: Some("5".into()),
        correlation_id: Some("corr--1".into()),
    };
    vec![
        decode::<ApiKeys>(&raw).map(drop),
        decode::<ApiKey>(&raw).map(drop),
        decode::<BaseInfo>(&raw).map(drop),
        decode::<SensitiveData>(&raw).map(drop),
        decode::<Session>(&raw).map(drop),
        decode::<Option<Session>>(&raw).map(drop),
        decode::<Option<IgnoredAny>>(&raw).map(drop),
    ]
}

const KEY: &str = r#"{"id":"apikey--1","access_key":"onq.ABC","created_at":"2026-01-02T03:04:05Z","status":"active","created_by":{"id":"user--1","full_name":"Olivia","name":"Olivia","email_address":"o@x.test","avatar":""},"application_id":"app--1","application":{"id":"app--1","name":"pay","label":"Payments"},"cluster_id":"arx--1","cluster":{"id":"arx--1","name":"prod","label":"Production"},"arx_url":"https://arx.test/arx--1","acl":{"can":{"delete":true},"can_not":{"delete_reason":""}},"last_used_at":null}"#;

/// One valid body of each kind, to mutate.
fn valid_bodies() -> Vec<String> {
    let ok = |data: &str| {
        format!(
            r#"{{"data":{data},"error":{{"code":0,"status":"","message":"","correlation_id":"","details":null}}}}"#
        )
    };
    vec![
        ok(&format!(
            r#"{{"acl":{{"can":{{"add":true}},"can_not":{{}}}},"api_keys":[{KEY},{KEY}],"model":{{"applications":[{{"id":"app--1","name":"pay","label":"Payments","application_technology":{{"id":"server","name":"Server"}}}}],"clusters":[{{"id":"arx--1","name":"prod","purpose":{{"id":"production","name":"Production"}},"regions":[{{"id":"au","name":"Australia"}}]}}]}},"insights":{{"total_keys":2,"total_active":2,"total_deleted":0}}}}"#
        )),
        ok(KEY),
        ok(
            r#"{"id":"apikey--1","access_key":"onq.A","status":"active","client_key":"c","server_signing_key":"s","server_crypto_access_key":"k","arx_url":"https://a","provided_at":"2026-01-01T00:00:00Z"}"#,
        ),
        ok(
            r#"{"token":"a.b.c","expires_in":900,"tenant_id":"tenant--1","user":{"id":"user--1","full_name":"A","email_address":"a@b","roles":["developer"]}}"#,
        ),
        ok("null"),
        r#"{"data":null,"error":{"code":422,"status":"handler_data_err","message":"bad","correlation_id":"c","details":[{"field":"f","message":"m"}]}}"#.into(),
    ]
}

const STATUSES: [u16; 12] = [200, 400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503];

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, char),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (
            any::<usize>(),
            prop_oneof![
                Just("\"".to_owned()),
                Just(",".to_owned()),
                Just("{".to_owned()),
                Just("]".to_owned()),
                Just("null".to_owned()),
                Just("1e999".to_owned()),
                Just("\\ud800".to_owned()),
                "\\PC{0,8}",
            ]
        )
            .prop_map(|(a, s)| Mutation::Insert(a, s)),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Mutation::Replace(a, c)),
        (any::<usize>(), 1usize..80).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
    ]
}

/// The nearest char boundary at or below `at % len`.
fn boundary(s: &str, at: usize) -> usize {
    let mut i = at % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(body: &str, mutations: &[Mutation]) -> String {
    let mut s = body.to_owned();
    for m in mutations {
        match m {
            Mutation::Truncate(at) => s.truncate(boundary(&s, *at)),
            Mutation::Delete(at, n) => {
                let a = boundary(&s, *at);
                let b = boundary(&s, a + n);
                if b > a {
                    s.replace_range(a..b, "");
                }
            }
            Mutation::Insert(at, text) => s.insert_str(boundary(&s, *at), text),
            Mutation::Replace(at, c) => {
                let a = boundary(&s, *at);
                if let Some(old) = s[a..].chars().next() {
                    s.replace_range(a..a + old.len_utf8(), &c.to_string());
                }
            }
            Mutation::Duplicate(at, n) => {
                let a = boundary(&s, *at);
                let b = boundary(&s, a + n).max(a);
                let copy = s[a..b].to_owned();
                s.insert_str(b, &copy);
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), status in 0usize..STATUSES.len()) {
        // The client replaces invalid UTF-8 before decoding.
        let body = String::from_utf8_lossy(&bytes);
        for result in decode_all(STATUSES[status], &body) {
            if (200..300).contains(&STATUSES[status]) {
                let read_or_refused = result.is_ok()
                    || matches!(
                        result,
                        Err(ApiError::Network(_) | ApiError::NotJson { .. } | ApiError::Decode(_))
                    );
                prop_assert!(read_or_refused);
            }
        }
    }

    #[test]
    fn mutated_valid_bodies_never_panic(
        which in 0usize..6,
        mutations in proptest::collection::vec(mutation(), 1..6),
        status in 0usize..STATUSES.len(),
    ) {
        let body = apply(&valid_bodies()[which], &mutations);
        let _ = decode_all(STATUSES[status], &body);
    }
}

#[test]
fn the_valid_bodies_decode() {
    let bodies = valid_bodies();
    assert!(decode::<ApiKeys>(&ok_raw(&bodies[0])).is_ok());
    assert!(decode::<ApiKey>(&ok_raw(&bodies[1])).is_ok());
    assert!(decode::<SensitiveData>(&ok_raw(&bodies[2])).is_ok());
    assert!(decode::<Session>(&ok_raw(&bodies[3])).is_ok());
    assert_eq!(decode::<Option<Session>>(&ok_raw(&bodies[4])), Ok(None));
    assert!(matches!(
        decode::<ApiKeys>(&RawResponse {
            status: 422,
            ..ok_raw(&bodies[5])
        }),
        Err(ApiError::Validation { .. })
    ));
}

/// The platform forgets the secrets once sent: a public field of another type beside them (a
/// date as a number, a status as a code) costs nothing of what the answer carries.
#[test]
fn the_secrets_survive_public_fields_of_another_type() {
    let body = r#"{"data":{"id":42,"access_key":["onq.A"],"status":1,"arx_url":{"u":1},
        "server_signing_key":"s","server_crypto_access_key":"k","client_key":null,
        "provided_at":1735689600}}"#;
    let secrets = decode::<SensitiveData>(&ok_raw(body)).expect("the secrets decode");
    assert_eq!(secrets.server_signing_key.expose(), "s");
    assert_eq!(secrets.server_crypto_access_key.expose(), "k");
    assert_eq!(secrets.provided_at, "");
    assert_eq!(secrets.id, "");
}

fn ok_raw(body: &str) -> RawResponse {
    RawResponse {
        status: 200,
        body: body.into(),
        retry_after: None,
        correlation_id: None,
    }
}

#[test]
fn classic_malformed_json_gives_the_envelope_error() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_data = format!(
        r#"{{"data":{}{},"error":null}}"#,
        "{\"a\":".repeat(50_000),
        "}".repeat(50_000)
    );
    let corpus: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("whitespace", "  \n\t ".into()),
        ("trailing comma in object", r#"{"data":{"api_keys":[]},}"#.into()),
        ("trailing comma in array", r#"{"data":{"api_keys":[1,]}}"#.into()),
        // In a field each of the payloads reads (an unknown field is skipped unread).
        (
            "lone high surrogate",
            r#"{"data":{"token":"\ud800","api_keys":[{"id":"\ud800"}],"server_signing_key":"\ud800"}}"#.into(),
        ),
        (
            "lone low surrogate",
            r#"{"data":{"token":"\udc00x","api_keys":[{"id":"\udc00x"}],"server_signing_key":"\udc00x"}}"#.into(),
        ),
        ("deep nesting", deep),
        ("deep nesting in data", deep_data),
        (
            "huge float",
            r#"{"data":{"expires_in":1e999999,"insights":{"total_keys":1e999999},"server_signing_key":1e999999}}"#
                .into(),
        ),
        (
            "huge integer",
            r#"{"data":{"expires_in":18446744073709551616,"insights":{"total_keys":18446744073709551616},"server_signing_key":18446744073709551616}}"#.into(),
        ),
        ("byte order mark", "\u{feff}{\"data\":null}".into()),
        ("NUL", "{\"data\":null}\u{0}".into()),
        ("NUL inside", "{\"data\u{0}\":null}".into()),
        ("single quotes", "{'data': null}".into()),
        ("comment", "{\"data\":null /* x */}".into()),
        ("NaN", r#"{"data":{"expires_in":NaN}}"#.into()),
        ("unterminated string", r#"{"data":{"token":"abc"#.into()),
        ("unterminated object", r#"{"data":{"#.into()),
        ("two documents", r#"{"data":null}{"data":null}"#.into()),
        ("bare value", "42".into()),
        ("html", "<html><body>502 Bad Gateway</body></html>".into()),
        ("invalid escape", r#"{"data":{"token":"\x41"}}"#.into()),
        ("control character in string", "{\"data\":{\"token\":\"a\u{1}b\"}}".into()),
    ];
    for (name, body) in corpus {
        // Well-formed JSON whose data cannot be read (a lone surrogate, a number out of range)
        // matters only in a success: an error status is read from the envelope as usual.
        let statuses: &[u16] = if name.starts_with("lone") || name.starts_with("huge") {
            &[200]
        } else {
            &[200, 404, 500]
        };
        for &status in statuses {
            let raw = RawResponse {
                status,
                body: body.clone(),
                retry_after: None,
                correlation_id: None,
            };
            for result in [
                decode::<Session>(&raw).map(drop),
                decode::<ApiKeys>(&raw).map(drop),
                decode::<SensitiveData>(&raw).map(drop),
            ] {
                assert!(
                    matches!(
                        result,
                        Err(ApiError::Network(_) | ApiError::NotJson { .. } | ApiError::Decode(_))
                    ),
                    "{name} ({status}) gave {result:?}"
                );
            }
        }
    }
}
