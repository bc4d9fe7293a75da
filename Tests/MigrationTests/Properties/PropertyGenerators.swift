import FlowRoleJSON
import IAMPolicy
import Inventory
import Testing

@testable import Migration

/// SplitMix64: every generated inventory is replayable from its seed.
struct PropertyRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x2545_F491_4F6C_DD1D &+ 0x1234_5678 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func subset<T>(_ items: [T], _ probability: Double) -> [T] { items.filter { _ in chance(probability) } }
    mutating func upper(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<count).map { _ in pick(alphabet) })
    }
}

/// Builds JSON objects member by member, keeping order.
func jsonObject(_ members: [(String, JSONValue)]) -> JSONValue {
    .object(members.map { JSONMember($0.0, $0.1) })
}

/// UTC civil dates without Foundation (H. Hinnant's algorithms).
enum PropertyDates {
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// `epoch` (UTC seconds) written in the zone `offsetMinutes` east of UTC.
    static func text(epoch: Int, offsetMinutes: Int, fraction: String, zulu: Bool, space: Bool) -> String {
        let local = epoch + offsetMinutes * 60
        let days = Int((Double(local) / 86400).rounded(.down))
        let seconds = local - days * 86400
        let (y, m, d) = civilFromDays(days)
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))\(space ? " " : "T")"
        text += "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))\(fraction)"
        if offsetMinutes == 0 && zulu { return text + "Z" }
        let sign = offsetMinutes < 0 ? "-" : "+"
        let magnitude = abs(offsetMinutes)
        return text + "\(sign)\(pad(magnitude / 60, 2)):\(pad(magnitude % 60, 2))"
    }

    /// 2024-11-23T00:00:00Z, the default `legacyBefore`.
    static let legacyBefore = daysFromCivil(2024, 11, 23) * 86400
}

/// Seeded random inventories: accounts, regions, roles with trust and identity policies,
/// managed policies and boundaries (known or not), flows around the cut-off with versions and aliases.
struct InventoryGenerator {
    var r: PropertyRandom
    let seed: UInt64
    static let allAccounts = ["111122223333", "444455556666", "777788889999"]
    static let allRegions = ["us-east-1", "eu-west-1", "ap-southeast-2"]
    static let foreignAccount = "999999999999"
    static let bedrock = "bedrock.amazonaws.com"

    var accounts: [String] = []
    var regions: [String] = []
    var roles: [Role] = []
    var flows: [Flow] = []
    var managed: [ManagedPolicy] = []
    /// Every concrete resource ARN any node names (for policies that match them).
    var resources: [String] = []
    var usedIDs = Set<String>()

    init(seed: UInt64) {
        self.seed = seed
        r = PropertyRandom(seed: seed)
    }

    static let provenance = Provenance(path: "generated", pointer: "")

    static func inventory(seed: UInt64) -> Inventory {
        var generator = InventoryGenerator(seed: seed)
        return generator.make()
    }

    mutating func make() -> Inventory {
        accounts = Array(Self.allAccounts.prefix(r.int(1...3)))
        regions = r.subset(Self.allRegions, 0.6)
        if regions.isEmpty { regions = [r.pick(Self.allRegions)] }
        makeRoleSkeletons()
        let flowCount = r.int(0...7)
        for _ in 0..<flowCount { flows.append(makeFlow()) }
        makeManagedPolicies()
        for index in roles.indices { fillRole(index) }
        var manifest: [ManifestEntry] = []
        for account in accounts {
            for region in regions + ["*"] where r.chance(region == "*" ? 0.12 : 0.2) {
                manifest.append(
                    ManifestEntry(
                        partition: "aws", account: account, region: region,
                        flows: r.chance(0.85) ? "ok" : "failed: AccessDenied", source: Self.provenance))
            }
        }
        return Inventory(
            inputs: [], roles: roles.sorted { $0.arn < $1.arn }, managedPolicies: managed.sorted { $0.arn < $1.arn },
            flows: flows.sorted { $0.arn < $1.arn }, manifestEntries: manifest.sorted(), problems: [])
    }

    // MARK: - Roles

