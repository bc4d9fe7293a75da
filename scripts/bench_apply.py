#!/usr/bin/env python3
"""Live apply throughput against moto: roles per second with --parallel 1 and --parallel 8.

    scripts/bench_apply.py FLOWROLE [--roles N] [--parallel 1,8]

For each parallelism: start Tests/aws/servers.py (moto IAM/STS and the flows stub) seeded with N
legacy roles, each used by one legacy flow with a Lambda node, export, plan, then time
`flowrole apply --live --parallel P` (median of one run; each run starts from a fresh account).
Every aws call is a process of the aws CLI (about half a second of Python start-up each), so the
figures measure flowrole's orchestration through the real CLI, as an operator runs it.
"""
import argparse, json, os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACCOUNT = "111122223333"


def account(n):
    roles, flows = [], {}
    for i in range(n):
        name = f"BenchFlowsRole{i:05d}"
        flow_id = f"BENCH{i:05d}"
        roles.append({
            "Path": "/", "RoleName": name, "RoleId": f"AROABENCH{i:011d}",
            "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}", "CreateDate": "2024-03-01T10:00:00+00:00",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                              "ArnLike": {"AWS:SourceArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:flow/*"}}}]},
            "InstanceProfileList": [], "RolePolicyList": [], "AttachedManagedPolicies": [], "Tags": [],
            "RoleLastUsed": {}})
        flows[flow_id] = {
            "name": f"bench-{i}", "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/{name}", "id": flow_id,
            "arn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:flow/{flow_id}", "status": "Prepared",
            "createdAt": "2024-05-01T10:00:00.000000+00:00", "updatedAt": "2024-05-01T10:00:00.000000+00:00",
            "version": "DRAFT",
            "definition": {"nodes": [
                {"name": "FlowInputNode", "type": "Input", "configuration": {"input": {}},
                 "outputs": [{"name": "document", "type": "String"}]},
                {"name": "Invoke", "type": "LambdaFunction",
                 "configuration": {"lambdaFunction": {
                     "lambdaArn": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:bench-{i}"}},
                 "inputs": [{"name": "codeHookInput", "type": "String", "expression": "$.data"}],
                 "outputs": [{"name": "functionResponse", "type": "String"}]},
                {"name": "FlowOutputNode", "type": "Output", "configuration": {"output": {}},
                 "inputs": [{"name": "document", "type": "String", "expression": "$.data"}]}],
                "connections": []},
            "versions": [], "aliases": []}
    details = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles, "Policies": []}
    return details, flows


def run(cmd, env, **kw):
    started = time.monotonic()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - started


def bench(flowrole, n, parallel):
    with tempfile.TemporaryDirectory(prefix="flowrole-bench-apply-") as tmp:
        details, flows = account(n)
        seed = os.path.join(tmp, "iam.json")
        json.dump(details, open(seed, "w"))
        flows_dir = os.path.join(tmp, "flows")
        os.makedirs(flows_dir)
        for flow_id, flow in flows.items():
            json.dump(flow, open(os.path.join(flows_dir, f"{flow_id}.json"), "w"))
        empty = os.path.join(tmp, "empty")
        open(empty, "w").close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1",
                   AWS_CONFIG_FILE=empty, AWS_SHARED_CREDENTIALS_FILE=empty, AWS_EC2_METADATA_DISABLED="true")
        servers = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "Tests/aws/servers.py"), "--account", ACCOUNT, "--flows-dir",
             flows_dir, "--seed-iam", seed, "--page-size", "100"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        try:
            ready = json.loads(servers.stdout.readline())
            endpoints = ["--endpoint-url", f"iam={ready['iam']}", "--endpoint-url", f"sts={ready['iam']}",
                         "--endpoint-url", f"bedrock-agent={ready['bedrockAgent']}"]
            export_s = run([flowrole, "export", "--out", os.path.join(tmp, "export"), "--regions", "us-east-1",
                            "--parallel", str(parallel)] + endpoints, env)
            run([flowrole, "plan", os.path.join(tmp, "export"), "--out", os.path.join(tmp, "plan"), "--format", "json"],
                env)
            apply_s = run([flowrole, "apply", os.path.join(tmp, "plan", "plan.json"), "--live", "--parallel",
                           str(parallel)] + endpoints, env)
            return export_s, apply_s
        finally:
            servers.stdin.close()
            servers.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("flowrole")
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--parallel", default="1,8")
    args = parser.parse_args()
    print(f"live apply against moto, {args.roles} roles (each: 1 flow, 1 grant, 1 trust policy)")
    for parallel in [int(p) for p in args.parallel.split(",")]:
        export_s, apply_s = bench(args.flowrole, args.roles, parallel)
        print(f"  --parallel {parallel}: export {export_s:.1f} s; apply {apply_s:.1f} s = "
              f"{args.roles / apply_s:.2f} roles/s", flush=True)


if __name__ == "__main__":
    main()
