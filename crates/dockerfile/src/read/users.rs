//! Users and groups the Dockerfile creates (`useradd`, `adduser`, `groupadd`, `addgroup`,
//! `usermod`, `groupmod`), and the final `USER` resolved against them. Defaults follow the
//! distributions the tools come from: shadow's `useradd` makes a group named like the user
//! (USERGROUPS_ENAB) whose id is the uid when it is free, `-N` uses GROUP=100 from
//! `/etc/default/useradd`; Debian's `adduser` does the same unless `--ingroup`/`--gid`;
//! busybox `adduser` (Alpine) makes a same-named group too, unless `-G`.

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

    fn useradd(&mut self, args: &[String], span: Span) {
        const SPEC: Spec = Spec {
            short_with_value: "bcdefgGkKpRPuZ",
            long: &[
                ("base-dir", "b", true),
                ("comment", "c", true),
                ("home-dir", "d", true),
                ("expiredate", "e", true),
                ("inactive", "f", true),
                ("gid", "g", true),
                ("groups", "G", true),
                ("skel", "k", true),
                ("key", "K", true),
                ("password", "p", true),
                ("root", "R", true),
                ("prefix", "P", true),
                ("uid", "u", true),
                ("selinux-user", "Z", true),
                ("shell", "s", true),
                ("create-home", "m", false),
                ("no-create-home", "M", false),
                ("no-user-group", "N", false),
                ("user-group", "U", false),
                ("non-unique", "o", false),
                ("system", "r", false),
                ("no-log-init", "l", false),
                ("defaults", "D", false),
            ],
        };
        let p = getopt::parse(args, &SPEC);
        if p.has("D") {
            return;
        }
        let Some(name) = p.operands.last().map(|s| s.to_string()) else {
            return;
        };
        let uid = p.value("u").and_then(numeric_id);
        let (gid, gid_reason, own_group) = if let Some(group) = p.value("g") {
            match self.group_id(group) {
                Some((id, why)) => (Some(id), Some(format!("useradd -g {group}: {why}")), None),
                None => (None, Some(format!("useradd -g {group}: the id of group {group} comes from the base image")), None),
            }
        } else if p.has("N") {
            (
                Some(100),
                Some(format!("useradd -N gives the user the default group GROUP=100 of /etc/default/useradd (it {SYSTEM_GROUP_NOTE})")),
                None,
            )
        } else {
            // USERGROUPS_ENAB (Debian, Ubuntu, RHEL, Amazon Linux): a group named like the user.
            let reason = match uid {
                Some(u) => {
                    format!("useradd without -g or -N creates a group {name} (USERGROUPS_ENAB); its gid is the uid {u} when that is free")
                }
                None => format!("useradd without -g or -N creates a group {name} whose gid is picked at build time"),
            };
            (uid, Some(reason), Some(name.clone()))
        };
        if let Some(group) = &own_group {
            self.add_group(group, gid);
        }
        let home = p.value("d").map(String::from).or_else(|| Some(format!("{}/{name}", p.value("b").unwrap_or("/home"))));
        self.users.push(UserRecord { name, uid, gid, gid_reason, own_group, home, span, aliases: Vec::new() });
    }

    fn adduser(&mut self, args: &[String], span: Span) {
        // Debian's adduser has long options only; busybox (Alpine) has short ones.
        let debian = args.iter().any(|a| a.starts_with("--"));
        if debian {
            const SPEC: Spec = Spec {
                short_with_value: "",
                long: &[
                    ("uid", "uid", true),
                    ("gid", "gid", true),
                    ("ingroup", "ingroup", true),
                    ("home", "home", true),
                    ("shell", "shell", true),
                    ("gecos", "gecos", true),
                    ("comment", "gecos", true),
                    ("firstuid", "firstuid", true),
                    ("lastuid", "lastuid", true),
                    ("firstgid", "firstgid", true),
                    ("lastgid", "lastgid", true),
                    ("conf", "conf", true),
                    ("add-extra-groups", "add-extra-groups", false),
                    ("system", "system", false),
                    ("group", "group", false),
                ],
            };
            let p = getopt::parse(args, &SPEC);
            // `adduser user group` adds an existing user to a group.
            if p.operands.len() != 1 || p.has("group") {
                return;
            }
            let name = p.operands[0].to_string();
            let uid = p.value("uid").and_then(numeric_id);
            let group = p.value("gid").or(p.value("ingroup")).map(String::from);
            let (gid, reason, own_group) = match &group {
                Some(g) => match self.group_id(g) {
                    Some((id, why)) => (Some(id), format!("adduser --gid/--ingroup {g}: {why}"), None),
                    None => (None, format!("adduser --ingroup {g}: the id of group {g} comes from the base image"), None),
                },
                None => (
                    uid,
                    match uid {
                        Some(u) => format!(
                            "adduser without --ingroup or --gid creates a group {name} with the uid {u} as its gid (USERGROUPS=yes)"
                        ),
                        None => format!("adduser creates a group {name} whose gid is picked at build time"),
                    },
                    Some(name.clone()),
                ),
            };
            if let Some(g) = &own_group {
                self.add_group(g, gid);
            }
            let home = Some(p.value("home").map_or_else(|| format!("/home/{name}"), String::from));
            self.users.push(UserRecord { name, uid, gid, gid_reason: Some(reason), own_group, home, span, aliases: Vec::new() });
            return;
        }
        const BUSYBOX: Spec = Spec { short_with_value: "hgsGuk", long: &[] };
        let p = getopt::parse(args, &BUSYBOX);
        let Some(name) = p.operands.first().map(|s| s.to_string()) else {
            return;
        };
        if p.operands.len() > 1 {
            return;
        }
        let uid = p.value("u").and_then(numeric_id);
        let (gid, reason, own_group) = match p.value("G") {
            Some(g) => match self.group_id(g) {
                Some((id, why)) => (Some(id), format!("adduser -G {g}: {why}"), None),
                None => (None, format!("adduser -G {g}: the id of group {g} comes from the base image"), None),
            },
            None => (uid, format!("busybox adduser without -G creates a group {name} with the uid as its gid"), Some(name.clone())),
        };
        if let Some(g) = &own_group {
            self.add_group(g, gid);
        }
        let home = Some(p.value("h").map_or_else(|| format!("/home/{name}"), String::from));
        self.users.push(UserRecord { name, uid, gid, gid_reason: Some(reason), own_group, home, span, aliases: Vec::new() });
    }

    fn groupadd(&mut self, args: &[String]) {
        const SPEC: Spec = Spec {
            short_with_value: "gKpRP",
            long: &[("gid", "g", true), ("key", "K", true), ("password", "p", true), ("root", "R", true), ("prefix", "P", true)],
        };
        let p = getopt::parse(args, &SPEC);
        if let Some(name) = p.operands.last() {
            self.add_group(name, p.value("g").and_then(numeric_id));
        }
    }

    fn addgroup(&mut self, args: &[String]) {
        let p = getopt::parse(args, &Spec { short_with_value: "g", long: &[("gid", "g", true)] });
        // `addgroup user group` adds a user to a group.
        if p.operands.len() == 1 {
            self.add_group(p.operands[0], p.value("g").and_then(numeric_id));
        }
    }

    fn usermod(&mut self, args: &[String], span: Span) {
        const SPEC: Spec = Spec {
            short_with_value: "cdefgGlpuRPZ",
            long: &[
                ("comment", "c", true),
                ("home", "d", true),
                ("expiredate", "e", true),
                ("inactive", "f", true),
                ("gid", "g", true),
                ("groups", "G", true),
                ("login", "l", true),
                ("password", "p", true),
                ("uid", "u", true),
                ("root", "R", true),
                ("prefix", "P", true),
                ("selinux-user", "Z", true),
                ("shell", "s", true),
                ("append", "a", false),
                ("move-home", "m", false),
                ("non-unique", "o", false),
                ("lock", "L", false),
                ("unlock", "U", false),
            ],
        };
        let p = getopt::parse(args, &SPEC);
        let Some(target) = p.operands.last().map(|s| s.to_string()) else {
            return;
        };
        let index = match self.user_index(&target) {
            Some(i) => i,
            None => {
                // A user of the base image: only what usermod sets is known.
                self.users.push(UserRecord {
                    name: target.clone(),
                    uid: None,
                    gid: None,
                    gid_reason: None,
                    own_group: None,
                    home: None,
                    span,
                    aliases: Vec::new(),
                });
                self.users.len() - 1
            }
        };
        let group_id = p.value("g").map(|g| (g.to_string(), self.group_id(g)));
        let Some(user) = self.users.get_mut(index) else {
            return;
        };
        if let Some(uid) = p.value("u").and_then(numeric_id) {
            user.uid = Some(uid);
            user.span = span;
        }
        if let Some((group, found)) = group_id {
            match found {
                Some((id, why)) => {
                    user.gid = Some(id);
                    user.gid_reason = Some(format!("usermod -g {group}: {why}"));
                }
                None => {
                    user.gid = None;
                    user.gid_reason = Some(format!("usermod -g {group}: the id of group {group} comes from the base image"));
                }
            }
            user.span = span;
        }
        if let Some(home) = p.value("d") {
            user.home = Some(home.to_string());
        }
        if let Some(login) = p.value("l") {
            if !user.aliases.contains(&user.name) {
                user.aliases.push(user.name.clone());
            }
            if !user.aliases.contains(&target) {
                user.aliases.push(target.clone());
            }
            user.name = login.to_string();
        }
    }

    fn groupmod(&mut self, args: &[String], span: Span) {
        const SPEC: Spec = Spec {
            short_with_value: "gnpRP",
            long: &[
                ("gid", "g", true),
                ("new-name", "n", true),
                ("password", "p", true),
                ("root", "R", true),
                ("prefix", "P", true),
                ("non-unique", "o", false),
            ],
        };
        let p = getopt::parse(args, &SPEC);
        let Some(target) = p.operands.last().map(|s| s.to_string()) else {
            return;
        };
        let gid = p.value("g").and_then(numeric_id);
        let new_name = p.value("n").map(String::from);
        if let Some(group) = self.groups.iter_mut().rev().find(|g| g.name == target) {
            if gid.is_some() {
                group.gid = gid;
            }
            if let Some(n) = &new_name {
                group.name = n.clone();
            }
        } else {
            self.add_group(new_name.as_deref().unwrap_or(&target), gid);
        }
        let Some(gid) = gid else { return };
        // A group named like a user is that user's own group (user-private groups).
        for user in self.users.iter_mut() {
            let owns = user.own_group.as_deref() == Some(target.as_str()) || user.name == target || user.aliases.contains(&target);
            if owns {
                user.gid = Some(gid);
                user.gid_reason = Some(format!("groupmod -g {gid} {target} changes the user's own group (named like the user) to {gid}"));
                user.span = span;
                if let Some(n) = &new_name {
                    user.own_group = Some(n.clone());
                }
            }
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
