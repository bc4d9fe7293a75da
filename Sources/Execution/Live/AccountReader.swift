import FlowRoleJSON
import Foundation
import Inventory

/// Reads one account through the `aws` command line into the files the Inventory readers take:
/// IAM authorization details (every page), per region a flow bundle (`{"flows": [get-flow objects
/// with "versions" and "aliases"]}`), and a manifest saying which regions were read completely.
/// `export` writes these files; a live apply reads them again to check for drift.
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
    public func flowBundle(region: String) throws(AWSError) -> JSONValue {
        let summaries =
            try aws.call("bedrock-agent", "list-flows", region: region).json["flowSummaries"]?.arrayValue ?? []
        let ids = summaries.compactMap { $0["id"]?.stringValue }
        let results = Concurrent.map(ids, limit: parallel) { id throws(AWSError) -> JSONValue in
            try flow(id: id, region: region)
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

    /// get-flow, with every version (get-flow-version) and alias (list-flow-aliases).
    func flow(id: String, region: String) throws(AWSError) -> JSONValue {
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
        let aliases =
            try aws.call("bedrock-agent", "list-flow-aliases", identifier, region: region)
            .json["flowAliasSummaries"]?.arrayValue ?? []
        members.removeAll { $0.key == "versions" || $0.key == "aliases" || $0.key == "ResponseMetadata" }
        members.append(JSONMember("versions", .array(versions)))
        members.append(JSONMember("aliases", .array(aliases)))
        return .object(members)
    }

    /// Everything about the account an inventory needs, as named files: `iam.json`,
    /// `flows.REGION.json` per region read, and `manifest.json` (`ok` or `failed: reason` per
    /// region; a failed region never stops the others). IAM failing is an error.
    public func snapshot(partition: String, account: String, regions: [String]) throws(AWSError) -> Snapshot {
        var files: [(name: String, bytes: [UInt8])] = [("iam.json", try authorizationDetails().prettyBytes)]
        var exports: [JSONValue] = []
        var failed: [String: String] = [:]
        for region in regions.sorted() {
            do {
                let bundle = try flowBundle(region: region)
                files.append(("flows.\(region).json", bundle.prettyBytes))
                exports.append([
                    "partition": .string(partition), "account": .string(account), "region": .string(region),
                    "flows": "ok",
                ])
            } catch {
                failed[region] = error.description
                exports.append([
                    "partition": .string(partition), "account": .string(account), "region": .string(region),
                    "flows": .string("failed: \(error.code): \(error.message)"),
                ])
            }
        }
        let manifest: JSONValue = [
            "schema": "flowrole.manifest/v1", "exports": .array(exports), "tool": "flowrole 0.1.0",
            "createdAt": .string(Instant.now.description),
        ]
        files.append(("manifest.json", manifest.prettyBytes))
        return Snapshot(files: files, failedRegions: failed)
    }

    public struct Snapshot: Sendable {
        public var files: [(name: String, bytes: [UInt8])]
        /// region → why its flows could not be read.
        public var failedRegions: [String: String]
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
