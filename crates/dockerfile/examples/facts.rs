//! Prints the facts read from a Dockerfile: `cargo run -p smic-dockerfile --example facts FILE [NAME=VALUE…]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: facts DOCKERFILE [NAME=VALUE…]");
        std::process::exit(2);
    };
    let build_args = args.filter_map(|a| a.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))).collect();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    match smic_dockerfile::read(&path, &bytes, &smic_dockerfile::ReadOptions { build_args, target: None }) {
        Ok(reading) => {
            let mut facts = reading.facts;
            facts.lines = Default::default();
            if std::env::var_os("FACTS_FULL").is_some() {
                println!("{facts:#?}");
            } else if let Some(s) = &facts.final_stage {
                println!(
                    "from {:?} stages {} user {:?}",
                    s.from.image,
                    facts.stage_count,
                    s.user.as_ref().map(|u| (&u.value, &u.name, u.uid, u.gid, &u.gid_reason))
                );
                println!("kernels {:?}", s.kernel_installs.iter().map(|k| (&k.name, k.user, k.sys_prefix, &k.prefix)).collect::<Vec<_>>());
                println!("conda {:?}", s.conda_envs.iter().map(|c| (&c.name, c.with_ipykernel)).collect::<Vec<_>>());
                println!("packages {:?}", s.packages.iter().map(|p| format!("{}:{}", p.manager, p.package)).collect::<Vec<_>>());
                println!("writes {:?}", s.writes.iter().map(|w| format!("{}@{}", w.path, w.span.start)).collect::<Vec<_>>());
                println!(
                    "services {:?} drivers {:?} high {:?}",
                    s.services.iter().map(|x| &x.service).collect::<Vec<_>>(),
                    s.driver_installers,
                    s.high_ids
                );
                println!("expose {:?} entrypoint {:?} cmd {:?} workdir {:?}", s.expose, s.entrypoint, s.cmd, s.workdir);
                println!("unresolved {:?} suppressions {:?}", facts.unresolved_args, facts.suppressions);
            }
            for e in reading.errors {
                println!("input error: {e:?}");
            }
        }
        Err(e) => println!("fatal: {e:?}"),
    }
}
