public import FlowRoleJSON

/// A policy document that IAM would reject, or that flowrole cannot read: where (a JSON pointer
/// relative to the document, RFC 6901) and what (a whole sentence).
///
/// The pointer is relative to the policy document itself (`/Statement/2/Effect`), so a reader
/// that found the document at `/RoleDetailList/3/AssumeRolePolicyDocument` prefixes its own
/// pointer: ``inputError(file:documentPointer:)`` does that.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer of the value at fault, relative to the document (`""` is the document).
    public var pointer: String
    /// A whole sentence naming what is wrong and the value that failed.
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    public var description: String {
        pointer.isEmpty ? message : "at \(pointer): \(message)"
    }

    /// The same problem as FlowRoleJSON's ``InputError``, located in `file` at
    /// `documentPointer` + ``pointer``.
    public func inputError(file: String, line: Int? = nil, documentPointer: String = "") -> InputError {
        InputError(file: file, line: line, pointer: documentPointer + pointer, message: message)
    }
}
