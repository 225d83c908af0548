#!/usr/bin/env python3
"""Sums the TRX files of a test run and prints the closing line "N passed, N failed".

Exits non-zero when a test failed or when no test ran at all (a run that tested nothing must not pass).
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main(directory: str) -> int:
    passed = failed = skipped = 0
    for path in glob.glob(os.path.join(directory, "**", "*.trx"), recursive=True):
        counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", NS)
        if counters is None:
            continue
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
        skipped += int(counters.get("notExecuted", 0))
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed > 0 or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "TestResults"))
