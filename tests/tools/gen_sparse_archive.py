#!/usr/bin/env python3
"""Writes a `docker save`-style archive of many gigabytes that takes a few megabytes of disk.

The bulk of the image is files full of zeros. A tar stores file data as is, and a layer tar is
stored as is inside the outer tar, so those files are long runs of zeros in the archive: this
script seeks over them, and the file system keeps them as holes. Readers see an ordinary archive
(the kernel reads holes as zeros); copying it with a tool that does not keep holes writes the
full size.

    gen_sparse_archive.py OUT [--layout docker25|oci] [--layers N] [--files N] [--big-files N]
                              [--big-size SIZE] [--fake-digests] [--tag NAME:TAG]

Layouts: `docker25` is what `docker save` writes since Docker 25 (an OCI layout with
uncompressed layers, plus manifest.json and repositories), members in lexical order as Docker
writes them, so manifest.json comes after every layer; `oci` is an oci-archive (no
manifest.json). The image has one small layer a checker can judge (an /etc/passwd with
sagemaker-user 1000:100, /etc/group, a Jupyter kernel spec, a file in /opt/ml) and then `--layers` bulk
layers sharing `--files` empty files (50 to a directory) and `--big-files` zero-filled files of
`--big-size` (K, M, G, T suffixes). Members of 8 GiB or more get a PAX size record, as Go's
archive/tar writes them. Digests are real sha256 unless `--fake-digests` (then they do not
verify, but nothing is hashed). Prints a JSON summary. Python 3.8+, standard library only.

Used by tests/e2e/run.sh (a 4 GB archive for the page) and crates/archive/benches/scale.rs
(32 GB with 318k entries; a million entries).
"""
import argparse
import hashlib
import json
import os
import sys

BLOCK = 512
USTAR_SIZE_LIMIT = 8 << 30  # 11 octal digits
ZEROS = bytes(1 << 20)
FILES_PER_DIR = 50


def block_padding(n):
    return -n % BLOCK


def octal(value, width):
    return b"%0*o\0" % (width - 1, value)


def ustar(name, size=0, kind=b"0", mode=0o644, uid=0, gid=0, linkname=""):
    """One 512-byte ustar header, preceded by a PAX header when the name or size needs one."""
    records = {}
    encoded = name.encode()
    prefix = b""
    if len(encoded) > 100:
        cut = encoded.rfind(b"/", 0, 156)
        if 0 < cut and len(encoded) - cut - 1 <= 100:
            prefix, encoded = encoded[:cut], encoded[cut + 1:]
        else:
            records["path"] = name
            encoded = encoded[:100]
    if size >= USTAR_SIZE_LIMIT:
        records["size"] = str(size)
    header = bytearray(BLOCK)
    header[0:len(encoded)] = encoded
    header[100:108] = octal(mode, 8)
    header[108:116] = octal(uid, 8)
    header[116:124] = octal(gid, 8)
    header[124:136] = octal(0 if "size" in records else size, 12)
    header[136:148] = octal(0, 12)
    header[148:156] = b" " * 8
    header[156:157] = kind
    header[157:157 + len(linkname.encode())] = linkname.encode()
    header[257:265] = b"ustar\x0000"
    for offset, owner in ((265, uid), (297, gid)):
        label = b"root" if owner == 0 else b"user%d" % owner
        header[offset:offset + len(label)] = label
    header[345:345 + len(prefix)] = prefix
    header[148:156] = b"%06o\0 " % sum(header)
    if not records:
        return bytes(header)
    return pax_header(records) + bytes(header)


def pax_header(records):
    body = b""
    for key, value in records.items():
        item = (" %s=%s\n" % (key, value)).encode()
        length = len(item)
        while len(str(length).encode()) + len(item) != length:
            length = len(str(length).encode()) + len(item)
        body += str(length).encode() + item
    return ustar("PaxHeaders/entry", len(body), kind=b"x") + body + bytes(block_padding(len(body)))


def member(name, data=None, zero_size=0, **header):
    """A file member as pieces: bytes to write, or an int counting zero bytes to seek over."""
    size = len(data) if data is not None else zero_size
    yield ustar(name, size, **header)
    if data is not None:
        yield data
    else:
        yield zero_size
    yield block_padding(size)


def directory(name, uid=0, gid=0):
    yield ustar(name.rstrip("/") + "/", kind=b"5", mode=0o755, uid=uid, gid=gid)


def end_of_archive():
    yield 2 * BLOCK  # Go's archive/tar ends with two zero blocks and no record padding


def judged_layer():
    """What a checker reads: the user, the group, a kernel spec and its interpreter, and a file
    under the reserved /opt/ml (the one error a checker should report)."""
    passwd = b"root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n" \
             b"sagemaker-user:x:1000:100::/home/sagemaker-user:/bin/bash\n"
    kernel = json.dumps({"argv": ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                         "display_name": "Python 3", "language": "python"}).encode()
    for d in ("etc", "home", "opt", "opt/ml", "opt/ml/code", "usr", "usr/local", "usr/local/share",
              "usr/local/share/jupyter", "usr/local/share/jupyter/kernels",
              "usr/local/share/jupyter/kernels/python3", "usr/bin", "usr/lib", "usr/lib/python3",
              "usr/lib/python3/dist-packages", "usr/lib/python3/dist-packages/ipykernel"):
        yield from directory(d)
    yield from directory("home/sagemaker-user", uid=1000, gid=100)
    yield from member("etc/passwd", passwd)
    yield from member("etc/group", b"root:x:0:\nusers:x:100:\n")
    yield from member("usr/local/share/jupyter/kernels/python3/kernel.json", kernel)
    yield from member("usr/bin/python3", b"\x7fELF (a stand-in)\n", mode=0o755)
    yield from member("usr/lib/python3/dist-packages/ipykernel/__init__.py", b"")
    yield from member("opt/ml/code/train.py", b"print('train')\n")
    yield from member("home/sagemaker-user/.profile", b"# sparse test image\n", uid=1000, gid=100)
    yield from end_of_archive()


