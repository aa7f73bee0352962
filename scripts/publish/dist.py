"""`make dist`: the built site as one archive for any static host (the office's own server, nginx or similar), with
its SHA-256.

    python -m scripts.publish.dist [site] [--out build/dist]

Writes build/dist/site.tar.gz and build/dist/site.tar.gz.sha256 (`sha256sum -c` reads it). The archive is
reproducible: the same site/ gives the same bytes on any machine and at any time. Entries are sorted by name, owned by
0:0 with no user or group names, modes 0644 for files and 0755 for folders, every time is SOURCE_DATE_EPOCH (the
checked-out commit's time, as the build uses; 0 when unset), and the gzip header has no file name and time 0.
Unpack into the server's web root: `tar -xzf site.tar.gz -C /srv/www` (the archive's top folder is site/).
"""
import argparse
import gzip
import hashlib
import io
import os
import sys
import tarfile
from pathlib import Path

from ..paths import BUILD, SITE

NAME = "site.tar.gz"


def _info(name: str, path: Path, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if path.is_dir():
        info.type, info.mode = tarfile.DIRTYPE, 0o755
    else:
        info.size, info.mode = path.stat().st_size, 0o644
    return info


def archive(site: Path, mtime: int) -> bytes:
    """The tar.gz of `site` (top folder site/), the same bytes for the same files."""
    site = Path(site)
    paths = sorted(site.rglob("*"), key=lambda p: p.relative_to(site).as_posix())
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_info("site", site, mtime))
        for path in paths:
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                continue
            info = _info("site/" + path.relative_to(site).as_posix(), path, mtime)
            if info.isdir():
                tar.addfile(info)
            else:
                with path.open("rb") as f:
                    tar.addfile(info, f)
    return gzip.compress(raw.getvalue(), 9, mtime=0)


def write(site: Path = SITE, out: Path = BUILD / "dist") -> tuple[Path, str]:
    """Write the archive and its .sha256 into `out`; return (archive path, hex digest)."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise SystemExit(f"没有找到生成的网站 {site}/index.html：请先运行 make build。")
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    data = archive(site, mtime)
    digest = hashlib.sha256(data).hexdigest()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / NAME).write_bytes(data)
    (out / (NAME + ".sha256")).write_text(f"{digest}  {NAME}\n", encoding="utf-8")
    return out / NAME, digest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", default=str(SITE), help="生成的网站（默认 site/）")
    parser.add_argument("--out", default=str(BUILD / "dist"), help="写入的文件夹（默认 build/dist）")
    args = parser.parse_args(argv)
    path, digest = write(Path(args.site), Path(args.out))
    print(f"已写入 {path}（{path.stat().st_size / 1024 / 1024:,.1f} MB）\nSHA-256：{digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
