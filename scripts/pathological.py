#!/usr/bin/env python3
"""Generate pathological but valid exports, to check flowrole's time and memory stay bounded.

  pathological.py statements OUT_DIR [--statements N]   (default 100,000)
      iam-authorization-details.json: one flow role whose inline policy has N Allow statements,
      each on its own resources (S3 objects, DynamoDB tables, SQS queues, models, other Lambda
      functions). IAM's size quota (10,240 characters of inline policy per role) would never
      allow this; flowrole must still plan it in bounded time.
      flows.json: one legacy flow (created before 2024-11-22) using that role, with a Lambda, a
      Lex and a Prompt-management node, so the plan has grants to add.

  pathological.py flows OUT_DIR [--flows N] [--pool P]   (default 10,000 flows, pool 10)
      iam-authorization-details.json: one ordinary flow role.
      flows.json: N legacy flows using that role (each with 2 to 6 nodes, half with a version
      and an alias), their Lambda functions, Lex bot aliases and prompts drawn from P of each.

Then, for example:
  swift build -c release --scratch-path .build-catalogue
  python3 scripts/pathological.py statements /tmp/patho-statements
  /usr/bin/time -v .build-catalogue/release/flowrole plan /tmp/patho-statements --out /tmp/x

Deterministic (seeded); standard library only. Shapes as in ../shared/bench/gen_export.py.
"""
import argparse
import json
import os
import random

ACCOUNT = "111122223333"
REGION = "us-east-1"
ROLE_NAME = "AmazonBedrockExecutionRoleForFlows_Pathological"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/service-role/{ROLE_NAME}"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def rid(rng, n=10):
    return "".join(rng.choice(ALNUM) for _ in range(n))


