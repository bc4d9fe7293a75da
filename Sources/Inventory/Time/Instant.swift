import Foundation

/// A point in time read from an AWS timestamp, compared as an instant in UTC — never as text
/// (DESIGN: "Timestamps come with or without fractional seconds and with any UTC offset; compare
/// instants").
///
/// Parsed by a small strict RFC 3339 reader rather than `Date.ISO8601FormatStyle`, which rejects
/// the space-separated form that Python's `str(datetime)` writes (STYLE, habit 5). Accepted:
/// `YYYY-MM-DD` then `T`, `t` or one space, `hh:mm:ss`, an optional `.` with 1–9 digits, then `Z`,
/// `z` or `±hh:mm` (AWS-FORMATS §2).
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// Nanoseconds within the second, 0…999,999,999.
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// Why a timestamp was rejected.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String {
            "\"\(text)\" is not a timestamp (\(reason)); expected RFC 3339 like 2024-11-22T15:04:05Z or 2024-11-22 15:04:05.123+01:00."
        }
    }

    /// Parses an RFC 3339 timestamp (see the type's documentation for the forms).
    public init(parsing text: String) throws(FormatError) {
        let bytes = Array(text.utf8)
        var position = 0
        func fail(_ reason: String) -> FormatError { FormatError(text: text, reason: reason) }
        func digits(_ count: Int, _ what: String) throws(FormatError) -> Int {
            guard position + count <= bytes.count else { throw fail("\(what) is missing") }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[position + offset]
                guard byte >= 48 && byte <= 57 else { throw fail("\(what) must be \(count) digits") }
                value = value * 10 + Int(byte - 48)
            }
            position += count
            return value
        }
        func expect(_ byte: UInt8, _ what: String) throws(FormatError) {
            guard position < bytes.count, bytes[position] == byte else { throw fail("expected \(what)") }
            position += 1
        }
        let year = try digits(4, "the year")
        try expect(UInt8(ascii: "-"), "'-' after the year")
        let month = try digits(2, "the month")
        try expect(UInt8(ascii: "-"), "'-' after the month")
        let day = try digits(2, "the day")
        guard position < bytes.count,
            [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[position])
        else { throw fail("expected 'T' or a space between date and time") }
        position += 1
        let hour = try digits(2, "the hour")
        try expect(UInt8(ascii: ":"), "':' after the hour")
        let minute = try digits(2, "the minutes")
        try expect(UInt8(ascii: ":"), "':' after the minutes")
        let second = try digits(2, "the seconds")
        var nanos = 0
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            position += 1
            var count = 0
            while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
                guard count < 9 else { throw fail("more than 9 fraction digits") }
                nanos = nanos * 10 + Int(bytes[position] - 48)
                count += 1
                position += 1
            }
            guard count > 0 else { throw fail("no digits after '.'") }
            for _ in count..<9 { nanos *= 10 }
        }
        guard position < bytes.count else { throw fail("the UTC offset (Z or ±hh:mm) is missing") }
        var offsetSeconds = 0
        switch bytes[position] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            position += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            let offsetHours = try digits(2, "the offset hours")
            try expect(UInt8(ascii: ":"), "':' in the UTC offset")
            let offsetMinutes = try digits(2, "the offset minutes")
            guard offsetHours <= 23, offsetMinutes <= 59 else { throw fail("the UTC offset is out of range") }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            throw fail("expected Z or ±hh:mm after the time")
        }
        guard position == bytes.count else { throw fail("unexpected text after the UTC offset") }
        guard (1...12).contains(month) else { throw fail("month \(month) is out of range") }
        guard day >= 1, day <= Instant.daysIn(month: month, year: year) else {
            throw fail("day \(day) is out of range")
        }
        guard hour <= 23, minute <= 59, second <= 60 else { throw fail("the time is out of range") }
        // A leap second (:60) is the last instant of its minute; count it as :59.999999999.
        let leap = second == 60
        let days = Instant.daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + (leap ? 59 : second))
        self.seconds = local - Int64(offsetSeconds)
        self.nanoseconds = leap ? 999_999_999 : Int32(nanos)
    }

    /// `YYYY-MM-DDThh:mm:ss[.fffffffff]Z`, the fraction trimmed of trailing zeros.
    public var description: String {
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = Instant.civilFromDays(days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        text += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if nanoseconds > 0 {
            var fraction = pad(Int(nanoseconds), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// The current instant (read only by the command line: plans hold no clock unless stamped).
    public static var now: Instant {
        let seconds = Date().timeIntervalSince1970
        return Instant(
            seconds: Int64(seconds.rounded(.down)), nanoseconds: Int32((seconds - seconds.rounded(.down)) * 1e9))
    }

    /// The UTC calendar day, `YYYY-MM-DD`.
    public var utcDay: String { String(description.prefix(10)) }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp + (mp < 10 ? 3 : -9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A timestamp as found (kept for display) with its instant (used for every comparison).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var text: String
    public var instant: Instant

    public init(text: String, instant: Instant) {
        self.text = text
        self.instant = instant
    }

    public init(parsing text: String) throws(Instant.FormatError) {
        self.text = text
        self.instant = try Instant(parsing: text)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.instant < rhs.instant }
    /// Two timestamps are the same when they name the same instant, however written.
    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.instant == rhs.instant }
    public func hash(into hasher: inout Hasher) { hasher.combine(instant) }
    public var description: String { text }
}
