#!/usr/bin/env python3
"""Builds a real SageMaker-Studio-style image without Docker, and writes it in the archive
formats the checker reads: the realistic input of the benchmarks.

    build_real_image.py DIR [tiny|small|big]

Writes DIR/out/sagemaker-real-<flavor>.{docker.tar, docker.tar.gz, oci.tar, containerd.tar, oci-zstd.tar}:
a docker-archive as podman and skopeo write it (the layers first, as <diff-id>.tar at the top,
then the config, manifest.json, repositories), the same piped through gzip, oci-archives
with gzip and with zstd layers (the zstd one only when the `zstd` command exists), and the gzip
layers in the layout `ctr export` writes (containerd.tar).

- big (~1.4 GB, ~50k files; about 8 minutes on 2 cores): debootstrap --variant=minbase of
  Debian bookworm, then in a chroot python3 and build-essential from apt, a venv in /opt/conda
  with ipykernel, jupyterlab, pandas, scipy, scikit-learn, matplotlib, boto3 and sympy from pip.
- small (~360 MB): the same with ipykernel only.
- tiny: no network and no root: two layers of a few hand-made files (passwd, group, a kernel
  spec, a file the second layer deletes), for testing this script (tests/tests/tools.rs).

small and big need root (debootstrap, chroot, mounts), network access to a Debian mirror (MIRROR,
default: the first Debian URI of this machine's apt sources) and to PyPI. Layers are what a
build step changed: the script compares the root file system before and after each step and
writes the new and changed entries, and a `.wh.` whiteout for each path that went away.

Layers (small and big): 1 the Debian base; 2 apt and pip (and the apt lists removed: whiteouts
into layer 1); 3 the user sagemaker-user 1000:100 with its home, a kernel spec `sm-python3`
in /usr/local (ipykernel's own is in /opt/conda), /opt/ml, /usr/share/doc removed (many whiteouts); 4 an overwritten /etc/motd and a
directory deleted and made again. Config: User 1000:100, WorkingDir /home/sagemaker-user,
Entrypoint python -m ipykernel_launcher.
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import time

CREATED = "2024-01-01T00:00:00Z"
CHROOT_PATH = "/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PIP_PACKAGES = {"small": ["ipykernel"],
                "big": ["ipykernel", "jupyterlab", "pandas", "scipy", "scikit-learn", "matplotlib", "boto3", "sympy"]}
APT_PACKAGES = {"small": ["python3", "python3-venv", "python3-pip", "ca-certificates"],
                "big": ["python3", "python3-venv", "python3-pip", "ca-certificates", "build-essential", "git"]}
KERNEL_SPEC = {"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
               "display_name": "Python 3", "language": "python"}


def log(message):
    print("build_real_image: " + message, flush=True)


# --- what a build step changed --------------------------------------------------------------

def snapshot(root):
    """Every path under root (relative, without the leading /) with what identifies its state."""
    state = {}
    for top, dirs, files in os.walk(root):
        dirs.sort()
        for name in dirs + sorted(files):
            full = os.path.join(top, name)
            st = os.lstat(full)
            link = os.readlink(full) if stat.S_ISLNK(st.st_mode) else None
            state[os.path.relpath(full, root)] = (st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime_ns,
                                                  st.st_ino, link)
    return state


def changes(before, after):
    """(paths to write, paths that went away), in the order a layer holds them."""
    written = sorted(p for p, s in after.items() if before.get(p) != s)
    gone = [p for p in before if p not in after]
    gone_set = set(gone)
    # A removed directory's contents need no whiteout of their own.
    top_gone = sorted(p for p in gone if os.path.dirname(p) not in gone_set)
    return written, top_gone


def write_layer(root, path, written, gone, owner=None):
    """A layer tar at `path`; `owner(relative path)` may give the (uid, gid) to record."""
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as layer:
        for rel in sorted(written + [("%s/.wh.%s" % os.path.split(p)).lstrip("/") for p in gone]):
            full = os.path.join(root, rel)
            if os.path.basename(rel).startswith(".wh.") and not os.path.lexists(full):
                info = tarfile.TarInfo(rel)
                info.mtime = 0
                layer.addfile(info)
                continue
            info = layer.gettarinfo(full, rel)
            if info is None:
                continue  # a socket
            info.uname = info.gname = ""
            if owner is not None:
                info.uid, info.gid = owner(rel)
            if info.isreg():
                with open(full, "rb") as data:
                    layer.addfile(info, data)
            elif info.type in (tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE):
                continue  # a base image has no device nodes (/dev is mounted at run time)
            else:
                layer.addfile(info)


class Builder:
    """The root file system and the layers taken from it so far."""

    def __init__(self, work, root, owner=None):
        self.work, self.root, self.owner = work, root, owner
        self.layers = []  # (uncompressed layer tar path, created_by)
        self.state = {}

    def commit(self, created_by):
        now = snapshot(self.root)
        written, gone = changes(self.state, now)
        path = os.path.join(self.work, "layer-%d.tar" % (len(self.layers) + 1))
        write_layer(self.root, path, written, gone, self.owner)
        log("layer %d: %d entries, %d whiteouts, %d bytes (%s)"
            % (len(self.layers) + 1, len(written), len(gone), os.path.getsize(path), created_by))
        self.layers.append((path, created_by))
        self.state = now


# --- the image --------------------------------------------------------------------------------

def write_text(root, rel, text, mode=0o644):
    full = os.path.join(root, rel)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
    os.chmod(full, mode)


def build_tiny(work, root):
    """Two layers from a hand-made tree; owners recorded as Studio's user would have them."""
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)

    def owner(rel):
        return (1000, 100) if rel == "home/sagemaker-user" or rel.startswith("home/sagemaker-user/") else (0, 0)

    b = Builder(work, root, owner)
    write_text(root, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"
                                   "sagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n")
    write_text(root, "etc/group", "root:x:0:\nusers:x:100:\n")
    write_text(root, "etc/motd", "first motd\n")
    write_text(root, "usr/local/share/jupyter/kernels/python3/kernel.json", json.dumps(KERNEL_SPEC) + "\n")
    write_text(root, "usr/share/doc/gone-later/README", "removed by layer 2\n")
    write_text(root, "opt/app/train.py", "print('train')\n")
    os.makedirs(os.path.join(root, "home/sagemaker-user"))
    b.commit("tiny base")
    shutil.rmtree(os.path.join(root, "usr/share/doc/gone-later"))
    write_text(root, "etc/motd", "second motd, longer\n")
    write_text(root, "home/sagemaker-user/.profile", "# tiny image\n")
    os.symlink("/opt/app/train.py", os.path.join(root, "home/sagemaker-user/train-link"))
    b.commit("tiny app")
    return b, ["jupyter-lab"]


