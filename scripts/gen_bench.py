#!/usr/bin/env python3
"""Generate a large, deterministic synthetic account export for benchmarking flowrole.

Writes into OUT_DIR:
  iam-authorization-details.json  shaped like `aws iam get-account-authorization-details`
  flows.json                       a bundle {"flows": [get-flow objects with "versions" and "aliases"]}

Usage: gen_bench.py OUT_DIR [--roles N] [--flows-per-role K] [--accounts A] [--seed S]

Same output shape, sizes and bytes as ../../shared/bench/gen_export.py for the same arguments
(the two are interchangeable for measurements); this one streams flows.json to disk flow by
flow instead of building the whole bundle in memory, so 10,000+ roles need little RAM.
Sizes scale linearly with --roles; 10,000 roles with 2 flows each is about 360 MB of JSON
(34 MB IAM, the rest flows). Every flow carries "versions" and "aliases" keys (possibly empty),
so its versions count as known; about a fifth of the roles also attach a customer-managed policy.
The same arguments always give byte-identical files.
Prints one JSON line: {"roles", "flows", "bytes": {file: size}}.
"""
import argparse, json, os, random
from datetime import datetime, timedelta, timezone

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
IAM_FILE, FLOWS_FILE = "iam-authorization-details.json", "flows.json"


def rid(rng, n=10):
    return "".join(rng.choice(ALNUM) for _ in range(n))


