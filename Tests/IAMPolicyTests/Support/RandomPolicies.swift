import FlowRoleJSON

/// A small deterministic generator (SplitMix64), so property tests reproduce from a seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: Int) { state = UInt64(bitPattern: Int64(seed)) &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }
}

/// Random policy material drawn from a small vocabulary so that patterns often match requests.
enum RandomPolicies {
    static let actions = [
        "lambda:InvokeFunction", "lambda:GetFunction", "bedrock:RenderPrompt", "bedrock:GetPrompt",
        "bedrock:InvokeModel", "lex:RecognizeUtterance", "lex:RecognizeText", "s3:GetObject",
    ]
    static let resources = [
        "arn:aws:lambda:us-east-1:123456789012:function:invoice-normalizer",
        "arn:aws:lambda:us-east-1:123456789012:function:invoice-normalizer:7",
        "arn:aws:lambda:us-east-1:123456789012:function:approved-x",
        "arn:aws:bedrock:us-east-1:123456789012:prompt/PRMT4A9X2Q",
        "arn:aws:bedrock:us-east-1:123456789012:prompt/PRMT4A9X2Q:3",
        "arn:aws:lex:us-east-1:123456789012:bot-alias/LEXBOT0001/OPSALIAS01",
        "arn:aws-cn:s3:::bucket/home/alice/doc",
    ]

    static func actionPattern(_ random: inout SeededRandom) -> String {
        let action = random.pick(actions)
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return "*"
        case 1: return String(action.prefix { $0 != ":" }) + ":*"
        case 2: return String(action.prefix(Int.random(in: 1...action.count, using: &random))) + "*"
        case 3:
            return String(action.map { random.chance(50) ? Character($0.uppercased()) : Character($0.lowercased()) })
        case 4:
            var scalars = Array(action)
            scalars[Int.random(in: 0..<scalars.count, using: &random)] = "?"
            return String(scalars)
        default: return action
        }
    }

    static func resourcePattern(_ random: inout SeededRandom) -> String {
        let resource = random.pick(resources)
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return "*"
        case 1: return String(resource.prefix(Int.random(in: 1...resource.count, using: &random))) + "*"
        case 2:
            var scalars = Array(resource)
            scalars[Int.random(in: 0..<scalars.count, using: &random)] = "?"
            return String(scalars)
        case 3: return "arn:aws-cn:s3:::bucket/home/${aws:username}/*"
        default: return resource
        }
    }

    static func stringOrList(_ values: [String], _ random: inout SeededRandom) -> JSONValue {
        values.count == 1 && random.chance(50) ? .string(values[0]) : .array(values.map(JSONValue.string))
    }

    static func conditionValue(_ random: inout SeededRandom) -> JSONValue {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return .number(random.pick(["10", "1.50", "-2e3"]))
        case 1: return .bool(random.chance(50))
        case 2: return .array([.string("a/b"), .string("caf\u{E9} \"q\"\\")])
        default: return .string(random.pick(["123456789012", "arn:aws:bedrock:*:123456789012:flow/*", "x"]))
        }
    }

    /// A random statement; `conditions` percent of them carry a Condition.
    static func statement(_ random: inout SeededRandom, conditions: Int = 30) -> JSONValue {
        var members: [JSONMember] = []
        if random.chance(50) {
            members.append(JSONMember("Sid", .string("S\(Int.random(in: 0..<100, using: &random))")))
        }
        members.append(JSONMember("Effect", .string(random.chance(60) ? "Allow" : "Deny")))
        let actionList = (0..<Int.random(in: 1...3, using: &random)).map { _ in actionPattern(&random) }
        members.append(JSONMember(random.chance(20) ? "NotAction" : "Action", stringOrList(actionList, &random)))
        let resourceList = (0..<Int.random(in: 1...3, using: &random)).map { _ in resourcePattern(&random) }
        members.append(JSONMember(random.chance(20) ? "NotResource" : "Resource", stringOrList(resourceList, &random)))
        if random.chance(conditions) {
            let op = random.pick([
                "StringEquals", "ArnLike", "NumericLessThan", "Bool", "ForAnyValue:StringLike", "Mystery",
            ])
            let key = random.pick(["aws:SourceAccount", "AWS:SourceArn", "s3:max-keys"])
            members.append(
                JSONMember("Condition", .object([JSONMember(op, .object([JSONMember(key, conditionValue(&random))]))])))
        }
        if random.chance(10) { members.append(JSONMember("x-unknown", .object([JSONMember("n", .number("1.0"))]))) }
        // Shuffle member order: parsing must not depend on it.
        for index in members.indices.reversed() where index > 0 {
            members.swapAt(index, Int.random(in: 0...index, using: &random))
        }
        return .object(members)
    }

    /// A random document: version 2012/2008/absent, Statement as an object or a list.
    static func document(_ random: inout SeededRandom, conditions: Int = 30) -> JSONValue {
        var members: [JSONMember] = []
        switch Int.random(in: 0..<4, using: &random) {
        case 0: members.append(JSONMember("Version", "2008-10-17"))
        case 1: break
        default: members.append(JSONMember("Version", "2012-10-17"))
        }
        if random.chance(20) {
            members.append(JSONMember("Id", .string("doc-\(Int.random(in: 0..<9, using: &random))")))
        }
        let count = Int.random(in: 1...4, using: &random)
        if count == 1, random.chance(40) {
            members.append(JSONMember("Statement", statement(&random, conditions: conditions)))
        } else {
            members.append(
                JSONMember("Statement", .array((0..<count).map { _ in statement(&random, conditions: conditions) })))
        }
        if random.chance(50) { members.reverse() }
        return .object(members)
    }
}