def debian_mirror():
    if os.environ.get("MIRROR"):
        return os.environ["MIRROR"]
    sources = ["/etc/apt/sources.list"] + [os.path.join("/etc/apt/sources.list.d", n)
                                           for n in sorted(os.listdir("/etc/apt/sources.list.d"))]
    for source in sources:
        try:
            lines = open(source).read().splitlines()
        except OSError:
            continue
        for words in (line.split() for line in lines):
            if len(words) > 1 and words[0] in ("deb", "URIs:") and words[1].rstrip("/").endswith("/debian"):
                return words[1]
    sys.exit("build_real_image: no Debian mirror in the apt sources; set MIRROR")


def need(command, package):
    if shutil.which(command) is None:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, env=env)


class Chroot:
    """/proc, /dev and DNS for the steps that run inside the root file system."""

    def __init__(self, root):
        self.root = root

    def __enter__(self):
        subprocess.run(["mount", "-t", "proc", "proc", os.path.join(self.root, "proc")], check=True)
        subprocess.run(["mount", "--bind", "/dev", os.path.join(self.root, "dev")], check=True)
        shutil.copy("/etc/resolv.conf", os.path.join(self.root, "etc/resolv.conf"))
        if os.path.exists("/etc/ssl/certs/ca-certificates.crt"):  # a TLS proxy's CA, if the host has one
            shutil.copy("/etc/ssl/certs/ca-certificates.crt", os.path.join(self.root, "tmp/host-ca.crt"))
        return self

    def run(self, *command, quiet=False):
        env = {"HOME": "/root", "PATH": CHROOT_PATH, "DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C.UTF-8"}
        subprocess.run(["chroot", self.root] + list(command), check=True, env=env,
                       stdout=subprocess.DEVNULL if quiet else None)

    def __exit__(self, *_):
        for mount in ("dev", "proc"):
            subprocess.run(["umount", os.path.join(self.root, mount)], check=False)
        for leftover in ("tmp/host-ca.crt",):
            if os.path.exists(os.path.join(self.root, leftover)):
                os.remove(os.path.join(self.root, leftover))
        open(os.path.join(self.root, "etc/resolv.conf"), "w").close()


