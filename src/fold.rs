//! Lower-casing for the dashboard's search and sort and the delete dialog's hint.
//!
//! ASCII text, nearly all of it, is folded here byte by byte. Any other text is folded by the
//! browser's `String.prototype.toLowerCase`: the browser carries the Unicode case tables anyway,
//! and Rust's own (`str::to_lowercase`) put a second copy into the first load, 7.0 kB brotli
//! (`docs/performance.md`). Off the browser (the native unit tests) Rust's own serve.

use std::borrow::Cow;
use std::cmp::Ordering;

/// `text` lower-cased.
pub fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        unicode_lowercase(text)
    }
}

/// `text` prepared for [`cmp_sort_keys`]: ASCII as it is (it is folded as it is compared, which
/// allocates nothing), any other text lower-cased once.
pub fn sort_key(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(unicode_lowercase(text))
    }
}

/// The case-insensitive order of two [`sort_key`]s: that of their lower-cased texts. A sort
/// makes ~130,000 comparisons for 10,000 rows, so this one neither allocates nor crosses to JS.
pub fn cmp_sort_keys(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Lower-cased, with a word's final sigma as any other sigma: lower-casing picks `ς` or `σ` by
/// the letters around it, so a search, folded on its own, would miss the same letters inside a
/// longer name ("ΑΣ" in "ΑΣΤΡΑ").
fn unicode_lowercase(text: &str) -> String {
    let folded = platform_lowercase(text);
    if folded.contains('ς') {
        folded.replace('ς', "σ")
    } else {
        folded
    }
}

#[cfg(target_arch = "wasm32")]
fn platform_lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
fn platform_lowercase(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        cmp_sort_keys(&sort_key(a), &sort_key(b))
    }

    /// What the folding must equal: Rust's lower case, final sigma as sigma.
    fn reference(text: &str) -> String {
        text.to_lowercase().replace('ς', "σ")
    }

    #[test]
    fn order_is_that_of_the_lowercased_texts() {
        use std::cmp::Ordering::*;
        let cases = [
            ("payments", "Payments", Equal),
            ("Portal", "payments", Greater),
            ("abc", "ABCD", Less),
            ("Ärger", "ärger", Equal),
            ("Émile", "zed", Greater),
            ("ÉCLAIR", "émile", Less),
            ("", "a", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(cmp(a, b), want, "{a} {b}");
            assert_eq!(cmp(a, b), reference(a).cmp(&reference(b)), "{a} {b}");
        }
    }

    #[test]
    fn lowercase_folds_ascii_and_the_rest() {
        assert_eq!(lowercase("Payments-EU"), "payments-eu");
        assert_eq!(lowercase("ÄRGER Émile"), "ärger émile");
        assert_eq!(lowercase("ΟΔΟΣ"), "οδοσ");
        assert!(lowercase("ΑΣΤΡΑ").contains(&lowercase("ΑΣ")));
        assert!(matches!(
            sort_key("Mixed Case"),
            Cow::Borrowed("Mixed Case")
        ));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn order_of_any_text_is_lowercase_order(a in "\\PC{0,12}", b in "\\PC{0,12}") {
            proptest::prop_assert_eq!(cmp(&a, &b), reference(&a).cmp(&reference(&b)));
        }
    }
}
