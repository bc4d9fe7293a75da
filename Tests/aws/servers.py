#!/usr/bin/env python3
"""A loopback AWS for flowrole's end-to-end tests: IAM + STS (moto) and a Bedrock Agent flows stub.

Why one process: the Swift tests start it, read ONE line of JSON from its stdout that says where
everything listens, and stop it by closing its stdin (or with SIGTERM/SIGINT). Closing stdin is the
primary signal so that a crashed or killed test runner (whose end of the pipe the kernel closes)
never leaves servers behind.

  python3 Tests/aws/servers.py --account 111122223333 --flows-dir DIR [--seed-iam FILE]

Ready line (stdout, flushed, nothing else is ever written to stdout):

  {"iam": "http://127.0.0.1:PORT", "bedrockAgent": "http://127.0.0.1:PORT2", "account": "...", "pid": N}

The IAM URL is moto's whole server, so STS (`sts get-caller-identity`) answers there too: moto
picks the service from the SigV4 credential scope, not from the host name.

moto does not implement IAM's policy simulator (SimulatePrincipalPolicy); a small one answers it in
front of moto (see PolicySimulator), from the role's policies as moto holds them, plus a test-settable
"SCP": `--scp-deny ACTION[,ACTION]` and/or a state file re-read on every request
(`--simulator-state FILE`, default FLOWS_DIR/simulator.json: {"scpDeny": ["lambda:InvokeFunction"],
"pageSize": 100}), so a test can deny an action organisation-wide while the servers run.

Logs (one line per request, seeding warnings) go to stderr. Exit status: 0 after a clean stop,
2 for bad arguments or a seed file that cannot be applied.

Standard library + moto + boto3 only.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import sys
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape


def log(message: str) -> None:
    """Everything human-readable goes to stderr: stdout carries only the ready line."""
    print(f"servers.py: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# Arguments and the environment moto reads.
# --------------------------------------------------------------------------------------------------


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--account", default="123456789012", help="12-digit account id (moto's MOTO_ACCOUNT_ID)")
    parser.add_argument("--flows-dir", required=True, help="state directory of FLOWID.json flow bundles")
    parser.add_argument("--seed-iam", help="an `aws iam get-account-authorization-details` JSON to create in moto")
    parser.add_argument(
        "--aws-managed-policies",
        choices=["auto", "yes", "no"],
        default="auto",
        help="load moto's copy of the AWS-managed policies (about 0.5 s more per start). "
        "auto: only when the seed file attaches one",
    )
    parser.add_argument("--page-size", type=int, default=2, help="items per page of the bedrock-agent list calls")
    parser.add_argument(
        "--scp-deny",
        action="append",
        default=None,
        metavar="ACTION[,ACTION]",
        help="actions (wildcards * and ?) an organisation SCP denies, for SimulatePrincipalPolicy; repeatable",
    )
    parser.add_argument(
        "--simulator-state",
        help="a JSON file re-read on every SimulatePrincipalPolicy request: {\"scpDeny\": [...], \"pageSize\": N} "
        "(default: FLOWS_DIR/simulator.json, when it exists)",
    )
    parser.add_argument(
        "--simulator-page-size", type=int, default=100, help="EvaluationResults per SimulatePrincipalPolicy page"
    )
    arguments = parser.parse_args(argv)
    if not re.fullmatch(r"[0-9]{12}", arguments.account):
        parser.error(f"--account must be 12 digits, not {arguments.account!r}")
    if arguments.page_size < 1:
        parser.error("--page-size must be at least 1")
    if arguments.simulator_page_size < 1:
        parser.error("--simulator-page-size must be at least 1")
    if not os.path.isdir(arguments.flows_dir):
        parser.error(f"--flows-dir {arguments.flows_dir!r} is not a directory")
    return arguments


def seed_attaches_aws_managed(seed: dict[str, Any] | None) -> bool:
    """Whether the seed attaches (or bounds a role with) an AWS-managed policy (arn:PARTITION:iam::aws:policy/…)."""
    if not seed:
        return False
    text = json.dumps(seed.get("RoleDetailList", []))
    return re.search(r'"arn:aws[a-z-]*:iam::aws:policy/', text) is not None


# --------------------------------------------------------------------------------------------------
# IAM (and STS): moto's server, in-process.
# --------------------------------------------------------------------------------------------------


def correct_moto_divergences() -> None:
    """Makes moto 5.2.1 answer GetAccountAuthorizationDetails the way IAM does.

    moto serialises its ManagedPolicy objects by attribute name; under the ManagedPolicyDetail
    shape (the Policies list of GetAccountAuthorizationDetails) it finds no attribute for
    PolicyName, PolicyId or PermissionsBoundaryUsageCount and leaves them out, although IAM always
    sends them (GetPolicy is unaffected: there the "Policy" shape prefix maps PolicyName to name).
    flowrole reads these members, so the fake must carry them. The aliases are read-only properties
    over moto's own state; nothing else in moto changes.
    """
    from moto.iam.models import ManagedPolicy

    def boundary_usage(policy: Any) -> int:
        backend = policy.backend
        principals = list(backend.roles.values()) + list(backend.users.values())
        return sum(1 for p in principals if getattr(p, "permissions_boundary_arn", None) == policy.arn)

    if not hasattr(ManagedPolicy, "policy_name"):
        ManagedPolicy.policy_name = property(lambda self: self.name)
    if not hasattr(ManagedPolicy, "policy_id"):
        ManagedPolicy.policy_id = property(lambda self: self.id)
    if not hasattr(ManagedPolicy, "permissions_boundary_usage_count"):
        ManagedPolicy.permissions_boundary_usage_count = property(boundary_usage)


class MotoServer:
    """moto's WSGI application, as moto 5.2.1's ThreadedMotoServer builds it, behind the policy
    simulator, on werkzeug's threaded server in a daemon thread.

    make_server binds port 0 like any socket server, so the OS chooses the port and
    get_host_and_port() reports it: no port guessing and no retry on collision. Nothing is printed
    (stdout belongs to the ready line).
    """

    def __init__(self, simulator: "PolicySimulator") -> None:
        # Imported late: MOTO_* must be in os.environ first.
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        application = simulator.wrap(DomainDispatcherApplication(create_backend_app))
        self._server = make_server("127.0.0.1", 0, application, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()

    def get_host_and_port(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), port

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


def start_moto(simulator: "PolicySimulator") -> MotoServer:
    """Starts moto (IAM, STS), with the policy simulator in front, on an OS-chosen port of 127.0.0.1."""
    correct_moto_divergences()
    return MotoServer(simulator)


# The document of a filler policy version, made only when the seed's version ids have gaps (v1, v3).
PLACEHOLDER_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "none:Placeholder", "Resource": "*"}],
}


def document_text(value: Any) -> str:
    """Keeps a string document's own text (so a test can seed byte-exact whitespace); serialises objects."""
    if isinstance(value, str):
        try:
            json.loads(value)
            return value
        except json.JSONDecodeError:
            return urllib.parse.unquote(value)
    return json.dumps(value)