def trust(account, region, rng):
    # Mostly console-style (the role's own region), some with a region wildcard, a few unconditioned.
    r = rng.random()
    where = region if r < 0.85 else "*"
    cond = {"StringEquals": {"aws:SourceAccount": account},
            "ArnLike": {"AWS:SourceArn": f"arn:aws:bedrock:{where}:{account}:flow/*"}}
    if r > 0.95:
        cond = None
    st = {"Sid": "FlowsTrustBedrock", "Effect": "Allow",
          "Principal": {"Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole"}
    if cond:
        st["Condition"] = cond
    return {"Version": "2012-10-17", "Statement": [st]}


def base_policy(account, region, rng):
    models = [f"arn:aws:bedrock:{region}::foundation-model/anthropic.claude-3-haiku-2024030{i}-v1:0"
              for i in range(1, 1 + rng.randint(1, 3))]
    stmts = [{"Sid": "InvokeModel", "Effect": "Allow", "Action": ["bedrock:InvokeModel"], "Resource": models},
             {"Sid": "UsePromptFromPromptManagement", "Effect": "Allow", "Action": ["bedrock:GetPrompt"],
              "Resource": [f"arn:aws:bedrock:{region}:{account}:prompt/{rid(rng)}"]},
             {"Sid": "QueryKnowledgeBase", "Effect": "Allow", "Action": ["bedrock:Retrieve", "bedrock:RetrieveAndGenerate"],
              "Resource": [f"arn:aws:bedrock:{region}:{account}:knowledge-base/{rid(rng)}"]}]
    if rng.random() < 0.2:
        stmts.append({"Sid": "AccessS3Bucket", "Effect": "Allow", "Action": ["s3:GetObject"],
                      "Resource": [f"arn:aws:s3:::bucket-{rid(rng, 8).lower()}/*"],
                      "Condition": {"StringEquals": {"aws:ResourceAccount": account}}})
    return {"Version": "2012-10-17", "Statement": stmts}


def node(kind, name, account, region, rng):
    n = {"name": name, "type": kind, "inputs": [{"name": "document", "type": "String", "expression": "$.data"}],
         "outputs": [{"name": "output", "type": "String"}]}
    if kind == "LambdaFunction":
        q = rng.choice(["", ":live", ":3"])
        n["configuration"] = {"lambdaFunction": {"lambdaArn": f"arn:aws:lambda:{region}:{account}:function:fn-{rid(rng, 6).lower()}{q}"}}
    elif kind == "Lex":
        n["configuration"] = {"lex": {"botAliasArn": f"arn:aws:lex:{region}:{account}:bot-alias/{rid(rng)}/{rid(rng)}", "localeId": "en_US"}}
    elif kind == "Prompt":
        if rng.random() < 0.6:
            v = rng.choice(["", ":1", ":7"])
            n["configuration"] = {"prompt": {"sourceConfiguration": {"resource": {"promptArn": f"arn:aws:bedrock:{region}:{account}:prompt/{rid(rng)}{v}"}}}}
        else:
            n["configuration"] = {"prompt": {"sourceConfiguration": {"inline": {
                "templateType": "TEXT", "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
                "templateConfiguration": {"text": {"text": "Summarise {{document}} in one line." * rng.randint(1, 20)}}}}}}
    elif kind == "KnowledgeBase":
        n["configuration"] = {"knowledgeBase": {"knowledgeBaseId": rid(rng), "modelId": "anthropic.claude-3-haiku-20240307-v1:0"}}
    elif kind in ("Input", "Output", "Condition", "Iterator", "Collector"):
        n["configuration"] = {kind[0].lower() + kind[1:]: {}}
    return n


def definition(account, region, rng):
    kinds = ["Input"] + [rng.choice(["LambdaFunction", "Lex", "Prompt", "Prompt", "KnowledgeBase", "Condition"])
                         for _ in range(rng.randint(2, 8))] + ["Output"]
    nodes = [node(k, f"{k}Node{i}", account, region, rng) for i, k in enumerate(kinds)]
    conns = [{"name": f"c{i}", "source": nodes[i]["name"], "target": nodes[i + 1]["name"], "type": "Data",
              "configuration": {"data": {"sourceOutput": "output", "targetInput": "document"}}} for i in range(len(nodes) - 1)]
    return {"nodes": nodes, "connections": conns}


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


class BundleWriter:
    """Writes {"flows": [...]} with json.dump(..., indent=4)'s exact bytes, one flow at a time."""

    def __init__(self, path):
        self.fh = open(path, "w")
        self.count = 0

    def add(self, flow):
        self.fh.write('{\n    "flows": [\n' if self.count == 0 else ",\n")
        text = json.dumps(flow, indent=4)
        # JSON text never holds a raw newline inside a string, so re-indenting by line is exact.
        self.fh.write("\n".join("        " + line for line in text.split("\n")))
        self.count += 1

    def close(self):
        self.fh.write('{\n    "flows": []\n}' if self.count == 0 else "\n    ]\n}")
        self.fh.close()


def main():
    ap = argparse.ArgumentParser(description="Generate a deterministic synthetic export for benchmarks.")
    ap.add_argument("out")
    ap.add_argument("--roles", type=int, default=1000)
    ap.add_argument("--flows-per-role", type=int, default=2)
    ap.add_argument("--accounts", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    if a.roles < 0 or a.flows_per_role < 0 or a.accounts < 1:
        ap.error("--roles and --flows-per-role must be >= 0, --accounts >= 1")
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    accounts = [f"{100000000000 + i * 111111111:012d}" for i in range(a.accounts)]
    roles = []
    shared = [{"PolicyName": f"BedrockFlowsShared{i}", "PolicyId": "ANPA" + rid(rng, 17), "Arn": f"arn:aws:iam::{accounts[i % len(accounts)]}:policy/BedrockFlowsShared{i}",
               "Path": "/", "DefaultVersionId": "v1", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
               "CreateDate": "2024-05-01T10:00:00+00:00", "UpdateDate": "2024-05-01T10:00:00+00:00",
               "PolicyVersionList": [{"Document": {"Version": "2012-10-17", "Statement": [{"Sid": "Logs", "Effect": "Allow",
                   "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}, "VersionId": "v1", "IsDefaultVersion": True,
                   "CreateDate": "2024-05-01T10:00:00+00:00"}]} for i in range(max(1, a.accounts))]
    start = datetime(2024, 3, 1, tzinfo=timezone.utc)
    iam_path, flows_path = os.path.join(a.out, IAM_FILE), os.path.join(a.out, FLOWS_FILE)
    # Write to temporary names and rename at the end, so an interrupted run leaves no
    # half-written file under the final name.
    bundle = BundleWriter(flows_path + ".tmp")
    nflows = 0
    for i in range(a.roles):
        account = accounts[i % len(accounts)]
        region = rng.choice(REGIONS)
        name = f"AmazonBedrockExecutionRoleForFlows_{rid(rng, 8)}{i}"
        arn = f"arn:aws:iam::{account}:role/service-role/{name}"
        roles.append({"Path": "/service-role/", "RoleName": name, "RoleId": "AROA" + rid(rng, 17), "Arn": arn,
                      "CreateDate": "2024-06-01T10:00:00+00:00", "AssumeRolePolicyDocument": trust(account, region, rng),
                      "InstanceProfileList": [], "RolePolicyList": [{"PolicyName": "BedrockFlowsPolicy", "PolicyDocument": base_policy(account, region, rng)}],
                      "AttachedManagedPolicies": [], "Tags": [], "RoleLastUsed": {}})
        if rng.random() < 0.2:
            pol = shared[i % len(shared)]
            if pol["Arn"].split(":")[4] == account:
                roles[-1]["AttachedManagedPolicies"].append({"PolicyName": pol["PolicyName"], "PolicyArn": pol["Arn"]})
                pol["AttachmentCount"] += 1
        for j in range(a.flows_per_role):
            fid = rid(rng)
            created = start + timedelta(hours=rng.randint(0, 24 * 400))
            farn = f"arn:aws:bedrock:{region}:{account}:flow/{fid}"
            draft = definition(account, region, rng)
            f = {"name": f"flow-{i}-{j}", "executionRoleArn": arn, "id": fid, "arn": farn, "status": "Prepared",
                 "createdAt": stamp(created), "updatedAt": stamp(created + timedelta(days=3)), "version": "DRAFT",
                 "definition": draft, "validations": []}
            f["versions"], f["aliases"] = [], []
            if rng.random() < 0.5:
                f["versions"] = [{"name": f["name"], "executionRoleArn": arn, "id": fid, "arn": farn, "status": "Prepared",
                                  "createdAt": stamp(created + timedelta(days=1)), "version": "1", "definition": definition(account, region, rng)}]
                # ../shared/bench/gen_export.py draws the alias id and the id in its ARN separately, so
                # they differ, which real exports never do and flowrole rejects. Draw both (the random
                # stream, and so every other byte, stays the same) and use the first for both.
                alias_id, _unused = rid(rng), rid(rng)
                f["aliases"] = [{"name": "live", "id": alias_id, "flowId": fid, "arn": f"{farn}/alias/{alias_id}",
                                 "routingConfiguration": [{"flowVersion": "1"}],
                                 "createdAt": stamp(created + timedelta(days=1)), "updatedAt": stamp(created + timedelta(days=1))}]
            bundle.add(f)
            nflows += 1
    bundle.close()
    with open(iam_path + ".tmp", "w") as fh:
        json.dump({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles, "Policies": shared}, fh, indent=4)
    os.replace(iam_path + ".tmp", iam_path)
    os.replace(flows_path + ".tmp", flows_path)
    sizes = {n: os.path.getsize(os.path.join(a.out, n)) for n in (IAM_FILE, FLOWS_FILE)}
    print(json.dumps({"roles": len(roles), "flows": nflows, "bytes": sizes}))


if __name__ == "__main__":
    main()
