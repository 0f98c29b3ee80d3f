use super::*;
use crate::shell::NoEnv;
use alloc::vec;

fn words(script: &str) -> Vec<Vec<String>> {
    read_script(script, &NoEnv).into_iter().map(|c| c.words).collect()
}

#[test]
fn lists_and_pipelines_split_into_commands() {
    assert_eq!(
        words("apt-get update && apt-get install -y a b || true; echo x | tee /f &"),
        vec![vec!["apt-get", "update"], vec!["apt-get", "install", "-y", "a", "b"], vec!["true"], vec!["echo", "x"], vec!["tee", "/f"],]
    );
}

#[test]
fn quotes_are_removed_and_substitutions_kept_whole() {
    assert_eq!(words("echo \"a b\" 'c d' $(which python3)"), vec![vec!["echo", "a b", "c d", "$(which python3)"]]);
}

#[test]
fn sh_c_is_read_recursively_and_sudo_dropped() {
    let cmds = words("sudo -E sh -c 'useradd -u 1000 x && echo ok'");
    assert_eq!(cmds[1], vec!["useradd", "-u", "1000", "x"]);
    assert_eq!(cmds[2], vec!["echo", "ok"]);
}

#[test]
fn assignments_feed_later_words_and_redirects_are_kept() {
    let cmds = read_script("D=/opt/x && mkdir -p $D 2>/dev/null && echo hi >> \"$D/f\"", &NoEnv);
    assert_eq!(cmds[1].words, vec!["mkdir", "-p", "/opt/x"]);
    assert_eq!(cmds[2].redirects[0].target, "/opt/x/f");
    assert!(cmds[2].redirects[0].writes_file());
    assert!(!cmds[1].redirects[0].writes_file());
}

#[test]
fn control_words_and_comments_are_skipped() {
    let cmds = words("if [ -x a ]; then\n  # note\n  pip install b; \nfi\nfor f in a b; do rm $f; done");
    assert_eq!(cmds, vec![vec!["[", "-x", "a", "]"], vec!["pip", "install", "b"], vec!["rm", "$f"]]);
}

#[test]
fn heredoc_bodies_are_not_commands() {
    let cmds = words("cat <<EOF > /etc/x\nuseradd nope\nEOF\necho after");
    assert_eq!(cmds, vec![vec!["cat"], vec!["echo", "after"]]);
}