def version_number(version_id: str) -> int:
    match = re.fullmatch(r"v([0-9]+)", version_id)
    if not match:
        raise SeedError(f"policy version id {version_id!r} is not of the form vN")
    return int(match.group(1))


class SeedError(Exception):
    pass


def seed_iam(endpoint: str, seed: dict[str, Any]) -> None:
    """Creates the seed's customer-managed policies and roles in moto, through the IAM API (boto3).

    Going through the API, not moto's backends, means the seed is made exactly as flowrole's own
    writes will be, and moto validates it the same way.
    """
    import boto3

    iam = boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    for kind in ("UserDetailList", "GroupDetailList"):
        if seed.get(kind):
            log(f"warning: the seed's {kind} ({len(seed[kind])} entries) is not created; only policies and roles are")

    # Customer-managed policies first: roles attach them and use them as permissions boundaries.
    for policy in seed.get("Policies", []):
        seed_policy(iam, policy)

    for role in seed.get("RoleDetailList", []):
        seed_role(iam, role)


def seed_policy(iam: Any, policy: dict[str, Any]) -> None:
    """One managed policy with all its versions, version ids preserved and the default as marked.

    IAM numbers versions itself (v1 on create, then v2, v3 …), so the versions are created in id
    order; a gap in the seed's ids (v2 deleted long ago) is filled with a placeholder version that
    is deleted again as soon as the next version exists, keeping below IAM's limit of 5 versions.
    """
    versions = {version_number(v["VersionId"]): v for v in policy.get("PolicyVersionList", [])}
    if not versions:
        raise SeedError(f"policy {policy['PolicyName']} has no PolicyVersionList")
    default_id = policy.get("DefaultVersionId") or next(
        v["VersionId"] for v in versions.values() if v.get("IsDefaultVersion")
    )
    highest = max(versions)

    def document_for(number: int) -> str:
        return document_text(versions[number]["Document"]) if number in versions else json.dumps(PLACEHOLDER_DOCUMENT)

    arguments = {
        "PolicyName": policy["PolicyName"],
        "Path": policy.get("Path", "/"),
        "PolicyDocument": document_for(1),
    }
    if policy.get("Description"):
        arguments["Description"] = policy["Description"]
    arn = iam.create_policy(**arguments)["Policy"]["Arn"]
    if arn != policy.get("Arn", arn):
        log(f"warning: policy {policy['PolicyName']} was created as {arn}, the seed says {policy['Arn']}")

    # A placeholder has done its job once a later version exists (IAM never reuses a number), so it
    # is deleted right away — unless it is still the default (v1 before the real default exists).
    default_number = version_number(default_id)
    pending = [] if 1 in versions else ["v1"]
    for number in range(2, highest + 1):
        created = iam.create_policy_version(
            PolicyArn=arn, PolicyDocument=document_for(number), SetAsDefault=(number == default_number)
        )["PolicyVersion"]["VersionId"]
        if created != f"v{number}":
            raise SeedError(f"policy {policy['PolicyName']}: IAM numbered a new version {created}, expected v{number}")
        for placeholder in list(pending):
            if number >= default_number or placeholder != "v1":
                iam.delete_policy_version(PolicyArn=arn, VersionId=placeholder)
                pending.remove(placeholder)
        if number not in versions:
            pending.append(created)


