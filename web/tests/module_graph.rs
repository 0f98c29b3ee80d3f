//! No import cycle in `web/src`: neither between its top-level modules (`app`, `worker`,
//! `protocol`, …) nor between its files.
//!
//! How: every `.rs` file under `src/` (the `bin/` crates aside) is a module, named by its path
//! (`src/app/state/mod.rs` is `app::state`). Comments, strings and `#[cfg(test)] mod … { … }`
//! blocks are cut out; then every path that starts with `crate::`, `super::`, `self::` or the name
//! of a child module the file declares (`mod check;` … `check::run`) is read, `use` groups
//! (`{a, b::{c, self}}`) expanded, and resolved to the deepest module it names (`crate::app::
//! state::Action` is the module `app::state`). Each such path is an edge from the file to that
//! module; declaring a child (`mod x;`) is not. A depth-first search then looks for a cycle in
//! the file graph and in the same graph folded to top-level modules, and prints the one it finds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

#[test]
fn web_src_has_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &src, &mut files);
    assert!(files.len() > 20, "found only {} files under {}", files.len(), src.display());
    let graph = Graph::of(&files);
    if let Some(cycle) = graph.cycle() {
        panic!("import cycle between files: {}", cycle.join(" -> "));
    }
    if let Some(cycle) = graph.top_level().cycle() {
        panic!("import cycle between top-level modules: {}", cycle.join(" -> "));
    }
}

#[test]
fn a_child_that_calls_back_into_its_parent_is_a_cycle() {
    let files = [
        ("lib.rs", "pub mod worker;\npub mod protocol;"),
        ("protocol.rs", "pub struct M;"),
        ("worker/mod.rs", "mod check;\nuse crate::protocol::M;\npub fn post() {}\nfn on() { check::run() }"),
        // `super::post` is the parent's item: worker -> worker::check -> worker.
        ("worker/check.rs", "use super::post; // use crate::nothing;\npub fn run() { let _ = \"crate::x::y\"; post() }"),
    ];
    let graph = graph_of(&files);
    assert_eq!(graph.cycle(), Some(vec!["worker".into(), "worker::check".into(), "worker".into()]));
    assert_eq!(graph.top_level().cycle(), None, "a cycle inside `worker` is not one between top-level modules");
}

#[test]
fn groups_nested_paths_and_test_modules_are_read_as_rust_reads_them() {
    let files = [
        ("lib.rs", "pub mod app;\npub mod protocol;"),
        ("protocol.rs", "pub struct M;"),
        ("app/mod.rs", "mod components;\nmod state;\nfn start() { components::app::App::new(); }"),
        ("app/state.rs", "use crate::{protocol::{self, M}, app::components as c};\n#[cfg(test)]\nmod tests { use super::*; use crate::app::components::app::X; }"),
        ("app/components/mod.rs", "pub mod app;"),
        ("app/components/app.rs", "use crate::app::state::State; fn f() -> char { '\"' }"),
    ];
    let graph = graph_of(&files);
    let edges = |from: &str| graph.edges.get(from).cloned().unwrap_or_default().into_iter().collect::<Vec<_>>();
    assert_eq!(edges("app"), ["app::components::app"]);
    assert_eq!(edges("app::state"), ["app::components", "protocol"], "the test module's use is not counted");
    assert_eq!(edges("app::components::app"), ["app::state"]);
    assert_eq!(graph.top_level().cycle(), None);
}

/// The graph of files given as (path below `src/`, text).
fn graph_of(files: &[(&str, &str)]) -> Graph {
    let files: Vec<(Module, String)> = files.iter().map(|(path, text)| (module_of(path), text.to_string())).collect();
    Graph::of(&files)
}

/// The `.rs` files below `dir` with their module paths; `bin/` holds other crates.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(Module, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read src").map(|e| e.expect("dir entry").path()).collect();
    entries.sort();
    for path in entries {
        let relative = path.strip_prefix(root).expect("below src").to_string_lossy().replace('\\', "/");
        if path.is_dir() {
            if relative != "bin" {
                collect(root, &path, out);
            }
        } else if relative.ends_with(".rs") {
            out.push((module_of(&relative), std::fs::read_to_string(&path).expect("read a source file")));
        }
    }
}

/// `app/state/mod.rs` -> `[app, state]`; `lib.rs` -> `[]`.
fn module_of(relative: &str) -> Module {
    let mut parts: Vec<String> = relative.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        module.join("::")
    }
}

struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn of(files: &[(Module, String)]) -> Graph {
        let modules: BTreeSet<Module> = files.iter().map(|(m, _)| m.clone()).collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (module, text) in files {
            let tokens = tokens(&without_test_modules(&strip(text)));
            let children: BTreeSet<&str> = tokens.windows(3).filter(|w| w[0] == "mod" && w[2] == ";").map(|w| w[1].as_str()).collect();
            let from = edges.entry(name(module)).or_default();
            for path in paths(&tokens, &children) {
                let Some(target) = resolve(module, &path, &modules) else { continue };
                if &target != module {
                    from.insert(name(&target));
                }
            }
        }
        Graph { edges }
    }

    /// The same graph with every module folded into its top-level module (the crate root aside).
    fn top_level(&self) -> Graph {
        let top = |m: &str| m.split("::").next().unwrap_or(m).to_string();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, tos) in &self.edges {
            for to in tos {
                if from != "crate" && to != "crate" && top(from) != top(to) {
                    edges.entry(top(from)).or_default().insert(top(to));
                }
            }
        }
        Graph { edges }
    }

    /// A cycle, as the modules along it with the first one repeated at the end.
    fn cycle(&self) -> Option<Vec<String>> {
        fn visit(graph: &Graph, node: &str, stack: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
            if let Some(at) = stack.iter().position(|n| n == node) {
                let mut cycle = stack[at..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            if done.contains(node) {
                return None;
            }
            stack.push(node.to_string());
            for next in graph.edges.get(node).into_iter().flatten() {
                if let Some(cycle) = visit(graph, next, stack, done) {
                    return Some(cycle);
                }
            }
            stack.pop();
            done.insert(node.to_string());
            None
        }
        let mut done = BTreeSet::new();
        self.edges.keys().find_map(|node| visit(self, node, &mut Vec::new(), &mut done))
    }
}

/// `path` as an absolute module, cut to the deepest module that exists; `None` outside the crate.
fn resolve(module: &[String], path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    let mut absolute: Module = Vec::new();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => rest = &path[1..],
        Some("self") => {
            absolute = module.to_vec();
            rest = &path[1..];
        }
        Some("super") => {
            absolute = module.to_vec();
            while rest.first().map(String::as_str) == Some("super") {
                absolute.pop()?;
                rest = &rest[1..];
            }
        }
        _ => absolute = module.to_vec(),
    }
    let mut deepest = None;
    for segment in rest.iter().chain(std::iter::once(&String::new())) {
        if modules.contains(&absolute) {
            deepest = Some(absolute.clone());
        }
        if segment == "self" {
            continue;
        }
        absolute.push(segment.clone());
    }
    deepest
}

/// Every path in the token stream that starts inside the crate, with `use` groups expanded.
fn paths(tokens: &[String], children: &BTreeSet<&str>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let starts = matches!(t, "crate" | "super" | "self") || children.contains(t);
        let after_separator = i > 0 && tokens[i - 1] == "::";
        if starts && !after_separator && tokens.get(i + 1).map(String::as_str) == Some("::") {
            i = tree(tokens, i, Vec::new(), &mut out);
        } else {
            i += 1;
        }
    }
    out
}

/// Reads one use-tree at `i` below `prefix` into `out`; returns the index after it.
fn tree(tokens: &[String], mut i: usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                while i < tokens.len() && tokens[i] != "}" {
                    i = tree(tokens, i, prefix.clone(), out);
                    if tokens.get(i).map(String::as_str) == Some(",") {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some("*") => {
                out.push(prefix);
                return i + 1;
            }
            Some(segment) if is_identifier(segment) => {
                prefix.push(segment.to_string());
                i += 1;
                if tokens.get(i).map(String::as_str) == Some("::") {
                    i += 1;
                    continue;
                }
                if tokens.get(i).map(String::as_str) == Some("as") {
                    i += 2;
                }
                out.push(prefix);
                return i;
            }
            _ => {
                if !prefix.is_empty() {
                    out.push(prefix);
                }
                return i;
            }
        }
    }
}

fn is_identifier(token: &str) -> bool {
    token.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::` and single punctuation characters.
fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".to_string());
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            i += 1;
        }
    }
    out
}

/// The text without comments, string literals and character literals (lifetimes stay).
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if peek(&chars, i + 1) == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if peek(&chars, i + 1) == Some('*') => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && peek(&chars, i + 1) == Some('*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && peek(&chars, i + 1) == Some('/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            'r' if matches!(peek(&chars, i + 1), Some('"' | '#'))
                && !i.checked_sub(1).is_some_and(|p| chars[p].is_alphanumeric() || chars[p] == '_') =>
            {
                let mut hashes = 0;
                let mut j = i + 1;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                j += 1;
                while j < chars.len() && !(chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#'))) {
                    j += 1;
                }
                i = j + 1 + hashes;
                out.push_str("\"\"");
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' if peek(&chars, i + 1) == Some('\\') => {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            '\'' if peek(&chars, i + 2) == Some('\'') => i += 3,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn peek(chars: &[char], at: usize) -> Option<char> {
    chars.get(at).copied()
}

/// The text without `#[cfg(test)] mod name { … }` blocks (tests may reach anywhere).
fn without_test_modules(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let Some(open) = trimmed.strip_prefix("mod").and_then(|m| m.find(['{', ';']).map(|p| (m, p))) else {
            rest = after;
            continue;
        };
        let (body, position) = open;
        if body.as_bytes()[position] == b';' {
            rest = after;
            continue;
        }
        let mut depth = 0;
        let mut end = body.len();
        for (k, c) in body.char_indices().skip(position) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}
