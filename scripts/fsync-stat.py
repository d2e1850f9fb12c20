#!/usr/bin/env python3
"""How many device writes one fdatasync costs on this filesystem, and whether a stat between
the writes changes it.

The store's writer checks the WAL's device and inode before every fsync
(src/store/sqlite/durable.rs). A stat that also reads the file's timestamps marks them as
read; on a filesystem with multigrain timestamps (ext4 on Linux 6.18 here) the next write
then moves the mtime at full resolution, so the fdatasync that follows writes the inode too.
This script shows the difference on the disk under DIR (default: the current directory):
each variant overwrites 8 KiB of a 512 KiB file and fdatasyncs it N times, and prints the
device writes (from /sys/dev/block/MAJ:MIN/stat), wall time and CPU per fdatasync.

    python3 scripts/fsync-stat.py [DIR] [N]

Variants: no stat; os.stat (what std::fs::metadata asks: every field, timestamps included);
statx asking for the inode alone (what the writer does since the fourteenth session).
Linux only (statx through ctypes).
"""

import ctypes
import os
import sys
import time

STATX_INO = 0x100
AT_FDCWD = -100


def device_writes(st_dev):
    """Write requests the block device holding st_dev has completed so far."""
    path = f"/sys/dev/block/{os.major(st_dev)}:{os.minor(st_dev)}/stat"
    with open(path) as f:
        return int(f.read().split()[4])


def main():
    where = sys.argv[1] if len(sys.argv) > 1 else "."
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(256)  # struct statx is 256 bytes
    path = os.path.join(where, f"fsync-stat-{os.getpid()}.bin")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.pwrite(fd, b"\0" * 65536 * 8, 0)
        os.fsync(fd)
        dev = os.fstat(fd).st_dev

        def statx_ino():
            if libc.statx(AT_FDCWD, path.encode(), 0, STATX_INO, buf) != 0:
                raise OSError(ctypes.get_errno(), "statx")

        variants = {
            "no stat": lambda: None,
            "os.stat (all fields)": lambda: os.stat(path),
            "statx (inode only)": statx_ino,
        }
        for name, between in list(variants.items()) * 2:
            w0, t0, c0 = device_writes(dev), time.perf_counter(), time.process_time()
            for i in range(n):
                os.pwrite(fd, b"x" * 8192, (i % 64) * 8192)
                between()
                os.fdatasync(fd)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            writes = (device_writes(dev) - w0) / n
            print(f"{name:22} {writes:.2f} device writes per fdatasync, "
                  f"{wall / n * 1e6:.0f} us wall, {cpu / n * 1e6:.0f} us CPU each")
    finally:
        os.close(fd)
        os.unlink(path)


if __name__ == "__main__":
    main()