    mutating func makeRoleSkeletons() {
        for account in accounts {
            var names = Set<String>()
            for _ in 0..<r.int(1...3) {
                let name =
                    r.chance(0.3)
                    ? "AmazonBedrockExecutionRoleForFlows_" + r.upper(8)
                    : r.pick(["FlowRole", "BedrockFlowsRole", "OrdersRole", "triage-role"]) + r.upper(2)
                guard names.insert(name.lowercased()).inserted else { continue }
                let path =
                    r.chance(0.07)
                    ? "/aws-service-role/bedrock.amazonaws.com/"
                    : r.pick(["/", "/", "/service-role/", "/team/flows/"])
                var role = Role(
                    arn: "arn:aws:iam::\(account):role\(path)\(name)", partition: "aws", account: account, path: path,
                    name: name, sources: [Self.provenance])
                role.boundaryKnown = true
                roles.append(role)
            }
        }
    }

    /// The flows whose DRAFT or any version names `role`, resolved the way IAM names roles.
    func flowsUsing(_ role: Role) -> [Flow] {
        flows.filter { flow in
            ([flow.executionRoleArn] + flow.versions.map(\.executionRoleArn)).contains {
                PropertyJoin.names($0, role: role, flowAccount: flow.account)
            }
        }
    }

    mutating func fillRole(_ index: Int) {
        var role = roles[index]
        let used = flowsUsing(role)
        var inline: [InlinePolicy] = []
        for i in 0..<r.int(0...2) {
            inline.append(
                InlinePolicy(
                    name: "inline-\(i)", document: identityDocument(account: role.account), source: Self.provenance))
        }
        if r.chance(0.2) {
            inline.insert(
                InlinePolicy(
                    name: PropertiesPlannerTests.migration.policyName, document: previousRun(role: role, flows: used),
                    source: Self.provenance), at: r.int(0...inline.count))
        }
        role.inlinePolicies = inline
        switch r.int(0...19) {
        case 0, 1: role.inlinePolicyNames = nil
        case 2: role.inlinePolicyNames = inline.map(\.name) + ["not-exported"]
        default: role.inlinePolicyNames = inline.map(\.name)
        }
        if r.chance(0.88) {
            let pool = managedPool(account: role.account)
            role.attachedPolicies = r.subset(pool, 0.3).map {
                AttachedPolicy(name: String($0.split(separator: "/").last ?? ""), arn: $0)
            }
        }
        if r.chance(0.25) {
            role.permissionsBoundaryArn = "arn:aws:iam::\(role.account):policy/Boundary"
        }
        if r.chance(0.3) { role.tags = [Tag(key: "team", value: r.pick(["a", "b"]))] }
        if r.chance(0.93) { role.trustPolicy = trustDocument(role: role, flows: used) }
        roles[index] = role
    }

    // MARK: - Flows

    mutating func flowID() -> String {
        while true {
            let id = r.upper(10)
            if usedIDs.insert(id).inserted { return id }
        }
    }

    /// An execution role ARN for a flow of `account`: a role of the inputs (mostly of that
    /// account), spelled as IAM does or with another path, case, or an empty account; or a ghost.
    mutating func executionRoleArn(account: String) -> String {
        if roles.isEmpty || r.chance(0.06) { return "arn:aws:iam::\(account):role/GhostRole" }
        let local = roles.filter { $0.account == account }
        let role = !local.isEmpty && r.chance(0.85) ? r.pick(local) : r.pick(roles)
        switch r.int(0...19) {
        case 0: return "arn:aws:iam::\(role.account):role/other-path/\(role.name)"
        case 1: return "arn:aws:iam::\(role.account):role/\(role.name)"
        case 2: return "arn:aws:iam::\(role.account):role\(role.path)\(role.name.uppercased())"
        case 3 where role.account == account: return "arn:aws:iam:::role\(role.path)\(role.name)"
        default: return role.arn
        }
    }

    mutating func createdAt() throws -> Timestamp {
        let cutoff = PropertyDates.legacyBefore
        let anchor = r.pick([
            -200 * 86400, -86400 - 1, -86400, -86400 + 1, -43200, -3600, -1, 0, 0, 1, 3600, 40 * 86400,
        ])
        let jitter = r.chance(0.5) ? 0 : r.int(-7200...7200)
        let offset = r.pick([0, 0, 120, -300, 330, 840, -720, 60])
        let fraction = r.chance(0.2) ? r.pick([".999999", ".5", ".000"]) : ""
        let text = PropertyDates.text(
            epoch: cutoff + anchor + jitter, offsetMinutes: offset, fraction: fraction, zulu: r.chance(0.6),
            space: r.chance(0.05))
        return try Timestamp(parsing: text)
    }

