#!/usr/bin/env python3
"""Load a running BmesCds and watch its process (driven by scripts/soak.sh; usable alone).

  scripts/soak.py soak   --service URL --fhir URL --pid PID [--seconds 600] [--rate 20]
      A steady, bounded mix: valid hook calls with full prefetch (50 %), invalid requests (20 %), calls that leave
      out one prefetch key (10 %) or all of them (10 %) so the service fetches from the (slow) FHIR server, feedback
      (10 %). After a warm-up with the same mix (--warmup, 60 s), prints the count of each status, the 5xx count,
      RSS and thread count of PID at start, peak and end.
  scripts/soak.py huge   --service URL --pid PID [--calls 8] [--parallel 4] [--megabytes 30]
      A hostile FHIR server of its own (on loopback) answers every search with a JSON Bundle of the given size;
      hook calls with no prefetch make the service fetch from it. Prints RSS before, peak, just after, and after
      60 s idle.

Exit code 0 when no answer was a 5xx (soak) or every answer was a 412 (huge), 1 otherwise, 2 on usage.
"""
import argparse
import collections
import glob
import http.server
import json
import os
import random
import socketserver
import sys
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = {"order-select": "bmes-order-select", "order-sign": "bmes-order-sign", "patient-view": "bmes-patient-view"}