def trust():
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "FlowsTrustBedrock", "Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                      "ArnLike": {"AWS:SourceArn": f"arn:aws:bedrock:{REGION}:{ACCOUNT}:flow/*"}}}]}


def base_statements():
    return [
        {"Sid": "InvokeModel", "Effect": "Allow", "Action": ["bedrock:InvokeModel"],
         "Resource": [f"arn:aws:bedrock:{REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]},
        {"Sid": "UsePromptFromPromptManagement", "Effect": "Allow", "Action": ["bedrock:GetPrompt"],
         "Resource": [f"arn:aws:bedrock:{REGION}:{ACCOUNT}:prompt/*"]},
    ]


def statement(i):
    """A realistic Allow statement on resources of its own (index i)."""
    kind = i % 5
    if kind == 0:
        return {"Sid": f"ReadBucket{i}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": [f"arn:aws:s3:::flows-data-{i:06d}", f"arn:aws:s3:::flows-data-{i:06d}/*"]}
    if kind == 1:
        return {"Sid": f"Table{i}", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/flows-table-{i:06d}"}
    if kind == 2:
        return {"Sid": f"Queue{i}", "Effect": "Allow", "Action": "sqs:SendMessage",
                "Resource": f"arn:aws:sqs:{REGION}:{ACCOUNT}:flows-queue-{i:06d}",
                "Condition": {"StringEquals": {"aws:ResourceAccount": ACCOUNT}}}
    if kind == 3:
        return {"Sid": f"Model{i}", "Effect": "Allow", "Action": ["bedrock:InvokeModel"],
                "Resource": f"arn:aws:bedrock:{REGION}:{ACCOUNT}:provisioned-model/pm{i:06d}"}
    return {"Sid": f"OtherFunction{i}", "Effect": "Allow", "Action": "lambda:InvokeFunction",
            "Resource": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:other-{i:06d}"}


def role(statements):
    return {"Path": "/service-role/", "RoleName": ROLE_NAME, "RoleId": "AROAPATHOLOGICAL00001", "Arn": ROLE_ARN,
            "CreateDate": "2024-06-01T10:00:00+00:00", "AssumeRolePolicyDocument": trust(),
            "InstanceProfileList": [],
            "RolePolicyList": [{"PolicyName": "BedrockFlowsPolicy",
                                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}],
            "AttachedManagedPolicies": [], "Tags": [], "RoleLastUsed": {}}


def node(kind, name, pick):
    n = {"name": name, "type": kind, "inputs": [{"name": "document", "type": "String", "expression": "$.data"}],
         "outputs": [{"name": "output", "type": "String"}]}
    if kind == "LambdaFunction":
        n["configuration"] = {"lambdaFunction": {
            "lambdaArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:flow-fn-{pick():04d}"}}
    elif kind == "Lex":
        bot = pick()
        n["configuration"] = {"lex": {
            "botAliasArn": f"arn:aws:lex:{REGION}:{ACCOUNT}:bot-alias/BOT{bot:07d}/ALIAS{bot:05d}",
            "localeId": "en_US"}}
    elif kind == "Prompt":
        n["configuration"] = {"prompt": {"sourceConfiguration": {"resource": {
            "promptArn": f"arn:aws:bedrock:{REGION}:{ACCOUNT}:prompt/PROMPT{pick():05d}"}}}}
    else:
        n["configuration"] = {kind[0].lower() + kind[1:]: {}}
    return n


def definition(kinds, pick):
    kinds = ["Input"] + kinds + ["Output"]
    nodes = [node(k, f"{k}Node{i}", pick) for i, k in enumerate(kinds)]
    connections = [{"name": f"c{i}", "source": nodes[i]["name"], "target": nodes[i + 1]["name"], "type": "Data",
                    "configuration": {"data": {"sourceOutput": "output", "targetInput": "document"}}}
                   for i in range(len(nodes) - 1)]
    return {"nodes": nodes, "connections": connections}


def flow(index, rng, kinds, pick, with_version):
    fid = rid(rng)
    arn = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:flow/{fid}"
    created = f"2024-{1 + index % 10:02d}-{1 + index % 28:02d}T10:00:00+00:00"  # all before 2024-11-22
    f = {"name": f"flow-{index}", "executionRoleArn": ROLE_ARN, "id": fid, "arn": arn, "status": "Prepared",
         "createdAt": created, "updatedAt": created, "version": "DRAFT", "definition": definition(kinds, pick),
         "validations": [], "versions": [], "aliases": []}
    if with_version:
        f["versions"] = [{"name": f["name"], "executionRoleArn": ROLE_ARN, "id": fid, "arn": arn,
                          "status": "Prepared", "createdAt": created, "version": "1",
                          "definition": definition(kinds, pick)}]
        alias = rid(rng)
        f["aliases"] = [{"name": "live", "id": alias, "flowId": fid, "arn": f"{arn}/alias/{alias}",
                         "routingConfiguration": [{"flowVersion": "1"}], "createdAt": created,
                         "updatedAt": created}]
    return f


def write(out, roles, flows):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "iam-authorization-details.json"), "w") as fh:
        json.dump({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles, "Policies": []}, fh,
                  indent=4)
    with open(os.path.join(out, "flows.json"), "w") as fh:
        json.dump({"flows": flows}, fh, indent=4)
    sizes = {n: os.path.getsize(os.path.join(out, n)) for n in ("iam-authorization-details.json", "flows.json")}
    print(json.dumps({"roles": len(roles), "flows": len(flows), "bytes": sizes}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="kind", required=True)
    s = sub.add_parser("statements", help="one role whose inline policy has N statements")
    s.add_argument("out")
    s.add_argument("--statements", type=int, default=100_000)
    f = sub.add_parser("flows", help="one role used by N flows")
    f.add_argument("out")
    f.add_argument("--flows", type=int, default=10_000)
    f.add_argument("--pool", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    a = parser.parse_args()
    rng = random.Random(a.seed)

    if a.kind == "statements":
        statements = base_statements() + [statement(i) for i in range(a.statements)]
        counter = iter(range(1_000_000))
        flows = [flow(0, rng, ["LambdaFunction", "Lex", "Prompt"], lambda: next(counter), with_version=False)]
        write(a.out, [role(statements)], flows)
    else:
        def pick():
            return rng.randrange(a.pool)
        choices = ["LambdaFunction", "Lex", "Prompt", "Prompt", "Condition"]
        flows = [flow(i, rng, [rng.choice(choices) for _ in range(rng.randint(2, 6))], pick,
                      with_version=rng.random() < 0.5)
                 for i in range(a.flows)]
        write(a.out, [role(base_statements())], flows)


if __name__ == "__main__":
    main()
