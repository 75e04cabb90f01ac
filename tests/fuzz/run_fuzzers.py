#!/usr/bin/env python3
"""Runs cairn's libFuzzer targets (`make fuzz`) and writes what they did.

Each target gets a corpus directory in the fuzz build tree, seeded from tests/fuzz/corpus/<target>/
(hand-written seeds, committed) and from what the repository already holds: the golden queries
for the parsers and the search, the hunt library (and ../shared's Sigma rules and ESCU detections
when they exist) for the rule loaders, the bundled samples for ingest, and segments made from
the samples for the segment reader. The corpus grows across runs. A crash, a leak, a timeout
or a broken invariant leaves its input in <build>/fuzz-crashes/<target>/ and makes the run
fail. The summary (one row per target: seconds, runs, coverage, result) goes to
<build>/fuzz-report.md and standard output.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TARGETS = ["spl_parser", "eval_parser", "macros", "hunt_rule", "search", "ingest", "segment"]
# The ingest target's first byte picks the file's name (tests/fuzz/fuzz_ingest.cc kNames).
INGEST_NAME_BYTE = {".ndjson": 0, ".json": 1, ".log": 2, "": 3, ".gz": 4}
MAX_LEN = {"ingest": 65536, "segment": 262144, "hunt_rule": 16384}


def add_seed(corpus: Path, data: bytes) -> None:
    if data:
        (corpus / hashlib.sha1(data).hexdigest()).write_bytes(data)


def query_texts(root: Path):
    for spl in sorted((root / "tests/queries").rglob("*.spl")):
        lines = [l for l in spl.read_text(errors="replace").splitlines() if not l.startswith("#")]
        text = "\n".join(lines).strip()
        if text:
            yield text


def eval_texts(root: Path):
    for text in query_texts(root):
        for m in re.finditer(r"\|\s*(eval|where)\s+([^|]+)", text):
            yield (b"\x01" if m.group(1) == "eval" else b"\x00") + m.group(2).strip().encode()


def seed_corpus(target: str, root: Path, build: Path, corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    committed = root / "tests/fuzz/corpus" / target
    if committed.is_dir():
        for f in committed.iterdir():
            add_seed(corpus, f.read_bytes())
    shared = root.parent / "shared"
    if target in ("spl_parser", "search"):
        for text in query_texts(root):
            add_seed(corpus, text.encode())
    elif target == "eval_parser":
        for text in eval_texts(root):
            add_seed(corpus, text)
    elif target == "hunt_rule":
        files = sorted((root / "hunts").glob("*.spl"))
        if shared.is_dir():
            files += sorted((shared / "sigma").rglob("*.yml"))[:60]
            files += sorted((shared / "escu/detections").rglob("*.yml"))[:40]
        for f in files:
            add_seed(corpus, f.read_bytes()[: MAX_LEN["hunt_rule"]])
    elif target == "ingest":
        for f in sorted((root / "testdata/samples").rglob("*")):
            if not f.is_file():
                continue
            suffix = ".gz" if f.name.endswith(".gz") else f.suffix if f.suffix in INGEST_NAME_BYTE else ""
            data = f.read_bytes()
            if len(data) > MAX_LEN["ingest"] - 1:
                data = data[: MAX_LEN["ingest"] - 1]
            add_seed(corpus, bytes([INGEST_NAME_BYTE[suffix]]) + data)
    elif target == "segment":
        for seg in make_segments(root, build):
            add_seed(corpus, seg)


def make_segments(root: Path, build: Path):
    """Segments of small indexes made from the samples by the fuzz build's own cairn."""
    cairn = build / "cairn"
    work = build / "fuzz-segments"
    shutil.rmtree(work, ignore_errors=True)
    samples = root / "testdata/samples"
    inputs = [["cloudtrail-sample.ndjson"], ["vpcflow"], ["cloudfront"], ["s3access"], ["AWSLogs"]]
    for n, paths in enumerate(inputs):
        index = work / str(n)
        subprocess.run([str(cairn), "--index", str(index), "ingest", "--quiet", "--segment-rows", "40",
                        *[str(samples / p) for p in paths]], check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
        for seg in sorted(index.glob("*.cseg"))[:6]:
            yield seg.read_bytes()


def run_target(target: str, args, root: Path, build: Path) -> dict:
    corpus = build / "fuzz-corpus" / target
    seed_corpus(target, root, build, corpus)
    crashes = build / "fuzz-crashes" / target
    crashes.mkdir(parents=True, exist_ok=True)
    log = build / "fuzz-logs" / f"{target}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    before = set(crashes.iterdir())
    cmd = [str(build / f"fuzz_{target}"), str(corpus), f"-max_total_time={args.seconds}",
           f"-max_len={MAX_LEN.get(target, 4096)}", "-timeout=20", f"-rss_limit_mb={args.rss_mb}",
           f"-artifact_prefix={crashes}/", "-print_final_stats=1"]
    env = dict(os.environ, CAIRN_SOURCE_DIR=str(root))
    start = time.time()
    with log.open("w") as out:
        rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env).returncode
    seconds = time.time() - start
    text = log.read_text(errors="replace")
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    cov = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", text)
    found = sorted(set(crashes.iterdir()) - before)
    return {"target": target, "seconds": seconds, "runs": int(runs[-1]) if runs else 0,
            "cov": cov[-1] if cov else ("0", "0", "0"), "rc": rc, "found": found, "log": log}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build-fuzz")
    ap.add_argument("--root", default=".")
    ap.add_argument("--seconds", type=int, default=60, help="time per target")
    ap.add_argument("--jobs", type=int, default=1, help="targets run side by side")
    ap.add_argument("--rss-mb", type=int, default=2560, help="libFuzzer's memory limit per target")
    ap.add_argument("targets", nargs="*", default=TARGETS)
    args = ap.parse_args()
    root, build = Path(args.root).resolve(), Path(args.build).resolve()
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        print(f"unknown target(s) {unknown}; targets: {' '.join(TARGETS)}", file=sys.stderr)
        return 2
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda t: run_target(t, args, root, build), args.targets))
    rows = ["| target | seconds | runs | runs/s | coverage (edges) | features | corpus | result |",
            "|---|---:|---:|---:|---:|---:|---:|---|"]
    failed = False
    for r in results:
        ok = r["rc"] == 0 and not r["found"]
        failed |= not ok
        result = "no crash" if ok else f"FAILED (exit {r['rc']}): " + ", ".join(p.name for p in r["found"])
        rate = r["runs"] / r["seconds"] if r["seconds"] else 0
        rows.append(f"| {r['target']} | {r['seconds']:.0f} | {r['runs']} | {rate:.0f} | {r['cov'][0]} | "
                    f"{r['cov'][1]} | {r['cov'][2]} | {result} |")
        if not ok:
            print(f"fuzz_{r['target']}: see {r['log']}", file=sys.stderr)
    report = "\n".join(rows) + "\n"
    (build / "fuzz-report.md").write_text(report)
    print(report, end="")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
