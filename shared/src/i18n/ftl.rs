//! The subset of Mozilla's Fluent syntax the message files use: `# comments`, and one message per
//! line, `key = value`, where a value names its variables as `{ $name }`. No terms, no selectors:
//! a text that would need a plural is written so it needs none ("30 min"). Shared by `build.rs`
//! (the pages are built per language from it) and the running code (emails), so both read the
//! files the one same way.

use std::collections::BTreeSet;

/// The messages of one file in order, or the first line that is not one.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut messages = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) =
            line.split_once(" = ").ok_or_else(|| format!("line {}: not `key = value`: {line}", number + 1))?;
        let key = key.trim();
        let well_formed = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !well_formed {
            return Err(format!("line {}: `{key}` is not a message identifier", number + 1));
        }
        if messages.iter().any(|(k, _): &(String, String)| k == key) {
            return Err(format!("line {}: `{key}` is defined twice", number + 1));
        }
        let value = value.trim();
        if let Some(bad) = variables_or_error(value)? {
            return Err(format!("line {}: `{key}`: {bad}", number + 1));
        }
        messages.push((key.to_string(), value.to_string()));
    }
    Ok(messages)
}

/// `None` when every `{ … }` in the value is a variable `{ $name }`; else what is wrong.
fn variables_or_error(value: &str) -> Result<Option<String>, String> {
    let mut rest = value;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { return Ok(Some("a `{` is never closed".into())) };
        let inside = rest[open + 1..open + close].trim();
        let named = inside
            .strip_prefix('$')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !named {
            return Ok(Some(format!("`{{{inside}}}` is not a variable `{{ $name }}`")));
        }
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return Ok(Some("a `}` was never opened".into()));
    }
    Ok(None)
}

/// The names of the variables a value uses.
pub fn variables(value: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = value;
    while let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) {
        if close < open {
            break;
        }
        names.insert(rest[open + 1..close].trim().trim_start_matches('$').to_string());
        rest = &rest[close + 1..];
    }
    names
}

/// The value with each `{ $name }` replaced by its argument; a variable without one stays as
/// written, so a mistake shows instead of vanishing.
pub fn format(value: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(value.len() + 32);
    let mut rest = value;
    while let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) {
        if close < open {
            break;
        }
        out.push_str(&rest[..open]);
        let name = rest[open + 1..close].trim().trim_start_matches('$');
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, arg)) => out.push_str(arg),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The pseudo-language: English with every letter accented and the whole text in brackets, so
/// a page run in it shows at a glance (and to a test) any text that did not come from the
/// message files. Variables are kept as they are.
pub fn pseudo(value: &str) -> String {
    const FROM: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const TO: [char; 52] = [
        'ȧ', 'ƀ', 'ƈ', 'ḓ', 'ḗ', 'ƒ', 'ɠ', 'ħ', 'ī', 'ĵ', 'ķ', 'ŀ', 'ḿ', 'ƞ', 'ǿ', 'ƥ', 'ɋ', 'ř', 'ş', 'ŧ', 'ŭ', 'ṽ',
        'ẇ', 'ẋ', 'ẏ', 'ẑ', 'Ȧ', 'Ɓ', 'Ƈ', 'Ḓ', 'Ḗ', 'Ƒ', 'Ɠ', 'Ħ', 'Ī', 'Ĵ', 'Ķ', 'Ŀ', 'Ḿ', 'Ƞ', 'Ǿ', 'Ƥ', 'Ɋ', 'Ř',
        'Ş', 'Ŧ', 'Ŭ', 'Ṽ', 'Ẇ', 'Ẋ', 'Ẏ', 'Ẑ',
    ];
    let mut out = String::from("[");
    let mut in_variable = false;
    for c in value.chars() {
        match c {
            '{' => in_variable = true,
            '}' => in_variable = false,
            _ => {}
        }
        match FROM.find(c) {
            Some(i) if !in_variable => out.push(TO[i]),
            _ => out.push(c),
        }
    }
    out.push(']');
    out
}
