import Foundation
import Testing

/// `export --accounts … --assume-role 'arn:{partition}:iam::{account}:role/NAME'` assumes roles
/// in the caller's own partition (a role cannot be assumed across partitions): an `aws` stand-in
/// answers `sts get-caller-identity` as a caller in aws-cn and refuses every `assume-role`,
/// logging the role ARN it was asked for.
@Suite("export assumes roles in the caller's partition")
struct ExportPartitionTests {
    @Test func theAssumedRoleArnCarriesTheCallersPartition() throws {
        let directory = try TemporaryDirectory(prefix: "flowrole-export-partition")
        let log = directory.url.appendingPathComponent("calls.log").path
        let stub = try directory.write(
            "aws",
            """
            #!/bin/bash
            printf '%s\\n' "$*" >> \(log)
            case "$*" in
              *get-caller-identity*)
                echo '{"UserId":"AIDAEXAMPLE","Account":"111122223333","Arn":"arn:aws-cn:iam::111122223333:user/ops"}' ;;
              *assume-role*)
                echo 'An error occurred (AccessDenied) when calling the AssumeRole operation: not allowed' >&2
                exit 254 ;;
              *)
                echo "unexpected call: $*" >&2
                exit 2 ;;
            esac
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub)
        let accounts = try directory.write("accounts.txt", "222233334444\n")
        var environment = ProcessInfo.processInfo.environment
        environment["FLOWROLE_AWS_CLI"] = stub
        let result = try ChildProcess.run(
            try FlowRoleBinary.url().path,
            [
                "export", "--out", directory.url.appendingPathComponent("out").path, "--regions", "cn-north-1",
                "--accounts", accounts, "--assume-role", "arn:{partition}:iam::{account}:role/FlowRoleReader",
            ], environment: environment, scratch: directory, timeout: FlowRole.timeout)
        #expect(result.status == 1, "the one account could not be assumed: \(result.stderr)")
        let calls = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let assumed = calls.filter { $0.contains("assume-role") }
        #expect(!assumed.isEmpty, "\(calls)")
        #expect(
            assumed.allSatisfy { $0.contains("--role-arn arn:aws-cn:iam::222233334444:role/FlowRoleReader") },
            "\(assumed)")
        #expect(result.stderr.contains("arn:aws-cn:iam::222233334444:role/FlowRoleReader"), "\(result.stderr)")
    }
}