def seed_role(iam: Any, role: dict[str, Any]) -> None:
    """One role: path, trust policy, tags, permissions boundary, inline and attached policies."""
    name = role["RoleName"]
    arguments: dict[str, Any] = {
        "RoleName": name,
        "Path": role.get("Path", "/"),
        "AssumeRolePolicyDocument": document_text(role["AssumeRolePolicyDocument"]),
    }
    if role.get("Tags"):
        arguments["Tags"] = role["Tags"]
    boundary = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
    if boundary:
        arguments["PermissionsBoundary"] = boundary
    if "Description" in role:  # not in GetAccountAuthorizationDetails, but a get-role shaped entry may carry it
        arguments["Description"] = role["Description"]
    if "MaxSessionDuration" in role:
        arguments["MaxSessionDuration"] = role["MaxSessionDuration"]
    iam.create_role(**arguments)

    for inline in role.get("RolePolicyList", []):
        iam.put_role_policy(
            RoleName=name, PolicyName=inline["PolicyName"], PolicyDocument=document_text(inline["PolicyDocument"])
        )
    for attached in role.get("AttachedManagedPolicies", []):
        try:
            iam.attach_role_policy(RoleName=name, PolicyArn=attached["PolicyArn"])
        except iam.exceptions.NoSuchEntityException:
            # Only reachable for AWS-managed policies moto does not know (or was told not to load).
            log(f"warning: role {name}: {attached['PolicyArn']} does not exist in moto; the attachment is skipped")


# --------------------------------------------------------------------------------------------------
# IAM's policy simulator (SimulatePrincipalPolicy), which moto 5.2.1 does not implement.
# --------------------------------------------------------------------------------------------------

IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/"


