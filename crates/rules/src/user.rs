//! The user an image runs as: `config.User` resolved through the image's `/etc/passwd` and
//! `/etc/group` the way the container runtime resolves it.

use alloc::string::String;

use crate::parse::{GroupEntry, PasswdEntry};

/// The user an image runs as, resolved through its `/etc/passwd` and `/etc/group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedUser {
    /// `config.User` as written ("" = root).
    pub spec: String,
    pub name: Option<String>,
    pub uid: Option<u64>,
    pub gid: Option<u64>,
    pub home: Option<String>,
    pub problem: Option<UserProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserProblem {
    /// A user name that `/etc/passwd` does not list: the container does not start.
    NameNotInPasswd(String),
    /// A group name that `/etc/group` does not list: the container does not start.
    GroupNotInGroupFile(String),
    /// A numeric uid with no passwd entry: it runs with gid 0 and no home.
    UidWithoutPasswdEntry(u64),
    /// The image has no `/etc/passwd`, so a user name cannot be resolved.
    NoPasswdFile,
}

/// Resolves `config.User` the way the container runtime does.
pub fn resolve_user(spec: &str, passwd: Option<&[PasswdEntry]>, groups: Option<&[GroupEntry]>) -> ResolvedUser {
    let (user_part, group_part) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let mut out = ResolvedUser { spec: String::from(spec), name: None, uid: None, gid: None, home: None, problem: None };
    let user_part = if user_part.is_empty() { "0" } else { user_part };
    if let Ok(uid) = user_part.parse::<u64>() {
        out.uid = Some(uid);
        match passwd.and_then(|p| p.iter().find(|e| e.uid == uid)) {
            Some(entry) => {
                out.name = Some(entry.name.clone());
                out.gid = Some(entry.gid);
                out.home = Some(entry.home.clone());
            }
            None => {
                out.gid = Some(0);
                if uid != 0 {
                    out.problem = Some(UserProblem::UidWithoutPasswdEntry(uid));
                }
            }
        }
    } else {
        match passwd {
            None => out.problem = Some(UserProblem::NoPasswdFile),
            Some(entries) => match entries.iter().find(|e| e.name == user_part) {
                Some(entry) => {
                    out.name = Some(entry.name.clone());
                    out.uid = Some(entry.uid);
                    out.gid = Some(entry.gid);
                    out.home = Some(entry.home.clone());
                }
                None => out.problem = Some(UserProblem::NameNotInPasswd(String::from(user_part))),
            },
        }
    }
    if let Some(group) = group_part.filter(|g| !g.is_empty()) {
        if let Ok(gid) = group.parse::<u64>() {
            out.gid = Some(gid);
        } else {
            match groups.and_then(|g| g.iter().find(|e| e.name == group)) {
                Some(entry) => out.gid = Some(entry.gid),
                None => {
                    out.gid = None;
                    out.problem = Some(UserProblem::GroupNotInGroupFile(String::from(group)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use alloc::vec::Vec;

    fn users() -> Vec<PasswdEntry> {
        parse::passwd("root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n")
    }

    #[test]
    fn empty_user_is_root() {
        let u = resolve_user("", Some(&users()), None);
        assert_eq!((u.uid, u.gid), (Some(0), Some(0)));
        assert_eq!(u.problem, None);
    }

    #[test]
    fn a_name_resolves_through_passwd() {
        let u = resolve_user("sagemaker-user", Some(&users()), None);
        assert_eq!((u.uid, u.gid), (Some(1000), Some(100)));
    }

    #[test]
    fn a_numeric_uid_without_entry_runs_with_gid_zero() {
        let u = resolve_user("1001", Some(&users()), None);
        assert_eq!((u.uid, u.gid), (Some(1001), Some(0)));
        assert_eq!(u.problem, Some(UserProblem::UidWithoutPasswdEntry(1001)));
    }

    #[test]
    fn an_explicit_group_overrides_the_primary_group() {
        let groups = parse::group("users:x:100:\nstaff:x:50:\n");
        let u = resolve_user("1000:staff", Some(&users()), Some(&groups));
        assert_eq!((u.uid, u.gid), (Some(1000), Some(50)));
    }
}
