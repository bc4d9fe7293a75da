import FlowRoleJSON
import Foundation
import Inventory

/// Reads one account through the `aws` command line into the files the Inventory readers take:
/// IAM authorization details (every page), per region a flow bundle (`{"flows": [get-flow objects
/// with "versions" and "aliases"]}`) and a CloudFormation bundle (`{"stacks": [{"StackName",
/// "StackId", "StackResourceSummaries": [the stack's AWS::IAM::Role resources]}]}`), and a manifest
/// saying which regions were read completely. `export` writes these files; a live apply reads
/// them again to check for drift.
public struct AccountReader: Sendable {
    public var aws: AWSCommandLine
    /// Calls in flight at once (per account).
    public var parallel: Int

    public init(aws: AWSCommandLine, parallel: Int = 4) {
        self.aws = aws
        self.parallel = max(1, parallel)
    }

    /// Who the credentials are: account, ARN and partition (`sts get-caller-identity`).
    public struct Identity: Sendable, Hashable {
        public var account: String
        public var arn: String
        public var partition: String
    }

    public func identity() throws(AWSError) -> Identity {
        let output = try aws.call("sts", "get-caller-identity")
        guard let account = output.json["Account"]?.stringValue, let arn = output.json["Arn"]?.stringValue else {
            throw AWSError(
                service: "sts", operation: "get-caller-identity", code: "UnreadableOutput",
                message: "no Account and Arn in the answer")
        }
        let parts = arn.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return Identity(account: account, arn: arn, partition: parts.count > 1 ? String(parts[1]) : "aws")
    }

    /// `aws iam get-account-authorization-details` (the command line follows every page and
    /// prints one merged answer).
    public func authorizationDetails() throws(AWSError) -> JSONValue {
        try aws.call("iam", "get-account-authorization-details").json
    }

    /// The flows of one region with their versions and aliases, as a flow bundle.
    /// Without `aliases` (a live apply's checks: aliases decide no grant and no trust), one call
    /// per flow less.
    public func flowBundle(region: String, aliases: Bool = true) throws(AWSError) -> JSONValue {
        let summaries =
            try aws.call("bedrock-agent", "list-flows", region: region).json["flowSummaries"]?.arrayValue ?? []
        let ids = summaries.compactMap { $0["id"]?.stringValue }
        let results = Concurrent.map(ids, limit: parallel) { id throws(AWSError) -> JSONValue in
            try flow(id: id, region: region, aliases: aliases)
        }
        var flows: [JSONValue] = []
        for result in results {
            switch result {
            case .success(let flow): flows.append(flow)
            case .failure(let error): throw error
            }
        }
        return ["flows": .array(flows)]
    }

    /// get-flow, with every version (get-flow-version) and, with `aliases`, every alias
    /// (list-flow-aliases; without, the bundle entry has no "aliases": unknown, not none).
    func flow(id: String, region: String, aliases includeAliases: Bool = true) throws(AWSError) -> JSONValue {
        let identifier = ["--flow-identifier", id]
        guard case .object(var members) = try aws.call("bedrock-agent", "get-flow", identifier, region: region).json
        else {
            throw AWSError(
                service: "bedrock-agent", operation: "get-flow", code: "UnreadableOutput",
                message: "get-flow \(id) did not answer an object")
        }
        let listed =
            try aws.call("bedrock-agent", "list-flow-versions", identifier, region: region)
            .json["flowVersionSummaries"]?.arrayValue ?? []
        var versions: [JSONValue] = []
        for version in listed.compactMap({ $0["version"]?.stringValue }) where version != "DRAFT" {
            versions.append(
                try aws.call(
                    "bedrock-agent", "get-flow-version", identifier + ["--flow-version", version], region: region
                ).json)
        }
        members.removeAll { $0.key == "versions" || $0.key == "aliases" || $0.key == "ResponseMetadata" }
        members.append(JSONMember("versions", .array(versions)))
        if includeAliases {
            let aliases =
                try aws.call("bedrock-agent", "list-flow-aliases", identifier, region: region)
                .json["flowAliasSummaries"]?.arrayValue ?? []
            members.append(JSONMember("aliases", .array(aliases)))
        }
        return .object(members)
    }

    /// The stacks of one region that own IAM roles, as a CloudFormation bundle: `list-stacks` (the
    /// command line follows every page; deleted stacks are left out), then per stack
    /// `list-stack-resources`, keeping the `AWS::IAM::Role` resources the stack still holds. A
    /// stack deleted between the two calls is skipped. Stacks are sorted by name and id.
    public func cloudFormationBundle(region: String) throws(AWSError) -> JSONValue {
        let summaries = try cloudFormation("list-stacks", [], region: region)["StackSummaries"]?.arrayValue ?? []
        var stacks: [(name: String, id: String)] = []
        for summary in summaries {
            guard let name = summary["StackName"]?.stringValue, let id = summary["StackId"]?.stringValue,
                summary["StackStatus"]?.stringValue != "DELETE_COMPLETE"
            else { continue }
            stacks.append((name, id))
        }
        stacks.sort { ($0.name, $0.id) < ($1.name, $1.id) }
        let results = Concurrent.map(stacks.map(\.id), limit: parallel) { id throws(AWSError) -> [JSONValue]? in
            do throws(AWSError) {
                return try cloudFormation("list-stack-resources", ["--stack-name", id], region: region)[
                    "StackResourceSummaries"]?.arrayValue ?? []
            } catch {
                if error.code == "ValidationError" && error.message.contains("does not exist") { return nil }
                throw error
            }
        }
        var entries: [JSONValue] = []
        for (stack, result) in zip(stacks, results) {
            let resources: [JSONValue]?
            switch result {
            case .success(let listed): resources = listed
            case .failure(let error): throw error
            }
            var seen = Set<String>()
            let roles = (resources ?? []).filter { resource in
                guard resource["ResourceType"]?.stringValue == "AWS::IAM::Role",
                    let physical = resource["PhysicalResourceId"]?.stringValue, !physical.isEmpty,
                    !["DELETE_COMPLETE", "DELETE_SKIPPED"].contains(resource["ResourceStatus"]?.stringValue ?? "")
                else { return false }
                return seen.insert(physical.lowercased()).inserted
            }
            guard !roles.isEmpty else { continue }
            entries.append([
                "StackName": .string(stack.name), "StackId": .string(stack.id),
                "StackResourceSummaries": .array(roles),
            ])
        }
        return ["stacks": .array(entries)]
    }

