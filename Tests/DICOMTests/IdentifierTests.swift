import Testing
@testable import DICOM

@Suite struct IdentifierTests {
    @Test func sha1KnownVectors() {
        func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA1.digest("".utf8)) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(SHA1.digest("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        let long = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(hex(SHA1.digest(long.utf8)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(hex(SHA1.digest([UInt8](repeating: 0x61, count: 1_000_000))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func patientOfTheSeedDocument() {
        #expect(ResourceIdentifiers.hash(["0"]) == "b6589fc6-ab0dc82c-f12099d1-c2d40ab9-94e8410c")
        #expect(ResourceIdentifiers.isValid("b6589fc6-ab0dc82c-f12099d1-c2d40ab9-94e8410c"))
        #expect(!ResourceIdentifiers.isValid("b6589fc6ab0dc82cf12099d1c2d40ab994e8410c"))
    }

    @Test func levelsJoinIdentifiersWithBars() {
        let ids = ResourceIdentifiers(patientID: " 0 ", studyInstanceUID: "1.2\0", seriesInstanceUID: "1.2.3",
                                      sopInstanceUID: "1.2.3.4")
        #expect(ids.patient == ResourceIdentifiers.hash(["0"]))
        #expect(ids.study == ResourceIdentifiers.hash(["0|1.2"]))
        #expect(ids.instance == ResourceIdentifiers.hash(["0", "1.2", "1.2.3", "1.2.3.4"]))
        #expect(ids.id(at: .series) == ids.series)
    }

    @Test func uidGenerationAndValidation() {
        let uid = UID.generate()
        #expect(uid.hasPrefix("2.25."))
        #expect(UID.isValid(uid))
        #expect(UID.isValid(UID.generate(root: "1.2.826.0.1.3680043.10.1")))
        #expect(!UID.isValid("1.02.3"))
        #expect(!UID.isValid("1..3"))
        #expect(!UID.isValid(String(repeating: "1", count: 65)))
        #expect(UID.decimal(of: [0x01, 0x00]) == "256")
        #expect(UID.trimmed("1.2.840.10008.1.2\0") == "1.2.840.10008.1.2")
    }
}
