//! `adduser` and `addgroup`: Debian's (long options only) makes a group named like the user,
//! with the uid as its gid, unless `--ingroup`/`--gid`; busybox's (Alpine, short options) does
//! the same unless `-G`. `adduser user group` and `addgroup user group` add an existing user to
//! a group, which changes no id.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use smic_rules::facts::Span;

use super::super::getopt::{self, numeric_id, Spec};
use super::{Accounts, UserRecord};

impl Accounts {
    pub(super) fn adduser(&mut self, args: &[String], span: Span) {
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

    pub(super) fn addgroup(&mut self, args: &[String]) {
        let p = getopt::parse(args, &Spec { short_with_value: "g", long: &[("gid", "g", true)] });
        // `addgroup user group` adds a user to a group.
        if p.operands.len() == 1 {
            self.add_group(p.operands[0], p.value("g").and_then(numeric_id));
        }
    }
}
