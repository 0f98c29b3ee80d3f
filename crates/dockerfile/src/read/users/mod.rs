//! Users and groups the Dockerfile creates, and the final `USER` resolved against them: its
//! uid, its primary group's gid and how that gid was worked out, which the rules quote. The
//! account tools are read in their own modules, each with the defaults of the distributions it
//! comes from: shadow-utils (`useradd`, `groupadd`, `usermod`, `groupmod`) and `adduser`
//! (Debian's and busybox's, with `addgroup`).

mod adduser;
mod shadow;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::{DockerfileUser, Span};

use super::getopt::{self, numeric_id, Spec};

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub name: String,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub gid_reason: Option<String>,
    /// The group made for this user (named like it), if the tool made one.
    pub own_group: Option<String>,
    pub home: Option<String>,
    /// The command that last fixed the uid or gid.
    pub span: Span,
    /// Earlier names (before `usermod -l`), and the name `usermod` was given.
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct GroupRecord {
    pub name: String,
    pub gid: Option<u64>,
}

/// Users and groups known so far in a stage (inherited by stages built `FROM` it).
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    pub users: Vec<UserRecord>,
    pub groups: Vec<GroupRecord>,
}

const SYSTEM_GROUP_NOTE: &str = "is 100 on Debian, Ubuntu, RHEL and Amazon Linux";

impl Accounts {
    /// The gid a `-g`/`--gid`/`--ingroup` value names, with how it was worked out.
    fn group_id(&self, group: &str) -> Option<(u64, String)> {
        if let Some(id) = numeric_id(group) {
            return Some((id, format!("the group is given as {id}")));
        }
        if let Some(g) = self.groups.iter().rev().find(|g| g.name == group) {
            return g.gid.map(|id| (id, format!("group {group} is created with gid {id} in the Dockerfile")));
        }
        match group {
            "root" => Some((0, String::from("group root is 0"))),
            "users" => Some((100, format!("group users {SYSTEM_GROUP_NOTE}"))),
            _ => None,
        }
    }

    pub fn user_by_name(&self, name: &str) -> Option<&UserRecord> {
        self.users.iter().rev().find(|u| u.name == name)
    }

    fn user_index(&self, name: &str) -> Option<usize> {
        self.users.iter().rposition(|u| u.name == name || u.aliases.iter().any(|a| a == name))
    }

    pub fn user_by_uid(&self, uid: u64) -> Option<&UserRecord> {
        self.users.iter().rev().find(|u| u.uid == Some(uid))
    }

    fn add_group(&mut self, name: &str, gid: Option<u64>) {
        self.groups.retain(|g| g.name != name);
        self.groups.push(GroupRecord { name: name.to_string(), gid });
    }

    /// Reads one command if it manages accounts; ids above 65535 go to `high_ids`.
    pub fn command(&mut self, words: &[String], span: Span, high_ids: &mut Vec<(u64, Span)>) {
        let Some(program) = words.first().map(|w| w.rsplit('/').next().unwrap_or(w)) else {
            return;
        };
        let args = &words[1..];
        match program {
            "useradd" => self.useradd(args, span),
            "adduser" => self.adduser(args, span),
            "groupadd" => self.groupadd(args),
            "addgroup" => self.addgroup(args),
            "usermod" => self.usermod(args, span),
            "groupmod" => self.groupmod(args, span),
            _ => return,
        }
        let mut ids: Vec<u64> = Vec::new();
        let parsed = getopt::parse(args, &Spec { short_with_value: "ugG", long: &[("uid", "u", true), ("gid", "g", true)] });
        for (key, value) in &parsed.options {
            if matches!(*key, "u" | "g") {
                ids.extend(value.and_then(numeric_id));
            }
        }
        for id in ids.into_iter().filter(|id| *id > 65535) {
            high_ids.push((id, span));
        }
    }
}

/// The final `USER` (already expanded) resolved against the accounts the Dockerfile created.
pub fn resolve_user(value: &str, span: Span, accounts: &Accounts) -> DockerfileUser {
    let (user_part, group_part) = match value.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (value, None),
    };
    let mut out = DockerfileUser { value: value.to_string(), span, ..DockerfileUser::default() };
    let known = !value.contains('$');
    if known {
        let record = match numeric_id(user_part) {
            Some(uid) => {
                out.uid = Some(uid);
                accounts.user_by_uid(uid)
            }
            None => {
                out.name = Some(user_part.to_string());
                accounts.user_by_name(user_part)
            }
        };
        match record {
            Some(r) => {
                out.name = Some(r.name.clone()).filter(|n| !n.contains('$'));
                out.uid = out.uid.or(r.uid);
                out.gid = r.gid;
                out.gid_reason = r.gid_reason.clone();
                out.created_at = Some(r.span);
            }
            None if user_part == "root" || numeric_id(user_part) == Some(0) => {
                out.name = Some(String::from("root"));
                out.uid = Some(0);
                out.gid = Some(0);
                out.gid_reason = Some(String::from("root's primary group is 0"));
            }
            None => {
                out.gid_reason = Some(match numeric_id(user_part) {
                    Some(uid) => format!("no user with uid {uid} is created in the Dockerfile: the base image's /etc/passwd decides the gid (0 when it has no entry)"),
                    None => format!("user {user_part} is not created in the Dockerfile: the base image's /etc/passwd decides"),
                });
            }
        }
    }
    if let Some(group) = group_part.filter(|g| !g.contains('$')) {
        match accounts.group_id(group) {
            Some((gid, why)) => {
                out.gid = Some(gid);
                out.gid_reason = Some(format!("USER names the group {group}: {why}"));
            }
            None => {
                out.gid = None;
                out.gid_reason = Some(format!("USER names the group {group}, which the base image defines"));
            }
        }
    }
    out
}