    /// One CloudFormation call. CloudFormation is read on a best-effort basis (a failure is
    /// recorded in the manifest, never fails the export), so a region whose endpoint cannot be
    /// reached fails at once: throttling and server errors are retried here with backoff, but
    /// neither connection errors nor the command line's own retries (AWS_MAX_ATTEMPTS=1) are.
    func cloudFormation(_ operation: String, _ arguments: [String], region: String) throws(AWSError) -> JSONValue {
        var once = aws
        once.attempts = 1
        once.environment["AWS_MAX_ATTEMPTS"] = "1"
        var attempt = 0
        while true {
            attempt += 1
            do throws(AWSError) {
                return try once.call("cloudformation", operation, arguments, region: region).json
            } catch {
                guard error.isRetryable, error.code != "ConnectionError", attempt < aws.attempts else { throw error }
                let ceiling = min(aws.maxDelay, aws.baseDelay * pow(2, Double(attempt - 1)))
                usleep(UInt32(Double.random(in: 0...ceiling) * 1_000_000))
            }
        }
    }

    /// Everything about the account an inventory needs, as named files: `iam.json`, per region read
    /// `flows.REGION.json` and (with `cloudFormation`) `cloudformation.REGION.json`, and
    /// `manifest.json` (per region `flows` and `cloudformation`, each `ok` or `failed: reason`; a
    /// failed region never stops the others, and CloudFormation failing never fails a region). IAM
    /// failing is an error. IAM roles are global while stacks are regional: every region's stacks
    /// are read, and the inventory merges what several regions say about one role.
    public func snapshot(
        partition: String, account: String, regions: [String], cloudFormation: Bool = true, aliases: Bool = true
    ) throws(AWSError) -> Snapshot {
        var files: [(name: String, bytes: [UInt8])] = [("iam.json", try authorizationDetails().prettyBytes)]
        var exports: [JSONValue] = []
        var failed: [String: String] = [:]
        var cloudFormationFailed: [String: String] = [:]
        for region in regions.sorted() {
            var entry: [JSONMember] = [
                JSONMember("partition", .string(partition)), JSONMember("account", .string(account)),
                JSONMember("region", .string(region)),
            ]
            do {
                let bundle = try flowBundle(region: region, aliases: aliases)
                files.append(("flows.\(region).json", bundle.prettyBytes))
                entry.append(JSONMember("flows", "ok"))
            } catch {
                failed[region] = error.description
                entry.append(JSONMember("flows", .string("failed: \(error.code): \(error.message)")))
            }
            if cloudFormation {
                do {
                    let bundle = try cloudFormationBundle(region: region)
                    files.append(("cloudformation.\(region).json", bundle.prettyBytes))
                    entry.append(JSONMember("cloudformation", "ok"))
                } catch {
                    cloudFormationFailed[region] = error.description
                    entry.append(JSONMember("cloudformation", .string("failed: \(error.code): \(error.message)")))
                }
            }
            exports.append(.object(entry))
        }
        let manifest: JSONValue = [
            "schema": "flowrole.manifest/v1", "exports": .array(exports), "tool": "flowrole 0.1.0",
            "createdAt": .string(Instant.now.description),
        ]
        files.append(("manifest.json", manifest.prettyBytes))
        return Snapshot(files: files, failedRegions: failed, failedCloudFormation: cloudFormationFailed)
    }

    public struct Snapshot: Sendable {
        public var files: [(name: String, bytes: [UInt8])]
        /// region → why its flows could not be read.
        public var failedRegions: [String: String]
        /// region → why its CloudFormation stacks could not be read (recorded, never fatal).
        public var failedCloudFormation: [String: String] = [:]
    }
}

/// Runs `body` over `items` with at most `limit` in flight; results in input order.
enum Concurrent {
    static func map<Item: Sendable, Value: Sendable, Failure: Error>(
        _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) throws(Failure) -> Value
    ) -> [Result<Value, Failure>] {
        let slots = Slots<Result<Value, Failure>>(count: items.count)
        let gate = DispatchSemaphore(value: max(1, limit))
        let group = DispatchGroup()
        for (index, item) in items.enumerated() {
            gate.wait()
            group.enter()
            DispatchQueue.global().async {
                defer {
                    gate.signal()
                    group.leave()
                }
                do throws(Failure) {
                    slots.set(index, .success(try body(item)))
                } catch {
                    slots.set(index, .failure(error))
                }
            }
        }
        group.wait()
        return slots.values.compactMap { $0 }
    }

    final class Slots<Value>: @unchecked Sendable {
        private var values_: [Value?]
        private let lock = NSLock()
        init(count: Int) { values_ = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Value) { lock.withLock { values_[index] = value } }
        var values: [Value?] { lock.withLock { values_ } }
    }
}
