"""How long `make test` takes here against a baseline revision, on SQLite and PostgreSQL.

    .venv/bin/python bench/suite_speed.py --baseline 05055e7^ --rounds 3

Both revisions (the baseline and `--current`, HEAD by default) are checked out as git worktrees in
the system's temporary folder and set up once (each its own `.venv`, untimed), so the trees
measured stay the same while you go on working in yours. Each round runs `make test` in both
trees, on each engine, alternating which tree goes first, so that a machine that slows down or
speeds up during the run hurts both alike. The figure that matters is the ratio of the medians,
current ÷ baseline, measured in the same run: on another machine the seconds differ, the ratio
should not.

On PostgreSQL the current tree gets the server URL (its fixtures create a database per worker);
a baseline from before that change drops every table of the database it is given, so it gets a
scratch database of its own, created before and dropped after each run. Results are appended to
`--out` as JSON lines as they come, so a run cut short still leaves its figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess  # nosec B404: runs git, make and psql with fixed arguments
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"=*\s*(\d+ passed[^\n]*?) in ([\d.]+)s")
SCRATCH = "parentpass_suite_baseline"


def run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)  # nosec B603


def worktree(revision: str) -> Path:
    """The revision checked out (once) and set up, outside the timed runs."""
    sha = run(["git", "rev-parse", "--short", revision], ROOT).stdout.strip()
    path = Path(tempfile.gettempdir()) / f"parentpass-suite-{sha}"
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), sha], cwd=ROOT, check=True)  # nosec
    subprocess.run(["make", "setup"], cwd=path, check=True, stdout=subprocess.DEVNULL)  # nosec
    return path


def psql(server: str, sql: str) -> None:
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    subprocess.run(["psql", plain, "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL)  # nosec


def timed_make_test(tree: Path, database_url: str | None) -> dict:
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    start = time.perf_counter()
    done = run(["make", "test"], tree, env)
    wall = time.perf_counter() - start
    found = SUMMARY.findall(done.stdout + done.stderr)
    return {
        "wall": round(wall, 1),
        "ok": done.returncode == 0,
        "summary": found[-1][0] if found else None,
        "pytest": float(found[-1][1]) if found else None,
        "tail": "" if done.returncode == 0 else (done.stdout + done.stderr)[-3000:],
    }


def one_run(side: str, tree: Path, engine: str, server: str) -> dict:
    url = None
    if engine == "postgresql":
        url = server
        if side == "baseline":
            psql(server, f"DROP DATABASE IF EXISTS {SCRATCH}")
            psql(server, f"CREATE DATABASE {SCRATCH}")
            url = server.rsplit("/", 1)[0] + f"/{SCRATCH}"
    try:
        return timed_make_test(tree, url)
    finally:
        if engine == "postgresql" and side == "baseline":
            psql(server, f"DROP DATABASE IF EXISTS {SCRATCH}")


def table(results: list[dict]) -> str:
    header = "| engine | tree | runs (s, `make test` wall) | median | tests | ratio |"
    lines = [header, "|---|---|---|---|---|---|"]
    for engine in dict.fromkeys(r["engine"] for r in results):
        medians = {}
        for side in ("baseline", "current"):
            rows = [r for r in results if r["engine"] == engine and r["side"] == side and r["ok"]]
            if not rows:
                continue
            medians[side] = statistics.median(r["wall"] for r in rows)
            ratio = f"{medians[side] / medians['baseline']:.2f}" if "baseline" in medians else ""
            runs = ", ".join(f"{r['wall']:.0f}" for r in rows)
            median = f"{medians[side]:.0f}"
            lines.append(f"| {engine} | {side} | {runs} | {median} | {rows[-1]['summary']} | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", required=True, help="the revision to compare with, e.g. 05055e7^")
    parser.add_argument("--current", default="HEAD", help="the revision measured against it")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "suite_speed.jsonl")
    args = parser.parse_args()

    trees = {"baseline": worktree(args.baseline), "current": worktree(args.current)}
    results = []
    for number in range(args.rounds):
        for engine in args.engines:
            order = ["baseline", "current"] if number % 2 == 0 else ["current", "baseline"]
            for side in order:
                result = {"round": number + 1, "engine": engine, "side": side}
                result |= one_run(side, trees[side], engine, args.server)
                results.append(result)
                with args.out.open("a") as out:
                    out.write(json.dumps(result) + "\n")
                line = f"round {number + 1} {engine:10} {side:8} {result['wall']:7.1f} s {result['summary']}"
                print(line, flush=True)
                if not result["ok"]:
                    print(result["tail"], file=sys.stderr)
    print(table(results))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
