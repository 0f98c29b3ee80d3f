//! The parse tree beyond BuildKit's dump: directives, flags, heredoc details and line ranges.

use smic_dockerfile::parse;

#[test]
fn directives_are_read_only_at_the_top() {
    let file = parse(
        "# syntax=docker/dockerfile:1.7\n# check=skip=JSONArgsRecommended;error=true\n# escape=`\nFROM a\n# escape=\\\nRUN echo `\n  hi\n",
    )
    .unwrap();
    assert_eq!(file.directive("syntax"), Some("docker/dockerfile:1.7"));
    assert_eq!(file.directive("check"), Some("skip=JSONArgsRecommended;error=true"));
    assert_eq!(file.escape, '`');
    assert_eq!(file.instructions[1].args, vec!["echo   hi"]);
    assert_eq!((file.instructions[1].start_line, file.instructions[1].end_line), (6, 7));
}

#[test]
fn builder_flags_are_split_from_arguments() {
    let file = parse("FROM --platform=linux/amd64 a AS b\nCOPY --from=b --chown=1000:100 --chmod=0644 --link /x /y\nRUN --mount=type=cache,target=/root/.cache --network=none echo\n").unwrap();
    let [from, copy, run] = &file.instructions[..] else { panic!("three instructions") };
    assert_eq!(from.flag("platform"), Some("linux/amd64"));
    assert_eq!(from.args, vec!["a", "AS", "b"]);
    assert_eq!(
        (copy.flag("from"), copy.flag("chown"), copy.flag("chmod"), copy.flag("link")),
        (Some("b"), Some("1000:100"), Some("0644"), Some(""))
    );
    assert_eq!(run.flag("mount"), Some("type=cache,target=/root/.cache"));
    assert_eq!(run.flag("network"), Some("none"));
    assert_eq!(run.args, vec!["echo"]);
}

#[test]
fn heredocs_keep_their_name_descriptor_and_form() {
    let text = "FROM a\nRUN <<-'EOT' 3<<\"DATA\" bash\n\techo $HOME\n\tEOT\nx\nDATA\nCOPY <<conf /etc/app.conf\nkey=$V\nconf\n";
    let file = parse(text).unwrap();
    let run = &file.instructions[1];
    assert_eq!((run.start_line, run.end_line), (2, 6));
    let names: Vec<(&str, u32, bool, bool)> =
        run.heredocs.iter().map(|h| (h.name.as_str(), h.file_descriptor, h.chomp, h.expand)).collect();
    assert_eq!(names, vec![("EOT", 0, true, false), ("DATA", 3, false, false)]);
    assert_eq!(run.heredocs[0].content, "\techo $HOME\n");
    assert_eq!(run.heredocs[0].body(), "echo $HOME\n");
    let copy = &file.instructions[2];
    assert_eq!((copy.heredocs[0].name.as_str(), copy.heredocs[0].expand, copy.heredocs[0].content.as_str()), ("conf", true, "key=$V\n"));
    assert_eq!((copy.start_line, copy.end_line), (7, 9));
}

#[test]
fn exec_form_lines_never_open_heredocs() {
    let file = parse("FROM a\nRUN [\"cat\", \"<<EOF\"]\nEOF\n").unwrap();
    assert!(file.instructions[1].heredocs.is_empty());
    assert_eq!(file.instructions.len(), 3);
}

#[test]
fn onbuild_wraps_an_instruction_with_its_own_flags() {
    let file = parse("FROM a\nONBUILD COPY --from=b /x /y\n").unwrap();
    let sub = file.instructions[1].sub.as_ref().unwrap();
    assert_eq!((sub.kind(), sub.flag("from")), ("copy", Some("b")));
    assert_eq!(
        smic_dockerfile::dump("FROM a\nONBUILD COPY --from=b /x /y\n").unwrap(),
        "(from \"a\")\n(onbuild (copy [\"--from=b\"] \"/x\" \"/y\"))\n"
    );
}

#[test]
fn comments_are_kept_with_their_lines() {
    let file = parse("# top\nFROM a\nRUN a \\\n  # inside\n  b\n").unwrap();
    let comments: Vec<(u32, &str)> = file.comments.iter().map(|c| (c.line, c.text.as_str())).collect();
    assert_eq!(comments, vec![(1, "top"), (4, "inside")]);
}