    mutating func lambdaArn(region: String, account: String) -> String {
        let arnAccount = r.chance(0.85) ? account : r.pick(accounts + [Self.foreignAccount])
        let arnRegion = r.chance(0.85) ? region : r.pick(Self.allRegions)
        let name = r.pick(["order-lookup", "payroll-export", "report-builder", "fn1", "fn2"])
        let qualifier = r.pick(["", "", "", ":live", ":3", ":$LATEST"])
        return "arn:aws:lambda:\(arnRegion):\(arnAccount):function:\(name)\(qualifier)"
    }

    mutating func node(name: String, prefix: String, depth: Int, region: String, account: String) -> FlowNode {
        let path = prefix.isEmpty ? name : prefix + "/" + name
        var kinds = [
            "Input", "Output", "LambdaFunction", "LambdaFunction", "LambdaFunction", "Lex", "Prompt", "Prompt",
        ]
        if depth == 0 { kinds += ["Loop", "Loop"] }
        if r.chance(0.08) { kinds = ["Teleport", "KnowledgeBase", "BadLambda", "BadPrompt"] }
        switch r.pick(kinds) {
        case "LambdaFunction":
            let arn = lambdaArn(region: region, account: account)
            resources.append(arn)
            return FlowNode(
                name: name, type: "LambdaFunction", configuration: ["lambdaArn": .string(arn)],
                configurationKind: "lambdaFunction", children: [], path: path)
        case "Lex":
            let arnAccount = r.chance(0.9) ? account : r.pick(accounts)
            let arn =
                "arn:aws:lex:\(region):\(arnAccount):bot-alias/\(r.pick(["BOTAAAAAAA", "BOTBBBBBBB"]))/\(r.pick(["TSTALIASID", "LIVEALIAS1"]))"
            resources.append(arn)
            return FlowNode(
                name: name, type: "Lex", configuration: ["botAliasArn": .string(arn), "localeId": "en_US"],
                configurationKind: "lex", children: [], path: path)
        case "Prompt":
            if r.chance(0.3) {
                return FlowNode(
                    name: name, type: "Prompt",
                    configuration: ["sourceConfiguration": ["inline": ["modelId": "anthropic.claude-v2"]]],
                    configurationKind: "prompt", children: [], path: path)
            }
            let base =
                "arn:aws:bedrock:\(region):\(account):prompt/\(r.pick(["PROMPT0001", "PROMPT0002", "PROMPT0003"]))"
            let arn = r.chance(0.5) ? base + ":\(r.int(1...3))" : base
            resources.append(base)
            resources.append(arn)
            return FlowNode(
                name: name, type: "Prompt",
                configuration: ["sourceConfiguration": ["resource": ["promptArn": .string(arn)]]],
                configurationKind: "prompt", children: [], path: path)
        case "Loop":
            let children = nodes(prefix: path, depth: depth + 1, region: region, account: account)
            return FlowNode(
                name: name, type: "Loop", configuration: [:], configurationKind: "loop", children: children, path: path)
        case "BadLambda":
            return FlowNode(
                name: name, type: "LambdaFunction",
                configuration: ["lambdaArn": "arn:aws:lambda:us-east-1:*:function:*"],
                configurationKind: "lambdaFunction", children: [], path: path)
        case "BadPrompt":
            return FlowNode(
                name: name, type: "Prompt",
                configuration: ["sourceConfiguration": ["resource": ["promptArn": "prompt"]]],
                configurationKind: "prompt", children: [], path: path)
        case let other:
            return FlowNode(
                name: name, type: other, configuration: [:], configurationKind: other.lowercased(), children: [],
                path: path)
        }
    }

    mutating func nodes(prefix: String, depth: Int, region: String, account: String) -> [FlowNode] {
        (0..<r.int(0...(depth == 0 ? 4 : 2))).map {
            node(
                name: (depth == 0 ? "N" : "Inner") + String($0), prefix: prefix, depth: depth, region: region,
                account: account)
        }
    }

