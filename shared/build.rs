//! Builds the pages at compile time, once per language: each page under `src/http/pages/` is a
//! fragment (a few `name: value` lines, `---`, then its body) set into `layout.html`, with the
//! shared parts (`_name.html`, pulled in by a `{{> name}}` line) in place and every `{{t:key}}`
//! replaced by that language's message from `messages/<language>/pages.ftl` (L1, L3). The page
//! also carries its language's messages as data, for its scripts (`i18n.js`). The result is a
//! plain string per page and language in the binary: nothing is assembled at run time.
//!
//! Besides the five languages, the pages are built in a pseudo-language (`qps`: English with
//! every letter accented, in brackets), in which the browser tests find any text that did not
//! come from the message files.

#[path = "src/i18n/ftl.rs"]
#[allow(dead_code)] // the build uses the parser and the pseudo-language only
mod ftl;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The languages, in the order `pages.rs` indexes them; the pseudo-language last.
const LANGUAGES: [&str; 6] = ["en", "it", "de", "fr", "es", "qps"];

fn messages(lang: &str) -> BTreeMap<String, String> {
    let file = |lang: &str| {
        let path = format!("messages/{lang}/pages.ftl");
        println!("cargo:rerun-if-changed={path}");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        ftl::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}")).into_iter().collect::<BTreeMap<_, _>>()
    };
    let english = file("en");
    match lang {
        "qps" => english.into_iter().map(|(k, v)| (k, ftl::pseudo(&v))).collect(),
        // A message a language lacks is English here; the i18n tests fail on it.
        _ if lang != "en" => {
            let mut theirs = english;
            theirs.extend(file(lang));
            theirs
        }
        _ => english,
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The messages as a JSON object that is safe inside `<script type="application/json">`.
fn json(messages: &BTreeMap<String, String>) -> String {
    let string = |s: &str| {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    let entries: Vec<String> = messages.iter().map(|(k, v)| format!("{}:{}", string(k), string(v))).collect();
    format!("{{{}}}", entries.join(","))
}

/// Every `{{t:key}}` replaced by its message, escaped for HTML.
fn translate(name: &str, page: &str, messages: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(open) = rest.find("{{t:") {
        out.push_str(&rest[..open]);
        let close = rest[open..].find("}}").unwrap_or_else(|| panic!("{name}: an unclosed {{{{t:")) + open;
        let key = &rest[open + 4..close];
        let text = messages.get(key).unwrap_or_else(|| panic!("{name}: no message `{key}` in pages.ftl"));
        out.push_str(&html_escape(text));
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    out
}

fn main() {
    let dir = Path::new("src/http/pages");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out_dir).join("pages");
    let layout = fs::read_to_string(dir.join("layout.html")).expect("layout.html");
    let mut partials = BTreeMap::new();
    let mut pages = Vec::new();
    for entry in fs::read_dir(dir).expect("the pages folder") {
        let path = entry.expect("a page").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        println!("cargo:rerun-if-changed={}", path.display());
        if !name.ends_with(".html") || name == "layout.html" {
            continue;
        }
        let text = fs::read_to_string(&path).expect("a page's text");
        match name.strip_prefix('_') {
            Some(partial) => {
                partials.insert(partial.trim_end_matches(".html").to_string(), text);
            }
            None => pages.push((name, text)),
        }
    }
    pages.sort();
    let mut index =
        String::from("/// Each page built in each language, in the order of [`PAGE_LANGUAGES`] (by `build.rs`).\n");
    let _ = writeln!(index, "pub const PAGE_LANGUAGES: [&str; {}] = {LANGUAGES:?};", LANGUAGES.len());
    for lang in LANGUAGES {
        fs::create_dir_all(out.join(lang)).expect("create OUT_DIR/pages/<lang>");
    }
    for (name, text) in &pages {
        let (head, body) =
            text.split_once("\n---\n").unwrap_or_else(|| panic!("{name}: `name: value` lines, then ---"));
        let mut fields = BTreeMap::new();
        for line in head.lines().filter(|l| !l.trim().is_empty()) {
            let (key, value) = line.split_once(':').unwrap_or_else(|| panic!("{name}: `{line}` is not `name: value`"));
            fields.insert(key.trim().to_string(), value.trim().to_string());
        }
        let content: String = body
            .lines()
            .map(|line| match line.trim().strip_prefix("{{>").and_then(|l| l.strip_suffix("}}")) {
                Some(partial) => {
                    let partial = partial.trim();
                    partials.get(partial).unwrap_or_else(|| panic!("{name}: no partial _{partial}.html")).clone()
                }
                None => format!("{line}\n"),
            })
            .collect();
        let constant = name.trim_end_matches(".html").replace('-', "_").to_uppercase();
        let mut built = Vec::new();
        for lang in LANGUAGES {
            let messages = messages(lang);
            let mut page = layout.replace("{{content}}", content.trim_end());
            let title = fields.get("title").unwrap_or_else(|| panic!("{name}: needs `title:`"));
            let title = messages.get(title).unwrap_or_else(|| panic!("{name}: no message `{title}` for its title"));
            page = page.replace("{{title}}", &html_escape(title));
            for key in ["assets", "script", "page"] {
                let value = fields.get(key).unwrap_or_else(|| panic!("{name}: needs `{key}:`"));
                page = page.replace(&format!("{{{{{key}}}}}"), value);
            }
            page = page.replace("{{lang}}", lang).replace("{{messages}}", &json(&messages));
            let page = translate(name, &page, &messages);
            assert!(!page.contains("{{"), "{name}: a placeholder is left");
            let path = out.join(lang).join(name);
            fs::write(&path, page).expect("write a page");
            built.push(format!("include_str!({:?})", path.display().to_string()));
        }
        let _ = writeln!(index, "pub const {constant}: [&str; {}] = [{}];", LANGUAGES.len(), built.join(", "));
    }
    fs::write(Path::new(&out_dir).join("pages.rs"), index).expect("write pages.rs");
    for lang in LANGUAGES.iter().filter(|l| **l != "qps") {
        println!("cargo:rerun-if-changed=messages/{lang}");
    }
}
