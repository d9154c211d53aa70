#!/usr/bin/env python3
"""gapmap's benchmark: full audit time against a parse-only floor, as ratios.

Every case runs `gapmap scan` and `parse_floor` (bench/parse_floor.cpp: same discovery, same
pinned tree-sitter runtime and grammars, same thread count, parsing only) over the same files,
alternating A B A B so machine drift hits both, and prints medians and the ratio. Absolute times
on a shared machine are noise; the ratios are the figures to quote.

Usage: scripts/bench.sh [--quick] [--runs N]   (see docs/performance.md)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAPMAP = os.path.join(ROOT, "build", "gapmap")
FLOOR = os.path.join(ROOT, "build", "parse_floor")

# The JS/TS tree: published SDK and framework packages, pinned (npm pack fetches the tarballs).
NPM_PACKAGES = ["openai@7.60.0", "@anthropic-ai/sdk@1.17.0", "@google/genai@3.6.1", "langchain@1.5.14",
                "@langchain/core@1.4.0", "ai@7.0.185"]

TARGETS = {  # ratio targets, printed beside the figures
    "python-installation": 2.0,
    "python-stdlib": 1.5,
    "js-ts-packages": 1.3,
}


def run(cmd):
    """Wall seconds and peak RSS (MB) of one process, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} exited {code}:\n{err}")
    return wall, usage.ru_maxrss / 1024.0


def paired(a_cmd, b_cmd, runs):
    a, b, ram = [], [], []
    run(a_cmd), run(b_cmd)  # warm the page cache for both
    for _ in range(runs):
        wa, ra = run(a_cmd)
        wb, _ = run(b_cmd)
        a.append(wa)
        b.append(wb)
        ram.append(ra)
    ratios = [x / y for x, y in zip(a, b)]
    return statistics.median(a), statistics.median(b), statistics.median(ratios), max(ram)


def scan_cmd(path, jobs, extra=()):
    return [GAPMAP, "scan", path, "--format", "json", "--output", os.devnull, "--fail-on", "never", "--quiet",
            "--jobs", str(jobs), *extra]


def floor_cmd(path, jobs, extra=()):
    return [FLOOR, "--jobs", str(jobs), *extra, path]


def parsed_mb(path, jobs, extra):
    """What the floor parsed (the same files gapmap reads): its own count, in MB."""
    out = subprocess.run(floor_cmd(path, jobs, extra), check=True, capture_output=True, text=True).stdout.split()
    return int(out[out.index("bytes") + 1]) / 1e6


def python_lib():
    import sysconfig
    return os.environ.get("BENCH_PYTHON_LIB") or sysconfig.get_paths()["stdlib"]


def npm_tree(work):
    dest = os.path.join(work, "npm")
    os.makedirs(dest, exist_ok=True)
    if not shutil.which("npm"):
        return None
    subprocess.run(["npm", "pack", "--silent", *NPM_PACKAGES], cwd=dest, check=True, stdout=subprocess.DEVNULL)
    for tgz in sorted(os.listdir(dest)):
        if tgz.endswith(".tgz"):
            out = os.path.join(dest, tgz[:-4])
            os.makedirs(out, exist_ok=True)
            subprocess.run(["tar", "-xzf", tgz, "-C", out], cwd=dest, check=True)
            os.remove(os.path.join(dest, tgz))
    return dest


def factory_chain(path, levels=13, returns=5):
    lines = ["import openai", "def f0():", "    return openai.OpenAI()"]
    for i in range(1, levels + 1):
        lines.append(f"def f{i}(c):")
        for k in range(returns - 1):
            lines.append(f"    if c == {k}:\n        return f{i-1}(c)")
        lines.append(f"    return f{i-1}(c)")
    lines.append(f"f{levels}(1).chat.completions.create(model='gpt-4o', messages=[])")
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "app.py"), "w") as f:
        f.write("\n".join(lines) + "\n")


