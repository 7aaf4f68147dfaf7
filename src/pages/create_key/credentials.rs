//! The credential file of the Onqlave SDKs (contract §5.2), built and saved without leaving a
//! copy of a secret behind: in a zeroing buffer that never reallocates, handed to the browser as
//! bytes (never as a JS string), whose JS copy is zeroed once the file is made.

use platform_types::{ApiKey, SensitiveData};
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

use crate::sdk_usage::{
    pastes_safely, shell_quoted, ENV_ACCESS_KEY, ENV_ARX_URL, ENV_SECRET_KEY, ENV_SIGNING_KEY,
};

/// The secrets' answer with the key's public fields it left out (the contract lets `id`,
/// `access_key` and `arx_url` be null there) taken from the key they were asked for, so that
/// neither the page, the file nor the shell lines carry an empty API key or Arx URL.
pub fn completed(mut data: SensitiveData, key: &ApiKey) -> SensitiveData {
    for (field, known) in [
        (&mut data.id, &key.id),
        (&mut data.access_key, &key.access_key),
        (&mut data.arx_url, &key.arx_url),
    ] {
        if field.is_empty() {
            field.clone_from(known);
        }
    }
    data
}

/// The credential file as JSON: `arx_url`, `access_key`, `server_signing_key`,
/// `server_secret_key`.
pub fn credential_file(data: &SensitiveData) -> Zeroizing<Vec<u8>> {
    let fields = file_fields(data);
    let capacity = worst_case_len(&fields);
    let mut out = Zeroizing::new(Vec::with_capacity(capacity));
    out.extend_from_slice(b"{\n");
    for (n, (key, value)) in fields.iter().enumerate() {
        out.extend_from_slice(b"  ");
        let _ = serde_json::to_writer(&mut *out, key);
        out.extend_from_slice(b": ");
        let _ = serde_json::to_writer(&mut *out, value);
        out.extend_from_slice(if n + 1 < fields.len() { b",\n" } else { b"\n" });
    }
    out.extend_from_slice(b"}\n");
    out
}

