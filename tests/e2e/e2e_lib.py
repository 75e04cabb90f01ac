"""What the end-to-end test scripts share: the command line (--cairn, --root), one line per
check, and the closing `N passed, M failed` line with the exit status. Python 3.11 standard
library only."""
import argparse
import os

PASSED, FAILED = [], []


def parse_args():
    """(cairn, root) as absolute paths."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    return os.path.abspath(a.cairn), os.path.abspath(a.root)


def check(name, cond, detail=""):
    (PASSED if cond else FAILED).append(name)
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "  -- " + str(detail)[:600]))


# Set by `make sanitize`: cairn runs under AddressSanitizer, whose allocator holds freed memory
# back and whose shadow memory adds to the resident size, so memory bounds are not checked.
SANITIZED = os.environ.get("CAIRN_SANITIZED") == "1"


def check_memory(name, cond, detail=""):
    """check() for a bound on memory, skipped (and said so) under the sanitizers."""
    if SANITIZED:
        print("skip " + name + " (under the sanitizers)")
        return
    check(name, cond, detail)


def finish():
    """Prints the closing line; the exit status (1 if any check failed)."""
    print(f"{len(PASSED)} passed, {len(FAILED)} failed")
    return 1 if FAILED else 0
