//! A compact text that describes a small image, one fact per line, for the rules' examples (and
//! any test that wants an image without building a tar). [`parse`] turns it into
//! [`ImageFacts`] through the same builder the unit tests use.
//!
//! ```text
//! studio-image                  first line only: start from a working Studio image
//!                               (sagemaker-user 1000:100, python3 with ipykernel and a
//!                               python3 kernel in /usr/local/share/jupyter/kernels)
//! user SPEC                     config.User (`1000:100`, `sagemaker-user`)
//! env NAME=VALUE                config.Env
//! workdir PATH                  config.WorkingDir
//! arch ARCH                     config architecture (`arm64`)
//! entrypoint WORD…  / cmd WORD… config.Entrypoint / config.Cmd
//! expose PORT                   config.ExposedPorts (`8888/tcp`)
//! layer CREATED_BY…             what follows goes into a new layer
//! layer-size BYTES              the current layer's file bytes
//! file PATH [SIZE [UID:GID]]    a regular file (executable)
//! dir PATH [UID:GID [MODE]]     a directory (MODE in octal)
//! symlink PATH TARGET           a symbolic link
//! text PATH CONTENT…            a file with content (`\n` is a line break); for
//!                               /etc/passwd and /etc/group it replaces the whole file
//! passwd LINE / group LINE      a line appended to /etc/passwd / /etc/group
//! kernel DIR JSON…              DIR/kernel.json with that content
//! remove PATH                   deletes PATH and everything below it
//! # …                           a comment
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::facts::ImageFacts;
use crate::testkit::{ImageBuilder, GROUP, PASSWD};

/// Builds the image a description describes, or says which line is wrong.
pub fn parse(description: &str) -> Result<ImageFacts, String> {
    let mut builder = ImageBuilder::empty();
    let mut passwd: Option<String> = None;
    let mut group: Option<String> = None;
    // Set last: the passwd and group files written at the end must not add to a stated size.
    let mut layer_sizes: Vec<(usize, u64)> = Vec::new();
    for (index, raw) in description.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, rest) = line.split_once(char::is_whitespace).map_or((line, ""), |(w, r)| (w, r.trim()));
        let args: Vec<&str> = rest.split_whitespace().collect();
        let wrong = |what: &str| format!("line {}: {what}: {line:?}", index + 1);
        builder = match word {
            "studio-image" if index == 0 => {
                passwd = Some(String::from(PASSWD));
                group = Some(String::from(GROUP));
                ImageBuilder::good().dir("/usr/lib/python3/dist-packages/ipykernel")
            }
            "user" => builder.user(rest),
            "env" => {
                let (name, value) = rest.split_once('=').ok_or_else(|| wrong("expected NAME=VALUE"))?;
                builder.env(name, value)
            }
            "workdir" => builder.workdir(rest),
            "arch" => builder.architecture(rest),
            "entrypoint" => builder.entrypoint(&args),
            "cmd" => builder.cmd(&args),
            "expose" => builder.expose(rest),
            "layer" => builder.next_layer(rest),
            "layer-size" => {
                layer_sizes.push((builder.facts.layers.len() - 1, number(args.first(), &wrong)?));
                builder
            }
            "file" => match args.as_slice() {
                [path] => builder.file(path, 0),
                [path, size] => builder.file(path, number(Some(size), &wrong)?),
                [path, size, owner] => {
                    let (uid, gid) = owner_of(owner).ok_or_else(|| wrong("expected UID:GID"))?;
                    builder.owned_file(path, number(Some(size), &wrong)?, uid, gid)
                }
                _ => return Err(wrong("expected file PATH [SIZE [UID:GID]]")),
            },
            "dir" => match args.as_slice() {
                [path] => builder.dir(path),
                [path, owner] => {
                    let (uid, gid) = owner_of(owner).ok_or_else(|| wrong("expected UID:GID"))?;
                    builder.owned_dir(path, uid, gid)
                }
                [path, owner, mode] => {
                    let (uid, gid) = owner_of(owner).ok_or_else(|| wrong("expected UID:GID"))?;
                    let mode = u32::from_str_radix(mode, 8).map_err(|_| wrong("expected an octal mode"))?;
                    builder.owned_dir_mode(path, uid, gid, mode)
                }
                _ => return Err(wrong("expected dir PATH [UID:GID [MODE]]")),
            },
            "symlink" => match args.as_slice() {
                [path, target] => builder.symlink(path, target),
                _ => return Err(wrong("expected symlink PATH TARGET")),
            },
            "text" => {
                let (path, content) = rest.split_once(char::is_whitespace).ok_or_else(|| wrong("expected text PATH CONTENT"))?;
                let content = content.trim_start().replace("\\n", "\n");
                // The two files `passwd` and `group` lines add to: written once, at the end.
                match path {
                    "/etc/passwd" => {
                        passwd = Some(content);
                        builder
                    }
                    "/etc/group" => {
                        group = Some(content);
                        builder
                    }
                    _ => builder.text(path, &content),
                }
            }
            "passwd" => {
                passwd.get_or_insert_with(String::new).push_str(&format!("{rest}\n"));
                builder
            }
            "group" => {
                group.get_or_insert_with(String::new).push_str(&format!("{rest}\n"));
                builder
            }
            "kernel" => {
                let (dir, json) = rest.split_once(char::is_whitespace).ok_or_else(|| wrong("expected kernel DIR JSON"))?;
                builder.text(&format!("{}/kernel.json", dir.trim_end_matches('/')), json.trim_start())
            }
            "remove" => builder.remove(rest),
            _ => return Err(wrong("unknown fact")),
        };
    }
    if let Some(text) = passwd {
        builder = builder.text("/etc/passwd", &text);
    }
    if let Some(text) = group {
        builder = builder.text("/etc/group", &text);
    }
    for (layer, bytes) in layer_sizes {
        if let Some(layer) = builder.facts.layers.get_mut(layer) {
            layer.size_bytes = bytes;
        }
    }
    Ok(builder.build())
}

fn number(text: Option<&&str>, wrong: &dyn Fn(&str) -> String) -> Result<u64, String> {
    text.and_then(|t| t.replace('_', "").parse().ok()).ok_or_else(|| wrong("expected a number"))
}

fn owner_of(text: &str) -> Option<(u64, u64)> {
    let (uid, gid) = text.split_once(':')?;
    Some((uid.parse().ok()?, gid.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_builds_the_image_it_describes() {
        let image = parse("studio-image\nuser 1001:100\npasswd alice:x:1001:100::/home/alice:/bin/bash\nfile /home/sagemaker-user/x 120 1000:100\nlayer RUN pip install\nlayer-size 5_000").unwrap();
        assert_eq!(image.image_config.user, "1001:100");
        assert!(image.captured("/etc/passwd").unwrap().text().contains("alice:x:1001"));
        assert!(image.captured("/etc/passwd").unwrap().text().contains("sagemaker-user"));
        assert_eq!(image.files.get("/home/sagemaker-user/x").unwrap().size, 120);
        assert_eq!(image.layers[1].size_bytes, 5_000);
    }

    #[test]
    fn a_wrong_line_is_named_not_a_panic() {
        let error = parse("studio-image\nfile /x many").unwrap_err();
        assert!(error.starts_with("line 2: expected a number"), "{error}");
        assert!(parse("bogus").unwrap_err().contains("unknown fact"));
    }
}
