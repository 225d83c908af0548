#!/usr/bin/env python3
"""Work with samples/ against live servers.

  scripts/samples.py load   <fhir-base-url>      load every samples/**/*.patient.json into a FHIR server
  scripts/samples.py replay <service-base-url>   post every samples/**/*.request.json to a running BmesCds and
                                                 diff each answer with its *.response.json (uuids normalised)
  scripts/samples.py sandbox-urls <service-base-url> <fhir-base-url> [--sandbox URL]
                                                 print one CDS Hooks sandbox URL per patient of
                                                 scripts/sandbox-showcase.json, with what to do there

Options:
  load   --token TOKEN      adds 'Authorization: Bearer TOKEN' (a secured FHIR server)
  replay --key FILE --iss ISSUER
                            a BmesCds with Auth:Mode Required: each request is sent by `bmes-cds call`, which mints a
                            fresh token (new jti, aud = the exact URL) for it, since a CDS client token is good once
         --bmes-cds CMD     how to run bmes-cds (default: `bmes-cds` when on PATH, else
                            `dotnet run --project src/BmesCds.Cli --`)
Exit code 0 when everything loaded / matched, 1 otherwise, 2 on usage.
The answers depend on the clock: the samples are written for 2026-11-28T12:00:00Z, so run replay against a service
started with that date (the golden tests fix it) or expect date-dependent differences.
"""
import argparse
import difflib
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
SERVICES = {"order-select": "bmes-order-select", "order-sign": "bmes-order-sign", "patient-view": "bmes-patient-view"}
SHOWCASE = os.path.join(ROOT, "scripts", "sandbox-showcase.json")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def post(url, body, token, content_type):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": content_type, "Accept": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, OSError) as error:
        return 0, f"no answer from {url}: {getattr(error, 'reason', error)}"


def normalise(text):
    # Number the uuids in document order (as the golden files do), then sort keys for a stable diff.
    seen = {}
    numbered = UUID.sub(lambda m: seen.setdefault(m.group(0), f"uuid-{len(seen) + 1}"), text)
    return json.dumps(json.loads(numbered), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def files(suffix):
    return sorted(glob.glob(os.path.join(SAMPLES, "**", f"*{suffix}"), recursive=True))


def load(base, token):
    failures = 0
    for path in files(".patient.json"):
        with open(path, encoding="utf-8") as handle:
            bundle = json.load(handle)
        status, body = post(base.rstrip("/"), bundle, token, "application/fhir+json")
        ok = 200 <= status < 300
        failures += 0 if ok else 1
        print(f"{'loaded' if ok else 'FAILED'} {os.path.relpath(path, ROOT)} ({status})")
        if not ok:
            print(body[:500])
    return 1 if failures else 0


def bmes_cds_command(given):
    if given:
        return shlex.split(given)
    if shutil.which("bmes-cds"):
        return ["bmes-cds"]
    return ["dotnet", "run", "--project", os.path.join(ROOT, "src", "BmesCds.Cli"), "--"]


def call(command, url, path, key, iss):
    """POST one request file with `bmes-cds call` (a fresh token for this URL); (status, body)."""
    result = subprocess.run([*command, "call", url, "--data", path, "--key", key, "--iss", iss],
                            capture_output=True, text=True, check=False)
    status = re.search(r"^HTTP (\d{3})$", result.stderr, re.MULTILINE)
    if not status:
        return 0, f"bmes-cds call failed (exit {result.returncode}): {result.stderr.strip()}"
    return int(status.group(1)), result.stdout


def replay(base, key, iss, command):
    failures = 0
    for path in files(".request.json"):
        with open(path, encoding="utf-8") as handle:
            request = json.load(handle)
        url = f"{base.rstrip('/')}/cds-services/{SERVICES[request['hook']]}"
        if key:
            status, body = call(command, url, path, key, iss)
        else:
            status, body = post(url, request, None, "application/json")
        expected_path = path[: -len(".request.json")] + ".response.json"
        with open(expected_path, encoding="utf-8") as handle:
            expected = normalise(handle.read())
        actual = normalise(body) if status == 200 else f"HTTP {status}\n{body}"
        name = os.path.relpath(path, ROOT)
        if actual == expected:
            print(f"same    {name}")
            continue
        failures += 1
        print(f"DIFFERS {name}")
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "expected", "actual"))
    print(f"{len(files('.request.json')) - failures} same, {failures} different")
    return 1 if failures else 0


def sandbox_urls(service_base, fhir_base, sandbox):
    with open(SHOWCASE, encoding="utf-8") as handle:
        showcase = json.load(handle)["patients"]
    names = {}
    for path in files(".request.json"):
        with open(path, encoding="utf-8") as handle:
            patient = json.load(handle)["prefetch"]["patient"]
        names[patient["id"]] = patient.get("name", [{}])[0].get("text", patient["id"])
    for entry in showcase:
        query = urllib.parse.urlencode({
            "serviceDiscoveryURL": f"{service_base.rstrip('/')}/cds-services",
            "fhirServiceUrl": fhir_base.rstrip("/"),
            "patientId": entry["patient"],
            "screen": entry["screen"],
            "hook": entry["hook"],
        }, safe=":/")
        screen = "PAMA Imaging" if entry["screen"] == "pama" else "Patient View"
        print(f"{names.get(entry['patient'], entry['patient'])} [{screen}] -> {entry['indicator']} {entry['rule']}")
        print(f"  {entry['what']}")
        print(f"  {sandbox.rstrip('/')}/?{query}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["load", "replay", "sandbox-urls"])
    parser.add_argument("url")
    parser.add_argument("fhir_url", nargs="?", help="sandbox-urls: the FHIR server the sandbox and the service share")
    parser.add_argument("--sandbox", default="https://sandbox.cds-hooks.org", help="sandbox-urls: the sandbox to open")
    parser.add_argument("--token", help="load: bearer token for a secured FHIR server")
    parser.add_argument("--key", help="replay: private key of a client trusted by the service (see `bmes-cds keygen`)")
    parser.add_argument("--iss", help="replay: that client's issuer")
    parser.add_argument("--bmes-cds", dest="bmes_cds", help="replay: command that runs bmes-cds")
    args = parser.parse_args()
    if args.command == "sandbox-urls":
        if not args.fhir_url:
            parser.error("sandbox-urls needs the service base URL and the FHIR server base URL")
        return sandbox_urls(args.url, args.fhir_url, args.sandbox)
    if args.fhir_url:
        parser.error(f"unexpected argument {args.fhir_url}")
    if args.command == "load":
        if args.key or args.iss:
            parser.error("--key and --iss are for replay; load takes the FHIR server's --token")
        return load(args.url, args.token)
    if args.token:
        parser.error("replay sends many requests and a CDS client token is good for one call: use --key and --iss")
    if bool(args.key) != bool(args.iss):
        parser.error("--key and --iss go together")
    return replay(args.url, args.key, args.iss, bmes_cds_command(args.bmes_cds))


if __name__ == "__main__":
    sys.exit(main())
