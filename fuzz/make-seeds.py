#!/usr/bin/env python3
"""Regenerates the committed seed corpora (fuzz/corpus/TARGET/) from the project's fixtures.

    python3 fuzz/make-seeds.py

Seeds come from Tests/EndToEndTests/Fixtures, Tests/InventoryTests/Fixtures and examples/ (small
files only), plus hand-made inputs for the paths fixtures do not reach (JSON Lines, arrays of
pages, the two-thread split, skipped values, hostile XML, every policy form). Existing seeds are
replaced; nothing outside fuzz/corpus/ is written.
"""
import json
import pathlib
import re
import shutil
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
FIXTURES = [ROOT / "Tests/EndToEndTests/Fixtures", ROOT / "Tests/InventoryTests/Fixtures", ROOT / "examples"]
MAX_BYTES = 12 * 1024
# The scenario fixtures are alike: a few of them, for their shapes (manifest, versions, sharing).
SCENARIOS = {"ALREADY_GRANTED", "FLOW_VERSIONS_INCOMPLETE", "SHARED_MANAGED_POLICY", "TRUST_COVERAGE", "selection"}


def fixture_files(suffix):
    seen = {}
    for base in FIXTURES:
        for path in sorted(base.rglob("*" + suffix)):
            if "snapshots" in path.parts or not path.is_file() or path.stat().st_size > MAX_BYTES:
                continue
            if "scenarios" in path.parts and path.parts[path.parts.index("scenarios") + 1] not in SCENARIOS:
                continue
            data = path.read_bytes()
            seen.setdefault(data, path)  # the same file is in several fixture folders
    return {path: data for data, path in seen.items()}


def seed_name(path):
    relative = path.relative_to(ROOT)
    return "fixture-" + "-".join(relative.parts[-3:])


