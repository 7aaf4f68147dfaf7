//! Names from the platform as the console shows them: text, with the Unicode characters that
//! change the direction of the text around them made visible. A name holding a right-to-left
//! override (`invoice<U+202E>fdp.exe`) would otherwise read as something it is not
//! (`invoiceexe.pdf`), in a console where who created a key and for what matters. The list
//! searches and sorts the names as shown (what is typed is what is on screen); the data stay as
//! sent, and the delete confirmation compares the access key, never a name.

use std::borrow::Cow;

/// The Unicode bidirectional formatting characters (UAX #9: embeddings, overrides, isolates and
/// marks).
pub(crate) fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What the page shows for a fact the platform did not give (the contract lets any field be
/// absent): said, rather than a blank beside its label.
pub const NOT_REPORTED: &str = "Not reported";

/// `name` as [`name`] shows it, or [`NOT_REPORTED`] when there is none.
pub fn name_or_not_reported(text: &str) -> String {
    if text.is_empty() {
        NOT_REPORTED.to_owned()
    } else {
        name(text).into_owned()
    }
}

/// `name` with each direction control replaced by its code point in brackets (`[U+202E]`);
/// borrowed when it holds none, as nearly every name does.
pub fn name(name: &str) -> Cow<'_, str> {
    if !name.chars().any(is_direction_control) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 16);
    for c in name.chars() {
        if is_direction_control(c) {
            out.push_str(&format!("[U+{:04X}]", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`name`] for a `String` already owned: itself when it holds no direction control.
pub fn owned(text: String) -> String {
    match name(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_controls_are_shown_and_other_text_is_left_alone() {
        assert_eq!(name("invoice\u{202E}fdp.exe"), "invoice[U+202E]fdp.exe");
        assert_eq!(
            name("\u{2067}a\u{2069}\u{200F}\u{061C}"),
            "[U+2067]a[U+2069][U+200F][U+061C]"
        );
        for plain in [
            "Payments",
            "שלום",
            "مرحبا",
            "e\u{301}",
            "zero\u{200B}width",
            "",
        ] {
            assert!(matches!(name(plain), Cow::Borrowed(_)), "{plain:?}");
        }
    }
}