def bulk_layer(index, layers, files, big_files, big_size):
    """Every `layers`-th small file and big file, starting at `index`, under usr/lib/bulkN/."""
    root = "usr/lib/bulk%d" % index
    yield from directory("usr")
    yield from directory("usr/lib")
    yield from directory(root)
    current = None
    for n in range(index, files, layers):
        package = "%s/site-packages/package_%05d" % (root, n // (FILES_PER_DIR * layers))
        if package != current:
            if current is None:
                yield from directory(root + "/site-packages")
            yield from directory(package)
            current = package
        yield from member("%s/module_with_a_realistic_length_%07d.py" % (package, n), zero_size=0)
    for n in range(index, big_files, layers):
        yield from member("%s/weights-%05d-of-%05d.bin" % (root, n, big_files), zero_size=big_size)
    yield from end_of_archive()


def measure(pieces, hashed):
    """(length, sha256 hex or None) of a piece stream."""
    digest = hashlib.sha256() if hashed else None
    length = 0
    for piece in pieces:
        if isinstance(piece, int):
            length += piece
            if digest is not None:
                left = piece
                while left:
                    step = min(left, len(ZEROS))
                    digest.update(ZEROS if step == len(ZEROS) else ZEROS[:step])
                    left -= step
        else:
            length += len(piece)
            if digest is not None:
                digest.update(piece)
    return length, digest.hexdigest() if digest is not None else None


class Layer:
    def __init__(self, make, fake_digest_seed):
        self.make = make
        self.size, digest = measure(make(), hashed=fake_digest_seed is None)
        self.digest = digest or hashlib.sha256(b"fake layer %d" % fake_digest_seed).hexdigest()


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = text.strip().upper()
    if text[-1:] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def blob_json(value):
    data = json.dumps(value, separators=(",", ":")).encode()
    return data, hashlib.sha256(data).hexdigest()


def archive_members(args, layers):
    """(name, bytes or Layer) in the order the archive holds them."""
    diff_ids = ["sha256:" + layer.digest for layer in layers]
    config, config_digest = blob_json({
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"User": "1000:100", "WorkingDir": "/home/sagemaker-user",
                   "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": "gen_sparse_archive.py layer %d" % i} for i in range(len(layers))],
    })
    manifest, manifest_digest = blob_json({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + config_digest,
                   "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + layer.digest,
                    "size": layer.size} for layer in layers],
    })
    repository, _, tag = args.tag.rpartition(":")
    index, _ = blob_json({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + manifest_digest,
                       "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": tag,
                                                              "io.containerd.image.name": args.tag}}],
    })
    blobs = {config_digest: config, manifest_digest: manifest}
    blobs.update((layer.digest, layer) for layer in layers)
    members = [("blobs/", None), ("blobs/sha256/", None)]
    members += [("blobs/sha256/" + digest, blobs[digest]) for digest in sorted(blobs)]
    members += [("index.json", index), ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')]
    if args.layout == "docker25":
        docker_manifest, _ = blob_json([{"Config": "blobs/sha256/" + config_digest, "RepoTags": [args.tag],
                                         "Layers": ["blobs/sha256/" + layer.digest for layer in layers]}])
        members += [("manifest.json", docker_manifest),
                    ("repositories", json.dumps({repository: {tag: layers[-1].digest}}).encode())]
    return sorted(members, key=lambda m: m[0])


def outer_pieces(members):
    for name, content in members:
        if content is None:
            yield from directory(name)
        elif isinstance(content, Layer):
            yield ustar(name, content.size)
            yield from content.make()
            yield block_padding(content.size)
        else:
            yield from member(name, content)
    yield from end_of_archive()


def write_sparse(path, pieces):
    with open(path, "wb") as out:
        position = 0
        for piece in pieces:
            if isinstance(piece, int):
                out.seek(piece, os.SEEK_CUR)
                position += piece
            else:
                out.write(piece)
                position += len(piece)
        out.truncate(position)  # a trailing hole still counts in the length
    return position


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--layout", choices=["docker25", "oci"], default="docker25")
    parser.add_argument("--layers", type=int, default=3, help="bulk layers, after the one small judged layer")
    parser.add_argument("--files", type=int, default=300000, help="empty files across the bulk layers")
    parser.add_argument("--big-files", type=int, default=12, help="zero-filled files across the bulk layers")
    parser.add_argument("--big-size", type=parse_size, default=parse_size("2.5G"))
    parser.add_argument("--tag", default="sparse-test:latest")
    parser.add_argument("--fake-digests", action="store_true", help="do not hash (the digests will not verify)")
    args = parser.parse_args()
    if args.layers < 1:
        parser.error("--layers must be at least 1")

    def seed(i):
        return i if args.fake_digests else None

    layers = [Layer(judged_layer, seed(0))]
    for i in range(args.layers):
        def make(i=i):
            return bulk_layer(i, args.layers, args.files, args.big_files, args.big_size)
        layers.append(Layer(make, seed(i + 1)))
    length = write_sparse(args.out, outer_pieces(archive_members(args, layers)))
    print(json.dumps({"out": args.out, "layout": args.layout, "apparent_bytes": length,
                      "disk_bytes": os.stat(args.out).st_blocks * 512, "layers": len(layers),
                      "layer_bytes": [layer.size for layer in layers], "real_digests": not args.fake_digests}))


if __name__ == "__main__":
    sys.exit(main())