def build_debian(work, root, flavor):
    if os.geteuid() != 0:
        sys.exit("build_real_image: %s needs root (debootstrap, chroot, mount)" % flavor)
    need("debootstrap", "debootstrap")
    base = os.path.join(work, "debian-base")
    if not os.path.exists(os.path.join(base, "etc/debian_version")):
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run(["debootstrap", "--variant=minbase", os.environ.get("SUITE", "bookworm"), base,
                        debian_mirror()], check=True)
        for rel in ("dev",):
            for entry in os.listdir(os.path.join(base, rel)):
                subprocess.run(["rm", "-rf", os.path.join(base, rel, entry)], check=True)
        subprocess.run(["sh", "-c", "rm -f %s/var/cache/apt/archives/*.deb" % base], check=True)
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(["cp", "-a", base, root], check=True)
    b = Builder(work, root)
    b.commit("debootstrap --variant=minbase")

    with Chroot(root) as c:
        c.run("apt-get", "update", "-qq")
        c.run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *APT_PACKAGES[flavor], quiet=True)
        c.run("python3", "-m", "venv", "/opt/conda")
        cert = ["--cert", "/tmp/host-ca.crt"] if os.path.exists(os.path.join(root, "tmp/host-ca.crt")) else []
        c.run("/opt/conda/bin/pip", "install", "-q", "--no-cache-dir", *cert, *PIP_PACKAGES[flavor])
        c.run("apt-get", "clean")
    subprocess.run(["sh", "-c", "rm -rf %s/var/lib/apt/lists/*" % root], check=True)
    b.commit("apt-get install %s; pip install %s" % (" ".join(APT_PACKAGES[flavor]), " ".join(PIP_PACKAGES[flavor])))

    with Chroot(root) as c:
        c.run("useradd", "--create-home", "--uid", "1000", "--gid", "100", "--shell", "/bin/bash", "sagemaker-user")
        c.run("/opt/conda/bin/python", "-m", "ipykernel", "install", "--prefix", "/usr/local",
              "--name", "sm-python3", "--display-name", "Python 3 (SageMaker)")
    for rel in ("opt/ml/input/config", "opt/ml/model", "opt/ml/code", "home/sagemaker-user/.jupyter"):
        os.makedirs(os.path.join(root, rel), exist_ok=True)
    write_text(root, "opt/ml/code/train.py", "print('train')\n")
    write_text(root, "home/sagemaker-user/.jupyter/jupyter_server_config.json", '{"ServerApp": {"ip": "0.0.0.0"}}\n')
    subprocess.run(["chown", "-R", "1000:100", os.path.join(root, "home/sagemaker-user")], check=True)
    subprocess.run(["sh", "-c", "rm -rf %s/usr/share/doc/*" % root], check=True)
    b.commit("useradd sagemaker-user; ipykernel install --name sm-python3; /opt/ml")

    write_text(root, "etc/motd", "written by the last layer\n")
    shutil.rmtree(os.path.join(root, "opt/ml/model"))
    write_text(root, "opt/ml/model/model.txt", "a new model\n")
    b.commit("app layer")
    return b, ["/opt/conda/bin/python", "-m", "ipykernel_launcher"]


# --- the archives -------------------------------------------------------------------------------

def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def gzip_file(source, target, level):
    with open(source, "rb") as src, open(target, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=level, mtime=0, filename="") as out:
            shutil.copyfileobj(src, out, 1 << 20)


def add_file(archive, name, path):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = os.path.getsize(path), 0o644, 0
    with open(path, "rb") as f:
        archive.addfile(info, f)


def add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o644, 0
    archive.addfile(info, io.BytesIO(data))


def canonical(value):
    return json.dumps(value, separators=(",", ":")).encode()


