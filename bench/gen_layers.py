#!/usr/bin/env python3
"""Writes the six layer tars of the permdoctor reference image, deterministically.

usage: gen_layers.py OUTDIR

Everything is a pure function of the constants below: names, sizes, modes, owners, mtimes and
contents (pools built with SHAKE-256 from fixed seeds; per-file choices from splitmix64 of the
file's index). No host file, clock or locale enters the output, so two runs on any machine
write byte-identical tars.

Layers (see BENCHMARKS.md):
  1 base      /etc accounts, 1,200 ELF-like programs and libraries in /usr       (~60 MiB)
  2 app       3,000 npm-style packages under /srv/app/node_modules plus a
              /srv/app/.cache tree: ~80k entries of small files                 (~450 MiB)
  3 models    13 large files in /opt/models and 1 large ELF in /opt/tool         (~1.3 GiB)
  4 chmod     every 4th package again with group-write (every 40th world-write)
              and 3 of the large files again with new modes: what `RUN chmod`
              writes, since a mode change copies the whole file up             (~420 MiB)
  5 cleanup   whiteout of the /srv/app/.cache directory, one small log
  6 final     /etc/passwd and /etc/group with the app user, start script, config
"""
import hashlib
import math
import os
import sys
import tarfile

MTIME = 1704067200  # 2024-01-01T00:00:00Z
KIB, MIB = 1024, 1024 * 1024
MASK = (1 << 64) - 1