fn file_fields(data: &SensitiveData) -> [(&'static str, &str); 4] {
    [
        ("arx_url", data.arx_url.as_str()),
        ("access_key", data.access_key.as_str()),
        ("server_signing_key", data.server_signing_key.expose()),
        ("server_secret_key", data.server_crypto_access_key.expose()),
    ]
}

/// JSON escaping writes at most six bytes per input byte; reserving that up front means the
/// buffer never moves, so no unzeroed copy is left where it was.
fn worst_case_len(fields: &[(&str, &str)]) -> usize {
    fields
        .iter()
        .map(|(k, v)| (k.len() + v.len()) * 6 + 16)
        .sum::<usize>()
        + 8
}

/// The four `export ONQLAVE_…='…'` lines for a POSIX shell, secrets included, in a zeroing
/// buffer sized for the worst case (a quote is four characters quoted) so it never moves. None
/// when a value would not paste safely into a terminal: text from the platform must not be able
/// to run a command in the shell it is pasted into.
pub fn env_exports(data: &SensitiveData) -> Option<Zeroizing<String>> {
    if !env_exports_offered(data) {
        return None;
    }
    let vars = env_vars(data);
    let mut out = Zeroizing::new(String::with_capacity(exports_worst_case_len(&vars)));
    for (name, value) in vars {
        out.push_str("export ");
        out.push_str(name);
        out.push('=');
        shell_quoted(value, &mut out);
        out.push('\n');
    }
    Some(out)
}

/// Whether [`env_exports`] has lines to give for `data`.
pub fn env_exports_offered(data: &SensitiveData) -> bool {
    env_vars(data).iter().all(|(_, value)| pastes_safely(value))
}

fn env_vars(data: &SensitiveData) -> [(&'static str, &str); 4] {
    [
        (ENV_ARX_URL, data.arx_url.as_str()),
        (ENV_ACCESS_KEY, data.access_key.as_str()),
        (ENV_SIGNING_KEY, data.server_signing_key.expose()),
        (ENV_SECRET_KEY, data.server_crypto_access_key.expose()),
    ]
}

fn exports_worst_case_len(vars: &[(&str, &str)]) -> usize {
    vars.iter()
        .map(|(name, value)| "export ".len() + name.len() + value.len() * 4 + 4)
        .sum()
}

/// The credentials file's name: the API key's letters, digits, dots, dashes and underscores
/// (the platform's text, which could carry a `/`, control or direction characters, never
/// names a file as it stands), else the key's id, which the console checked has that form.
pub fn credential_file_name(data: &SensitiveData) -> String {
    let safe = |c: &char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let from_key: String = data.access_key.chars().filter(safe).collect();
    let name = if from_key.trim_matches('.').is_empty() {
        data.id.chars().filter(safe).collect()
    } else {
        from_key
    };
    format!("onqlave-credentials-{name}.json")
}

/// Offers `bytes` as a download named `file_name`; whether the browser was asked to save it. The
/// object URL is revoked once the download has started (a task later: revoking it at once can
/// cancel it).
pub fn save_file(file_name: &str, bytes: &[u8]) -> bool {
    let copy = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&copy);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts);
    copy.fill(0, 0, copy.length());
    let Ok(blob) = blob else { return false };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let document = leptos::prelude::document();
    let started = match document.create_element("a") {
        Ok(a) => {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&url);
            a.set_download(file_name);
            a.click();
            true
        }
        Err(_) => false,
    };
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_millis(0),
    );
    started
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform_types::Secret;

    fn data() -> SensitiveData {
        SensitiveData {
            id: "apikey--1".into(),
            access_key: "onq.ABC".into(),
            arx_url: "https://arx.example".into(),
            server_signing_key: Secret::new("sign\"ing\u{1}".into()),
            server_crypto_access_key: Secret::new("crypto".into()),
            client_key: Secret::new("client".into()),
            ..Default::default()
        }
    }

    #[test]
    fn public_fields_the_answer_left_out_come_from_the_key() {
        let key = ApiKey {
            id: "apikey--1".into(),
            access_key: "onq.KEY".into(),
            arx_url: "https://arx.from-key".into(),
            ..Default::default()
        };
        let bare = SensitiveData {
            id: String::new(),
            access_key: String::new(),
            arx_url: String::new(),
            ..data()
        };
        let done = completed(bare, &key);
        assert_eq!(
            (
                done.id.as_str(),
                done.access_key.as_str(),
                done.arx_url.as_str()
            ),
            ("apikey--1", "onq.KEY", "https://arx.from-key")
        );
        assert_eq!(done.server_crypto_access_key.expose(), "crypto");
        // What the answer gave stands.
        let given = completed(data(), &key);
        assert_eq!(
            (given.access_key.as_str(), given.arx_url.as_str()),
            ("onq.ABC", "https://arx.example")
        );
    }

    #[test]
    fn the_file_s_name_keeps_only_plain_characters_of_the_key() {
        let named = |access_key: &str| {
            credential_file_name(&SensitiveData {
                access_key: access_key.into(),
                ..data()
            })
        };
        assert_eq!(named("onq.ABC_d-9"), "onqlave-credentials-onq.ABC_d-9.json");
        assert_eq!(
            named("../x/\u{202e}nosj.exe\u{7}"),
            "onqlave-credentials-..xnosj.exe.json"
        );
        // Nothing usable in the key: its id names the file.
        assert_eq!(named("/\u{202e}"), "onqlave-credentials-apikey--1.json");
        assert_eq!(named(".."), "onqlave-credentials-apikey--1.json");
    }

    #[test]
    fn has_the_sdk_keys_and_parses() {
        let data = data();
        let file = credential_file(&data);
        let v: serde_json::Value = serde_json::from_slice(&file).unwrap();
        assert_eq!(v["arx_url"], "https://arx.example");
        assert_eq!(v["access_key"], "onq.ABC");
        assert_eq!(v["server_signing_key"], "sign\"ing\u{1}");
        assert_eq!(v["server_secret_key"], "crypto");
        assert_eq!(v.as_object().unwrap().len(), 4);
        assert!(format!("{data:?}").contains("[redacted]"));
        assert!(!format!("{data:?}").contains("crypto\""));
    }

    #[test]
    fn env_exports_are_four_shell_lines_and_never_reallocate() {
        let d = SensitiveData {
            server_signing_key: Secret::new("sign\"ing".into()),
            server_crypto_access_key: Secret::new("it's".into()),
            ..data()
        };
        assert!(env_exports_offered(&d));
        let text = env_exports(&d).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "export ONQLAVE_ARX_URL='https://arx.example'",
                "export ONQLAVE_ACCESS_KEY='onq.ABC'",
                "export ONQLAVE_SIGNING_KEY='sign\"ing'",
                "export ONQLAVE_SECRET_KEY='it'\\''s'",
            ]
        );
        let worst = SensitiveData {
            server_signing_key: Secret::new("'".repeat(500)),
            ..d.clone()
        };
        for d in [d, worst] {
            let text = env_exports(&d).unwrap();
            assert_eq!(
                text.capacity(),
                exports_worst_case_len(&env_vars(&d)),
                "reallocated"
            );
        }
    }

    #[test]
    fn no_exports_when_a_value_could_run_a_command_where_it_is_pasted() {
        // A Ctrl-C and a line break: pasted into bash, the quoted line is dropped and the next
        // one runs.
        let hostile = "abc\u{3}\necho INJECTED\n";
        let cases = [
            SensitiveData {
                server_signing_key: Secret::new(hostile.into()),
                ..data()
            },
            SensitiveData {
                access_key: "onq.\u{1b}[201~".into(),
                ..data()
            },
            SensitiveData {
                arx_url: "https://arx.example/\u{202E}x".into(),
                ..data()
            },
            // What the other tests use: a control character in the signing key.
            data(),
        ];
        for d in cases {
            assert!(!env_exports_offered(&d));
            assert!(env_exports(&d).is_none());
        }
    }

    #[test]
    fn never_outgrows_its_first_buffer() {
        // Escaping makes a control character six bytes: the worst case still fits.
        let worst = SensitiveData {
            server_signing_key: Secret::new("\u{1}".repeat(300)),
            server_crypto_access_key: Secret::new("\"".repeat(300)),
            ..data()
        };
        for d in [data(), worst] {
            let file = credential_file(&d);
            assert_eq!(
                file.capacity(),
                worst_case_len(&file_fields(&d)),
                "reallocated"
            );
            let reparsed: serde_json::Value = serde_json::from_slice(&file).unwrap();
            assert_eq!(
                reparsed["server_signing_key"],
                d.server_signing_key.expose()
            );
        }
    }
}
