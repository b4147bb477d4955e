"""The load benchmarks of bench/README.md, in one run, reported as ratios against baselines
measured in the same run (so they survive a noisy machine).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/parentpass_bench \
    RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/14 .venv/bin/python bench/load/run.py

Needs wrk (Debian: `apt-get install wrk`) and the synthetic city (bench/generate_city.py). Every
server is gunicorn with deploy/gunicorn.conf.py, as in production. It measures:
1. throughput of a lesson page (a signed-in parent) against a bare Flask "hello" app served the
   same way, in alternating slices (goal ≥ 0.25 of hello);
2. p50 / p95 / p99 latency of the lesson page, quiz submission, code verification, the school
   report and sign-in at a fixed request rate (an open model: latency counts from each request's
   scheduled time, so a stall cannot hide);
3. the journey mix (bench/load/mix.lua) with one app process against two (and with the production
   worker count: one server's capacity), with the load generator's own CPU time and the CPU time
   the app workers and PostgreSQL spent per request (what sizes the servers);
4. a worker's memory after 1,000 and after 11,000 requests (goal: growth ≤ 10 %).

Report roll-ups are refreshed as deploy/ runs them for a city (`--rollups queued`: commits queue
their classes and `flask reports drain --every 5` runs beside the app servers, on the same
cores, its CPU time reported); `--rollups inline` measures the commits refreshing them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "parentpass-bench"  # every account of the synthetic city
OPEN_LIMITS = {  # the benchmark measures the pages, not the rate limits
    name: "1000000 per minute"
    for name in (
        "LOGIN_RATE_LIMIT_ACCOUNT",
        "LOGIN_RATE_LIMIT_CLIENT",
        "QUIZ_SUBMIT_RATE_LIMIT",
        "VERIFY_RATE_LIMIT_TEACHER",
        "VERIFY_RATE_LIMIT_CLIENT",
        "REGISTER_RATE_LIMIT",
    )
}


def environment() -> dict[str, str]:
    env = {
        **os.environ,
        **OPEN_LIMITS,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-0123456789abcdefghij"),
        "TOKEN_KEYS": os.environ.get("TOKEN_KEYS", "b1:bench-token-key-0123456789abcdefghij"),
    }
    env.pop("TOKEN_KEY_ID", None)
    if "DATABASE_URL" not in env:
        sys.exit("DATABASE_URL must point at the synthetic city (bench/generate_city.py)")
    return env


class Server:
    """gunicorn with the production configuration, on a free port."""

    def __init__(self, target: str, workers: int, env: dict, port: int):
        self.port = port
        command = [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "--workers", str(workers)]
        command += ["--bind", f"127.0.0.1:{port}", target]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz" if target.startswith("app") else "/")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.0)  # every worker forked and idle

    def cpu_seconds(self) -> float:
        return cpu_seconds([self.process.pid, *self.worker_pids()])

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Drain:
    """`flask reports drain --every 5`, the production drain service, beside the app servers."""

    def __init__(self, env: dict):
        command = [str(Path(sys.executable).with_name("flask")), "--app", "app", "reports", "drain"]
        self.process = subprocess.Popen(
            [*command, "--every", "5"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def stop(self) -> dict:
        used = self.cpu_seconds()
        self.process.terminate()
        self.process.wait(timeout=60)
        return {"cpu_s": round(used, 1)}


def wrk(url: str, seconds: int, connections: int, cookie: str = "", script: list[str] | None = None) -> dict:
    """Run wrk (one thread); its requests per second and its own CPU seconds."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script[0], url, "--", *script[1:]]
    else:
        command.append(url)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    statuses = re.search(r"statuses (.*)", out)
    return {
        "rps": rps,
        "generator_cpu_s": cpu,
        "seconds": seconds,
        "non_2xx_3xx": int(errors.group(1)) if errors else 0,
        "statuses": statuses.group(1) if statuses else "",
    }


# ---- fixed-rate latency -------------------------------------------------------------------------


def paced(port: int, requests: list[tuple[str, str, dict, bytes | None]], rate: float) -> dict:
    """Send `requests` at `rate` per second on schedule; latency from each scheduled time."""
    jobs: queue.Queue = queue.Queue()
    results: list[tuple[float, int]] = []
    lock = threading.Lock()

    def worker():
        while True:
            job = jobs.get()
            if job is None:
                return
            due, (method, path, headers, body) = job
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request(method, path, body=body, headers=headers)
            status = conn.getresponse()
            status.read()
            conn.close()
            with lock:
                results.append((time.perf_counter() - due, status.status))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(32)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.2
    for i, request in enumerate(requests):
        due = start + i / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        jobs.put((due, request))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    times = sorted(ms * 1000 for ms, _ in results)

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))], 1)

    codes: dict[int, int] = {}
    for _, code in results:
        codes[code] = codes.get(code, 0) + 1
    return {
        "n": len(times),
        "rate": rate,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "statuses": codes,
    }


