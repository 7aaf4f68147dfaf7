//! A corpus of hostile strings, seeded as the names of the "Hostile names" tenant
//! (`--hostile-names`) so the console's end-to-end tests can check that each one is shown as
//! text, intact, and breaks nothing: not the layout, not the markup, not a query.

/// The strings, except the very long one ([`long_name`]); [`corpus`] has them all.
pub const HOSTILE_NAMES: &[&str] = &[
    // Right-to-left override: the rest of the line displays reversed ("invoice" + "exe.pdf").
    "invoice\u{202E}fdp.exe",
    // Zero-width joiner and space, and a word joiner.
    "zero\u{200D}width\u{200B}space\u{2060}joiner",
    // Stacked combining marks (Zalgo).
    "Z\u{337}\u{322}\u{34E}a\u{334}l\u{338}g\u{335}o\u{337}",
    // Emoji: a ZWJ family, skin tones, flags, a rainbow flag (ZWJ + variation selector).
    "👩‍👩‍👧‍👦 👍🏽 🇦🇺🇬🇧🇸🇬 🏳️‍🌈",
    // Markup and script.
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "javascript:alert(1)",
    // SQL.
    "'; DROP TABLE api_keys; --",
    "Robert'); DROP TABLE users;--",
    // Format strings and templates.
    "%s%n{0}{}",
    "{{7*7}} ${7*7} #{7*7}",
    // Right-to-left scripts mixed with left-to-right.
    "مفتاح API للإنتاج production",
    "מפתח ראשי key",
    // Characters outside the Basic Multilingual Plane, and wide ones.
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕏 田中さんの鍵 Ω≈ç√∫",
    // White space: leading, trailing, a line break, a tab, a no-break space.
    "  padded\u{A0}name\twith\nline break  ",
    // A byte-order mark at the start, and words that look like values.
    "\u{FEFF}null",
    "undefined",
    // A path.
    "../../../etc/passwd",
];

/// A 10,000-character name with no space to break it at.
pub fn long_name() -> String {
    let word = "Wolfeschlegelsteinhausenbergerdorff";
    word.chars().cycle().take(10_000).collect()
}

/// Every string of the corpus.
pub fn corpus() -> Vec<String> {
    HOSTILE_NAMES
        .iter()
        .map(|s| (*s).to_owned())
        .chain(std::iter::once(long_name()))
        .collect()
}