def stress_tree(path, modules):
    """`modules` Python modules in packages of 50: each imports two earlier ones, calls through a
    wrapper chain, and every 10th wraps a model call with a handler (call graph and resolver load)."""
    for i in range(modules):
        pkg = os.path.join(path, f"pkg{i // 50}")
        os.makedirs(pkg, exist_ok=True)
        open(os.path.join(pkg, "__init__.py"), "a").close()
        deps = [j for j in (i - 1, i // 2) if 0 <= j < i]
        src = ["import openai", "client = openai.OpenAI(timeout=30)"]
        src += [f"from pkg{j // 50}.m{j} import run as run{j}, make as make{j}" for j in sorted(set(deps))]
        src += ["def make(kind):",
                *[f"    if kind == {j}:\n        return make{j}(kind)" for j in deps],
                "    return client",
                "def run(q):"]
        src += [f"    r{j} = run{j}(q)" for j in deps] or ["    pass"]
        if i % 10 == 0:
            src += ["    try:",
                    "        return make(0).chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': q}])",
                    "    except Exception:",
                    "        return None"]
        src += ["    return q"]
        with open(os.path.join(pkg, f"m{i}.py"), "w") as f:
            f.write("\n".join(src) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="skip the whole Python installation (the longest case)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    for exe in (GAPMAP, FLOOR):
        if not os.access(exe, os.X_OK):
            sys.exit(f"bench: {exe} missing: run scripts/bench.sh (it builds both)")

    print(f"machine: {os.cpu_count()} cores; --jobs {args.jobs}; median of {args.runs} paired runs")
    print(f"{'case':<26} {'MB':>7} {'floor s':>8} {'gapmap s':>9} {'ratio':>6} {'target':>6} {'MB/s':>6} {'peak MB':>8}")

    def row(name, path, extra=(), target=None):
        mb = parsed_mb(path, args.jobs, extra)
        g, f, ratio, ram = paired(scan_cmd(path, args.jobs, extra), floor_cmd(path, args.jobs, extra), args.runs)
        t = f"{target:.1f}" if target else "-"
        print(f"{name:<26} {mb:7.1f} {f:8.2f} {g:9.2f} {ratio:6.2f} {t:>6} {mb / g:6.1f} {ram:8.0f}", flush=True)
        return g

    with tempfile.TemporaryDirectory(prefix="gapmap-bench-") as work:
        lib = python_lib()
        if not args.quick:
            row("python-installation", lib, ("--no-ignore",), TARGETS["python-installation"])
        row("python-stdlib", lib, (), TARGETS["python-stdlib"])
        npm = npm_tree(work)
        if npm:
            row("js-ts-packages", npm, ("--no-ignore",), TARGETS["js-ts-packages"])

        # Start-up on a one-file tree, and the generated worst case of the resolver.
        one = os.path.join(work, "one")
        factory_chain(one)
        times = sorted(run(scan_cmd(one, 1))[0] for _ in range(5))
        print(f"\ngenerated factory chain (13 levels x 5 returns, 2.4 KB): {times[2] * 1000:.0f} ms (target 50 ms)")
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        with open(os.path.join(empty, "a.py"), "w") as f:
            f.write("x = 1\n")
        times = sorted(run(scan_cmd(empty, 1))[0] for _ in range(5))
        print(f"start-up, one-file tree: {times[2] * 1000:.0f} ms")

        # Thread scaling on the standard library.
        one_thread = statistics.median(run(scan_cmd(lib, 1))[0] for _ in range(args.runs))
        two = statistics.median(run(scan_cmd(lib, 2))[0] for _ in range(args.runs))
        print(f"stdlib --jobs 1 / --jobs 2: {one_thread / two:.2f}x speed-up")

        # Growth per doubling of a synthetic call-graph tree (no quadratic pass).
        print("\nstress tree (modules: gapmap s, growth per doubling; target <= 2.2)")
        prev = None
        for n in (500, 1000, 2000, 4000):
            path = os.path.join(work, f"stress{n}")
            stress_tree(path, n)
            t = statistics.median(run(scan_cmd(path, args.jobs))[0] for _ in range(args.runs))
            growth = f"{t / prev:.2f}" if prev else "-"
            print(f"  {n:5d}: {t:6.2f} s  {growth}", flush=True)
            prev = t


if __name__ == "__main__":
    main()
