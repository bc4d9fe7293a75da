import FlowRoleJSON

/// Reads one file — JSON (one value, an array of pages, or JSON Lines) or XML — into fragments.
enum FileDecoder {
    static func decode(path: String) throws(InputError) -> (Fragments, InputFile) {
        let file = try MappedFile(path: path)
        var fragments = Fragments()
        try file.withBytes { bytes throws(InputError) in
            guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
                throw InputError(file: path, message: "the file is empty; expected JSON or XML.")
            }
            let startsXML = first == UInt8(ascii: "<") || (bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF && bytes.count > 3 && bytes[3] == UInt8(ascii: "<"))
            if startsXML {
                try decodeXML(bytes, path: path, into: &fragments)
            } else {
                try decodeJSON(bytes, path: path, into: &fragments)
            }
        }
        return (fragments, InputFile(path: path, kind: fragments.kinds.joined(separator: "+"), bytes: file.count))
    }

    static func decodeJSON(_ bytes: UnsafeRawBufferPointer, path: String, into fragments: inout Fragments) throws(InputError) {
        let values = try JSONParser.parseAll(bytes, file: path, options: FlowDecoder.parseOptions)
        for topLevel in values {
            let context = DecodeContext(
                file: path, isXML: false, lines: [:], topLevelLine: values.count > 1 ? topLevel.line : nil, prefix: "")
            let cursor = Cursor(value: topLevel.value, pointer: "", context: context)
            switch topLevel.value {
            case .object:
                try decodeOutput(cursor, into: &fragments)
            case .array:
                // An array of pages, as saved by tools that collect every page of a paginated call.
                for page in try cursor.array("pages") {
                    try decodeOutput(page, into: &fragments)
                }
            default:
                throw InputError(
                    file: path, line: topLevel.line,
                    message: "the file holds \(topLevel.value.kindDescription); expected an AWS output object (or an array of pages).")
            }
        }
    }

    static func decodeOutput(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        guard let kind = InputKind.detect(output.value) else {
            let keys = (output.value.objectMembers ?? []).prefix(6).map(\.key)
            throw output.error(
                "not a recognised export (members: \(keys.isEmpty ? "none" : keys.joined(separator: ", "))); expected IAM or bedrock-agent output, a flow bundle or a flowrole manifest.")
        }
        if !fragments.kinds.contains(kind.rawValue) { fragments.kinds.append(kind.rawValue) }
        try kind.decode(output, into: &fragments)
    }

    static func decodeXML(_ bytes: UnsafeRawBufferPointer, path: String, into fragments: inout Fragments) throws(InputError) {
        let tree = try XMLTreeReader.read(bytes, file: path)
        let context = DecodeContext(file: path, isXML: true, lines: tree.lines, topLevelLine: nil, prefix: "")
        let root = Cursor(value: tree.value, pointer: "", context: context)
        if tree.rootName == "ErrorResponse" {
            let error = root.member("Error")
            let code = (try? error?.optionalString("Code")) ?? nil
            let message = (try? error?.optionalString("Message")) ?? nil
            throw root.error("the file is an IAM error response (\(code ?? "no code"): \(message ?? "no message")), not an export.")
        }
        if let kind = InputKind.detectXMLResponse(rootName: tree.rootName) {
            let resultName = String(tree.rootName.dropLast("Response".count)) + "Result"
            guard let result = root.member(resultName) else {
                throw root.error("\(tree.rootName) has no \(resultName) element.")
            }
            if !fragments.kinds.contains(kind.rawValue) { fragments.kinds.append(kind.rawValue) }
            try kind.decode(try result.object(resultName), into: &fragments)
            return
        }
        guard case .object = tree.value else {
            throw root.error("the XML root element <\(tree.rootName)> holds \(tree.value.kindDescription); expected an IAM Query API response or a flow export.")
        }
        try decodeOutput(root, into: &fragments)
    }
}