def proc_status(pid):
    """(RSS in MB, threads) of a process, from /proc."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            values[key] = value.strip()
    return int(values["VmRSS"].split()[0]) / 1024, int(values["Threads"])


def post(url, body, content_type="application/json", timeout=60):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        text = error.read().decode(errors="replace")
        # A 412 says why: the time budget, or anything else (told apart in the summary).
        if error.code == 412:
            return "412 (time budget)" if "time budget" in text else "412 (other)"
        return error.code
    except (urllib.error.URLError, OSError) as error:
        return f"error:{type(error).__name__}"


def sample_requests():
    requests = []
    for path in sorted(glob.glob(os.path.join(ROOT, "samples", "cases", "*.request.json"))):
        with open(path, encoding="utf-8") as handle:
            requests.append(json.load(handle))
    if not requests:
        sys.exit("no samples/cases/*.request.json found")
    return requests


INVALID = [
    b"{not json",
    b'{"hook":"patient-view"}',
    b'{"hookInstance":"x","hook":"patient-view","context":{"patientId":42}}',
    b'{"hookInstance":"6d2f1d5e-0f8b-4f38-9d43-2b0f4b1f2a10","hook":"order-select","context":{"patientId":"p","userId":"u","selections":["ServiceRequest/x"],"draftOrders":{"resourceType":"Patient"}}}',
    b"[]",
]
FEEDBACK = {"feedback": [{"card": "9368d37b-283f-44a0-93ea-547cebab93ed", "outcome": "overridden",
                          "outcomeTimestamp": "2026-11-28T10:00:00Z"}]}


def soak(args):
    requests = sample_requests()
    rng = random.Random(12)
    service = args.service.rstrip("/")

    def one(kind):
        sample = rng.choice(requests)
        url = f"{service}/cds-services/{SERVICES[sample['hook']]}"
        if kind == "valid":
            return post(url, sample)
        if kind == "invalid":
            return post(url, rng.choice(INVALID))
        if kind in ("fallback-one", "fallback-all"):
            stripped = dict(sample)
            if kind == "fallback-one":
                stripped["prefetch"] = {key: value for key, value in sample["prefetch"].items() if key != "conditions"}
            else:
                stripped.pop("prefetch", None)
            stripped["fhirServer"] = args.fhir
            return post(url, stripped)
        return post(f"{url}/feedback", FEEDBACK)

    kinds = ["valid"] * 5 + ["invalid"] * 2 + ["fallback-one", "fallback-all", "feedback"]
    counts = collections.Counter()
    lock = threading.Lock()

    def run(kind):
        status = one(kind)
        with lock:
            counts[(kind, status)] += 1

    def drive(seconds, report):
        workers = []
        started = time.monotonic()
        next_report = started + 60
        sent = 0
        while time.monotonic() - started < seconds:
            due = started + sent / args.rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            worker = threading.Thread(target=run, args=(kinds[sent % len(kinds)],), daemon=True)
            worker.start()
            workers.append(worker)
            sent += 1
            workers = [w for w in workers if w.is_alive()]
            if report and time.monotonic() >= next_report:
                report(time.monotonic() - started, len(workers))
                next_report += 60
        for worker in workers:
            worker.join(timeout=90)

    # Warm-up with the same mix: JIT, caches, pools and the GC's heap size settle before the start figure.
    drive(args.warmup, None)
    counts.clear()
    rss_start, threads_start = proc_status(args.pid)
    peak = [rss_start, threads_start]
    print(f"start (after {args.warmup:.0f} s warm-up): RSS {rss_start:.0f} MB, {threads_start} threads; {args.rate}/s for {args.seconds:.0f} s", flush=True)

    def report(elapsed, in_flight):
        rss, threads = proc_status(args.pid)
        peak[0], peak[1] = max(peak[0], rss), max(peak[1], threads)
        with lock:
            done = sum(counts.values())
            fivexx = sum(n for (_, s), n in counts.items() if isinstance(s, int) and s >= 500)
        print(f"{elapsed:5.0f} s: {done} answered, {fivexx} 5xx, RSS {rss:.0f} MB, {threads} threads, {in_flight} in flight", flush=True)

    started = time.monotonic()
    drive(args.seconds, report)
    rss_end, threads_end = proc_status(args.pid)
    peak_rss, peak_threads = max(peak[0], rss_end), max(peak[1], threads_end)

    fivexx = sum(n for (_, s), n in counts.items() if isinstance(s, int) and s >= 500)
    failures = sum(n for (_, s), n in counts.items() if str(s).startswith("error:"))
    print("answers by kind and status:")
    for (kind, status), n in sorted(counts.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        print(f"  {kind:12} {status}: {n}")
    print(f"requests: {sum(counts.values())} in {time.monotonic() - started:.0f} s; 5xx: {fivexx}; no answer: {failures}")
    print(f"RSS: start {rss_start:.0f} MB, peak {peak_rss:.0f} MB, end {rss_end:.0f} MB (growth {rss_end - rss_start:+.0f} MB)")
    print(f"threads: start {threads_start}, peak {peak_threads}, end {threads_end}")
    return 0 if fivexx == 0 and failures == 0 else 1


class HugeFhirServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def huge_handler(megabytes):
    entry = b'{"resource":{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/x"}}},'
    body = b'{"resourceType":"Bundle","type":"searchset","entry":[' + entry * (megabytes * 1024 * 1024 // len(entry))
    body = body[:-1] + b"]}"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if "/Patient/" in self.path and "?" not in self.path:
                payload = json.dumps({"resourceType": "Patient", "id": self.path.rsplit("/", 1)[1], "gender": "male", "birthDate": "1980-01-01"}).encode()
            else:
                payload = body
            self.send_response(200)
            self.send_header("Content-Type", "application/fhir+json")
            # No Content-Length: a server that announces nothing must still be cut off at the cap.
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for at in range(0, len(payload), 1 << 16):
                    self.wfile.write(payload[at:at + (1 << 16)])
            except OSError:
                pass

        def log_message(self, *args):
            pass

    return Handler


def huge(args):
    server = HugeFhirServer(("127.0.0.1", 0), huge_handler(args.megabytes))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fhir = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    request = {"hookInstance": "0c8b2a8e-8f41-4b0e-9a57-7a3a4b8d9e11", "hook": "patient-view", "fhirServer": fhir,
               "context": {"patientId": "huge-1", "userId": "Practitioner/1"}}
    url = f"{args.service.rstrip('/')}/cds-services/bmes-patient-view"
    before, _ = proc_status(args.pid)
    peak = [before]
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            peak[0] = max(peak[0], proc_status(args.pid)[0])
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()
    statuses = collections.Counter()
    lock = threading.Lock()

    def call():
        status = post(url, request)
        with lock:
            statuses[status] += 1

    started = time.monotonic()
    for batch in range(0, args.calls, args.parallel):
        threads = [threading.Thread(target=call) for _ in range(min(args.parallel, args.calls - batch))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.monotonic() - started
    stop.set()
    after, _ = proc_status(args.pid)
    time.sleep(args.idle)
    idle, threads = proc_status(args.pid)
    server.shutdown()
    print(f"{args.calls} calls ({args.parallel} at once), each fetching 7 searches answered with {args.megabytes} MB: "
          f"statuses {dict(statuses)} in {elapsed:.1f} s")
    print(f"RSS: before {before:.0f} MB, peak {peak[0]:.0f} MB, just after {after:.0f} MB, after {args.idle} s idle {idle:.0f} MB; {threads} threads")
    return 0 if all(str(status).startswith("412") for status in statuses) else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = parser.add_subparsers(dest="verb", required=True)
    run = verbs.add_parser("soak")
    run.add_argument("--service", required=True)
    run.add_argument("--fhir", required=True)
    run.add_argument("--pid", type=int, required=True)
    run.add_argument("--seconds", type=float, default=600)
    run.add_argument("--rate", type=float, default=20)
    run.add_argument("--warmup", type=float, default=60)
    attack = verbs.add_parser("huge")
    attack.add_argument("--service", required=True)
    attack.add_argument("--pid", type=int, required=True)
    attack.add_argument("--calls", type=int, default=8)
    attack.add_argument("--parallel", type=int, default=4)
    attack.add_argument("--megabytes", type=int, default=30)
    attack.add_argument("--idle", type=float, default=60)
    args = parser.parse_args()
    return soak(args) if args.verb == "soak" else huge(args)


if __name__ == "__main__":
    sys.exit(main())
