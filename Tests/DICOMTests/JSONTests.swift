import Foundation
import Testing
@testable import DICOM

private func str(_ tag: Tag, _ vr: VR, _ bytes: [UInt8]) -> DataElement { DataElement(tag: tag, vr: vr, bytes: bytes) }
private func str(_ tag: Tag, _ vr: VR, _ text: String) -> DataElement { DataElement(tag: tag, vr: vr, bytes: Array(text.utf8)) }
private func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { v in (0 ..< MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}

@Suite struct JSONWriterTests {
    @Test func compactEscapesControlQuotesAndBackslash() {
        let v: JSONValue = ["a": "x\"y\\z\n\t\u{01}\u{7f}/é", "b": [1, 2.5, true, nil]]
        #expect(v.serialized() == "{\"a\":\"x\\\"y\\\\z\\n\\t\\u0001\u{7f}/é\",\"b\":[1,2.5,true,null]}")
    }

    @Test func orthancStyleMatchesJsonCppLayout() {
        var inner = JSONObject()
        inner["Name"] = "PatientName"
        inner["Value"] = "Caf\u{e9} \u{1F600}"
        let v: JSONValue = .object(JSONObject([("b", .array([.object(JSONObject()), .object(inner), "s"])),
                                               ("a", .object(inner)), ("c", .array([])), ("d", .object(JSONObject()))]))
        let expected = """
        {
           "a" : \n\
           {
              "Name" : "PatientName",
              "Value" : "Caf\\u00e9 \\ud83d\\ude00"
           },
           "b" : \n\
           [
              {},
              {
                 "Name" : "PatientName",
                 "Value" : "Caf\\u00e9 \\ud83d\\ude00"
              },
              "s"
           ],
           "c" : [],
           "d" : {}
        }
        """
        #expect(v.serialized(pretty: true) == expected)
    }

    @Test func keysSortByUTF8Bytes() {
        let v: JSONValue = .object(JSONObject([("b", 1), ("B", 2), ("é", 3), ("a", 4)]))
        #expect(v.serialized(JSONWriteOptions(sortKeys: true)) == "{\"B\":2,\"a\":4,\"b\":1,\"é\":3}")
    }

    @Test func numbersAreValidJSON() {
        #expect(JSONValue.array([.double(3), .double(-0.0), .double(0.1), .double(1e20), .double(.nan),
                                 .double(-.infinity), .integer(Int64.min)]).serialized()
                == "[3,-0,0.1,1e+20,null,null,-9223372036854775808]")
    }

    @Test func arrayWrittenInFragmentsEqualsTheWholeArray() {
        let elements: [JSONValue] = (0 ..< 7).map { n in
            var o = JSONObject()
            o.appendNew("ID", .string("id-\(n)"))
            o.appendNew("Instances", n % 2 == 0 ? .array([]) : .array([.string("a"), .integer(Int64(n))]))
            o.appendNew("MainDicomTags", .object(JSONObject([("PatientName", .string("Doe^\(n)")), ("Nested", .array([.null, .bool(true)]))])))
            return n == 3 ? .string("plain \(n)") : .object(o)
        }
        for options in [JSONWriteOptions.orthanc, .compact] {
            let whole = JSONValue.array(elements).serializedBytes(options)
            // Every way of cutting the elements in three, empty fragments included.
            for i in 0 ... elements.count {
                for j in i ... elements.count {
                    let parts = [elements[..<i], elements[i ..< j], elements[j...]].map {
                        JSONValue.arrayFragment(Array($0), options)
                    }
                    #expect(JSONValue.joinedArray(parts, options) == whole, "cut at \(i), \(j), pretty \(options.pretty)")
                }
            }
            #expect(JSONValue.joinedArray([JSONValue.arrayFragment([], options)], options)
                    == JSONValue.array([]).serializedBytes(options))
        }
    }

    @Test func streamWriterWritesWhatTheTreeWrites() {
        // Objects with strings (escapes, non-ASCII), string arrays (empty, one, several), nested and empty objects,
        // and other values; written member by member, then as a tree, in both layouts.
        let objects: [[(String, JSONValue)]] = [
            [("A", "x"), ("B", .array([])), ("C", .array(["1", "2", "3"])), ("D", .object(JSONObject())),
             ("E", ["F": "g", "H": .array(["é\u{1F600}"])]), ("I", .integer(-7)), ("J", .null), ("K", .bool(true))],
            [("Name", "quote \" back\\slash\ttab\u{1}"), ("One", .array(["only"])), ("Z", .double(0.5))],
        ]
        func tree(_ members: [(String, JSONValue)]) -> JSONValue {
            var o = JSONObject()
            for (k, v) in members { o.appendNew(k, v) }
            return .object(o)
        }
        func stream(_ members: [(String, JSONValue)], _ w: inout JSONStreamWriter) {
            w.beginObject()
            for (key, value) in members {
                w.key(key)
                switch value {
                case .string(let text): w.string(text)
                case .array(let items) where items.allSatisfy({ $0.stringValue != nil }): w.strings(items.compactMap(\.stringValue))
                case .object(let o) where o.isEmpty: w.emptyObject()
                default: w.value(value)
                }
            }
            w.endObject()
        }
        for options in [JSONWriteOptions.orthanc, .compact] {
            var single = JSONStreamWriter(options: options)
            stream(objects[0], &single)
            #expect(single.bytes == tree(objects[0]).serializedBytes(options), "pretty \(options.pretty)")
            var fragment = JSONStreamWriter(options: options)
            fragment.beginFragment()
            for members in objects {
                fragment.element()
                stream(members, &fragment)
            }
            fragment.endFragment()
            #expect(JSONValue.joinedArray([fragment.bytes], options)
                    == JSONValue.array(objects.map(tree)).serializedBytes(options), "pretty \(options.pretty)")
        }
    }

    @Test func objectReplacesDuplicateKeysInPlace() {
        var o = JSONObject()
        for i in 0 ..< 20 { o["k\(i)"] = .integer(Int64(i)) }
        o["k3"] = "three"
        o["k19"] = nil
        #expect(o.count == 19)
        #expect(o["k3"] == "three")
        #expect(o.keys.prefix(4) == ["k0", "k1", "k2", "k3"])
        #expect(o["k19"] == nil)
        #expect(o["k18"] == .integer(18))
    }
}