def write_archives(builder, work, out, name, entrypoint):
    tag = name + ":latest"
    diff_ids = [sha256_file(path) for path, _ in builder.layers]
    config = canonical({
        "created": CREATED, "architecture": "amd64", "os": "linux",
        "config": {"User": "1000:100", "WorkingDir": "/home/sagemaker-user", "Entrypoint": entrypoint,
                   "Env": ["PATH=" + CHROOT_PATH, "SHELL=/bin/bash"],
                   "Labels": {"org.opencontainers.image.title": name}},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for d in diff_ids]},
        "history": [{"created": CREATED, "created_by": by} for _, by in builder.layers],
    })
    config_digest = hashlib.sha256(config).hexdigest()
    os.makedirs(out, exist_ok=True)

    docker = os.path.join(out, name + ".docker.tar")
    with tarfile.open(docker, "w", format=tarfile.PAX_FORMAT) as archive:
        for (path, _), diff_id in zip(builder.layers, diff_ids):
            add_file(archive, diff_id + ".tar", path)
        add_bytes(archive, config_digest + ".json", config)
        add_bytes(archive, "manifest.json", canonical([{"Config": config_digest + ".json", "RepoTags": [tag],
                                                        "Layers": [d + ".tar" for d in diff_ids]}]))
        add_bytes(archive, "repositories", canonical({name: {"latest": diff_ids[-1]}}))
    log("wrote " + docker)
    gzip_file(docker, docker + ".gz", 1)
    log("wrote " + docker + ".gz")

    compressors = [("oci", "gzip", lambda src, dst: gzip_file(src, dst, 6))]
    if shutil.which("zstd"):
        compressors.append(("oci-zstd", "zstd",
                            lambda src, dst: subprocess.run(["zstd", "-q", "-f", "-3", src, "-o", dst], check=True)))
    else:
        log("no zstd command: no oci-zstd archive")
    for suffix, compression, compress in compressors:
        blobs = {config_digest: ("bytes", config)}
        layer_descriptors = []
        for index, (path, _) in enumerate(builder.layers):
            compressed = os.path.join(work, "layer-%d.tar.%s" % (index + 1, compression))
            compress(path, compressed)
            digest = sha256_file(compressed)
            blobs[digest] = ("file", compressed)
            layer_descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+" + compression,
                                      "digest": "sha256:" + digest, "size": os.path.getsize(compressed)})
        manifest = canonical({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                              "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                         "digest": "sha256:" + config_digest, "size": len(config)},
                              "layers": layer_descriptors})
        manifest_digest = hashlib.sha256(manifest).hexdigest()
        blobs[manifest_digest] = ("bytes", manifest)
        index = canonical({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + manifest_digest,
            "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": "latest"}}]})
        target = os.path.join(out, "%s.%s.tar" % (name, suffix))
        with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
            add_bytes(archive, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
            add_bytes(archive, "index.json", index)
            for digest in sorted(blobs):  # skopeo writes blobs in digest order
                kind, content = blobs[digest]
                if kind == "file":
                    add_file(archive, "blobs/sha256/" + digest, content)
                else:
                    add_bytes(archive, "blobs/sha256/" + digest, content)
        log("wrote " + target)
        if compression == "gzip":
            target = os.path.join(out, "%s.containerd.tar" % name)
            write_containerd(target, blobs, manifest, tag, config_digest, layer_descriptors)
            log("wrote " + target)


def write_containerd(target, blobs, manifest, tag, config_digest, layer_descriptors):
    """The layout `ctr export` (and docker save with the containerd image store) writes: the
    blob directories and the read-only blobs in digest order first, then index.json naming the
    image, a docker-style manifest.json and oci-layout last."""
    manifest_digest = hashlib.sha256(manifest).hexdigest()
    index = canonical({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + manifest_digest,
        "size": len(manifest), "annotations": {"io.containerd.image.name": "docker.io/library/" + tag,
                                               "org.opencontainers.image.ref.name": tag.split(":")[-1]}}]})
    docker_manifest = canonical([{"Config": "blobs/sha256/" + config_digest, "RepoTags": [tag],
                                  "Layers": [d["digest"].replace("sha256:", "blobs/sha256/") for d in layer_descriptors]}])
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        for directory in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(directory)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            archive.addfile(info)
        for digest in sorted(blobs):
            kind, content = blobs[digest]
            info = tarfile.TarInfo("blobs/sha256/" + digest)
            info.mode, info.mtime = 0o444, 0
            if kind == "file":
                info.size = os.path.getsize(content)
                with open(content, "rb") as f:
                    archive.addfile(info, f)
            else:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
        add_bytes(archive, "index.json", index)
        add_bytes(archive, "manifest.json", docker_manifest)
        add_bytes(archive, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')


def main(args):
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return
    if len(args) not in (1, 2) or args[0].startswith("-") or (args[1:] and args[1] not in ("tiny", "small", "big")):
        sys.exit(__doc__)
    work = os.path.abspath(args[0])
    flavor = args[1] if len(args) == 2 else "small"
    os.makedirs(work, exist_ok=True)
    started = time.time()
    root = os.path.join(work, "rootfs")
    if flavor == "tiny":
        builder, entrypoint = build_tiny(work, root)
    else:
        builder, entrypoint = build_debian(work, root, flavor)
    write_archives(builder, work, os.path.join(work, "out"), "sagemaker-real-" + flavor, entrypoint)
    log("done in %.0f s" % (time.time() - started))


if __name__ == "__main__":
    main(sys.argv[1:])
