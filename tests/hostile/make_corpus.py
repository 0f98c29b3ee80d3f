#!/usr/bin/env python3
"""Writes the hostile-input corpus: `docker save` archives, image configs and AppImageConfigs made
to break a reader — path traversal, link loops, a gzip bomb, oversized and malformed tar headers,
a million entries, 10,000-deep paths, lying manifests, huge or deeply nested JSON, duplicate
keys, names that are not UTF-8. Python 3 standard library only; everything is built at test
time into a temporary folder (nothing big is committed).

    python3 tests/hostile/make_corpus.py OUT_DIR [CASE...]

Each case is one file in OUT_DIR; `cases.py` beside this file says what the CLI must answer.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import zlib

BLOCK = 512


def octal(value, width):
    return (b"%0*o" % (width - 1, value)) + b"\0"


def header(name, size=0, kind=b"0", link=b"", mode=0o644, size_field=None, uid=0, gid=0):
    """A ustar header; `size_field` replaces the 12-byte size field verbatim (base-256, garbage)."""
    name = name.encode() if isinstance(name, str) else name
    link = link.encode() if isinstance(link, str) else link
    h = bytearray(BLOCK)
    h[0:len(name[:100])] = name[:100]
    h[100:108] = octal(mode, 8)
    h[108:116] = octal(uid, 8)
    h[116:124] = octal(gid, 8)
    h[124:136] = size_field if size_field is not None else octal(size, 12)
    h[136:148] = octal(0, 12)
    h[148:156] = b" " * 8
    h[156:157] = kind
    h[157:157 + len(link[:100])] = link[:100]
    h[257:265] = b"ustar\x0000"
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def pad(data):
    return data + b"\0" * (-len(data) % BLOCK)


def pax(records, name=b"././@PaxHeader"):
    """A PAX extended header ('x') with the given (key, value-bytes) records."""
    body = b""
    for key, value in records:
        key = key.encode()
        rest = b" " + key + b"=" + value + b"\n"
        n = len(rest) + 1
        while len(str(n).encode()) + len(rest) != n:
            n = len(str(n).encode()) + len(rest)
        body += str(n).encode() + rest
    return header(name, len(body), b"x") + pad(body)


def entry(name, data=b"", kind=b"0", link=b"", mode=0o644):
    name_b = name.encode() if isinstance(name, str) else name
    link_b = link.encode() if isinstance(link, str) else link
    prefix = b""
    if len(name_b) > 100 or len(link_b) > 100:
        records = [("path", name_b)] + ([("linkpath", link_b)] if link_b else [])
        prefix = pax(records)
    return prefix + header(name_b, len(data), kind, link_b, mode) + pad(data)


def end():
    return b"\0" * (2 * BLOCK)


PASSWD = b"root:x:0:0:root:/root:/bin/bash\nsagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n"


def base_layer(passwd=True):
    """`/etc` with passwd and group: the user the rules look up exists, so only the hostile part differs."""
    layer = entry("etc/", kind=b"5", mode=0o755) + entry("etc/group", b"root:x:0:\nusers:x:100:\n")
    return layer + (entry("etc/passwd", PASSWD) if passwd else b"")


def image_config(diff_ids, extra=None):
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"User": "sagemaker-user", "Env": ["PATH=/usr/bin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }
    config.update(extra or {})
    return json.dumps(config).encode()


def docker_archive(layers, config=None, layer_names=None, manifest=None, members=b""):
    """A docker-archive (`docker save` up to Docker 24): layers as `<digest>/layer.tar`."""
    out = b""
    names, diff_ids = [], []
    for layer in layers:
        digest = hashlib.sha256(layer).hexdigest()
        names.append(f"{digest}/layer.tar")
        diff_ids.append(f"sha256:{digest}")
        out += entry(f"{digest}/", kind=b"5", mode=0o755) + entry(f"{digest}/layer.tar", layer)
    config = image_config(diff_ids) if config is None else config
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    out += entry(config_name, config)
    if manifest is None:
        manifest = json.dumps([{"Config": config_name, "RepoTags": ["hostile:latest"], "Layers": layer_names or names}]).encode()
    return out + members + entry("manifest.json", manifest) + end()


def one_layer(*entries):
    return docker_archive([base_layer() + b"".join(entries) + end()])


# --- the cases -------------------------------------------------------------------------------


def path_traversal():
    return one_layer(
        entry("../../../../tmp/escaped", b"x"),
        entry("/etc/shadow", b"root:*:1::::::\n"),
        entry("home/../../../root/.bashrc", b"echo hi\n"),
        entry("..", kind=b"5"),
    )


def symlink_loops():
    return one_layer(
        entry("loop/a", kind=b"2", link="b"),
        entry("loop/b", kind=b"2", link="a"),
        entry("loop/self", kind=b"2", link="self"),
        entry("loop/dir", kind=b"2", link="."),
        entry("etc/os-release", kind=b"2", link="../etc/os-release"),
        entry("opt/nowhere", kind=b"2", link="/does/not/exist"),
        entry("usr/local/share/jupyter/kernels/k/kernel.json", kind=b"2", link="../../../../../../../../../../etc/../kernel.json"),
    )


def hardlink_loops():
    return one_layer(
        entry("h/a", kind=b"1", link="h/b"),
        entry("h/b", kind=b"1", link="h/a"),
        entry("h/self", kind=b"1", link="h/self"),
        entry("h/nowhere", kind=b"1", link="does/not/exist"),
        entry("etc/hostname", kind=b"1", link="../../etc/passwd"),
    )


def gzip_layer_archive(chunks, level):
    """A docker-archive whose one layer is the tar stream `chunks`, gzipped as it is made (the
    uncompressed stream never sits in memory). Its diff_id is left unknown (zeros): hashing a
    GiB-sized stream only to state it adds nothing to these cases."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    layer = b"".join(compressor.compress(chunk) for chunk in chunks) + compressor.flush()
    digest = hashlib.sha256(layer).hexdigest()
    config = image_config([f"sha256:{'0' * 64}"])
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["hostile:latest"], "Layers": [f"{digest}.tar.gz"]}]).encode()
    return entry(f"{digest}.tar.gz", layer) + entry(config_name, config) + entry("manifest.json", manifest) + end()