    mutating func makeFlow() -> Flow {
        let account = r.pick(accounts)
        let region = r.pick(regions)
        let id = flowID()
        let arn = "arn:aws:bedrock:\(region):\(account):flow/\(id)"
        let draftRole = executionRoleArn(account: account)
        var flow = Flow(
            arn: arn, id: id, name: "flow-\(id.lowercased())", partition: "aws", region: region, account: account,
            createdAt: (try? createdAt())
                ?? Timestamp(text: "2024-01-01T00:00:00Z", instant: Instant(seconds: 1_704_067_200)),
            executionRoleArn: draftRole,
            definition: FlowDefinition(nodes: nodes(prefix: "", depth: 0, region: region, account: account)),
            sources: [Self.provenance])
        let versionCount = r.chance(0.5) ? r.int(1...3) : 0
        for number in 1...max(1, versionCount) where versionCount > 0 {
            flow.versions.append(
                FlowVersion(
                    version: String(number),
                    executionRoleArn: r.chance(0.75) ? draftRole : executionRoleArn(account: account),
                    createdAt: nil, status: "Prepared", customerEncryptionKeyArn: nil,
                    definition: FlowDefinition(nodes: nodes(prefix: "", depth: 0, region: region, account: account)),
                    source: Self.provenance))
        }
        flow.versionsKnown = r.chance(0.85)
        if r.chance(0.3) {
            flow.listedVersions = flow.versions.map(\.version) + (r.chance(0.3) ? ["7"] : [])
        }
        if r.chance(0.4) {
            let targets = ["DRAFT"] + flow.versions.map(\.version) + (r.chance(0.2) ? ["9"] : [])
            flow.aliases = (0..<r.int(1...2)).map { i in
                FlowAlias(
                    id: "ALIAS\(i)", arn: arn + "/alias/ALIAS\(i)", name: "alias\(i)", routesTo: [r.pick(targets)],
                    createdAt: nil, updatedAt: nil, source: Self.provenance)
            }
        }
        return flow
    }

    // MARK: - Identity policies

    func managedPool(account: String) -> [String] {
        [
            "arn:aws:iam::\(account):policy/flows/Shared0", "arn:aws:iam::\(account):policy/flows/Shared1",
            "arn:aws:iam::aws:policy/AmazonBedrockFullAccess", "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
        ]
    }

    mutating func makeManagedPolicies() {
        var arns = Set<String>()
        for account in accounts { arns.formUnion(managedPool(account: account)) }
        for account in accounts { arns.insert("arn:aws:iam::\(account):policy/Boundary") }
        for arn in arns.sorted() where r.chance(0.75) {
            let account = String(arn.split(separator: ":")[3])
            var policy = ManagedPolicy(arn: arn, sources: [Self.provenance])
            policy.name = String(arn.split(separator: "/").last ?? "")
            policy.attachmentCount = r.int(1...3)
            let current =
                arn.hasSuffix("/Boundary")
                ? boundaryDocument() : identityDocument(account: account == "aws" ? r.pick(accounts) : account)
            let old = identityDocument(account: account == "aws" ? r.pick(accounts) : account)
            policy.versions = [
                ManagedPolicyVersion(
                    versionId: "v1", document: old, isDefaultVersion: false, createDate: nil, source: Self.provenance),
                ManagedPolicyVersion(
                    versionId: "v2", document: current, isDefaultVersion: true, createDate: nil, source: Self.provenance
                ),
            ]
            if r.chance(0.8) { policy.defaultVersionId = "v2" }
            managed.append(policy)
        }
    }

    mutating func boundaryDocument() -> PolicyDocument {
        let statement: JSONValue
        switch r.int(0...5) {
        case 0, 1: statement = ["Effect": "Allow", "Action": "*", "Resource": "*"]
        case 2: statement = ["Effect": "Allow", "Action": ["lambda:*", "lex:*", "bedrock:*"], "Resource": "*"]
        case 3: statement = ["Effect": "Allow", "Action": "s3:*", "Resource": "*"]
        case 4:
            statement = [
                "Effect": "Allow", "Action": "*", "Resource": "*",
                "Condition": ["StringEquals": ["aws:RequestedRegion": "us-east-1"]],
            ]
        default: statement = ["Effect": "Allow", "NotAction": "lambda:InvokeFunction", "Resource": "*"]
        }
        return document(["Version": "2012-10-17", "Statement": [statement]])
    }

