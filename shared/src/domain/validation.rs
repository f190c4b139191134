//! Input checks shared by every request body: one error shape that names the offending field.

use thiserror::Error;

/// A value the caller sent that breaks a rule; becomes a 400 problem with `field` set.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

pub trait Validate {
    fn validate(&self) -> Result<(), FieldError>;
}

/// Trims and checks a free-text field: required, at most `max` characters, no control characters
/// other than line breaks when `multiline` (a subject may legitimately carry a pasted newline; every
/// renderer escapes it).
pub fn text(field: &str, value: &str, max: usize, multiline: bool) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(FieldError::new(field, format!("at most {max} characters")));
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\r' || c == '\t'));
    if !value.chars().all(allowed) {
        return Err(FieldError::new(field, "must not contain control characters"));
    }
    Ok(value.to_string())
}

/// A deliberately plain email check: one `@`, a dotted domain, no spaces or controls, at most 254
/// characters (RFC 5321). Returned lower-cased, which is how guests are matched for the cap.
pub fn email(field: &str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    let bad = || FieldError::new(field, "must be an email address such as ada@example.com");
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c)) {
        return Err(bad());
    }
    let (local, domain) = value.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@');
    if local.is_empty() || local.len() > 64 || !domain_ok {
        return Err(bad());
    }
    Ok(value.to_lowercase())
}

/// A URL-safe public identifier: 3–64 of `a-z 0-9 -`, not starting or ending with `-`.
pub fn slug(field: &str, value: &str) -> Result<String, FieldError> {
    let ok = (3..=64).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if ok {
        Ok(value.to_string())
    } else {
        Err(FieldError::new(field, "3 to 64 characters of a-z, 0-9 and '-', not starting or ending with '-'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email("e", " Ada@Example.COM ").unwrap(), "ada@example.com");
        for bad in [
            "",
            "ada",
            "ada@",
            "@x.io",
            "ada@x",
            "a b@x.io",
            "ada@x..io",
            "a@b@x.io",
            "ada@x.io\r\nBcc: y@z.io",
            "<a@x.io>",
        ] {
            assert!(email("e", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_is_trimmed_bounded_and_free_of_controls() {
        assert_eq!(text("s", "  hi ", 10, false).unwrap(), "hi");
        assert!(text("s", "   ", 10, false).is_err());
        assert!(text("s", "elevenchars", 10, false).is_err());
        assert!(text("s", "a\u{0}b", 10, true).is_err());
        assert!(text("s", "a\nb", 10, false).is_err());
        assert_eq!(text("s", "a\r\nb", 10, true).unwrap(), "a\r\nb");
    }

    #[test]
    fn slugs() {
        assert!(slug("s", "ada-lovelace-2").is_ok());
        for bad in ["ab", "-ada", "ada-", "Ada", "ada_l", "ada/..", &"a".repeat(65)] {
            assert!(slug("s", bad).is_err(), "{bad}");
        }
    }
}
