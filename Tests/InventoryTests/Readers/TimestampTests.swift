import Testing

@testable import Inventory

/// Every timestamp form of AWS-FORMATS §2, compared as instants.
@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        ("2024-11-22T00:00:00Z", "2024-11-22T00:00:00Z"),
        ("2024-11-22T00:00:00+00:00", "2024-11-22T00:00:00Z"),
        ("2024-11-22T00:00:00.000Z", "2024-11-22T00:00:00Z"),
        ("2024-06-14T17:32:05.481230+00:00", "2024-06-14T17:32:05.48123Z"),
        ("2026-11-29T08:42:29.832406Z", "2026-11-29T08:42:29.832406Z"),
        ("2024-11-22T00:00:00.123456789Z", "2024-11-22T00:00:00.123456789Z"),
        ("2024-11-22 00:00:00+00:00", "2024-11-22T00:00:00Z"),  // Python's str(datetime)
        ("2024-11-22t01:00:00z", "2024-11-22T01:00:00Z"),
        // Offsets move the instant across midnight UTC, both ways.
        ("2024-11-22T01:30:00+02:00", "2024-11-21T23:30:00Z"),
        ("2024-11-22T23:30:00-05:00", "2024-11-23T04:30:00Z"),
        ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"),
        ("1999-12-31T23:59:60Z", "1999-12-31T23:59:59.999999999Z"),
    ])
    func parsesEveryForm(text: String, utc: String) throws {
        #expect(try Instant(parsing: text).description == utc)
    }

    @Test(arguments: [
        "2024-11-22", "2024-11-22T00:00:00", "2024-11-22T00:00Z", "2024-11-22T00:00:00.Z",
        "2024-11-22T00:00:00.1234567890Z", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-11-22T24:00:00Z",
        "2024-11-22T00:00:00+0100", "2024-11-22T00:00:00Z junk", "22/11/2024", "", "2024-11-22  00:00:00Z",
    ])
    func rejectsOtherText(text: String) {
        #expect(throws: Instant.FormatError.self) { try Instant(parsing: text) }
    }

    @Test func comparesInstantsNotText() throws {
        let cutoff = try Instant(parsing: "2024-11-23T00:00:00Z")
        #expect(try Instant(parsing: "2024-11-22T23:59:59.999999+00:00") < cutoff)
        #expect(!(try Instant(parsing: "2024-11-23T01:00:00+01:00") < cutoff))  // the same instant
        #expect(try Instant(parsing: "2024-11-23T00:59:59+01:00") < cutoff)
        #expect(try Timestamp(parsing: "2024-11-23T01:00:00+01:00") == Timestamp(parsing: "2024-11-23T00:00:00Z"))
        #expect(try Instant(parsing: "1969-12-31T23:59:59Z").description == "1969-12-31T23:59:59Z")
    }
}