def form(cookie: str, fields: dict) -> tuple[dict, bytes]:
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    return {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, body


def latency_requests(plan: dict, kind: str, count: int) -> list:
    parents, teachers, staff = plan["parents"], plan["teachers"], plan["staff"]
    out = []
    for i in range(count):
        if kind == "lesson":
            p = parents[i % len(parents)]
            out.append(("GET", plan["lesson"], {"Cookie": p["cookie"]}, None))
        elif kind == "quiz":
            p = parents[i]  # each attempt is graded once: one parent per request
            headers, body = form(p["cookie"], {"csrf_token": p["csrf"], **p["answers"]})
            out.append(("POST", f"/quiz/{p['attempt']}", headers, body))
        elif kind == "verify":
            t = teachers[i % len(teachers)]
            headers, body = form(t["cookie"], {"csrf_token": t["csrf"], "code": t["code"]})
            out.append(("POST", "/teacher/verify", headers, body))
        elif kind == "report":
            s = staff[i % len(staff)]
            out.append(("GET", s["report"], {"Cookie": s["cookie"]}, None))
        elif kind == "login":
            p = parents[i % len(parents)]
            headers, body = form(
                p["anonymous_cookie"],
                {"csrf_token": p["anonymous_csrf"], "phone": p["phone"], "password": PASSWORD},
            )
            out.append(("POST", "/login", headers, body))
    return out


def mix_file(plan: dict, path: Path) -> None:
    """weight, method, path, cookie, body, once — the journeys as mix.lua replays them."""
    lines = []
    for p in plan["parents"]:
        lines.append(f"6\tGET\t{plan['lesson']}\t{p['cookie']}\t\t0")
        lines.append(f"2\tGET\t/learn\t{p['cookie']}\t\t0")
        lines.append(f"1\tGET\t/learn/etiquette\t{p['cookie']}\t\t0")
        body = urllib.parse.urlencode({"csrf_token": p["csrf"], **p["answers"]}, doseq=True)
        lines.append(f"1\tPOST\t/quiz/{p['attempt']}\t{p['cookie']}\t{body}\t1")
    for t in plan["teachers"]:
        body = urllib.parse.urlencode({"csrf_token": t["csrf"], "code": t["code"]})
        lines.append(f"5\tPOST\t/teacher/verify\t{t['cookie']}\t{body}\t0")
    for s in plan["staff"]:
        lines.append(f"5\tGET\t{s['report']}\t{s['cookie']}\t\t0")
    path.write_text("\n".join(lines) + "\n")


def check_page(port: int, path: str, cookie: str) -> None:
    """The page answers 200 to the prepared cookie (wrk counts a redirect to sign-in as a success)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}, not 200: is the plan signed in?")


def send(url: str, cookie: str, count: int) -> None:
    """About `count` requests to `url` (wrk stops itself after them: bench/load/count.lua)."""
    script = str(ROOT / "bench/load/count.lua")
    command = ["wrk", "-t1", "-c4", "-d300s", "-H", f"Cookie: {cookie}", "-s", script, url, "--", str(count)]
    subprocess.run(command, check=True, capture_output=True)


def cpu_seconds(pids) -> float:
    """User + system CPU seconds used so far by these processes (those that have exited count 0)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def prepare(env: dict, parents: int, out: Path) -> dict:
    subprocess.run(
        [sys.executable, "bench/load/prepare.py", "--parents", str(parents), "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second for the latency runs")
    parser.add_argument("--rounds", type=int, default=3, help="alternating hello / lesson slices for 1")
    parser.add_argument("--workers", type=int, default=0, help="workers for 1, 2 (default: 2 × cores + 1)")
    parser.add_argument("--rollups", choices=("queued", "inline"), default="queued")
    parser.add_argument(
        "--parts",
        default="1234",
        help="which measurements to run, of 1 (throughput) 2 (latency) 3 (mix) 4 (memory)",
    )
    args = parser.parse_args()
    env = {**environment(), "ROLLUP_REFRESH": args.rollups}
    workers = args.workers or 2 * os.cpu_count() + 1
    folder = Path(tempfile.mkdtemp())
    report: dict = {"machine": {"cores": os.cpu_count()}, "workers": workers, "rollups": args.rollups}
    drain = Drain(env) if args.rollups == "queued" else None

    plan = prepare(env, 800, folder / "plan.json")

    cookie = plan["parents"][0]["cookie"]
    app = Server("app:create_app()", workers, env, 8102)
    # 1. lesson page against hello
    if "1" in args.parts:
        # Alternating slices (hello, lesson, hello, …): a noisy machine's slow minute hits both.
        hello = Server("bench.load.hello:app", workers, env, 8101)
        check_page(8102, plan["lesson"], cookie)
        rounds = []
        for _ in range(args.rounds):
            base = wrk("http://127.0.0.1:8101/", args.seconds, 8)
            lesson = wrk(f"http://127.0.0.1:8102{plan['lesson']}", args.seconds, 8, cookie)
            rounds.append(
                {
                    "hello": base["rps"],
                    "lesson": lesson["rps"],
                    "ratio": round(lesson["rps"] / base["rps"], 3),
                }
            )
        hello.stop()
        total_hello = sum(r["hello"] for r in rounds)
        total_lesson = sum(r["lesson"] for r in rounds)
        report["throughput"] = {
            "rounds": rounds,
            "hello": round(total_hello / len(rounds), 1),
            "lesson": round(total_lesson / len(rounds), 1),
            "ratio": round(total_lesson / total_hello, 3),
        }

    # 2. latency at a fixed rate
    if "2" in args.parts:
        report["latency"] = {}
        count = int(args.rate * args.seconds)
        for kind in ("lesson", "quiz", "verify", "report", "login"):
            n = min(count, len(plan["parents"])) if kind == "quiz" else count
            report["latency"][kind] = paced(8102, latency_requests(plan, kind, n), args.rate)
    app.stop()
    if drain:
        report["drain_after_latency"] = drain.stop()
        drain = Drain(env)
    print(json.dumps(report, indent=1))

    if "3" in args.parts:
        # 3. one app process against two, the journey mix
        report["processes"] = {}
        for n in sorted({1, 2, workers}):  # and the production count: one server's capacity
            # Fresh quiz attempts for every run: each run's submissions are real first submissions.
            mix_file(prepare(env, 800, folder / f"plan-mix-{n}.json"), folder / "mix.tsv")
            server = Server("app:create_app()", n, env, 8103 + n)
            app_before, database_before = server.cpu_seconds(), cpu_seconds(postgres_pids())
            result = wrk(
                f"http://127.0.0.1:{8103 + n}",
                args.seconds,
                8,
                script=[str(ROOT / "bench/load/mix.lua"), str(folder / "mix.tsv")],
            )
            app_cpu = server.cpu_seconds() - app_before
            database_cpu = cpu_seconds(postgres_pids()) - database_before
            server.stop()
            requests = result["rps"] * args.seconds
            # Where the CPU went, per request: what app servers and the database server must supply.
            result["app_cpu_s"], result["postgres_cpu_s"] = round(app_cpu, 1), round(database_cpu, 1)
            result["app_cpu_ms_per_request"] = round(1000 * app_cpu / requests, 2)
            result["postgres_cpu_ms_per_request"] = round(1000 * database_cpu / requests, 2)
            result["app_cpu_s_available"] = round(
                os.cpu_count() * args.seconds - result["generator_cpu_s"], 1
            )
            report["processes"][n] = result
            time.sleep(2)  # the last server's connections close before the next one starts
        if drain:
            report["drain_after_mix"] = drain.stop()
            drain = None
        one, two = report["processes"][1], report["processes"][2]
        report["processes"]["ratio_two_over_one"] = round(two["rps"] / one["rps"], 3)
        print(json.dumps(report, indent=1))

    if drain:
        drain.stop()
    if "4" in args.parts:
        # 4. memory of one worker over 11,000 lesson requests
        server = Server("app:create_app()", 1, env, 8110)
        pid = server.worker_pids()[0]
        url = f"http://127.0.0.1:8110{plan['lesson']}"
        send(url, cookie, 1000)
        first = rss_kib(pid)
        send(url, cookie, 10000)
        second = rss_kib(pid)
        server.stop()
        report["memory"] = {
            "after_1000_kib": first,
            "after_11000_kib": second,
            "growth": round(second / first - 1, 4),
        }
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