@Suite struct JSONParserTests {
    @Test func roundTrips() throws {
        let text = #"{"a":[1,-2,3.5e-1,true,false,null,"\u00e9\ud83d\ude00\n"],"b":{"c":{}},"d":[]}"#
        let v = try JSONValue.parse(text)
        #expect(v["a"]?[0] == .integer(1))
        #expect(v["a"]?[2] == .double(0.35))
        #expect(v["a"]?[6] == .string("é\u{1F600}\n"))
        #expect(try JSONValue.parse(v.serialized()) == v)
        #expect(try JSONValue.parse(v.serialized(pretty: true)) == v)
    }

    @Test func duplicateKeysLastWins() throws {
        #expect(try JSONValue.parse(#"{"a":1,"a":2}"#) == ["a": 2])
    }

    @Test func bigIntegersBecomeDoubles() throws {
        #expect(try JSONValue.parse("18446744073709551615") == .double(18446744073709551615))
        #expect(try JSONValue.parse("-9223372036854775808") == .integer(.min))
    }

    @Test(arguments: [
        ("", 0), ("{", 1), ("[1,]", 3), ("{\"a\" 1}", 5), ("tru", 0), ("01", 1), ("1.", 0), ("\"abc", 0),
        ("\"\\x\"", 1), ("[1] x", 4), ("{\"a\":1,}", 7), ("-", 0), ("\"\\u12\"", 3),
    ])
    func malformedInputIsRefusedWithItsOffset(_ input: String, _ offset: Int) {
        #expect(throws: DICOMError.self) { try JSONValue.parse(input) }
        do {
            _ = try JSONValue.parse(input)
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.offset == offset, "\(input): \(error)")
            #expect(error.reason.hasPrefix("Invalid JSON"))
        }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        do {
            _ = try JSONValue.parse(deep)
            Issue.record("300 levels should be refused")
        } catch {
            #expect(error.code == .nestingTooDeep)
        }
        #expect(try JSONValue.parse(deep, options: JSONParseOptions(maxDepth: 300)).arrayValue?.count == 1)
    }

    @Test func commentsOnlyWhenAllowed() throws {
        let text = "// Orthanc\n{ /* port */ \"HttpPort\" : 8042 }"
        #expect(throws: DICOMError.self) { try JSONValue.parse(text) }
        #expect(try JSONValue.parse(text, options: JSONParseOptions(allowsComments: true)) == ["HttpPort": 8042])
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONValue.parse(#""\ud800x\udc00""#) == .string("\u{FFFD}x\u{FFFD}"))
    }
}