def write(target, name, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (directory / name).write_bytes(data)


def reset(target):
    shutil.rmtree(CORPUS / target, ignore_errors=True)
    (CORPUS / target).mkdir(parents=True)


def json_seeds(jsons):
    reset("json")
    # A sample of real exports of every kind, bad ones included.
    for path, data in list(jsons.items()):
        if len(data) <= 6 * 1024 and "scenarios" not in path.parts:
            write("json", seed_name(path), data)
    flow = {
        "id": "ABCDEFGHIJ", "arn": "arn:aws:bedrock:us-east-1:111122223333:flow/ABCDEFGHIJ",
        "definition": {"nodes": [{"name": "n", "type": "Prompt", "inputs": [{"name": "x"}],
                                  "configuration": {"prompt": {"promptTemplate": "t \\u00e9"}}}],
                       "connections": [{"source": "a", "target": "b"}]},
    }
    hand = {
        "json-lines.json": '{"a":1}\n{"b":[true,false,null]}\n',
        "pages.json": '[{"PolicyNames":["p"],"IsTruncated":true,"Marker":"m"},{"PolicyNames":["q"],"IsTruncated":false}]',
        "split-pretty.json": json.dumps({"flows": [dict(flow, id=f"F{i:09d}") for i in range(6)]}, indent=2),
        "split-minified.json": json.dumps([{"a": i, "b": [{"a": i}]} for i in range(12)], separators=(",", ":")),
        "split-decoy.json": '[{"k":"x"},{"k":"y, {\\"k\\":1}"}, {"k":"z"},{"k":"w"}]',
        "skipped-definition.json": json.dumps(flow),
        "skipped-duplicate.json": '{"definition":{"code":1,"code":2}}',
        "numbers.json": '[0,-0,1.5e10,-2E-3,12345678901234567890123,0.0]',
        "escapes.json": '["\\"\\\\\\/\\b\\f\\n\\r\\t","\\u0000\\u001f\\u00e9\\uD83D\\uDE00","\\u2028"]',
        "bom.json": b"\xef\xbb\xbf{\"a\":\"\xc3\xa9\"}",
        "utf16.json": "\ufeff{}".encode("utf-16-le"),
        "deep.json": "[" * 513 + "]" * 513,
        "deep-skipped.json": '{"definition":{"code":' + "[" * 512 + "]" * 512 + "}}",
        "keys-equivalent.json": '{"\\u00e9":1,"e\\u0301":2}',
    }
    for name, data in hand.items():
        write("json", name, data)


def inventory_seeds(jsons):
    reset("inventory-json")
    for path, data in jsons.items():
        write("inventory-json", seed_name(path), data)


def xml_seeds():
    reset("xml")
    for path, data in fixture_files(".xml").items():
        write("xml", seed_name(path), data)
    hand = {
        "entity-internal.xml": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>',
        "entity-parameter.xml": '<!DOCTYPE r [<!ENTITY % p "<!ENTITY e \'x\'>"> %p;]><r/>',
        "entity-external.xml": '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>',
        "entity-unparsed.xml": '<!DOCTYPE r [<!NOTATION n SYSTEM "x"><!ENTITY e SYSTEM "y" NDATA n>]><r/>',
        "dtd-external.xml": '<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>',
        "dtd-public.xml": '<!DOCTYPE r PUBLIC "-//X//EN" "r.dtd"><r/>',
        "dtd-internal-only.xml": '<!DOCTYPE r [<!ELEMENT r ANY><!ATTLIST r a CDATA "<!ENTITY">]><r a="1"/>',
        "undeclared-entity.xml": "<r>&nope;</r>",
        "character-references.xml": "<r><a>&#x41;&#65;&amp;&lt;&gt;&quot;&apos;</a><b><![CDATA[<x>]]></b></r>",
        "members.xml": "<r><L><member><a>1</a></member><member/><member>t</member></L></r>",
        "mixed.xml": "<r>text<a/>more</r>",
        "duplicate.xml": "<r><a/><a/></r>",
        "namespaces.xml": '<x:r xmlns:x="urn:x" xmlns="urn:d"><x:a>1</x:a><b y:z="1"/></x:r>',
        "comments-pis.xml": "<?xml version='1.0'?><!-- c --><?pi x?><r><!-- c --><?pi?><a>1</a></r>",
        "utf16.xml": '<?xml version="1.0" encoding="UTF-16"?><r><a>é</a></r>'.encode("utf-16"),
        "latin1.xml": '<?xml version="1.0" encoding="ISO-8859-1"?><r>\xe9</r>'.encode("latin-1"),
        "error-response.xml": "<ErrorResponse><Error><Code>X</Code><Message>m\x1b[31m</Message></Error></ErrorResponse>",
    }
    for name, data in hand.items():
        write("xml", name, data)


def policy_documents(jsons):
    documents = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("PolicyDocument", "AssumeRolePolicyDocument", "Document"):
                    documents.append(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for data in jsons.values():
        try:
            walk(json.loads(data))
        except ValueError:
            pass
    return documents


def policy_seeds(jsons):
    reset("policy")
    seen = set()
    count = 0
    for document in policy_documents(jsons):
        if isinstance(document, str):
            text = document
            try:
                document = json.loads(urllib.parse.unquote(text) if not text.lstrip().startswith("{") else text)
            except ValueError:
                write("policy", f"fixture-text-{count:02d}", text)
                count += 1
                continue
        canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
        if canonical in seen:
            continue
        seen.add(canonical)
        forms = [
            ("object", json.dumps(document, indent=2)),
            ("json-text-literal", json.dumps(canonical)),
            ("percent", urllib.parse.quote(canonical, safe="")),
        ]
        for form, data in forms:
            if len(data) <= 4096:
                write("policy", f"fixture-{count:02d}-{form}", data)
        count += 1
        if count >= 12:
            break
    hand = {
        "conditions.json": {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "c", "Effect": "Allow", "Action": ["bedrock:*", "lambda:Invoke?unction"],
                "Resource": "arn:aws:lambda:*:${aws:PrincipalAccount}:function:${aws:username, 'x'}-*",
                "Condition": {
                    "StringLike": {"aws:SourceArn": ["arn:aws:bedrock:*:111122223333:flow/*"]},
                    "ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]},
                    "NumericLessThanEquals": {"s3:max-keys": "10"},
                    "DateGreaterThan": {"aws:CurrentTime": "2024-11-22T00:00:00Z"},
                    "DateLessThan": {"aws:EpochTime": 1732233600},
                    "Bool": {"aws:SecureTransport": True},
                    "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                    "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
                    "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"},
                    "Null": {"aws:TokenIssueTime": "true"},
                    "ForAllValues:StringNotEqualsIgnoreCase": {"aws:RequestTag/k": "V"},
                    "BinaryEquals": {"k": "QUJD"},
                },
            }],
        },
        "trust.json": {
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com", "AWS": ["*", "111122223333"]},
                          "Action": "sts:AssumeRole",
                          "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:111122223333:flow/*"}}},
        },
        "not-elements.json": {
            "Version": "2008-10-17", "Id": "i",
            "Statement": [{"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["${aws:username}"],
                           "NotPrincipal": "*"}],
        },
    }
    for name, document in hand.items():
        write("policy", name, json.dumps(document))
        write("policy", name + ".percent", urllib.parse.quote(json.dumps(document), safe=""))
    write("policy", "bad-percent", "%7B%2")
    write("policy", "whitespace-json-text", json.dumps('  \n{"Statement":[]}'))


def arn_seeds(jsons):
    reset("arn")
    found = set()
    for data in jsons.values():
        for match in re.findall(rb'arn:[a-z-]+:[^"\s<>]*', data):
            found.add(match)
    for index, arn in enumerate(sorted(found)[::4][:24]):
        write("arn", f"fixture-{index:02d}", arn)
    hand = [
        "arn:aws:s3:::bucket", "arn:aws-cn:iam::aws:policy/AdministratorAccess",
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1",
        "arn:aws:lex:us-east-1:111122223333:bot-alias/ABC/DEF", "arn:aws:iam::111122223333:role/a:b/c",
        "arn:aws:iam::11112222333:role/x", "arn:aws:IAM::111122223333:role/x", "arn:aws:iam:::",
        "arn:aws:s3:::\u0301bucket", "arn:aws:s3:\u0301::bucket", "arn\uff1aaws:s3:::b", "arn:aws-iso-f:s3:::b",
        "arn:aws:iam::111122223333:role/${aws:username}*", "arn:aws:s3:::a\r\nb",
    ]
    for index, arn in enumerate(hand):
        write("arn", f"hand-{index:02d}", arn)


def main():
    jsons = fixture_files(".json")
    json_seeds(jsons)
    inventory_seeds(jsons)
    xml_seeds()
    policy_seeds(jsons)
    arn_seeds(jsons)
    for target in sorted(p.name for p in CORPUS.iterdir()):
        files = list((CORPUS / target).iterdir())
        print(f"{target}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
