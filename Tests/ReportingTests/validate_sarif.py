#!/usr/bin/env python3
"""Validate SARIF logs against the OASIS SARIF 2.1.0 JSON schema (draft-04).

Usage: validate_sarif.py SCHEMA SARIF...

Prints one line per problem (`file: path.to.value: message`) and exits 1 when any log is
invalid, 0 when all are valid, 2 on a usage error. Called by SARIFReportTests.swift.
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    failed = False
    for path in argv[2:]:
        with open(path, encoding="utf-8") as handle:
            log = json.load(handle)
        errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
        for error in errors:
            where = ".".join(str(part) for part in error.absolute_path) or "(root)"
            print(f"{path}: {where}: {error.message}")
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