def splitmix(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


class Rng:
    def __init__(self, seed):
        self.s = splitmix(seed)

    def next(self):
        self.s = splitmix(self.s)
        return self.s

    def below(self, n):
        return self.next() % n

    def loguniform(self, lo, hi):
        # integer in [lo, hi), log-uniform
        u = (self.next() >> 11) / float(1 << 53)
        return int(lo * math.exp(u * math.log(hi / lo)))


# ---- content pools (8 MiB each) --------------------------------------------------------------
POOL = 8 * MIB


def make_pools():
    rnd = hashlib.shake_256(b"permdoctor-bench-random-v1").digest(POOL)
    # Text: words from a fixed vocabulary with a skewed (roughly Zipf) choice, JS/markdown-like.
    vb = hashlib.shake_256(b"permdoctor-bench-vocab-v1").digest(4096 * 16)
    letters = b"abcdefghijklmnopqrstuvwxyz_"
    vocab = []
    for i in range(4096):
        chunk = vb[i * 16:(i + 1) * 16]
        n = 2 + chunk[0] % 11
        vocab.append(bytes(letters[c % len(letters)] for c in chunk[1:1 + n]))
    seps = [b" ", b" ", b" ", b" ", b".", b"(", b");\n", b" = ", b", ", b"\n  ", b"{\n", b"}\n"]
    sel = hashlib.shake_256(b"permdoctor-bench-text-v1").digest(3 * MIB)
    parts, size, i = [], 0, 0
    while size < POOL:
        a, b, c = sel[i % len(sel)], sel[(i + 1) % len(sel)], sel[(i + 2) % len(sel)]
        i += 3
        w = vocab[((a << 8 | b) * (a << 8 | b)) >> 20]
        s = seps[c % len(seps)]
        parts.append(w)
        parts.append(s)
        size += len(w) + len(s)
    text = b"".join(parts)[:POOL]
    # Structured: fixed-width numeric records (tables, indexes): compresses well but not to nothing.
    recs, size, k = [], 0, 0
    while size < POOL:
        r = b"%08d %08x %6d %s\n" % (k, splitmix(k) & 0xFFFFFFFF, (splitmix(k) >> 40) % 100000,
                                     vocab[k % 4096])
        recs.append(r)
        size += len(r)
        k += 1
    structured = b"".join(recs)[:POOL]
    return {"text": memoryview(text), "random": memoryview(rnd), "structured": memoryview(structured)}


# ---- tar writing -----------------------------------------------------------------------------
class Layer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.entries = 0
        self.bytes = 0

    def _hdr(self, name, type_, mode, uid, gid, size=0, linkname=""):
        ti = tarfile.TarInfo(name)
        ti.type = type_
        ti.mode = mode
        ti.uid, ti.gid = uid, gid
        ti.uname = ti.gname = ""
        ti.mtime = MTIME
        ti.size = size
        ti.linkname = linkname
        self.f.write(ti.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape"))
        self.entries += 1

    def dir(self, name, mode=0o755, uid=0, gid=0):
        self._hdr(name.rstrip("/") + "/", tarfile.DIRTYPE, mode, uid, gid)

    def symlink(self, name, target, uid=0, gid=0):
        self._hdr(name, tarfile.SYMTYPE, 0o777, uid, gid, linkname=target)

    def file(self, name, chunks, mode=0o644, uid=0, gid=0):
        """chunks: list of bytes-like objects forming the content."""
        size = sum(len(c) for c in chunks)
        self._hdr(name, tarfile.REGTYPE, mode, uid, gid, size)
        for c in chunks:
            self.f.write(c)
        pad = (-size) % 512
        if pad:
            self.f.write(b"\0" * pad)
        self.bytes += size

    def close(self):
        self.f.write(b"\0" * 1024)
        pos = self.f.tell()
        self.f.write(b"\0" * ((-pos) % 10240))
        self.f.close()


def elf_head(interp=b"/lib64/ld-linux-x86-64.so.2", shared=False):
    """A 64-bit little-endian x86-64 ELF header with PHDR and INTERP program headers."""
    import struct
    phoff, phnum, phent = 64, 2, 56
    interp_off = phoff + phnum * phent
    interp_b = interp + b"\0"
    eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    eh += struct.pack("<HHIQQQIHHHHHH", 3 if shared else 2, 62, 1, 0x401000, phoff, 0, 0, 64,
                      phent, phnum, 64, 0, 0)
    ph = struct.pack("<IIQQQQQQ", 6, 4, phoff, phoff, phoff, phnum * phent, phnum * phent, 8)
    ph += struct.pack("<IIQQQQQQ", 3, 4, interp_off, interp_off, interp_off, len(interp_b),
                      len(interp_b), 1)
    return eh + ph + interp_b


def body(pools, rng, size, mix):
    """`size` bytes as a list of pool slices. mix: list of (pool, weight)."""
    out, left = [], size
    total = sum(w for _, w in mix)
    while left > 0:
        pick = rng.below(total)
        for name, w in mix:
            if pick < w:
                break
            pick -= w
        n = min(left, 64 * KIB + rng.below(192 * KIB))
        off = rng.below(POOL - n)
        out.append(pools[name][off:off + n])
        left -= n
    return out


TEXT_ONLY = [("text", 1)]
BINARY_MIX = [("text", 2), ("random", 1), ("structured", 1)]  # ~2.3x with gzip -6

# ---- the app tree (layer 2), recomputable for layer 4 ----------------------------------------
PACKAGES = 3000
FILES_PER_PKG = 22
APP_UID = APP_GID = 1000
SCRIPT_INTERPS = [b"/usr/bin/env node", b"/bin/sh", b"/usr/bin/env python3", b"/bin/bash"]


def pkg_name(p):
    return "pkg%04d-%s" % (p, ["core", "util", "cli", "http", "fs", "log", "test", "ui"][p % 8])


def app_files(p, pools):
    """Yields (path, chunks, mode) for package p, deterministically."""
    base = "srv/app/node_modules/" + pkg_name(p)
    rng = Rng(0xA110 + p)
    meta = b'{\n  "name": "%s",\n  "version": "1.%d.%d",\n  "main": "lib/index.js"\n}\n' % (
        pkg_name(p).encode(), p % 17, p % 5)
    yield base + "/package.json", [meta], 0o644
    for fname, size in (("README.md", rng.loguniform(200, 20000)), ("LICENSE", 1067 + p % 7)):
        yield base + "/" + fname, body(pools, rng, size, TEXT_ONLY), 0o644
    for k in range(FILES_PER_PKG):
        sub = "lib" if k % 2 == 0 else "dist"
        r = rng.below(1000)
        if r < 10:  # a source map or bundle: larger
            size = rng.loguniform(64 * KIB, 512 * KIB)
        else:
            size = rng.loguniform(8, 32 * KIB)
        if r >= 10 and r < 25:  # native addon: ELF
            name = "%s/binding%02d.node" % (sub, k)
            head = elf_head(shared=True)
            yield base + "/" + name, [head] + body(pools, rng, max(size, 4096), BINARY_MIX), 0o755
        elif r >= 25 and r < 65:  # executable script with a shebang
            name = "%s/bin%02d.js" % (sub, k)
            sheb = b"#!" + SCRIPT_INTERPS[rng.below(len(SCRIPT_INTERPS))] + b"\n"
            yield base + "/" + name, [sheb] + body(pools, rng, size, TEXT_ONLY), 0o755
        else:
            name = "%s/m%02d.js" % (sub, k)
            yield base + "/" + name, body(pools, rng, size, TEXT_ONLY), 0o644


def app_dirs(p):
    base = "srv/app/node_modules/" + pkg_name(p)
    return [base, base + "/lib", base + "/dist"]


CACHE_DIRS, CACHE_FILES = 40, 100

MODELS = 13
MODEL_SIZE = 96 * MIB
CHMOD_MODELS = (0, 5, 9)


def model_spec(i, pools):
    rng = Rng(0x30DE1 + i)
    return "opt/models/blob-%02d.bin" % i, body(pools, rng, MODEL_SIZE, BINARY_MIX)


def write(outdir):
    pools = make_pools()
    os.makedirs(outdir, exist_ok=True)
    stats = []

    # 1 base
    L = Layer(os.path.join(outdir, "layer1.tar"))
    for d, m in (("bin", 0o755), ("etc", 0o755), ("home", 0o755), ("lib", 0o755),
                 ("lib64", 0o755), ("root", 0o700), ("tmp", 0o1777), ("usr", 0o755),
                 ("usr/bin", 0o755), ("usr/lib", 0o755), ("usr/sbin", 0o755), ("var", 0o755),
                 ("var/log", 0o755), ("srv", 0o755), ("opt", 0o755)):
        L.dir(d, m)
    L.file("etc/passwd", [b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"])
    L.file("etc/group", [b"root:x:0:\nnogroup:x:65534:\n"])
    L.file("etc/shadow", [b"root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n"], 0o640, 0, 42)
    L.file("lib64/ld-linux-x86-64.so.2", [elf_head(interp=b"")[:64]] + body(pools, Rng(7), 200 * KIB, BINARY_MIX), 0o755)
    L.symlink("bin/sh", "/usr/bin/prog0001")
    L.symlink("bin/bash", "/usr/bin/prog0002")
    for i in range(1200):
        rng = Rng(0xBA5E + i)
        if i % 3 == 0:
            name, mode, head = "usr/lib/lib%04d.so" % i, 0o644, elf_head(shared=True)
        else:
            name, mode, head = "usr/bin/prog%04d" % i, 0o755, elf_head()
        L.file(name, [head] + body(pools, rng, rng.loguniform(4 * KIB, 200 * KIB), BINARY_MIX), mode)
    for i in range(0, 1200, 3):
        L.symlink("usr/lib/lib%04d.so.1" % i, "lib%04d.so" % i)
    L.file("usr/bin/node", [b"#!/bin/sh\nexec /usr/bin/prog0002 \"$@\"\n"], 0o755)
    L.file("usr/bin/env", [elf_head()] + body(pools, Rng(9), 40 * KIB, BINARY_MIX), 0o755)
    L.close()
    stats.append(("layer1", L.entries, L.bytes))

    # 2 app: many small files
    L = Layer(os.path.join(outdir, "layer2.tar"))
    L.dir("srv/app", 0o755, APP_UID, APP_GID)
    L.dir("srv/app/node_modules", 0o755, APP_UID, APP_GID)
    for p in range(PACKAGES):
        for d in app_dirs(p):
            L.dir(d, 0o755, APP_UID, APP_GID)
        for path, chunks, mode in app_files(p, pools):
            L.file(path, chunks, mode, APP_UID, APP_GID)
    L.dir("srv/app/.cache", 0o755, APP_UID, APP_GID)
    for d in range(CACHE_DIRS):
        L.dir("srv/app/.cache/%02x" % d, 0o755, APP_UID, APP_GID)
        for k in range(CACHE_FILES):
            rng = Rng(0xCAC4E + d * 1000 + k)
            L.file("srv/app/.cache/%02x/%08x.json" % (d, splitmix(d * 1000 + k) & 0xFFFFFFFF),
                   body(pools, rng, rng.loguniform(100, 16 * KIB), [("text", 1), ("structured", 1)]),
                   0o644, APP_UID, APP_GID)
    L.close()
    stats.append(("layer2", L.entries, L.bytes))

    # 3 models: large files
    L = Layer(os.path.join(outdir, "layer3.tar"))
    L.dir("opt/models")
    for i in range(MODELS):
        path, chunks = model_spec(i, pools)
        L.file(path, chunks, 0o600)
    L.dir("opt/tool")
    L.dir("opt/tool/bin")
    L.file("opt/tool/bin/tool", [elf_head()] + body(pools, Rng(0x7001), 48 * MIB, BINARY_MIX), 0o755)
    L.close()
    stats.append(("layer3", L.entries, L.bytes))

    # 4 chmod: the same files again with other modes (a mode change copies the file up)
    L = Layer(os.path.join(outdir, "layer4.tar"))
    for p in range(0, PACKAGES, 4):
        world = p % 40 == 0
        for d in app_dirs(p):
            L.dir(d, 0o777 if world else 0o775, APP_UID, APP_GID)
        for path, chunks, mode in app_files(p, pools):
            mode |= 0o022 if world else 0o020
            L.file(path, chunks, mode, APP_UID, APP_GID)
    for i in CHMOD_MODELS:
        path, chunks = model_spec(i, pools)
        L.file(path, chunks, 0o644)
    L.close()
    stats.append(("layer4", L.entries, L.bytes))

    # 5 cleanup: deletes a directory
    L = Layer(os.path.join(outdir, "layer5.tar"))
    L.dir("srv/app", 0o755, APP_UID, APP_GID)
    L.file("srv/app/.wh..cache", [], 0o644)
    L.dir("var/log")
    L.file("var/log/cleanup.log", [b"removed /srv/app/.cache\n"], 0o644)
    L.close()
    stats.append(("layer5", L.entries, L.bytes))

    # 6 final
    L = Layer(os.path.join(outdir, "layer6.tar"))
    L.dir("etc")
    L.file("etc/passwd", [b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
                          b"app:x:1000:1000:app:/srv/app:/bin/sh\n"])
    L.file("etc/group", [b"root:x:0:\nnogroup:x:65534:\napp:x:1000:\n"])
    L.dir("etc/app")
    L.file("etc/app/app.conf", [b"listen=0.0.0.0:8080\nlog=/var/log/app.log\n"], 0o640, 0, APP_GID)
    L.dir("srv/app", 0o755, APP_UID, APP_GID)
    L.file("srv/app/start.sh", [b"#!/bin/sh\nexec node /srv/app/node_modules/pkg0000-core/lib/index.js\n"],
           0o755, APP_UID, APP_GID)
    L.close()
    stats.append(("layer6", L.entries, L.bytes))

    total_e = sum(s[1] for s in stats)
    total_b = sum(s[2] for s in stats)
    with open(os.path.join(outdir, "layers.txt"), "w") as f:
        for name, e, b in stats:
            f.write("%s entries=%d content_bytes=%d tar_bytes=%d\n"
                    % (name, e, b, os.path.getsize(os.path.join(outdir, name + ".tar"))))
        f.write("total entries=%d content_bytes=%d\n" % (total_e, total_b))
    sys.stdout.write(open(os.path.join(outdir, "layers.txt")).read())


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: gen_layers.py OUTDIR")
    write(sys.argv[1])