def gzip_bomb():
    """A gzip layer that inflates to 2 GiB of zeros (about 2 MB on disk), inside /etc/passwd
    (a file the check reads) and a file it does not."""
    size, chunk = 1 << 30, b"\0" * (1 << 20)

    def chunks():
        yield base_layer(passwd=False)
        for name in (b"etc/passwd", b"opt/zeros"):
            yield header(name, size)
            yield from (chunk for _ in range(size // len(chunk)))
        yield end()

    return gzip_layer_archive(chunks(), 9)


def pax_100mb():
    return one_layer(pax([("comment", b"x" * (100 << 20))], name=b"big") + header("after-pax", 1) + pad(b"y"))


def base256_size():
    # GNU base-256: 0x80 then big-endian; 2^62 bytes, far past the end of the layer.
    field = b"\x80" + b"\0" * 3 + (1 << 62).to_bytes(8, "big")
    return one_layer(header("huge", size_field=field))


def negative_size():
    field = b"\xff" * 12  # base-256 two's complement: -1
    return one_layer(header("negative", size_field=field))


def size_past_end():
    return docker_archive([base_layer() + header("cut-short", size=1 << 30) + b"z" * 1000])


def million_entries():
    """A gzip layer of 1,000,000 empty files in 1,000 folders."""

    def chunks():
        yield base_layer()
        for d in range(1000):
            yield header(f"m/{d}/", kind=b"5", mode=0o755) + b"".join(header(f"m/{d}/{f}") for f in range(1000))
        yield end()

    return gzip_layer_archive(chunks(), 6)


def deep_paths():
    deep = "/".join(["d"] * 10000)
    return one_layer(
        entry(deep + "/", kind=b"5"),
        entry(deep + "/file", b"deep"),
        entry(deep + "/link", kind=b"2", link="/".join([".."] * 10000) + "/etc/passwd"),
    )


def manifest_one_layer_1000_times():
    layer = base_layer() + b"".join(entry(f"data/{i}", os.urandom(1024)) for i in range(1000)) + end()
    digest = hashlib.sha256(layer).hexdigest()
    config = image_config([f"sha256:{digest}"] * 1000)
    name = f"{digest}/layer.tar"
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["hostile:latest"], "Layers": [name] * 1000}]).encode()
    return entry(name, layer) + entry(config_name, config) + entry("manifest.json", manifest) + end()


def manifest_outside():
    return docker_archive([base_layer() + end()], layer_names=["../../../../etc/passwd"])


