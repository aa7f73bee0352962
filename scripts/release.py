"""Freeze the current version's download files: data package in → releases/v<version>/ (committed to git, never changed).

Run once per version, after raising "version" in datapackage.json and adding its row to changes.csv. The build then
serves these exact bytes at data/v<version>/ forever. Refuses to overwrite a frozen release whose content differs.
"""
import argparse
import sys
from pathlib import Path

from .export import FROZEN_CHANGED, build_release, changed, frozen, write
from .model import read_tables
from .paths import DESCRIPTOR, RELEASES


def release(descriptor: Path = DESCRIPTOR, releases: Path = RELEASES) -> tuple[bool, str]:
    """(done, message in Chinese): freeze the package's version unless it is frozen with other content."""
    meta, _ = read_tables(Path(descriptor))
    version = meta["version"]
    files = build_release(Path(descriptor))
    old = frozen(releases).get(version)
    if old is not None:
        diff = changed(old, files)
        if diff:
            return False, f"版本 {version} 已经发布，数据包的内容与它不同（{'、'.join(diff)}）。{FROZEN_CHANGED}。"
        return True, f"版本 {version} 已经发布，内容没有变化，无需操作。"
    write(Path(releases) / f"v{version}", files)
    return True, f"已发布版本 {version}：{len(files)} 个文件写入 {Path(releases) / f'v{version}'}。请把这个文件夹提交到 git。"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("descriptor", nargs="?", default=str(DESCRIPTOR))
    parser.add_argument("--releases", default=str(RELEASES))
    args = parser.parse_args(argv)
    done, message = release(Path(args.descriptor), Path(args.releases))
    print(message, file=sys.stdout if done else sys.stderr)
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main())