@Suite struct OrthancJSONTests {
    static let patientComments = Tag(0x0010, 0x4000)

    @Test func fullFormatRendersTypesNamesAndValues() {
        let item = DataSet([str(Tag(0x0008, 0x0100), .SH, "C1")])
        let ds = DataSet([
            str(.patientName, .PN, "Doe^John "),
            str(Tag(0x0008, 0x0104), .LO, "  lead  "),
            str(Tag(0x0008, 0x0008), .CS, "A\\B "),
            str(.sopInstanceUID, .UI, [0x31, 0x2E, 0x32, 0x00]),
            DataElement(tag: Tag(0x0028, 0x3002), vr: .US, bytes: le([UInt16(1), 2, 3])),
            DataElement(tag: Tag(0x0018, 0x6024), vr: .SS, bytes: le([Int16(-5)])),
            DataElement(tag: Tag(0x0018, 0x6026), vr: .FL, bytes: le([Float(0.1).bitPattern, Float(2.5).bitPattern])),
            DataElement(tag: Tag(0x0018, 0x9087), vr: .FD, bytes: le([(1e20).bitPattern, (-0.0).bitPattern, (3.0).bitPattern])),
            DataElement(tag: Tag(0x0028, 0x0009), vr: .AT, bytes: le([UInt16(0x0054), 0x0010, 0x0054, 0x0020])),
            DataElement(tag: Tag(0x0042, 0x0011), vr: .OB, bytes: [1, 2, 3, 4]),
            DataElement(tag: Tag(0x0018, 0x930B), vr: .FD, bytes: []),
            str(Tag(0x0070, 0x0082), .DA, ""),
            DataElement(tag: Tag(0x0008, 0x1032), vr: .SQ, value: .sequence([DataSet(), item])),
        ])
        let json = ds.orthancJSON()
        func node(_ key: String) -> JSONValue? { json[key] }
        #expect(node("0010,0010") == ["Name": "PatientName", "Type": "String", "Value": "Doe^John"])
        #expect(node("0008,0104")?["Value"] == "  lead")
        #expect(node("0008,0008")?["Value"] == "A\\B")
        #expect(node("0008,0018")?["Value"] == "1.2")
        #expect(node("0028,3002")?["Value"] == "1\\2\\3")
        #expect(node("0018,6024")?["Value"] == "-5")
        #expect(node("0018,6026")?["Value"] == "0.10000000149011612\\2.5")
        #expect(node("0018,9087")?["Value"] == "1e+20\\-0\\3")
        #expect(node("0028,0009")?["Value"] == "0054,0010")
        #expect(node("0042,0011") == ["Name": "EncapsulatedDocument", "Type": "Null", "Value": nil])
        #expect(node("0018,930b")?["Type"] == "Null")
        #expect(node("0070,0082")?["Value"] == "")
        #expect(node("0008,1032") == ["Name": "ProcedureCodeSequence", "Type": "Sequence",
                                      "Value": [.object(JSONObject()),
                                                ["0008,0100": ["Name": "CodeValue", "Type": "String", "Value": "C1"]]]])
    }

    @Test func tooLongCountsUTF8BytesAfterTrimming() {
        let ds = DataSet([
            str(Tag(0x0008, 0x1030), .LO, String(repeating: "a", count: 256) + "  "),
            str(Tag(0x0008, 0x103E), .LO, String(repeating: "b", count: 257) + " "),
            str(Tag(0x0008, 0x1080), .LO, String(repeating: "é", count: 129)),
            DataElement(tag: Tag(0x0028, 0x3006), vr: .US, bytes: le((0 ..< 128).map { UInt16($0) })),
        ])
        let full = ds.orthancJSON()
        #expect(full["0008,1030"]?["Type"] == "String")
        #expect(full["0008,103e"] == ["Name": "SeriesDescription", "Type": "TooLong", "Value": nil])
        #expect(full["0008,1080"]?["Type"] == "TooLong")
        #expect(full["0028,3006"]?["Type"] == "TooLong")
        #expect(ds.orthancJSON(format: .short)["0008,103e"] == .null)
        #expect(ds.orthancJSON(format: .simplified)["SeriesDescription"] == .null)
        #expect(ds.orthancJSON(format: .full, maxStringLength: 0)["0008,103e"]?["Type"] == "String")
        var options = OrthancJSONOptions.tags()
        options.ignoreLengthTags = [Tag(0x0008, 0x103E)]
        #expect(ds.orthancJSON(options)["0008,103e"]?["Type"] == "String")
    }

    @Test func privateElementsGetCreatorAndDictionaryName() {
        let ds = DataSet([
            str(Tag(0x0009, 0x0010), .LO, "GEMS_IDEN_01 "),
            str(Tag(0x0009, 0x1001), .LO, "GE_GENESIS_FF"),
            DataElement(tag: Tag(0x0009, 0x1002), vr: .UN, bytes: Array("CT01".utf8)),
            str(Tag(0x0013, 0x0010), .LO, "NOBODY"),
            str(Tag(0x0013, 0x1001), .LO, "hidden"),
            str(Tag(0x0015, 0x1001), .LO, "orphan"),
            str(Tag(0x0018, 0x9999), .LO, "unknown public"),
        ])
        let full = ds.orthancJSON()
        #expect(full["0009,0010"] == ["Name": "PrivateCreator", "Type": "String", "Value": "GEMS_IDEN_01"])
        #expect(full["0009,1001"] == ["Name": "FullFidelity", "PrivateCreator": "GEMS_IDEN_01", "Type": "String",
                                      "Value": "GE_GENESIS_FF"])
        #expect(full["0009,1002"]?["Value"] == "CT01", "a UN element known to the private dictionary takes its VR")
        #expect(full["0013,1001"] == ["Name": "Unknown Tag & Data", "PrivateCreator": "NOBODY", "Type": "String",
                                      "Value": "hidden"])
        #expect(full["0015,1001"] == ["Name": "Unknown Tag & Data", "Type": "String", "Value": "orphan"])
        let simplified = ds.orthancJSON(format: .simplified)
        #expect(simplified["Unknown Tag & Data"] == "unknown public", "the last element of a name wins")
        #expect(simplified["PrivateCreator"] == "NOBODY")
        #expect(simplified.objectValue?.keys == simplified.objectValue?.sortedByKey().keys)
        var noPrivate = OrthancJSONOptions.tags()
        noPrivate.includePrivateTags = false
        noPrivate.includeUnknownTags = false
        #expect(ds.orthancJSON(noPrivate).objectValue?.keys == [])
    }

    @Test func elementsAfterPixelDataAreLeftOut() {
        let ds = DataSet([
            DataElement(tag: .pixelData, vr: .OW, bytes: [0, 0]),
            str(Tag(0x7FE1, 0x0010), .LO, "AFTER"),
            DataElement(tag: .dataSetTrailingPadding, vr: .OB, bytes: [0, 0]),
        ])
        #expect(ds.orthancJSON(format: .short) == ["7fe0,0010": nil])
        var all = OrthancJSONOptions.tags(.short)
        all.stopAfterPixelData = false
        #expect(ds.orthancJSON(all).objectValue?.count == 3)
    }

    @Test func characterSetRulesFollowOrthanc() {
        let latin1 = DataSet([str(.patientName, .PN, [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72])])
        #expect(latin1.orthancJSON(format: .short)["0010,0010"] == "Müller", "no (0008,0005): DefaultEncoding Latin-1")
        var unknown = latin1
        unknown.set(str(.specificCharacterSet, .CS, "ISO_IR 999"))
        #expect(unknown.orthancJSON(format: .short)["0010,0010"] == "Mller", "unknown set: ASCII, other bytes dropped")
        let item = DataSet([str(.specificCharacterSet, .CS, "ISO_IR 100"),
                            str(Tag(0x0008, 0x0104), .LO, [0x43, 0x61, 0x66, 0xE9])])
        let utf8 = DataSet([str(.specificCharacterSet, .CS, "ISO_IR 192"),
                            DataElement(tag: Tag(0x0008, 0x1032), vr: .SQ, value: .sequence([item]))])
        let seq = utf8.orthancJSON(format: .short)["0008,1032"]?[0]
        #expect(seq?["0008,0104"] == "Caf", "items keep the root's set; bytes that are not UTF-8 are dropped")
        #expect(utf8.dicomJSON()["00081032"]?["Value"]?[0]?["00080104"]?["Value"] == ["Café"],
                "the DICOM JSON model honours the item's own set")
    }

    @Test func implicitVRAmbiguousElementsFollowDCMTK() {
        let base = DataSet([
            DataElement.uint16(Tag(0x0028, 0x1101), [256, 0, 16]),
            DataElement.uint16(Tag(0x0028, 0x0106), [3]),
            DataElement.uint16(.patientID, [1]),
        ])
        var implicit = OrthancJSONOptions.tags(.short)
        implicit.readWithImplicitVR = true
        #expect(base.orthancJSON(implicit)["0028,1101"] == .null)
        #expect(base.orthancJSON(implicit)["0028,0106"] == .null)
        #expect(base.orthancJSON(format: .short)["0028,0106"] == "3")
        var settled = base
        settled.set(DataElement.uint16(.pixelRepresentation, [1]))
        settled.set(DataElement.uint16(Tag(0x0028, 0x0106), [0xFFFE]))
        #expect(settled.orthancJSON(implicit)["0028,0106"] == "-2")
        #expect(settled.orthancJSON(implicit)["0028,1101"] == .null)
    }

    @Test func headerOptionsSkipBinaryAndUseASCII() {
        let meta = DataSet([
            DataElement(tag: .fileMetaInformationVersion, vr: .OB, bytes: [0, 1]),
            str(.transferSyntaxUID, .UI, "1.2.840.10008.1.2.1\0"),
            str(.sourceApplicationEntityTitle, .AE, [0x41, 0xE9, 0x20]),
        ])
        #expect(meta.orthancJSON(.header(.short)) == ["0002,0010": "1.2.840.10008.1.2.1", "0002,0016": "A"])
        var binary = OrthancJSONOptions.tags()
        binary.binary = .dataURI
        #expect(meta.orthancJSON(binary)["0002,0001"] == ["Name": "FileMetaInformationVersion", "Type": "Binary",
                                                          "Value": "data:application/octet-stream;base64,AAE="])
    }

    @Test func doublesPrintLikePrintfG17() {
        #expect(OrthancLeaf.formatDouble(0.1) == "0.10000000000000001")
        #expect(OrthancLeaf.formatDouble(1e16) == "10000000000000000")
        #expect(OrthancLeaf.formatDouble(1e-5) == "1.0000000000000001e-05")
        #expect(OrthancLeaf.formatDouble(.nan) == "nan")
        #expect(OrthancLeaf.formatDouble(-.infinity) == "-inf")
    }

    @Test func stringsTrimLikeDCMTK() {
        let d = OrthancTextDecoder(dataSet: DataSet(), options: OrthancJSONOptions())
        #expect(OrthancLeaf.stringText(Array("x  \0\0 ".utf8), vr: .LO, decoder: d) == "x  ")
        #expect(OrthancLeaf.stringText(Array("a\0b  ".utf8), vr: .LO, decoder: d) == "a")
        #expect(OrthancLeaf.stringText(Array(" 1.2.3 \0".utf8), vr: .UI, decoder: d) == "1.2.3")
        #expect(OrthancLeaf.stringText(Array("\t2020\t".utf8), vr: .DA, decoder: d) == "\t2020\t")
        #expect(OrthancLeaf.stringText(Array("   ".utf8), vr: .CS, decoder: d) == "")
    }
}