class SimulatorError(Exception):
    """An IAM error answer: (HTTP status, code, message)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def wildcard_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM's two wildcards: * (any run of characters) and ? (one character); nothing else is special."""
    expression = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(expression, value, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def condition_holds(operator: str, key: str, expected: list[str], context: dict[str, list[str]]) -> bool:
    """StringEquals, StringLike, ArnEquals and ArnLike against the request context (keys case-insensitive,
    values case-sensitive; any value matching any expected value). A missing key, or any other operator,
    does not match."""
    provided = context.get(key.lower())
    if not provided:
        return False
    if operator == "StringEquals":
        return any(value == wanted for value in provided for wanted in expected)
    if operator in ("StringLike", "ArnLike", "ArnEquals"):
        return any(wildcard_match(wanted, value) for value in provided for wanted in expected)
    return False


class Statement:
    """One statement of a policy, with where it came from (SourcePolicyId, SourcePolicyType)."""

    def __init__(self, statement: dict[str, Any], policy_id: str, policy_type: str, length: int) -> None:
        self.statement, self.policy_id, self.policy_type, self.length = statement, policy_id, policy_type, length

    @property
    def effect(self) -> str:
        return str(self.statement.get("Effect", ""))

    def covers(self, action: str, resource: str) -> bool:
        s = self.statement
        if "Action" in s:
            acts = any(wildcard_match(p, action, ignore_case=True) for p in as_list(s["Action"]))
        elif "NotAction" in s:
            acts = not any(wildcard_match(p, action, ignore_case=True) for p in as_list(s["NotAction"]))
        else:
            return False
        if "Resource" in s:
            on = any(wildcard_match(p, resource) for p in as_list(s["Resource"]))
        elif "NotResource" in s:
            on = not any(wildcard_match(p, resource) for p in as_list(s["NotResource"]))
        else:
            return False
        return acts and on

    def conditions(self) -> list[tuple[str, str, list[str]]]:
        return [
            (operator, key, [str(v) for v in as_list(values)])
            for operator, block in (self.statement.get("Condition") or {}).items()
            for key, values in (block or {}).items()
        ]

    def applies(self, context: dict[str, list[str]]) -> bool:
        return all(condition_holds(op, key, values, context) for op, key, values in self.conditions())

    def xml(self) -> str:
        return (
            f"<member><SourcePolicyId>{escape(self.policy_id)}</SourcePolicyId>"
            f"<SourcePolicyType>{escape(self.policy_type)}</SourcePolicyType>"
            "<StartPosition><Line>1</Line><Column>1</Column></StartPosition>"
            f"<EndPosition><Line>1</Line><Column>{self.length + 1}</Column></EndPosition></member>"
        )


def statements_of(document: Any, policy_id: str, policy_type: str) -> list[Statement]:
    if isinstance(document, str):
        document = json.loads(document_text(document))
    length = len(json.dumps(document))
    return [Statement(s, policy_id, policy_type, length) for s in as_list(document.get("Statement"))]


def decide(statements: list[Statement], action: str, resource: str, context: dict[str, list[str]]) -> tuple[str, list[Statement], list[str]]:
    """IAM's evaluation logic over identity statements: an applicable Deny wins, then an Allow,
    otherwise implicitDeny. Returns the decision, the deciding statements and the context keys the
    covering statements use that the request did not give."""
    covering = [s for s in statements if s.covers(action, resource)]
    missing = sorted({key for s in covering for _, key, _ in s.conditions() if key.lower() not in context})
    denies = [s for s in covering if s.effect == "Deny" and s.applies(context)]
    if denies:
        return "explicitDeny", denies, missing
    allows = [s for s in covering if s.effect == "Allow" and s.applies(context)]
    if allows:
        return "allowed", allows, missing
    return "implicitDeny", [], missing


class PolicySimulator:
    """Answers `Action=SimulatePrincipalPolicy` (form posts or query strings) in front of moto's IAM,
    in the XML shape of IAM's SimulatePrincipalPolicyResponse; every other request goes to moto.

    The role's policies are read from moto through the IAM API (boto3 against this same server): inline
    policies, attached managed policies (default versions) and the permissions boundary. Then a small
    evaluator (Allow/Deny, wildcards * and ? in actions and resources, NotAction/NotResource, Deny wins;
    conditions StringEquals/StringLike/ArnEquals/ArnLike against the call's ContextEntries, anything
    else not matching), the boundary (an action it does not allow is an implicitDeny,
    AllowedByPermissionsBoundary false) and the "SCP": an action it denies is an explicitDeny with
    OrganizationsDecisionDetail/AllowedByOrganizations false. OrganizationsDecisionDetail is sent only
    when an SCP is configured (the account is "in an organization").

    Shape, as IAM answers: one EvaluationResults member per action. With one resource its
    EvalResourceName is that resource and EvalDecision the final decision; with several,
    EvalResourceName is an ARN template and EvalDecision an aggregate, the decisions per resource being
    in ResourceSpecificResults. ResourceSpecificResults carry the identity-and-boundary decision only:
    an SCP ends the evaluation at the action level, so a client must read AllowedByOrganizations.
    Results are paged by pageSize (or MaxItems) with Marker and IsTruncated.
    """

    def __init__(self, state_file: str | None, scp_deny: list[str] | None, page_size: int) -> None:
        self.state_file, self.scp_deny, self.page_size = state_file, scp_deny, page_size
        self.endpoint = ""  # set once moto listens
        self._client: Any = None
        self._lock = threading.Lock()

    def wrap(self, application: Callable[..., Any]) -> Callable[..., Any]:
        def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            parameters = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            if environ.get("REQUEST_METHOD") == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                body = environ["wsgi.input"].read(length) if length else b""
                environ["wsgi.input"] = io.BytesIO(body)  # moto reads it again
                if "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
                    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                    parameters.update(form)
            if parameters.get("Action") != ["SimulatePrincipalPolicy"]:
                return application(environ, start_response)
            flat = {key: values[-1] for key, values in parameters.items()}
            try:
                status, body = 200, self.simulate(flat)
            except SimulatorError as error:
                status, body = error.status, self.error_xml(error)
            except Exception as error:  # a bug in the stub: loud, in the CLI's output and the log
                log(f"simulator: {type(error).__name__}: {error}")
                status, body = 500, self.error_xml(SimulatorError(500, "ServiceFailure", f"stub failure: {error}"))
            data = body.encode("utf-8")
            reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}.get(status, "Internal Server Error")
            start_response(
                f"{status} {reason}",
                [("Content-Type", "text/xml"), ("Content-Length", str(len(data))), ("x-amzn-RequestId", str(uuid.uuid4()))],
            )
            return [data]

        return middleware

    # The state a test sets while the servers run.

    def state(self) -> tuple[list[str] | None, int]:
        scp = list(self.scp_deny) if self.scp_deny is not None else None
        page_size = self.page_size
        if self.state_file and os.path.isfile(self.state_file):
            with open(self.state_file, encoding="utf-8") as file:
                state = json.load(file)
            if "scpDeny" in state:
                scp = (scp or []) + [str(a) for a in as_list(state["scpDeny"])]
            page_size = int(state.get("pageSize", page_size))
        return scp, max(1, page_size)

    # The role's policies, as moto holds them.

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                import boto3

                self._client = boto3.client(
                    "iam",
                    endpoint_url=self.endpoint,
                    region_name="us-east-1",
                    aws_access_key_id="testing",
                    aws_secret_access_key="testing",
                )
            return self._client

    def policies(self, role_arn: str) -> tuple[list[Statement], list[Statement] | None]:
        """The role's identity statements and its boundary's (None without a boundary)."""
        match = re.fullmatch(r"arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:.*/)?([^/]+)", role_arn)
        if not match:
            raise SimulatorError(400, "InvalidInput", f"Invalid ARN: {role_arn!r} is not the ARN of a role.")
        if match.group(1) != os.environ.get("MOTO_ACCOUNT_ID"):
            raise SimulatorError(404, "NoSuchEntity", f"The role with name {match.group(2)} cannot be found.")
        iam = self.client()
        name = match.group(2)
        try:
            role = iam.get_role(RoleName=name)["Role"]
        except iam.exceptions.NoSuchEntityException:
            raise SimulatorError(404, "NoSuchEntity", f"The role with name {name} cannot be found.")
        statements: list[Statement] = []
        for page in iam.get_paginator("list_role_policies").paginate(RoleName=name):
            for policy in page["PolicyNames"]:
                document = iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
                statements += statements_of(document, policy, "role")
        for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=name):
            for attached in page["AttachedPolicies"]:
                kind = "aws-managed" if ":iam::aws:policy/" in attached["PolicyArn"] else "user-managed"
                statements += statements_of(self.default_document(attached["PolicyArn"]), attached["PolicyName"], kind)
        boundary = None
        boundary_arn = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
        if boundary_arn:
            boundary = statements_of(self.default_document(boundary_arn), boundary_arn.rsplit("/", 1)[-1], "user-managed")
        return statements, boundary

    def default_document(self, policy_arn: str) -> Any:
        iam = self.client()
        version = iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
        return iam.get_policy_version(PolicyArn=policy_arn, VersionId=version)["PolicyVersion"]["Document"]

    # The simulation.

    @staticmethod
    def members(parameters: dict[str, str], prefix: str) -> list[str]:
        """`Prefix.member.N` values in N order."""
        found = []
        for key, value in parameters.items():
            match = re.fullmatch(re.escape(prefix) + r"\.member\.([0-9]+)", key)
            if match:
                found.append((int(match.group(1)), value))
        return [value for _, value in sorted(found)]

    def context_entries(self, parameters: dict[str, str]) -> dict[str, list[str]]:
        context: dict[str, list[str]] = {}
        numbers = sorted(
            {int(m.group(1)) for k in parameters if (m := re.match(r"ContextEntries\.member\.([0-9]+)\.", k))}
        )
        for n in numbers:
            name = parameters.get(f"ContextEntries.member.{n}.ContextKeyName")
            if not name:
                raise SimulatorError(400, "InvalidInput", f"ContextEntries.member.{n} has no ContextKeyName.")
            values = self.members(parameters, f"ContextEntries.member.{n}.ContextKeyValues")
            context.setdefault(name.lower(), []).extend(values)
        return context

    def simulate(self, parameters: dict[str, str]) -> str:
        role_arn = parameters.get("PolicySourceArn")
        actions = self.members(parameters, "ActionNames")
        if not role_arn or not actions:
            raise SimulatorError(400, "ValidationError", "PolicySourceArn and ActionNames are required.")
        resources = self.members(parameters, "ResourceArns") or ["*"]
        context = self.context_entries(parameters)
        scp, page_size = self.state()
        if "MaxItems" in parameters:
            page_size = max(1, int(parameters["MaxItems"]))
        identity, boundary = self.policies(role_arn)

        results = [self.result(a, resources, context, identity, boundary, scp) for a in actions]
        offset = 0
        if parameters.get("Marker"):
            match = re.fullmatch(r"results-([0-9]+)", parameters["Marker"])
            if not match or int(match.group(1)) >= len(results):
                raise SimulatorError(400, "InvalidInput", "Invalid Marker.")
            offset = int(match.group(1))
        page = results[offset : offset + page_size]
        following = offset + page_size
        truncated = following < len(results)
        log(f"simulator: {role_arn} {', '.join(actions)} on {len(resources)} resources, context {sorted(context)}")
        marker = f"<Marker>results-{following}</Marker>" if truncated else ""
        return (
            f'<SimulatePrincipalPolicyResponse xmlns="{IAM_NAMESPACE}"><SimulatePrincipalPolicyResult>'
            f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>{marker}"
            f"<EvaluationResults>{''.join(page)}</EvaluationResults>"
            f"</SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId>"
            "</ResponseMetadata></SimulatePrincipalPolicyResponse>"
        )

    def result(
        self,
        action: str,
        resources: list[str],
        context: dict[str, list[str]],
        identity: list[Statement],
        boundary: list[Statement] | None,
        scp: list[str] | None,
    ) -> str:
        """One EvaluationResults member for `action` on every resource."""
        per_resource = []  # (resource, decision, matched, missing, allowed by the boundary)
        for resource in resources:
            decision, matched, missing = decide(identity, action, resource, context)
            bounded = True
            if boundary is not None:
                limit, limit_matched, limit_missing = decide(boundary, action, resource, context)
                missing = sorted(set(missing) | set(limit_missing))
                bounded = limit == "allowed"
                if decision != "explicitDeny" and limit == "explicitDeny":
                    decision, matched = "explicitDeny", limit_matched
                elif decision == "allowed" and not bounded:
                    decision, matched = "implicitDeny", []
            per_resource.append((resource, decision, matched, missing, bounded))

        denied_by_scp = scp is not None and any(wildcard_match(p, action, ignore_case=True) for p in scp)
        if len(resources) == 1:
            resource, top, matched, missing, _ = per_resource[0]
            name = resource
        else:
            decisions = [d for _, d, _, _, _ in per_resource]
            top = "allowed" if "allowed" in decisions else "explicitDeny" if "explicitDeny" in decisions else "implicitDeny"
            service = action.split(":", 1)[0].lower()
            name = f"arn:${{Partition}}:{service}:${{Region}}:${{Account}}:${{ResourceType}}:${{ResourceId}}"
            matched, missing = [], []
        if denied_by_scp:
            top, matched = "explicitDeny", []

        def missing_xml(keys: list[str]) -> str:
            return "<MissingContextValues>" + "".join(f"<member>{escape(k)}</member>" for k in keys) + "</MissingContextValues>"

        specific = "".join(
            f"<member><EvalResourceName>{escape(r)}</EvalResourceName><EvalResourceDecision>{d}</EvalResourceDecision>"
            f"<MatchedStatements>{''.join(s.xml() for s in m)}</MatchedStatements>{missing_xml(k)}</member>"
            for r, d, m, k, _ in per_resource
        )
        details = ""
        if scp is not None:
            details += (
                "<OrganizationsDecisionDetail><AllowedByOrganizations>"
                f"{'false' if denied_by_scp else 'true'}</AllowedByOrganizations></OrganizationsDecisionDetail>"
            )
        if boundary is not None:
            bounded = all(b for _, _, _, _, b in per_resource)
            details += (
                "<PermissionsBoundaryDecisionDetail><AllowedByPermissionsBoundary>"
                f"{'true' if bounded else 'false'}</AllowedByPermissionsBoundary></PermissionsBoundaryDecisionDetail>"
            )
        return (
            f"<member><EvalActionName>{escape(action)}</EvalActionName><EvalResourceName>{escape(name)}</EvalResourceName>"
            f"<EvalDecision>{top}</EvalDecision><MatchedStatements>{''.join(s.xml() for s in matched)}</MatchedStatements>"
            f"{missing_xml(missing)}{details}<ResourceSpecificResults>{specific}</ResourceSpecificResults></member>"
        )

    @staticmethod
    def error_xml(error: SimulatorError) -> str:
        kind = "Sender" if error.status < 500 else "Receiver"
        return (
            f'<ErrorResponse xmlns="{IAM_NAMESPACE}"><Error><Type>{kind}</Type><Code>{escape(error.code)}</Code>'
            f"<Message>{escape(error.message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
        )


