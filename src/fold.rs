//! Lower-casing for the dashboard's search and sort and the delete dialog's hint, the spacing a
//! search ignores, and the accents it ignores (`search_lowercase`).
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

/// `text` lower-cased as a search compares it: also without accents, so that "jose" finds
/// "José", and a name sent decomposed (`e` and a combining acute) finds the same as one sent
/// composed. Decomposition (NFD) is the browser's, as the case tables are.
pub fn search_lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let combining = |c: char| {
        matches!(
            c,
            '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
                | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}'
        )
    };
    platform_lowercase_decomposed(text)
        .chars()
        .filter(|&c| !combining(c))
        .map(|c| if c == 'ς' { 'σ' } else { c })
        .collect()
}

/// `text` as a search compares it: any run of white space (a no-break space, a line break, a
/// tab) within it as one space, none at its ends, and the invisible characters that only shape or join text (zero-width
/// space and joiners, word joiner, soft hyphen, byte order mark) left out, so that a name
/// reads as it is shown. Plain ASCII with single spaces, nearly every name, is borrowed.
pub fn search_spacing(text: &str) -> Cow<'_, str> {
    let invisible = |c: char| {
        matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
        )
    };
    let plain = text.bytes().all(|b| b.is_ascii_graphic() || b == b' ') && !text.contains("  ");
    if plain {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars().filter(|&c| !invisible(c)) {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    Cow::Owned(out)
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

/// Lower-cased and decomposed in one call to the browser (a name crosses to JS once).
#[cfg(target_arch = "wasm32")]
fn platform_lowercase_decomposed(text: &str) -> String {
    js_sys::JsString::from(text)
        .to_lower_case()
        .normalize("NFD")
        .into()
}

/// Off the browser (the native unit tests) text is left composed: accents stay.
#[cfg(not(target_arch = "wasm32"))]
fn platform_lowercase_decomposed(text: &str) -> String {
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
    fn a_search_reads_spacing_as_it_is_shown() {
        for (text, want) in [
            ("padded name", "padded name"),
            (
                "padded\u{A0}name\nwith  line\tbreak",
                "padded name with line break",
            ),
            ("zero\u{200B}width\u{2060}joined\u{FEFF}", "zerowidthjoined"),
            ("soft\u{AD}hyphen", "softhyphen"),
            ("\tedges\u{A0}", "edges"),
            ("\u{3000}ideographic\u{2003}em", "ideographic em"),
        ] {
            assert_eq!(search_spacing(text), want, "{text:?}");
        }
        assert!(matches!(search_spacing("Payments API"), Cow::Borrowed(_)));
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
