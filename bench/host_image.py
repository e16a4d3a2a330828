#!/usr/bin/env python3
"""Writes a one-layer docker archive of host directories, for measurements on real files.

usage: host_image.py OUT.tar SRC[=DEST] ...
Each SRC tree goes into the layer at DEST (default: SRC itself). Not deterministic: what it
holds is whatever the host has installed; say which packages when you quote a figure.
"""
import hashlib
import io
import json
import sys
import tarfile


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    out, trees = sys.argv[1], sys.argv[2:]
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
        for tree in trees:
            src, _, dest = tree.partition("=")
            t.add(src, arcname=(dest or src).lstrip("/"))
    data = layer.getvalue()
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(data).hexdigest()]},
        "history": [{"created_by": "COPY " + " ".join(trees)}],
    }).encode()
    name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": name, "RepoTags": ["host/trees:1"],
                            "Layers": ["layer.tar"]}]).encode()
    with tarfile.open(out, "w") as t:
        for entry, body in ((name, config), ("layer.tar", data), ("manifest.json", manifest)):
            info = tarfile.TarInfo(entry)
            info.size = len(body)
            t.addfile(info, io.BytesIO(body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