    mutating func resourcePattern(account: String) -> String {
        let region = r.pick(regions)
        if !resources.isEmpty && r.chance(0.4) { return r.pick(resources) }
        return r.pick([
            "*", "arn:aws:lambda:*:*:function:*", "arn:aws:lambda:\(region):\(account):function:order-*",
            "arn:aws:lambda:\(region):\(account):function:fn?",
            "arn:aws:lambda:\(region):\(account):function:order-lookup:*",
            "arn:aws:lambda:\(region):\(account):function:payroll-export", "arn:aws:bedrock:*:\(account):prompt/*",
            "arn:aws:bedrock:\(region):\(account):prompt/PROMPT0001*", "arn:aws:lex:*:\(account):bot-alias/*",
            "arn:aws:lambda:\(region):\(account):function:${aws:username}", "arn:aws:s3:::bucket/*",
            "arn:aws:lambda:\(region):\(account):function:fn1:?",
        ])
    }

    mutating func strings(_ pool: [String], max: Int) -> JSONValue {
        if r.chance(0.5) { return .string(r.pick(pool)) }
        var seen: [String] = []
        for _ in 0..<r.int(1...max) {
            let item = r.pick(pool)
            if !seen.contains(item) { seen.append(item) }
        }
        return .array(seen.map(JSONValue.string))
    }

