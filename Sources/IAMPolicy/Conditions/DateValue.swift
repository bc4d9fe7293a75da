/// Reads the date values the Date operators accept (IAM UG, reference_policies_elements_condition_operators:
/// "W3C implementations of the ISO 8601 date formats … or epoch (UNIX) time") into seconds
/// since the epoch: `2024-11`, `2024-11-22`, `2024-11-22T10:00Z`, `2024-11-22T10:00:00.5+01:00`,
/// `1732233600` (digits only: epoch seconds). Anything else is nil (the clause is then unknown).
enum DateValue {
    static func seconds(_ text: String) -> Double? {
        if let epoch = Double(text),
            text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." || $0 == "-" })
        {
            return epoch
        }
        var scanner = Array(text.utf8)[...]
        guard let year = number(&scanner, digits: 4) else { return nil }
        var month = 1
        var day = 1
        var seconds = 0.0
        var offset = 0
        if scanner.first == UInt8(ascii: "-") {
            scanner.removeFirst()
            guard let parsed = number(&scanner, digits: 2), (1...12).contains(parsed) else { return nil }
            month = parsed
            if scanner.first == UInt8(ascii: "-") {
                scanner.removeFirst()
                guard let parsed = number(&scanner, digits: 2), (1...31).contains(parsed) else { return nil }
                day = parsed
                if scanner.first == UInt8(ascii: "T") {
                    scanner.removeFirst()
                    guard let hour = number(&scanner, digits: 2), hour < 24, scanner.first == UInt8(ascii: ":") else {
                        return nil
                    }
                    scanner.removeFirst()
                    guard let minute = number(&scanner, digits: 2), minute < 60 else { return nil }
                    seconds = Double(hour * 3600 + minute * 60)
                    if scanner.first == UInt8(ascii: ":") {
                        scanner.removeFirst()
                        guard let second = number(&scanner, digits: 2), second <= 60 else { return nil }
                        seconds += Double(second)
                        if scanner.first == UInt8(ascii: ".") {
                            scanner.removeFirst()
                            var scale = 0.1
                            var any = false
                            while let byte = scanner.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                                seconds += Double(byte - UInt8(ascii: "0")) * scale
                                scale /= 10
                                any = true
                                scanner.removeFirst()
                            }
                            guard any else { return nil }
                        }
                    }
                    guard let zone = zoneOffset(&scanner) else { return nil }
                    offset = zone
                }
            }
        }
        guard scanner.isEmpty else { return nil }
        return Double(daysFromCivil(year: year, month: month, day: day)) * 86_400 + seconds - Double(offset)
    }

    private static func number(_ scanner: inout ArraySlice<UInt8>, digits: Int) -> Int? {
        guard scanner.count >= digits else { return nil }
        var value = 0
        for byte in scanner.prefix(digits) {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        scanner.removeFirst(digits)
        return value
    }

    /// `Z`, `+HH:MM`, `-HH:MM`, `+HHMM`; seconds east of UTC.
    private static func zoneOffset(_ scanner: inout ArraySlice<UInt8>) -> Int? {
        guard let sign = scanner.first else { return 0 }
        if sign == UInt8(ascii: "Z") {
            scanner.removeFirst()
            return 0
        }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        scanner.removeFirst()
        guard let hours = number(&scanner, digits: 2) else { return nil }
        if scanner.first == UInt8(ascii: ":") { scanner.removeFirst() }
        guard let minutes = number(&scanner, digits: 2) else { return nil }
        let total = hours * 3600 + minutes * 60
        return sign == UInt8(ascii: "+") ? total : -total
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
