/// Text that is not a valid ARN, with a whole sentence saying why.
public struct ARNError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text that failed.
    public var text: String
    /// A whole sentence naming what is wrong.
    public var message: String

    public init(text: String, message: String) {
        self.text = text
        self.message = message
    }

    public var description: String { message }
}
