#!/usr/bin/env python3
"""Stands in for `aws` (flowrole's FLOWROLE_AWS_CLI) and fails the first N calls as throttled.

Why: flowrole retries throttling with backoff, and a real IAM endpoint (or moto) never throttles
on demand. This wrapper makes the first N invocations fail exactly as the aws CLI fails when
botocore has used up its own retries, then runs the real CLI with the same arguments.

Environment:
  FAKE_AWS_FAIL_FIRST  N, how many (matching) invocations fail (default 0)
  FAKE_AWS_COUNTER     a file holding the count of matching invocations so far (required; created
                       when missing). Counted under an exclusive lock, so concurrent calls
                       (flowrole --parallel) each see their own number.
  FAKE_AWS_ONLY        optional, comma-separated operation names (PutRolePolicy,GetRole); other
                       invocations neither count nor fail
  FAKE_AWS_ERROR_CODE  the error code to print (default Throttling)
  FAKE_AWS_MESSAGE     the error message (default "Rate exceeded")
  FAKE_AWS_EXIT_CODE   the exit status of a failed call (default 255: what aws CLI v1 returns for
                       every service error; v2 returns 254, set it to emulate v2)
  FAKE_AWS_CALL_FIRST  optional, 1: a failing invocation first runs the real call (its output
                       discarded), as when the service did the work but its answer was lost (a 5xx
                       or a dropped connection); the retry then meets the changed state
  FAKE_AWS_REAL        the real aws executable (default: `aws` on PATH)
  FAKE_AWS_LOG         optional file: one JSON line per invocation {"n", "operation", "failed", "argv"}

What a failed call prints to stderr, byte for byte what aws CLI v1 prints after botocore's legacy
retry mode (5 attempts) gave up:

  \\nAn error occurred (Throttling) when calling the PutRolePolicy operation (reached max retries: 4): Rate exceeded\\n
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys

# Global options of the aws CLI that take a value, so the service and command can be found even
# when options come first (`aws --region us-east-1 iam get-role …`).
VALUE_OPTIONS = {
    "--region", "--endpoint-url", "--profile", "--output", "--query", "--ca-bundle", "--cli-read-timeout",
    "--cli-connect-timeout", "--color", "--cli-binary-format", "--cli-input-json", "--cli-input-yaml",
}


def operation_name(argv: list[str]) -> str:
    """The API operation an invocation calls: the CLI command in PascalCase (put-role-policy →
    PutRolePolicy), which is how the CLI names every iam, sts and bedrock-agent operation."""
    words = []
    skip = False
    for argument in argv:
        if skip:
            skip = False
            continue
        if argument.startswith("--"):
            skip = argument in VALUE_OPTIONS
            continue
        words.append(argument)
        if len(words) == 2:
            break
    if len(words) < 2:
        return "Unknown"
    return "".join(part.capitalize() for part in words[1].split("-"))


def next_count(path: str) -> int:
    """Increments the counter file under an exclusive lock and returns the new value (1 for the first call)."""
    with open(path, "a+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        text = file.read().strip()
        count = (int(text) if text else 0) + 1
        file.seek(0)
        file.truncate()
        file.write(f"{count}\n")
        file.flush()
        return count  # the lock goes with the file


def main(argv: list[str]) -> int:
    operation = operation_name(argv)
    only = [name.strip() for name in os.environ.get("FAKE_AWS_ONLY", "").split(",") if name.strip()]
    counted = not only or operation in only

    failed = False
    count = 0
    if counted:
        counter = os.environ.get("FAKE_AWS_COUNTER")
        if not counter:
            sys.stderr.write("fake_aws_throttling: FAKE_AWS_COUNTER is not set (a file to count invocations in)\n")
            return 2
        count = next_count(counter)
        failed = count <= int(os.environ.get("FAKE_AWS_FAIL_FIRST", "0") or 0)

    log = os.environ.get("FAKE_AWS_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.write(json.dumps({"n": count, "operation": operation, "failed": failed, "argv": argv}) + "\n")

    real = os.environ.get("FAKE_AWS_REAL", "aws")
    if failed:
        if os.environ.get("FAKE_AWS_CALL_FIRST") == "1":
            subprocess.run([real] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        code = os.environ.get("FAKE_AWS_ERROR_CODE", "Throttling")
        message = os.environ.get("FAKE_AWS_MESSAGE", "Rate exceeded")
        sys.stderr.write(
            f"\nAn error occurred ({code}) when calling the {operation} operation (reached max retries: 4): {message}\n"
        )
        sys.stderr.flush()
        return int(os.environ.get("FAKE_AWS_EXIT_CODE", "255"))

    try:
        os.execvp(real, [real] + argv)
    except OSError as error:
        sys.stderr.write(f"fake_aws_throttling: cannot run {real}: {error}\n")
        return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
