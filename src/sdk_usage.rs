//! How to use a key with the Onqlave SDKs: a short program per language that creates the SDK's
//! encryption service for the key and encrypts and decrypts a string. The Arx URL and the access
//! key (public) are written in; the two secrets are read from the environment, so the code can be
//! pasted into a repository.

use crate::shown::is_direction_control;

/// The environment variable names the snippets and the "copy as environment variables" use.
pub const ENV_ARX_URL: &str = "ONQLAVE_ARX_URL";
/// The access key's variable.
pub const ENV_ACCESS_KEY: &str = "ONQLAVE_ACCESS_KEY";
/// The signing key's variable (a secret).
pub const ENV_SIGNING_KEY: &str = "ONQLAVE_SIGNING_KEY";
/// The secret key's variable (a secret).
pub const ENV_SECRET_KEY: &str = "ONQLAVE_SECRET_KEY";

/// A language with an Onqlave SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// `github.com/onqlavelabs/onqlave-go`.
    Go,
    /// `onqlave-python` on PyPI.
    Python,
}

impl Language {
    /// Every language, in tab order.
    pub const ALL: [Language; 2] = [Self::Go, Self::Python];

    /// The tab's name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Go => "Go",
            Self::Python => "Python",
        }
    }

    /// A short id for element ids.
    pub fn id(self) -> &'static str {
        match self {
            Self::Go => "go",
            Self::Python => "python",
        }
    }

    /// The command that installs the SDK.
    pub fn install(self) -> &'static str {
        match self {
            Self::Go => "go get github.com/onqlavelabs/onqlave-go",
            Self::Python => "pip install onqlave-python",
        }
    }

    /// A runnable program for the key at `arx_url` with `access_key`.
    pub fn program(self, arx_url: &str, access_key: &str) -> String {
        match self {
            Self::Go => go_program(&string_literal(arx_url), &string_literal(access_key)),
            Self::Python => python_program(&string_literal(arx_url), &string_literal(access_key)),
        }
    }
}

fn go_program(arx_url: &str, access_key: &str) -> String {
    format!(
        r#"package main

import (
	"fmt"
	"log"
	"os"

	"github.com/onqlavelabs/onqlave-go/onqlave/onqlavecredentials"
	"github.com/onqlavelabs/onqlave-go/onqlave/onqlaveencryption"
)

func main() {{
	service := onqlaveencryption.NewEncryption(
		onqlaveencryption.WithArx({arx_url}),
		onqlaveencryption.WithCredential(onqlavecredentials.Credential{{
			AccessKey:  {access_key},
			SigningKey: os.Getenv("{ENV_SIGNING_KEY}"),
			SecretKey:  os.Getenv("{ENV_SECRET_KEY}"),
		}}),
	)
	defer service.Close()

	cipher, err := service.Encrypt([]byte("Hello, Onqlave"), []byte("example"))
	if err != nil {{
		log.Fatal(err)
	}}
	plain, err := service.Decrypt(cipher, []byte("example"))
	if err != nil {{
		log.Fatal(err)
	}}
	fmt.Println(string(plain))
}}
"#
    )
}

fn python_program(arx_url: &str, access_key: &str) -> String {
    format!(
        r#"import os

from onqlave.connection.client import RetrySettings
from onqlave.credentials.credentials import Credential
from onqlave.encryption import options
from onqlave.encryption.encryption import Encryption

encryption = Encryption(
    arx_option=options.ArxOption(arx_url={arx_url}),
    credential_option=Credential(
        access_key={access_key},
        signing_key=os.environ["{ENV_SIGNING_KEY}"],
        secret_key=os.environ["{ENV_SECRET_KEY}"],
    ),
    retry_setting=RetrySettings(count=1, wait_time=1, max_wait_time=2),
    debug_option=options.DebugOption(enable_debug=False),
)

cipher = encryption.encrypt(b"Hello, Onqlave", b"example")
plain = encryption.decrypt(cipher, b"example")
print(plain.decode())
"#
    )
}

/// A string literal of `s` that Go and Python read alike: platform text goes into code, so
/// nothing in it may end the literal, nor reorder how the line reads (a bidirectional control,
/// as in "Trojan Source"), which an escape shows as what it is.
fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_direction_control(c) => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `value` can be pasted into a terminal as shell text: no control character (a pasted
/// Ctrl-C or line break would end the quoted line and run the rest; an escape sequence can end a
/// terminal's paste mode) and no bidirectional control (the line would not read as it runs).
pub fn pastes_safely(value: &str) -> bool {
    !value
        .chars()
        .any(|c| c.is_control() || is_direction_control(c))
}

/// `value` quoted for a POSIX shell: inside single quotes nothing is special but the quote.
/// Only for a value that [`pastes_safely`].
pub fn shell_quoted(value: &str, out: &mut String) {
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARX: &str = "https://arx.example.test/arx--1";
    const ACCESS: &str = "onq.ABC123";

    #[test]
    fn the_programs_carry_the_public_values_and_read_the_secrets_from_the_environment() {
        for lang in Language::ALL {
            let p = lang.program(ARX, ACCESS);
            assert!(p.contains(&format!("\"{ARX}\"")), "{lang:?}");
            assert!(p.contains(&format!("\"{ACCESS}\"")), "{lang:?}");
            assert!(
                p.contains(ENV_SIGNING_KEY) && p.contains(ENV_SECRET_KEY),
                "{lang:?}"
            );
            assert!(p.contains("Encrypt") || p.contains("encrypt"));
            assert!(p.contains("Decrypt") || p.contains("decrypt"));
        }
        let go = Language::Go.program(ARX, ACCESS);
        assert!(go.contains("onqlaveencryption.NewEncryption("));
        assert!(go.contains("defer service.Close()"));
        let py = Language::Python.program(ARX, ACCESS);
        assert!(py.contains("Credential(\n        access_key="));
        assert!(py.contains("options.ArxOption(arx_url="));
    }

    #[test]
    fn direction_controls_in_platform_text_are_escaped_in_the_programs() {
        let hostile = "onq.A\u{202E}B\u{2066}C";
        for lang in Language::ALL {
            let p = lang.program(ARX, hostile);
            assert!(p.contains("\"onq.A\\u202eB\\u2066C\""), "{lang:?}: {p}");
            assert!(!p.chars().any(is_direction_control), "{lang:?}");
        }
    }

    #[test]
    fn platform_text_cannot_break_out_of_its_literal() {
        let hostile = "x\", evil(), \"\\\n";
        for lang in Language::ALL {
            let p = lang.program(hostile, hostile);
            assert!(!p.contains("\", evil(), \""), "{lang:?}: {p}");
            assert!(p.contains(r#"x\", evil(), \"\\\u000a"#), "{lang:?}: {p}");
        }
    }

    #[test]
    fn only_plain_text_pastes_safely() {
        assert!(pastes_safely("it's $HOME `x` ünïcödé"));
        for hostile in [
            "abc\u{3}\necho INJECTED",
            "a\nb",
            "a\tb",
            "\u{1b}[201~",
            "\u{7f}",
            "\u{9b}",
            "\u{202E}lmth.exe",
            "\u{2066}x",
        ] {
            assert!(!pastes_safely(hostile), "{hostile:?}");
        }
    }

    #[test]
    fn shell_quoting_keeps_every_character() {
        let mut out = String::new();
        shell_quoted("it's $HOME `x`", &mut out);
        assert_eq!(out, r#"'it'\''s $HOME `x`'"#);
    }
}
