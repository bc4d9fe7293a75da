import FlowRoleJSON

/// Reads one file — JSON (one value, an array of pages, or JSON Lines) or XML — into fragments.
enum FileDecoder {
    /// What a file parsed to, before decoding.
    private enum Parsed {
        case json([JSONTopLevelValue])
        case xml(XMLDocumentTree)
    }

    /// With `releasingTreeInBackground`, the parse tree is freed on another thread once the models
    /// are built (see `BackgroundRelease`); otherwise here, before returning, so that the next
    /// file's parse reuses its memory.
    static func decode(path: String, releasingTreeInBackground: Bool = false) throws(InputError) -> (
        Fragments, InputFile
    ) {
        let file = try MappedFile(path: path)
        let parsed = try parse(file)
        // The tree holds copies of what is kept: while models are built from it, another thread
        // hashes the file and releases each page it has hashed, so the mapping is gone by the end.
        let digest = BackgroundDigest(file)
        var fragments = Fragments()
        do throws(InputError) {
            switch parsed {
            case .json(let values): try decodeJSON(values, path: path, into: &fragments)
            case .xml(let tree): try decodeXML(tree, path: path, into: &fragments)
            }
        } catch {
            _ = digest.value
            throw error
        }
        // The models hold copies of what they keep.
        if releasingTreeInBackground {
            BackgroundRelease.release(consume parsed, inBackground: true)
        } else if case .json(let values) = consume parsed, file.count >= 1 << 20 {
            BackgroundRelease.releaseInParallel(consume values)
        }
        return (
            fragments,
            InputFile(
                path: path, kind: fragments.kinds.joined(separator: "+"), bytes: file.count, sha256: digest.value)
        )
    }

    private static func parse(_ file: MappedFile) throws(InputError) -> Parsed {
        let path = file.path
        return try file.withBytes { bytes throws(InputError) -> Parsed in
            // Skip a UTF-8 byte-order mark and whitespace; `<` means XML, anything else is read as JSON.
            let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
            let content = bytes[(bom ? 3 : 0)...]
            guard let start = content.firstIndex(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
            else {
                throw InputError(
                    file: path,
                    message: content.isEmpty
                        ? "the file is empty; expected JSON or XML."
                        : "the file holds only whitespace; expected JSON or XML.")
            }
            if bytes[start] == UInt8(ascii: "<") {
                // `<` then NUL is UTF-16LE without a byte-order mark, which libxml2 would decode
                // when an encoding declaration follows: refused like UTF-16 with a mark (the JSON
                // reader's check), so that one encoding gets one answer whether marked or not.
                if start + 1 < bytes.count && bytes[start + 1] == 0 {
                    throw InputError(
                        file: path, line: 1, column: 1,
                        message:
                            "the file is UTF-16 (little-endian, without a byte-order mark); AWS exports are UTF-8 — convert it, e.g. `iconv -f UTF-16LE -t UTF-8`, or in PowerShell write it with `-Encoding utf8`."
                    )
                }
                return .xml(try XMLTreeReader.read(bytes, file: path))
            }
            // The bytes are the file's private read-only mapping: passed pages may go back to the kernel.
            var options = FlowDecoder.parseOptions
            options.releasesPassedPages = true
            return .json(try JSONParser.parseAll(bytes, file: path, options: options))
        }
    }

    static func decodeJSON(_ values: [JSONTopLevelValue], path: String, into fragments: inout Fragments)
        throws(InputError)
    {
        for topLevel in values {
            let context = DecodeContext(
                file: path, isXML: false, lines: [:], topLevelLine: values.count > 1 ? topLevel.line : nil, prefix: "")
            let cursor = Cursor(value: topLevel.value, path: .root, context: context)
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
                    message:
                        "the file holds \(topLevel.value.kindDescription); expected an AWS output object (or an array of pages)."
                )
            }
        }
    }

    static func decodeOutput(_ output: Cursor, into fragments: inout Fragments) throws(InputError) {
        guard let kind = InputKind.detect(output.value) else {
            let found: String
            if let members = output.value.objectMembers {
                found =
                    members.isEmpty
                    ? "an empty object" : "an object with " + members.prefix(6).map(\.key).joined(separator: ", ")
            } else {
                found = output.value.kindDescription
            }
            throw output.error(
                "not a recognised export (found \(found)); expected IAM, bedrock-agent or bedrock (inference profile) output, CloudFormation stack resources, Terraform state, a flow bundle or a flowrole manifest."
            )
        }
        if !fragments.kinds.contains(kind.rawValue) { fragments.kinds.append(kind.rawValue) }
        try kind.decode(output, into: &fragments)
    }

    static func decodeXML(_ tree: XMLDocumentTree, path: String, into fragments: inout Fragments) throws(InputError) {
        let context = DecodeContext(file: path, isXML: true, lines: tree.lines, topLevelLine: nil, prefix: "")
        let root = Cursor(value: tree.value, path: .root, context: context)
        if tree.rootName == "ErrorResponse" {
            let error = root.member("Error")
            let code = (try? error?.optionalString("Code")) ?? nil
            let message = (try? error?.optionalString("Message")) ?? nil
            throw root.error(
                "the file is an AWS error response (\(code ?? "no code"): \(message ?? "no message")), not an export.")
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
            throw root.error(
                "the XML root element <\(tree.rootName)> holds \(tree.value.kindDescription); expected an IAM or CloudFormation Query API response or a flow export."
            )
        }
        try decodeOutput(root, into: &fragments)
    }
}
