#!/usr/bin/env python3
"""Writes the small special archives the browser tests need into a directory (never committed):

- html-name.tar: a docker-archive whose image has files under /opt/ml named like HTML and
  script, so the page must show the names as text.
- slow.tar.gz: 48 GiB of zeros in one tar member, gzip-compressed as a whole (50 MB on disk).
  Nothing in it can be skipped, so reading it takes seconds: the archive of the tests that
  cancel or edit while an archive is read.
- slow-layers.tar: a docker-archive of three gzip layers, each one 4 GiB file of zeros (a few MB
  on disk): the pool of workers reads them side by side, for seconds (cancel, progress).
- big-gzip-layer.tar: a docker-archive whose one gzip layer (about 80 MB: varied text, and
  base64 of random bytes) is large enough to be inflated in parallel chunks by the pool
  (a member of at least four 16 MiB chunks).
- big-gzip-layer.tar.gz: the same archive gzipped as a whole (as `docker save | gzip` writes):
  its outer gzip stream is inflated in parallel chunks by the pool.
- corrupt-layer.tar: a docker-archive of two gzip layers whose second one is damaged in the
  middle of its deflate data: the pool worker that reads it fails as the CLI does.
"""
import base64
import random
import hashlib
import io
import json
import sys
import tarfile
import zlib


def tar_bytes(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data, mode in entries:
            if data is None:
                info = tarfile.TarInfo(name)
                info.type = tarfile.DIRTYPE
                info.mode = mode
                tar.addfile(info)
            else:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mode = mode
                tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def docker_archive(path, layers, user, tag):
    """`layers`: lists of (name, data, mode) entries, or blobs (bytes) written as they are."""
    blobs = []
    diff_ids = []
    for layer in layers:
        data = layer if isinstance(layer, bytes) else tar_bytes(layer)
        digest = hashlib.sha256(data).hexdigest()
        blobs.append((f"{digest}.tar", data))
        diff_ids.append(f"sha256:{digest}")
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"User": user, "Env": ["PATH=/usr/bin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": f"layer {i}"} for i in range(len(layers))],
    }).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [tag], "Layers": [b[0] for b in blobs]}]).encode()
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in blobs + [(config_name, config), ("manifest.json", manifest)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def gzip_member(data, level=9):
    out = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: a gzip member
    return out.compress(data) + out.flush()


def zeros_layer(name, size):
    """A gzip layer holding one file of `size` zeros (a multiple of 64 MiB), as many gzip members."""
    chunk = 64 << 20
    info = tarfile.TarInfo(name)
    info.size = size
    zeros = gzip_member(bytes(chunk))
    return gzip_member(info.tobuf(format=tarfile.PAX_FORMAT)) + zeros * (size // chunk) + gzip_member(bytes(1024))


def slow_archive(path, size=48 << 30):
    """One tar member of `size` zeros, as a gzip stream of many members (RFC 1952 allows any
    number): the 64 MiB member of zeros is compressed once and written again and again."""
    def member(data):
        out = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip member
        return out.compress(data) + out.flush()
    info = tarfile.TarInfo("blob")
    info.size = size
    chunk = 64 << 20
    zeros = member(bytes(chunk))
    with open(path, "wb") as f:
        f.write(member(info.tobuf(format=tarfile.PAX_FORMAT)))
        for _ in range(size // chunk):
            f.write(zeros)
        f.write(member(bytes(1024)))


def main(out_dir):
    slow_archive(f"{out_dir}/slow.tar.gz")
    docker_archive(f"{out_dir}/slow-layers.tar", [zeros_layer(f"zeros-{i}", 4 << 30) for i in range(3)], "1000:100", "localhost/slow-layers:latest")
    rng = random.Random(12)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(5000)]
    texts = [(f"opt/text/{i}.txt", b" ".join(rng.choice(words) for _ in range(80000)), 0o644) for i in range(80)]
    noise = [(f"opt/noise/{i}.b64", base64.b64encode(rng.randbytes(1_350_000)), 0o644) for i in range(40)]
    dirs = [("etc", None, 0o755), ("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n", 0o644), ("opt", None, 0o755), ("opt/text", None, 0o755), ("opt/noise", None, 0o755)]
    big = gzip_member(tar_bytes(dirs + texts + noise), level=6)
    docker_archive(f"{out_dir}/big-gzip-layer.tar", [big], "1000:100", "localhost/big-gzip-layer:latest")
    with open(f"{out_dir}/big-gzip-layer.tar", "rb") as f, open(f"{out_dir}/big-gzip-layer.tar.gz", "wb") as out:
        out.write(gzip_member(f.read(), level=1))
    files = [(f"opt/data/{i}.txt", " ".join(str(rng.random()) for _ in range(2000)).encode(), 0o644) for i in range(40)]
    second = bytearray(gzip_member(tar_bytes([("opt", None, 0o755), ("opt/data", None, 0o755)] + files)))
    middle = len(second) // 2
    second[middle:middle + 64] = bytes(64)
    first = gzip_member(tar_bytes([("etc", None, 0o755), ("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n", 0o644)]))
    docker_archive(f"{out_dir}/corrupt-layer.tar", [first, bytes(second)], "1000:100", "localhost/corrupt-layer:latest")
    passwd = b"root:x:0:0:root:/root:/bin/sh\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/sh\n"
    group = b"root:x:0:\nusers:x:100:\n"
    docker_archive(
        f"{out_dir}/html-name.tar",
        [[
            ("etc", None, 0o755), ("etc/passwd", passwd, 0o644), ("etc/group", group, 0o644),
            ("opt", None, 0o755), ("opt/ml", None, 0o755),
            ("opt/ml/<img src=x onerror=\"window.__pwned=1\">.py", b"print(1)\n", 0o644),
            ("opt/ml/<script>window.__pwned=2</script>.txt", b"x\n", 0o644),
        ]],
        "1000:100",
        "localhost/html-name:latest",
    )


if __name__ == "__main__":
    main(sys.argv[1])