def manifest_absolute():
    return docker_archive([base_layer() + end()], layer_names=["/etc/passwd"])


def config_50mb():
    env = [f"V{i}=" + "x" * 1000 for i in range(50 * 1024)]
    return docker_archive([base_layer() + end()], config=image_config([], {"config": {"User": "root", "Env": env}}))


def config_deep():
    return docker_archive([base_layer() + end()], config=b'{"config":' + b"[" * 100000 + b"]" * 100000 + b"}")


def config_duplicate_keys():
    layer = base_layer() + end()
    digest = hashlib.sha256(layer).hexdigest()
    config = (
        b'{"architecture":"amd64","os":"linux","config":{"User":"root"},"config":{"User":"sagemaker-user"},'
        b'"rootfs":{"type":"layers","diff_ids":["sha256:' + digest.encode() + b'"]}}'
    )
    return docker_archive([layer], config=config)


def non_utf8_names():
    return one_layer(
        entry(b"opt/caf\xe9", b"latin-1 name"),
        entry(b"opt/\xff\xfe/bad", b"x"),
        entry(b"opt/link\x80", kind=b"2", link=b"\xc3\x28"),
    )


def app_image_config_50mb():
    specs = [{"Name": f"k{i}", "DisplayName": "x" * 1000} for i in range(50 * 1024)]
    return json.dumps({"AppImageConfigName": "big", "KernelGatewayImageConfig": {"KernelSpecs": specs}}).encode()


def app_image_config_deep():
    return b'{"AppImageConfigName":"deep","KernelGatewayImageConfig":' + b"[" * 100000 + b"]" * 100000 + b"}"


def app_image_config_duplicate_keys():
    return (b'{"AppImageConfigName":"dup","AppImageConfigName":"dup2","KernelGatewayImageConfig":'
            b'{"KernelSpecs":[{"Name":"python3"}],"KernelSpecs":[]}}')


def app_image_config_non_utf8():
    return b'{"AppImageConfigName":"caf\xe9","KernelGatewayImageConfig":{"KernelSpecs":[{"Name":"python3"}]}}'


def app_image_config_too_large():
    return b'{"AppImageConfigName":"' + b"x" * (70 << 20) + b'"}'


# name -> (file name, builder)
BUILDERS = {
    "path-traversal": ("path-traversal.tar", path_traversal),
    "symlink-loops": ("symlink-loops.tar", symlink_loops),
    "hardlink-loops": ("hardlink-loops.tar", hardlink_loops),
    "gzip-bomb": ("gzip-bomb.tar", gzip_bomb),
    "pax-100mb": ("pax-100mb.tar", pax_100mb),
    "base256-size": ("base256-size.tar", base256_size),
    "negative-size": ("negative-size.tar", negative_size),
    "size-past-end": ("size-past-end.tar", size_past_end),
    "million-entries": ("million-entries.tar", million_entries),
    "deep-paths": ("deep-paths.tar", deep_paths),
    "manifest-one-layer-1000-times": ("manifest-1000.tar", manifest_one_layer_1000_times),
    "manifest-outside": ("manifest-outside.tar", manifest_outside),
    "manifest-absolute": ("manifest-absolute.tar", manifest_absolute),
    "config-50mb": ("config-50mb.tar", config_50mb),
    "config-deep": ("config-deep.tar", config_deep),
    "config-duplicate-keys": ("config-duplicate-keys.tar", config_duplicate_keys),
    "non-utf8-names": ("non-utf8-names.tar", non_utf8_names),
    "app-image-config-50mb": ("aic-50mb.json", app_image_config_50mb),
    "app-image-config-deep": ("aic-deep.json", app_image_config_deep),
    "app-image-config-duplicate-keys": ("aic-duplicate-keys.json", app_image_config_duplicate_keys),
    "app-image-config-non-utf8": ("aic-non-utf8.json", app_image_config_non_utf8),
    "app-image-config-too-large": ("aic-too-large.json", app_image_config_too_large),
}


def write(out_dir, names=None):
    os.makedirs(out_dir, exist_ok=True)
    paths = {}
    for name in names or BUILDERS:
        file_name, build = BUILDERS[name]
        path = os.path.join(out_dir, file_name)
        with open(path, "wb") as f:
            f.write(build())
        paths[name] = path
    return paths


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name, path in write(sys.argv[1], sys.argv[2:] or None).items():
        print(f"{name}\t{path}\t{os.path.getsize(path)}")
