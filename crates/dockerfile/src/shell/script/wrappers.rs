//! Programs that only run their arguments (`sudo`, `env`, `nohup`, `gosu user`, …), which the
//! reader looks through, and shells given a script with `-c`, whose script it reads in turn.

use alloc::string::{String, ToString};

use super::{assignment, SimpleCommand};

/// Drops programs that only run their arguments (`sudo`, `env`, `nohup`, `exec`, `gosu u`, …).
pub(super) fn strip_wrappers(cmd: &mut SimpleCommand) {
    loop {
        let Some(first) = cmd.words.first() else {
            return;
        };
        let program = first.rsplit('/').next().unwrap_or(first);
        let skip = match program {
            "sudo" => {
                let mut i = 1;
                while let Some(w) = cmd.words.get(i) {
                    if !w.starts_with('-') {
                        break;
                    }
                    // Options of sudo that take a value.
                    i += if matches!(w.as_str(), "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U") { 2 } else { 1 };
                }
                i
            }
            "env" => {
                let mut i = 1;
                while let Some(w) = cmd.words.get(i) {
                    if let Some((name, value)) = assignment(w) {
                        cmd.assignments.push((name.to_string(), value.to_string()));
                    } else if !w.starts_with('-') {
                        break;
                    }
                    i += 1;
                }
                i
            }
            "nohup" | "exec" | "command" | "nice" | "stdbuf" | "time" => 1,
            "gosu" | "su-exec" | "chroot" => 2,
            _ => return,
        };
        if skip == 0 || skip > cmd.words.len() {
            return;
        }
        cmd.words.drain(..skip);
    }
}

/// The script of `sh -c SCRIPT`, `bash -ec SCRIPT`, `su -c SCRIPT user`.
pub(super) fn shell_c_script(cmd: &SimpleCommand) -> Option<&str> {
    let program = cmd.program();
    let is_shell = matches!(program, "sh" | "bash" | "dash" | "zsh" | "ash" | "su");
    if !is_shell {
        return None;
    }
    let mut words = cmd.words.iter().skip(1);
    while let Some(w) = words.next() {
        if w == "-c" || (w.starts_with('-') && !w.starts_with("--") && w.ends_with('c') && w.len() > 2) {
            return words.next().map(String::as_str);
        }
        if w == "-o" {
            words.next();
            continue;
        }
        if !w.starts_with('-') && program != "su" {
            return None;
        }
    }
    None
}
