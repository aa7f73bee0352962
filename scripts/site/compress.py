"""The build's last step: a pre-compressed copy (`<file>.gz`) next to every text file of the site, so that any static
server sends text compressed without compressing anything itself (nginx: `gzip_static on;`, see the README).

Default nginx compresses only text/html on the fly; the theme's CSS and JavaScript (about 250 KB) would go out as they
are. With the copies, nginx's gzip_static sends `x.css.gz` to a browser that accepts gzip and `x.css` to one that does
not. The copies are deterministic (gzip header without a file name and with time 0), so two builds of the same
commit stay byte-identical and the archive of `make dist` reproducible. A file's copy is written even when it is
not smaller (a few tiny files): every text file has one, so the server's choice is always the same. A `.gz` already
there with the same content (mkdocs's sitemap.xml.gz, dated by the commit) is kept.

The download folders (data/v<version>/ and data/latest/, the folders with a SHA256SUMS) get no copies: each holds
exactly the files its SHA256SUMS, the DCAT catalogue and the schema.org description list, so that a mirror of a release
is the release. Their files are downloads, not part of a page view; a server that compresses on the fly may still
compress them.
"""
import gzip
import sys
from pathlib import Path

from ..paths import SITE

TEXT = (".html", ".css", ".js", ".json", ".xml", ".csv", ".jsonld", ".bib", ".txt", ".svg", ".map", ".atom")
RELEASE_MARK = "SHA256SUMS"  # a download folder (data/v<version>/, data/latest/): exactly the files its checksums list
LEVEL = 6  # nginx's gzip_static sends the copy as it is; level 9 takes twice as long for <1% fewer bytes


def gzip_bytes(raw: bytes) -> bytes:
    """`raw` gzipped the same way every time: no file name, modification time 0."""
    return gzip.compress(raw, LEVEL, mtime=0)


def text_files(site: Path) -> list[Path]:
    """The files of `site` a browser reads as text, in a fixed order, outside the download folders."""
    site = Path(site)
    releases = {p.parent for p in site.rglob(RELEASE_MARK)}
    return sorted(p for p in site.rglob("*") if p.suffix.lower() in TEXT and p.is_file()
                  and not releases.intersection(p.parents))


def _same(target: Path, raw: bytes) -> bool:
    try:
        return gzip.decompress(target.read_bytes()) == raw
    except (OSError, EOFError):
        return False


def write(site: Path = SITE) -> tuple[int, int]:
    """Write `<file>.gz` for every text file of `site` (replacing an older copy). Returns (files, bytes saved)."""
    count = saved = 0
    for path in text_files(site):
        raw = path.read_bytes()
        packed = gzip_bytes(raw)
        target = path.with_name(path.name + ".gz")
        if target.is_file() and _same(target, raw):
            packed = target.read_bytes()  # e.g. mkdocs's own sitemap.xml.gz, dated by the commit: kept as it is
        else:
            target.write_bytes(packed)
        count += 1
        saved += len(raw) - len(packed)
    return count, saved


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0]) if args else SITE
    count, saved = write(site)
    print(f"已写入 {count} 个压缩副本（.gz），传输时共少 {saved / 1024:,.0f} KB。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
