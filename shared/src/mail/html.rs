//! HTML escaping for user text in email bodies.

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept visible.
pub fn paragraph(text: &str) -> String {
    escape(text).replace("\r\n", "\n").replace('\r', "\n").replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_user_text_is_inert() {
        assert_eq!(
            super::escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(super::paragraph("a\r\nb<br>"), "a<br>b&lt;br&gt;");
    }
}
