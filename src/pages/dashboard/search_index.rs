//! Every row's search text in one string, so a keystroke is one SIMD scan of it instead of a
//! search started in each of 10,000 short strings.

use memchr::memmem;

use super::rows::Row;

/// The search text of every row, lower-cased, each row's parts ended by a newline.
#[derive(Debug, Clone, Default)]
pub(super) struct SearchIndex {
    pub(super) text: String,
    /// Where each row's text ends in `text` (row `i` is `ends[i - 1]..ends[i]`).
    ends: Vec<usize>,
}

impl SearchIndex {
    pub(super) fn new(rows: &[Row]) -> Self {
        let mut text = String::with_capacity(rows.len() * 96);
        let ends = rows
            .iter()
            .map(|r| {
                r.push_search_text(&mut text);
                text.len()
            })
            .collect();
        Self { text, ends }
    }

    /// For each row, whether its text contains `needle`.
    pub(super) fn hits(&self, needle: &memmem::Finder) -> Vec<bool> {
        let mut hits = vec![false; self.ends.len()];
        let text = self.text.as_bytes();
        let (mut from, mut row) = (0, 0);
        while let Some(found) = needle.find(&text[from..]) {
            let at = from + found;
            // The row the match starts in; a match running into the next row is no match, and
            // neither is any later one starting in this row.
            row += self.ends[row..].partition_point(|&end| end <= at);
            let end = self.ends[row];
            hits[row] = at + needle.needle().len() <= end;
            from = end;
            row += 1;
            if row == self.ends.len() {
                break;
            }
        }
        hits
    }
}