    mutating func identityStatement(account: String) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if r.chance(0.3) {
            members.append(("Sid", .string(r.pick(["Stmt1", "Lambda", "FlowroleLambdaInvokeFunction", "Prompts"]))))
        }
        members.append(("Effect", r.chance(0.75) ? "Allow" : "Deny"))
        let actions = [
            "lambda:InvokeFunction", "lambda:*", "lambda:Invoke*", "lambda:InvokeFunctio?", "lex:RecognizeUtterance",
            "lex:*", "bedrock:RenderPrompt", "bedrock:*", "s3:GetObject", "*", "iam:PassRole",
        ]
        let actionKey = r.chance(0.87) ? "Action" : "NotAction"
        members.append((actionKey, strings(actions, max: 3)))
        let resourceKey = r.chance(0.87) ? "Resource" : "NotResource"
        var patterns: [String] = []
        for _ in 0..<r.int(1...3) {
            let pattern = resourcePattern(account: account)
            if !patterns.contains(pattern) { patterns.append(pattern) }
        }
        members.append(
            (
                resourceKey,
                patterns.count == 1 && r.chance(0.5) ? .string(patterns[0]) : .array(patterns.map(JSONValue.string))
            ))
        if r.chance(0.2) {
            members.append(
                (
                    "Condition",
                    r.pick(
                        [
                            ["StringEquals": ["aws:RequestTag/team": "x"]],
                            ["Bool": ["aws:MultiFactorAuthPresent": "true"]],
                            ["IpAddress": ["aws:SourceIp": "10.0.0.0/8"]],
                            ["StringLikeIfExists": ["aws:PrincipalTag/x": "y*"]],
                            ["FlowroleUnknownOperator": ["k": "v"]],
                        ] as [JSONValue])
                ))
        }
        return jsonObject(members)
    }

    mutating func identityDocument(account: String) -> PolicyDocument {
        let statements = (0..<r.int(1...3)).map { _ in identityStatement(account: account) }
        var members: [(String, JSONValue)] = []
        switch r.int(0...19) {
        case 0, 1: members.append(("Version", "2008-10-17"))
        case 2: break
        default: members.append(("Version", "2012-10-17"))
        }
        members.append(("Statement", statements.count == 1 && r.chance(0.3) ? statements[0] : .array(statements)))
        return document(jsonObject(members))
    }

    /// The migration's own policy as a previous run (or a person) left it.
    mutating func previousRun(role: Role, flows used: [Flow]) -> PolicyDocument {
        var statements: [JSONValue] = []
        let own = r.subset(resources, 0.3)
        for (sid, action, prefix) in [
            ("FlowroleLambdaInvokeFunction", "lambda:InvokeFunction", "arn:aws:lambda:"),
            ("FlowroleLexRecognizeUtterance", "lex:RecognizeUtterance", "arn:aws:lex:"),
            ("FlowroleBedrockRenderPrompt", "bedrock:RenderPrompt", "arn:aws:bedrock:"),
        ] {
            let mine = own.filter { $0.hasPrefix(prefix) }
            guard !mine.isEmpty || r.chance(0.1) else { continue }
            var members: [(String, JSONValue)] = [
                ("Sid", .string(sid)), ("Effect", "Allow"), ("Action", .string(action)),
            ]
            let list = Array(Set(mine.isEmpty ? ["\(prefix)us-east-1:\(role.account):unused"] : mine)).sorted()
            members.append(
                ("Resource", list.count == 1 && r.chance(0.4) ? .string(list[0]) : .array(list.map(JSONValue.string))))
            if r.chance(0.05) { members.append(("Condition", ["Bool": ["aws:SecureTransport": "true"]])) }
            statements.append(jsonObject(members))
        }
        if r.chance(0.3) || statements.isEmpty {
            statements.append([
                "Sid": "Mine", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*",
            ])
        }
        return document(["Version": "2012-10-17", "Statement": .array(statements)])
    }

    func document(_ json: JSONValue) -> PolicyDocument {
        do { return try PolicyDocument(json: json) } catch {
            fatalError("seed \(seed): generated an invalid policy \(json.canonicalText): \(error)")
        }
    }

    // MARK: - Trust policies

    mutating func sourceArnKey() -> String {
        r.pick(["aws:SourceArn", "aws:SourceArn", "AWS:SourceArn", "aws:sourcearn"])
    }

    /// `aws:SourceArn` values, mostly flow wildcards, for a role of `account`.
    mutating func wildcardValues(account: String) -> [String] {
        var values: [String] = []
        for _ in 0..<r.int(1...2) {
            let region = r.chance(0.2) ? "*" : r.pick(regions + [r.pick(Self.allRegions)])
            let valueAccount =
                r.chance(0.8) ? account : (r.chance(0.5) ? "*" : r.pick(accounts + [Self.foreignAccount]))
            values.append("arn:aws:bedrock:\(region):\(valueAccount):flow/*")
        }
        if r.chance(0.2) { values.append("arn:aws:bedrock:\(r.pick(regions)):\(account):agent/AGENT12345") }
        if r.chance(0.1) { values.append("arn:aws:bedrock:\(r.pick(regions)):\(account):knowledge-base/KB12345678") }
        if r.chance(0.05) { values.append("arn:aws:bedrock:\(r.pick(regions)):\(account):flow/AB*") }
        if r.chance(0.03) { values.append("*") }
        return Array(Set(values)).sorted()
    }

    mutating func valueList(_ values: [String]) -> JSONValue {
        values.count == 1 && r.chance(0.6) ? .string(values[0]) : .array(values.map(JSONValue.string))
    }

    mutating func sourceAccountClause(account: String) -> JSONValue {
        r.chance(0.8)
            ? .string(account) : .array([account, r.pick(accounts + [Self.foreignAccount])].map(JSONValue.string))
    }

    mutating func bedrockPrincipal(others: Bool) -> JSONValue {
        if others {
            return r.chance(0.5)
                ? ["Service": ["lambda.amazonaws.com", .string(Self.bedrock)]]
                : ["Service": .string(Self.bedrock), "AWS": .string("arn:aws:iam::\(accounts[0]):root")]
        }
        return r.chance(0.85) ? ["Service": .string(Self.bedrock)] : ["Service": [.string(Self.bedrock)]]
    }

    mutating func assumeAction() -> JSONValue {
        switch r.int(0...19) {
        case 0, 1: return ["sts:AssumeRole", "sts:TagSession"]
        case 2: return "sts:*"
        default: return "sts:AssumeRole"
        }
    }

    mutating func trustStatement(role: Role, flows used: [Flow], sid: String?) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let sid { members.append(("Sid", .string(sid))) }
        let account = role.account
        switch r.int(0...15) {
        case 0...6:  // console style, maybe with another service or principal
            members += [
                ("Effect", "Allow"), ("Principal", bedrockPrincipal(others: r.chance(0.2))), ("Action", assumeAction()),
            ]
            let op = r.pick(["ArnLike", "ArnLike", "ArnLike", "StringLike", "StringLike", "ArnEquals", "StringEquals"])
            var condition: [(String, JSONValue)] = []
            if r.chance(0.7) {
                condition.append(("StringEquals", ["aws:SourceAccount": sourceAccountClause(account: account)]))
            }
            let sourceArn: JSONValue = jsonObject([(sourceArnKey(), valueList(wildcardValues(account: account)))])
            if let existing = condition.firstIndex(where: { $0.0 == op }),
                case .object(var keys) = condition[existing].1
            {
                keys += sourceArn.objectMembers ?? []
                condition[existing].1 = .object(keys)
            } else {
                condition.insert((op, sourceArn), at: r.int(0...condition.count))
            }
            if r.chance(0.08) {
                condition.append(
                    ("ArnNotLike", ["aws:SourceArn": .string("arn:aws:bedrock:*:\(Self.foreignAccount):flow/*")]))
            }
            members.append(("Condition", jsonObject(condition)))
        case 7, 8:  // pinned to flow ARNs
            members += [
                ("Effect", "Allow"), ("Principal", bedrockPrincipal(others: r.chance(0.1))), ("Action", assumeAction()),
            ]
            var values: [String] = []
            for flow in r.subset(used, 0.75) {
                values.append(flow.arn)
                if r.chance(0.6) { values.append(flow.arn + "/*") }
            }
            if values.isEmpty || r.chance(0.2) { values.append("arn:aws:bedrock:us-east-1:\(account):flow/PINNEDXXXX") }
            if r.chance(0.2) { values.append("arn:aws:bedrock:\(r.pick(regions)):\(account):flow/*") }
            members.append(
                (
                    "Condition",
                    jsonObject([
                        (
                            r.pick(["ArnLike", "ArnEquals", "StringLike"]),
                            jsonObject([(sourceArnKey(), valueList(values))])
                        )
                    ])
                ))
        case 9, 10:  // no SourceArn condition
            members += [
                ("Effect", "Allow"), ("Principal", bedrockPrincipal(others: r.chance(0.2))), ("Action", assumeAction()),
            ]
            if r.chance(0.4) {
                members.append(
                    ("Condition", ["StringEquals": ["aws:SourceAccount": sourceAccountClause(account: account)]]))
            }
        case 11, 12:  // another AWS principal
            members += [
                ("Effect", "Allow"), ("Principal", ["AWS": .string("arn:aws:iam::\(r.pick(accounts)):root")]),
                ("Action", r.chance(0.5) ? "sts:AssumeRole" : ["sts:AssumeRole", "sts:TagSession"]),
            ]
        case 13:  // another service
            members += [
                ("Effect", "Allow"), ("Principal", ["Service": "lambda.amazonaws.com"]), ("Action", "sts:AssumeRole"),
            ]
        case 14:  // a Deny about Bedrock
            members += [
                ("Effect", "Deny"), ("Principal", ["Service": .string(Self.bedrock)]), ("Action", "sts:AssumeRole"),
                ("Condition", ["StringNotEquals": ["aws:SourceAccount": .string(account)]]),
            ]
        default:  // Bedrock, for agents only
            members += [
                ("Effect", "Allow"), ("Principal", ["Service": .string(Self.bedrock)]), ("Action", "sts:AssumeRole"),
                (
                    "Condition",
                    ["ArnLike": ["aws:SourceArn": .string("arn:aws:bedrock:\(r.pick(regions)):\(account):agent/*")]]
                ),
            ]
        }
        return jsonObject(members)
    }

    mutating func trustDocument(role: Role, flows used: [Flow]) -> PolicyDocument {
        let count = r.int(1...3)
        var sids = r.pick([
            [String?](), [nil, nil, nil], ["AmazonBedrockFlowsTrust", "Flows", "FlowsBedrock"],
            ["Flows", nil, "FlowroleBedrockTrust"],
            ["", "Other", "Third"],
        ])
        while sids.count < count { sids.append(nil) }
        let statements = (0..<count).map { trustStatement(role: role, flows: used, sid: sids[$0]) }
        if count == 1 && r.chance(0.2) {
            return document(["Version": "2008-10-17", "Statement": statements[0]])
        }
        return document(
            jsonObject([
                ("Version", "2012-10-17"),
                ("Statement", count == 1 && r.chance(0.2) ? statements[0] : .array(statements)),
            ]))
    }
}

/// How a flow's `executionRoleArn` names a role, judged here independently of `RoleLookup`.
enum PropertyJoin {
    static func names(_ executionRoleArn: String, role: Role, flowAccount: String) -> Bool {
        let parts = executionRoleArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[5].hasPrefix("role/") else { return false }
        let partition = parts[1].isEmpty ? "aws" : String(parts[1])
        let account = parts[4].isEmpty ? flowAccount : String(parts[4])
        let name = parts[5].split(separator: "/").last.map(String.init) ?? ""
        return partition == role.partition && account == role.account && name.lowercased() == role.name.lowercased()
    }
}
