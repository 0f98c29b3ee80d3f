//! shadow-utils' `useradd`, `groupadd`, `usermod` and `groupmod` (Debian, Ubuntu, RHEL, Amazon
//! Linux). `useradd` makes a group named like the user (USERGROUPS_ENAB) whose id is the uid when
//! it is free; `-N` uses GROUP=100 from `/etc/default/useradd`. `usermod -l` renames a user and
//! `groupmod -g` changes the gid of the user whose own group it is.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::Span;

use super::super::getopt::{self, numeric_id, Spec};
use super::{Accounts, UserRecord, SYSTEM_GROUP_NOTE};

impl Accounts {
    pub(super) fn useradd(&mut self, args: &[String], span: Span) {
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

    pub(super) fn groupadd(&mut self, args: &[String]) {
        const SPEC: Spec = Spec {
            short_with_value: "gKpRP",
            long: &[("gid", "g", true), ("key", "K", true), ("password", "p", true), ("root", "R", true), ("prefix", "P", true)],
        };
        let p = getopt::parse(args, &SPEC);
        if let Some(name) = p.operands.last() {
            self.add_group(name, p.value("g").and_then(numeric_id));
        }
    }

    pub(super) fn usermod(&mut self, args: &[String], span: Span) {
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

    pub(super) fn groupmod(&mut self, args: &[String], span: Span) {
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