@Suite struct DICOMJSONModelTests {
    @Test func valuesFollowPS318AnnexF() {
        let ds = DataSet([
            DataElement(tag: Tag(0x0008, 0x0000), vr: .UL, bytes: le([UInt32(4)])),
            str(.specificCharacterSet, .CS, "ISO_IR 192"),
            str(Tag(0x0008, 0x0100), .SH, "x\\\\y "),
            str(.patientName, .PN, "Yamada^Tarou=山田^太郎=やまだ^たろう"),
            str(Tag(0x0010, 0x1001), .PN, "=Ideo\\Doe"),
            str(Tag(0x0028, 0x0030), .DS, " 1.50\\2 \\1e3"),
            str(Tag(0x0020, 0x0013), .IS, " 12 "),
            str(Tag(0x0070, 0x0082), .DA, ""),
            DataElement(tag: Tag(0x0028, 0x0009), vr: .AT, bytes: le([UInt16(0x0054), 0x0010, 0x7FE0, 0x0010])),
            DataElement(tag: Tag(0x0028, 0x0010), vr: .US, bytes: le([UInt16(512)])),
            DataElement(tag: Tag(0x0018, 0x6020), vr: .SL, bytes: le([Int32(-70000)])),
            DataElement(tag: Tag(0x0018, 0x6026), vr: .FL, bytes: le([Float(0.1).bitPattern])),
            DataElement(tag: Tag(0x0072, 0x0083), vr: .UV, bytes: le([UInt64.max])),
            DataElement(tag: Tag(0x0042, 0x0011), vr: .OB, bytes: [1, 2, 3]),
            DataElement(tag: Tag(0x0064, 0x0009), vr: .OW, bytes: []),
            DataElement(tag: Tag(0x0070, 0x0001), vr: .SQ, value: .sequence([])),
        ])
        let json = ds.dicomJSON()
        #expect(json["00080000"] == nil, "group lengths are left out")
        #expect(json["00080100"] == ["vr": "SH", "Value": ["x", nil, "y"]])
        #expect(json["00100010"] == ["vr": "PN", "Value": [["Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎",
                                                          "Phonetic": "やまだ^たろう"]]])
        #expect(json["00101001"]?["Value"] == [["Ideographic": "Ideo"], ["Alphabetic": "Doe"]])
        #expect(json["00280030"]?["Value"] == [.double(1.5), .integer(2), .double(1000)])
        #expect(json["00200013"]?["Value"] == [12])
        #expect(json["00700082"] == ["vr": "DA"])
        #expect(json["00280009"]?["Value"] == ["00540010", "7FE00010"])
        #expect(json["00280010"]?["Value"] == [512])
        #expect(json["00186020"]?["Value"] == [-70000])
        #expect(json["00186026"]?["Value"] == [0.1])
        #expect(json["00720083"]?["Value"] == [.double(18446744073709551615)])
        #expect(json["00420011"] == ["vr": "OB", "InlineBinary": "AQID"])
        #expect(json["00640009"] == ["vr": "OW"])
        #expect(json["00700001"] == ["vr": "SQ"])
        #expect(json.serialized().hasPrefix(#"{"00080005":{"vr":"CS","Value":["ISO_IR 192"]}"#))
    }

    @Test func bulkDataRuleSeesTheItemPath() {
        let item = DataSet([DataElement(tag: Tag(0x0029, 0x1010), vr: .OB, bytes: [9, 9])])
        let ds = DataSet([
            DataElement(tag: Tag(0x0008, 0x1032), vr: .SQ, value: .sequence([DataSet(), item])),
            DataElement(tag: .pixelData, vr: .OB, value: .fragments(EncapsulatedPixelData(fragments: [[1, 2], [3]]))),
        ])
        let json = ds.dicomJSON(bulkData: { element, path in
            let steps = path.map { "\($0.sequence.hex(separator: "", uppercase: true))/\($0.item)/" }.joined()
            return "bulk/" + steps + element.tag.hex(separator: "", uppercase: true)
        })
        #expect(json["7FE00010"] == ["vr": "OB", "BulkDataURI": "bulk/7FE00010"])
        #expect(json["00081032"]?["Value"]?[1]?["00291010"] == ["vr": "OB", "BulkDataURI": "bulk/00081032/1/00291010"])
        #expect(json["00081032"]?["Value"]?[0] == .object(JSONObject()))
        #expect(ds.dicomJSON()["7FE00010"] == ["vr": "OB", "InlineBinary": "AQID"])
    }
}
