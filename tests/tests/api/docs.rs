//! The documentation's index of rules (`docs/rules.md`) names, for each rule, the file and the
//! function that decide it and the tests that show it: every one of them must exist. And the
//! documentation speaks for itself: nothing in it (or the README) points outside the repository.

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The `path` `name` `name` … references of one table cell.
fn references(cell: &str) -> Vec<(String, Vec<String>)> {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    for (k, part) in cell.split('`').enumerate() {
        if k % 2 == 0 {
            if part.contains(';') || part.contains('(') {
                // A `;` starts another file's group; words in parentheses are prose.
                if part.contains(';') {
                    found.push((String::new(), Vec::new()));
                }
            }
            continue;
        }
        if part.ends_with(".rs") || part.ends_with(".mjs") {
            found.push((part.to_string(), Vec::new()));
        } else if let Some(last) = found.last_mut() {
            if !last.0.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                last.1.push(part.to_string());
            }
        }
    }
    found.into_iter().filter(|(path, _)| !path.is_empty()).collect()
}

#[test]
fn every_function_and_test_the_rules_index_names_exists() {
    let rules = std::fs::read_to_string(repo().join("docs/rules.md")).expect("docs/rules.md");
    let mut checked = 0;
    for row in rules.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| rule") && !l.starts_with("|---")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        assert!(cells.len() >= 4, "a row of four cells: {row}");
        for cell in &cells[cells.len() - 2..] {
            let refs = references(cell);
            assert!(!refs.is_empty(), "{row}: names no file");
            for (path, names) in refs {
                let text = std::fs::read_to_string(repo().join(&path))
                    .unwrap_or_else(|_| panic!("docs/rules.md names {path}, which does not exist"));
                for name in names {
                    assert!(
                        text.contains(&format!("fn {name}(")) || text.contains(&format!("fn {name}<")),
                        "docs/rules.md names `{name}` in {path}, which has no such function"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked} references checked");
}

#[test]
fn the_documentation_points_nowhere_outside_the_repository() {
    let mut files = vec![repo().join("README.md")];
    for entry in std::fs::read_dir(repo().join("docs")).unwrap() {
        files.push(entry.unwrap().path());
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for outside in ["../shared", "SPEC.md", "DESIGN.md"] {
            assert!(!text.contains(outside), "{} points outside the repository ({outside})", file.display());
        }
    }
}
