//! The one XML escaper, for SVG, the HTML pages and Graphviz's HTML-like labels.

/// Escapes `text` for XML content and attribute values: `& < > " '` become entities, and
/// characters XML 1.0 cannot hold (control characters other than tab and line feed, and the
/// non-characters U+FFFE and U+FFFF) are dropped, so any text gives well-formed XML.
///
/// # Example
/// ```
/// assert_eq!(chainrule::xml_escape("a < b & \"c\"\u{1}"), "a &lt; b &amp; &quot;c&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn non_characters_and_controls_are_dropped() {
        assert_eq!(escape("a\u{FFFE}b\u{FFFF}c\u{7}d\te\nf"), "abcd\te\nf");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<x a='1'>&</x>"),
            "&lt;x a=&apos;1&apos;&gt;&amp;&lt;/x&gt;"
        );
    }
}