# --------------------------------------------------------------------------------------------------
# Bedrock Agent: the flows API, served from a directory of flow bundles.
# --------------------------------------------------------------------------------------------------


class NotFound(Exception):
    pass


class Rejected(Exception):
    """A request the real service refuses: (HTTP status, error type, message)."""

    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message


# The real service (like the rest of Bedrock, a Coral service) names the error type with its namespace
# in x-amzn-ErrorType, e.g. "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/";
# botocore keeps the part before the colon.
ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/"
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]+/[0-9]{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
FLOW_ID = re.compile(r"[0-9a-zA-Z]{10}")
# The first sentence of Bedrock's ResourceNotFoundException messages.
NOT_FOUND = "Failed to retrieve resource because it doesn't exist."


class FlowStore:
    """Reads the state directory on every request, so a test may add, change or remove a flow
    while the servers run. One file per flow, FLOWID.json: a get-flow object with optional
    "versions" (get-flow-version objects) and "aliases" (flow alias objects) — the entry shape of
    flowrole's flows.bundle. Files whose names are not FLOWID.json are ignored (e.g. editor temp
    files); a file that does not parse is a 500, loudly, because it is a bug in the test."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def flows(self, region: str) -> list[dict[str, Any]]:
        """The flows of one region, by file name (a stable order, so pages never shift between calls)."""
        found = []
        for path in sorted(self.directory.glob("*.json")):
            if not FLOW_ID.fullmatch(path.stem):
                continue
            flow = json.loads(path.read_text(encoding="utf-8"))
            if flow_region(flow) == region:
                found.append(flow)
        return found

    def flow(self, region: str, identifier: str) -> dict[str, Any]:
        flow_id = identifier
        if identifier.startswith("arn:"):  # flowIdentifier may be the flow's ARN
            flow_id = identifier.rsplit("/", 1)[-1]
        path = self.directory / f"{flow_id}.json"
        if FLOW_ID.fullmatch(flow_id) and path.is_file():
            flow = json.loads(path.read_text(encoding="utf-8"))
            if flow_region(flow) == region and (not identifier.startswith("arn:") or identifier == flow.get("arn")):
                return flow
        raise NotFound(f"{NOT_FOUND} Flow {identifier} was not found.")


def flow_region(flow: dict[str, Any]) -> str:
    """The region in the flow's ARN (arn:PARTITION:bedrock:REGION:ACCOUNT:flow/ID)."""
    parts = str(flow.get("arn", "")).split(":")
    return parts[3] if len(parts) > 3 else ""


def flow_summary(flow: dict[str, Any]) -> dict[str, Any]:
    """ListFlows' FlowSummary: no executionRoleArn, no definition."""
    keys = ("name", "description", "id", "arn", "status", "createdAt", "updatedAt")
    summary = {key: flow[key] for key in keys if key in flow}
    summary["version"] = "DRAFT"
    return summary


def version_summary(version: dict[str, Any]) -> dict[str, Any]:
    return {key: version[key] for key in ("id", "arn", "status", "createdAt", "version") if key in version}


def page(items: list[Any], query: dict[str, list[str]], page_size: int) -> tuple[list[Any], str | None]:
    """One page of a list call: at most min(maxResults, page size) items from the offset nextToken names.

    The token is opaque to clients (base64-free on purpose: "page-N" reads well in logs); a token
    this server did not issue is a ValidationException, as on AWS.
    """
    size = page_size
    if "maxResults" in query:
        try:
            requested = int(query["maxResults"][0])
        except ValueError:
            raise Rejected(400, "ValidationException", "maxResults must be a number")
        if not 1 <= requested <= 1000:
            raise Rejected(
                400,
                "ValidationException",
                f"1 validation error detected: Value '{requested}' at 'maxResults' failed to satisfy "
                "constraint: Member must have value between 1 and 1000",
            )
        size = min(size, requested)
    offset = 0
    if "nextToken" in query:
        match = re.fullmatch(r"page-([0-9]+)", query["nextToken"][0])
        if not match or int(match.group(1)) > len(items):
            raise Rejected(400, "ValidationException", "Invalid nextToken.")
        offset = int(match.group(1))
    chunk = items[offset : offset + size]
    following = offset + size
    return chunk, (f"page-{following}" if following < len(items) else None)


class BedrockAgentHandler(BaseHTTPRequestHandler):
    """The six read-only flows operations the aws CLI sends with --endpoint-url (paths from
    botocore's bedrock-agent model, 2023-06-05):

      ListFlows        GET /flows/                                 ?maxResults&nextToken
      GetFlow          GET /flows/{flowIdentifier}/
      ListFlowVersions GET /flows/{flowIdentifier}/versions        ?maxResults&nextToken
      GetFlowVersion   GET /flows/{flowIdentifier}/versions/{flowVersion}/
      ListFlowAliases  GET /flows/{flowIdentifier}/aliases         ?maxResults&nextToken
      GetFlowAlias     GET /flows/{flowIdentifier}/aliases/{aliasIdentifier}

    The region is the one in the request's SigV4 credential scope; a flow is visible only in the
    region of its ARN, as with the real regional endpoints. Anything else (writes, other paths) is
    answered the way API Gateway-fronted AWS services answer an unknown operation.
    """

    server_version = "flowrole-bedrock-agent-stub"
    protocol_version = "HTTP/1.1"
    store: FlowStore  # set on the subclass made by start_bedrock_agent
    page_size: int

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.handle_request()

    def do_POST(self) -> None:  # noqa: N802
        self.handle_request()

    def do_PUT(self) -> None:  # noqa: N802
        self.handle_request()

    def do_DELETE(self) -> None:  # noqa: N802
        self.handle_request()

    def handle_request(self) -> None:
        # Drain any body so keep-alive connections stay in step.
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        try:
            region = self.signed_region()
            body = self.route(region)
            self.reply(200, body)
        except NotFound as error:
            self.reply(404, {"message": str(error)}, "ResourceNotFoundException")
        except Rejected as error:
            self.reply(error.status, {"message": error.message}, error.error_type)
        except Exception as error:  # a broken state file: make it loud, in the CLI's output and in the log
            log(f"bedrock-agent stub: {type(error).__name__}: {error}")
            self.reply(500, {"message": f"stub failure: {type(error).__name__}: {error}"}, "InternalServerException")

    def signed_region(self) -> str:
        """The region of the SigV4 credential scope. Unsigned, or signed for another service than
        the one bedrock-agent signs as ("bedrock"), is refused like AWS refuses it."""
        authorization = self.headers.get("Authorization", "")
        match = CREDENTIAL_SCOPE.search(authorization)
        if not match:
            raise Rejected(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
        region, service = match.groups()
        if service != "bedrock":
            message = "Credential should be scoped to correct service: 'bedrock'."
            raise Rejected(403, "InvalidSignatureException", message)
        return region

    def route(self, region: str) -> Any:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        segments = [urllib.parse.unquote(s) for s in url.path.split("/") if s != ""]
        if self.command != "GET" or not segments or segments[0] != "flows":
            raise Rejected(404, "UnknownOperationException", "")

        if len(segments) == 1:
            summaries = [flow_summary(f) for f in self.store.flows(region)]
            items, token = page(summaries, query, self.page_size)
            return with_token({"flowSummaries": items}, token)

        flow = self.store.flow(region, segments[1])
        rest = segments[2:]
        if not rest:
            return {k: v for k, v in flow.items() if k not in ("versions", "aliases")}
        if rest == ["versions"]:
            versions = sorted(flow.get("versions", []), key=lambda v: int(v.get("version", 0)), reverse=True)
            items, token = page([version_summary(v) for v in versions], query, self.page_size)
            return with_token({"flowVersionSummaries": items}, token)
        if len(rest) == 2 and rest[0] == "versions":
            if not re.fullmatch(r"[0-9]{1,5}", rest[1]):
                raise Rejected(
                    400,
                    "ValidationException",
                    f"1 validation error detected: Value '{rest[1]}' at 'flowVersion' failed to satisfy "
                    "constraint: Member must satisfy regular expression pattern: ^[0-9]{1,5}$",
                )
            for version in flow.get("versions", []):
                if str(version.get("version")) == rest[1]:
                    return version
            raise NotFound(f"{NOT_FOUND} Flow {flow['id']} has no version {rest[1]}.")
        if rest == ["aliases"]:
            items, token = page(list(flow.get("aliases", [])), query, self.page_size)
            return with_token({"flowAliasSummaries": items}, token)
        if len(rest) == 2 and rest[0] == "aliases":
            for alias in flow.get("aliases", []):
                if rest[1] in (alias.get("id"), alias.get("arn")):
                    return alias
            raise NotFound(f"{NOT_FOUND} Flow {flow['id']} has no alias {rest[1]}.")
        raise Rejected(404, "UnknownOperationException", "")

    def reply(self, status: int, body: Any, error_type: str | None = None) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error_type:
            self.send_header("x-amzn-ErrorType", f"{error_type}:{ERROR_NAMESPACE}")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        log("bedrock-agent " + (format % args))


def with_token(body: dict[str, Any], token: str | None) -> dict[str, Any]:
    if token:
        body["nextToken"] = token
    return body


def start_bedrock_agent(flows_dir: str, page_size: int) -> ThreadingHTTPServer:
    handler = type("Handler", (BedrockAgentHandler,), {"store": FlowStore(flows_dir), "page_size": page_size})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    serve = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="bedrock-agent")
    serve.daemon = True
    serve.start()
    return server


# --------------------------------------------------------------------------------------------------
# Lifetime: ready line, then serve until stdin closes or a signal arrives.
# --------------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    seed = None
    if arguments.seed_iam:
        with open(arguments.seed_iam, encoding="utf-8") as file:
            seed = json.load(file)

    # moto reads these when it handles a request / creates an account's IAM backend; set before import.
    os.environ["MOTO_ACCOUNT_ID"] = arguments.account
    load_managed = arguments.aws_managed_policies == "yes" or (
        arguments.aws_managed_policies == "auto" and seed_attaches_aws_managed(seed)
    )
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true" if load_managed else "false"

    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())

    scp_deny = None
    if arguments.scp_deny is not None:
        scp_deny = [a.strip() for value in arguments.scp_deny for a in value.split(",") if a.strip()]
    state_file = arguments.simulator_state or os.path.join(arguments.flows_dir, "simulator.json")
    simulator = PolicySimulator(state_file, scp_deny, arguments.simulator_page_size)
    moto = start_moto(simulator)
    host, port = moto.get_host_and_port()
    iam_url = f"http://{host}:{port}"
    simulator.endpoint = iam_url
    bedrock = start_bedrock_agent(arguments.flows_dir, arguments.page_size)
    bedrock_url = "http://{}:{}".format(*bedrock.server_address[:2])

    try:
        if seed is not None:
            seed_iam(iam_url, seed)
    except Exception as error:
        log(f"error: cannot seed IAM from {arguments.seed_iam}: {type(error).__name__}: {error}")
        bedrock.shutdown()
        moto.stop()
        return 2

    ready = {"iam": iam_url, "bedrockAgent": bedrock_url, "account": arguments.account, "pid": os.getpid()}
    sys.stdout.write(json.dumps(ready) + "\n")
    sys.stdout.flush()

    def watch_stdin() -> None:
        """EOF on stdin (the parent closed its end, or died) means stop."""
        # os.read on the descriptor, not sys.stdin: a daemon thread blocked inside the buffered
        # reader holds its lock, and the interpreter aborts at exit when it cannot take that lock.
        try:
            while os.read(sys.stdin.fileno(), 4096):
                pass
        except OSError:
            pass
        finally:
            stop.set()

    threading.Thread(target=watch_stdin, name="stdin", daemon=True).start()
    while not stop.wait(0.2):  # a timed wait, so signal handlers run promptly in the main thread
        pass

    bedrock.shutdown()
    bedrock.server_close()
    moto.stop()
    log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
