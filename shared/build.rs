//! Builds the pages at compile time: each page under `src/http/pages/` is a fragment (a few
//! `name: value` lines, `---`, then its body) set into `layout.html`, with the shared parts
//! (`_name.html`, pulled in by a `{{> name}}` line) in place. The result is a plain string in the
//! binary: nothing is assembled at run time, and every page shares one head and one sign-in.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("src/http/pages");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("pages");
    fs::create_dir_all(&out).expect("create OUT_DIR/pages");
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
    for (name, text) in pages {
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
        let mut page = layout.replace("{{content}}", content.trim_end());
        for key in ["title", "assets", "script", "page"] {
            let value = fields.get(key).unwrap_or_else(|| panic!("{name}: needs `{key}:`"));
            page = page.replace(&format!("{{{{{key}}}}}"), value);
        }
        assert!(!page.contains("{{"), "{name}: a placeholder is left");
        fs::write(out.join(&name), page).expect("write a page");
    }
}
