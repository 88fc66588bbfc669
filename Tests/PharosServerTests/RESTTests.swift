import DICOM
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import NIOCore
import PharosIndex
import PharosStorage
import Testing
@testable import PharosServer

/// The seed walk-through over the REST API, on a real SQLite index and storage area in a temporary folder.
@Suite("RESTTests")
struct RESTTests {
    /// The pydicom files of the corpus that `make testdata` fetches.
    static let testFiles: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path + "/TestData/corpus/pydicom"

    static func file(_ name: String) throws -> [UInt8] {
        let path = testFiles + "/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            throw RESTTestError("missing corpus file \(path): run `make testdata` first")
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    struct RESTTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Answer {
        var status: Int
        var headers: HTTPFields
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
        func json() throws -> JSONValue { try JSONValue.parse(bytes) }
    }

    /// Runs `body` against a fresh server listening on a free loopback port; the folder is removed afterwards.
    static func withServer(_ adjust: (inout ServerConfiguration) -> Void = { _ in },
                           _ body: @Sendable (Client) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pharos-rest-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var configuration = ServerConfiguration()
        configuration.remoteAccessAllowed = true
        configuration.authenticationEnabled = false
        configuration.storageDirectory = dir + "/storage"
        configuration.indexDirectory = dir + "/index"
        configuration.httpBindAddress = "127.0.0.1"
        configuration.httpPort = 0
        adjust(&configuration)
        let logger = Logger(label: "RESTTests")
        let index = try SQLiteIndex(directory: configuration.indexDirectory, durable: false)
        let storage = try FileSystemStorageArea(root: configuration.storageDirectory, syncOnWrite: false)
        let services = Services.make(index: index, storage: storage, configuration: configuration, logger: logger,
                                     monitorStability: false)
        let server = try await PharosServer(configuration: configuration, logger: logger).startHTTP(services: services)
        do {
            try await body(Client(base: "http://127.0.0.1:\(server.port)", storageRoot: dir + "/storage"))
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    struct Client: Sendable {
        let base: String
        let storageRoot: String

        @discardableResult
        func call(_ method: HTTPMethod, _ uri: String, _ body: [UInt8]? = nil,
                  headers: HTTPFields = [:]) async throws -> Answer {
            guard let url = URL(string: base + uri) else { throw RESTTestError("bad URI \(uri)") }
            var request = URLRequest(url: url)
            // The server runs in this process: the parallel test run can keep its tasks waiting behind CPU-bound
            // tests for longer than URLSession's default 60 seconds without anything being wrong.
            request.timeoutInterval = 300
            request.httpMethod = method.rawValue
            for field in headers { request.addValue(field.value, forHTTPHeaderField: field.name.rawName) }
            if let body { request.httpBody = Data(body) }
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw RESTTestError("not an HTTP answer") }
            var fields = HTTPFields()
            for (key, value) in http.allHeaderFields {
                fields[HTTPFieldName(String(describing: key))] = String(describing: value)
            }
            return Answer(status: http.statusCode, headers: fields, bytes: [UInt8](data))
        }

        func json(_ method: HTTPMethod, _ uri: String, _ body: [UInt8]? = nil,
                  expect status: Int = 200) async throws -> JSONValue {
            let answer = try await call(method, uri, body)
            #expect(answer.status == status, "\(method) \(uri): \(answer.text)")
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
            return try answer.json()
        }

        func upload(_ name: String) async throws -> JSONValue {
            try await json(.post, "/instances", try RESTTests.file(name))
        }

        func storedFileCount() -> Int {
            let e = FileManager.default.enumerator(atPath: storageRoot)
            var n = 0
            while let p = e?.nextObject() as? String {
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: storageRoot + "/" + p, isDirectory: &isDir), !isDir.boolValue,
                   !p.hasPrefix("."), !(p as NSString).lastPathComponent.hasPrefix(".") { n += 1 }
            }
            return n
        }
    }

    static func keys(_ v: JSONValue?) -> [String] { v?.objectValue?.keys ?? [] }

    static let ct = ResourceIdentifiers(patientID: "1CT1", studyInstanceUID: "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322",
                                        seriesInstanceUID: "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322",
                                        sopInstanceUID: "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322")

    @Test func uploadAndResourceShapes() async throws {
        try await Self.withServer { c in
            let up = try await c.upload("CT_small.dcm")
            #expect(Self.keys(up) == ["ID", "ParentPatient", "ParentSeries", "ParentStudy", "Path", "Status"])
            #expect(up["Status"] == "Success")
            #expect(up["ID"]?.stringValue == Self.ct.instance)
            #expect(up["ParentPatient"]?.stringValue == Self.ct.patient)
            #expect(up["Path"]?.stringValue == "/instances/\(Self.ct.instance)")
            #expect(c.storedFileCount() == 1)

            let again = try await c.upload("CT_small.dcm")
            #expect(again["Status"] == "AlreadyStored")
            #expect(again["ID"]?.stringValue == Self.ct.instance)
            #expect(c.storedFileCount() == 1)

            #expect(try await c.json(.get, "/patients") == .array([.string(Self.ct.patient)]))
            #expect(try await c.json(.get, "/instances") == .array([.string(Self.ct.instance)]))

            let patient = try await c.json(.get, "/patients/\(Self.ct.patient)")
            #expect(Self.keys(patient) == ["ID", "IsStable", "Labels", "LastUpdate", "MainDicomTags", "Studies", "Type"])
            #expect(patient["Type"] == "Patient")
            #expect(patient["IsStable"] == false)
            #expect(patient["MainDicomTags"]?["PatientName"] == "CompressedSamples^CT1")
            #expect(patient["MainDicomTags"]?["PatientID"] == "1CT1")
            #expect(patient["Studies"] == .array([.string(Self.ct.study)]))

            let study = try await c.json(.get, "/studies/\(Self.ct.study)")
            #expect(Self.keys(study) == ["ID", "IsStable", "Labels", "LastUpdate", "MainDicomTags", "ParentPatient",
                                         "PatientMainDicomTags", "Series", "Type"])
            #expect(study["MainDicomTags"]?["StudyDate"] == "20040119")
            #expect(study["PatientMainDicomTags"]?["PatientName"] == "CompressedSamples^CT1")
            #expect(study["MainDicomTags"]?["PatientName"] == nil)

            let series = try await c.json(.get, "/series/\(Self.ct.series)")
            #expect(Self.keys(series) == ["ExpectedNumberOfInstances", "ID", "Instances", "IsStable", "Labels", "LastUpdate",
                                          "MainDicomTags", "ParentStudy", "Status", "Type"])
            #expect(series["MainDicomTags"]?["Modality"] == "CT")
            #expect(series["Status"] == "Unknown")
            #expect(series["ExpectedNumberOfInstances"] == .null)

            let instance = try await c.json(.get, "/instances/\(Self.ct.instance)")
            #expect(Self.keys(instance) == ["FileSize", "FileUuid", "ID", "IndexInSeries", "Labels", "MainDicomTags",
                                            "ParentSeries", "Type"])
            #expect(instance["FileSize"]?.integerValue == Int64(try Self.file("CT_small.dcm").count))
            #expect(instance["MainDicomTags"]?["SOPInstanceUID"]?.stringValue == Self.ct.sopInstanceUID)

            let short = try await c.json(.get, "/patients/\(Self.ct.patient)?short")
            #expect(short["MainDicomTags"]?["0010,0010"] == "CompressedSamples^CT1")
            let full = try await c.json(.get, "/patients/\(Self.ct.patient)?full")
            #expect(full["MainDicomTags"]?["0010,0010"]?["Name"] == "PatientName")
            #expect(full["MainDicomTags"]?["0010,0010"]?["Type"] == "String")

            let expanded = try await c.json(.get, "/studies?expand")
            #expect(expanded.arrayValue?.count == 1)
            #expect(expanded[0]?["ID"]?.stringValue == Self.ct.study)

            // Children and parents.
            let children = try await c.json(.get, "/studies/\(Self.ct.study)/instances")
            #expect(children[0]?["ID"]?.stringValue == Self.ct.instance)
            #expect(try await c.json(.get, "/patients/\(Self.ct.patient)/series?expand=false")
                    == .array([.string(Self.ct.series)]))
            #expect(try await c.json(.get, "/instances/\(Self.ct.instance)/patient")["ID"]?.stringValue == Self.ct.patient)
            #expect(try await c.json(.get, "/instances/\(Self.ct.instance)/study")["ID"]?.stringValue == Self.ct.study)
            #expect(try await c.json(.get, "/series/\(Self.ct.series)/study")["Type"] == "Study")

            // Statistics.
            let stats = try await c.json(.get, "/statistics")
            #expect(stats["CountInstances"] == 1)
            #expect(stats["TotalDiskSize"]?.stringValue == String(try Self.file("CT_small.dcm").count))
            #expect(stats["TotalDiskSizeMB"] == 0)
            let ps = try await c.json(.get, "/patients/\(Self.ct.patient)/statistics")
            #expect(ps["CountStudies"] == 1)
            #expect(ps["CountInstances"] == 1)
            #expect(ps["DiskSize"]?.stringValue != nil)

            // Metadata and attachments.
            let metadata = try await c.json(.get, "/instances/\(Self.ct.instance)/metadata")
            let names = metadata.arrayValue?.compactMap(\.stringValue) ?? []
            for name in ["ReceptionDate", "Origin", "TransferSyntax", "SopClassUid", "IndexInSeries"] {
                #expect(names.contains(name), "metadata \(name)")
            }
            let origin = try await c.call(.get, "/instances/\(Self.ct.instance)/metadata/Origin")
            #expect(origin.text == "RestApi")
            let ts = try await c.call(.get, "/instances/\(Self.ct.instance)/metadata/TransferSyntax")
            #expect(ts.text == "1.2.840.10008.1.2.1")
            #expect(try await c.call(.get, "/instances/\(Self.ct.instance)/metadata/Nope").status == 400)
            #expect(try await c.call(.get, "/instances/\(Self.ct.instance)/metadata/RemoteAET").status == 404)
            let expandedMetadata = try await c.json(.get, "/instances/\(Self.ct.instance)/metadata?expand")
            #expect(expandedMetadata["Origin"] == "RestApi")
            #expect(try await c.json(.get, "/instances/\(Self.ct.instance)/attachments") == ["dicom"])

            // Protection.
            #expect(try await c.call(.get, "/patients/\(Self.ct.patient)/protected").text == "0")
            #expect(try await c.call(.put, "/patients/\(Self.ct.patient)/protected", Array("1".utf8)).status == 200)
            #expect(try await c.call(.get, "/patients/\(Self.ct.patient)/protected").text == "1")
        }
    }

    @Test func tagsContentAndFile() async throws {
        try await Self.withServer { c in
            let id = try await c.upload("JPEG2000.dcm")["ID"]?.stringValue ?? ""
            let tags = try await c.json(.get, "/instances/\(id)/tags")
            #expect(tags["0010,0010"]?["Name"] == "PatientName")
            #expect(tags["0010,0010"]?["Value"] == "CompressedSamples^NM1")
            #expect(tags["0010,0010"]?["Type"] == "String")
            let simplified = try await c.json(.get, "/instances/\(id)/simplified-tags")
            #expect(simplified["PatientName"] == "CompressedSamples^NM1")
            #expect(simplified["SourceImageSequence"]?[0]?["PurposeOfReferenceCodeSequence"]?[0]?["CodingSchemeDesignator"] == "DCM")
            #expect(try await c.json(.get, "/instances/\(id)/tags?simplify")["Modality"] == "NM")
            #expect(try await c.json(.get, "/instances/\(id)/tags?short")["0008,0060"] == "NM")
            let header = try await c.json(.get, "/instances/\(id)/header")
            #expect(header["0002,0010"]?["Value"] == "1.2.840.10008.1.2.4.91")
            #expect(try await c.json(.get, "/instances/\(id)/header?simplify")["TransferSyntaxUID"] == "1.2.840.10008.1.2.4.91")

            let content = try await c.json(.get, "/instances/\(id)/content")
            let list = content.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(list.contains("0010-0010"))
            #expect(list.contains("7fe0-0010"))
            let name = try await c.call(.get, "/instances/\(id)/content/0010-0010")
            #expect(name.status == 200)
            #expect(name.text.trimmingCharacters(in: .whitespaces) == "CompressedSamples^NM1")
            #expect(try await c.json(.get, "/instances/\(id)/content/0008-2112") == ["0"])
            let item = try await c.json(.get, "/instances/\(id)/content/0008-2112/0")
            #expect(item.arrayValue?.contains("0040-a170") == true)
            let leaf = try await c.call(.get, "/instances/\(id)/content/0008-2112/0/0040-a170/0/0008-0102")
            #expect(leaf.text == "DCM ")  // Orthanc answers the raw value, padding included
            #expect(try await c.call(.get, "/instances/\(id)/content/0008-2112/5").status == 404)
            #expect(try await c.call(.get, "/instances/\(id)/content/0011-0010").text == "GEMS_GENIE_1")
            #expect(try await c.json(.get, "/instances/\(id)/content/7fe0-0010") == ["0", "1"])
            #expect(try await c.call(.get, "/instances/\(id)/content/7fe0-0010/1").bytes.count == 250)

            let file = try await c.call(.get, "/instances/\(id)/file")
            #expect(file.status == 200)
            #expect(file.bytes == (try Self.file("JPEG2000.dcm")))
            #expect(file.headers[.contentType] == "application/dicom")
            #expect(file.headers[.contentDisposition]?.contains("\(id).dcm") == true)

            let shared = try await c.json(.get, "/series/\(try await c.json(.get, "/instances/\(id)")["ParentSeries"]?.stringValue ?? "")/shared-tags?simplify")
            #expect(shared["PatientName"] == "CompressedSamples^NM1")
        }
    }

    @Test func errorsAndMethods() async throws {
        try await Self.withServer { c in
            let missing = try await c.call(.get, "/patients/00000000-00000000-00000000-00000000-00000000")
            #expect(missing.status == 404)
            let error = try missing.json()
            #expect(Self.keys(error) == ["HttpError", "HttpStatus", "Message", "Method", "OrthancError", "OrthancStatus", "Uri"])
            #expect(error["OrthancStatus"] == 17)
            #expect(error["HttpError"] == "Not Found")
            #expect(error["Uri"] == "/patients/00000000-00000000-00000000-00000000-00000000")

            let bad = try await c.call(.post, "/instances", Array("not a dicom file at all".utf8))
            #expect(bad.status == 400)
            #expect(try bad.json()["OrthancStatus"] == 15)
            #expect(try await c.json(.get, "/instances") == [])
            #expect(c.storedFileCount() == 0)

            let notAllowed = try await c.call(.put, "/instances")
            #expect(notAllowed.status == 405)
            #expect(notAllowed.headers[.allow]?.contains("POST") == true)
            #expect(notAllowed.headers[.allow]?.contains("GET") == true)
            #expect(try await c.call(.delete, "/patients/nope").status == 404)
            #expect(try await c.call(.post, "/tools/find", Array("{".utf8)).status == 400)
            #expect(try await c.call(.post, "/tools/find", Array(#"{"Level":"Study"}"#.utf8)).status == 400)
        }
    }

    @Test func oversizedBodiesAreRefusedAndTheServerGoesOn() async throws {
        try await Self.withServer({ $0.maximumRequestSize = 4096 }) { c in
            // Over MaximumRequestSize: refused from Content-Length, before the body is read.
            let refused = try await c.call(.post, "/instances", [UInt8](repeating: 0x41, count: 100_000))
            #expect(refused.status == 413)
            #expect(try refused.json()["HttpStatus"] == 413)
            #expect(c.storedFileCount() == 0)
            // A body under the limit is read and judged as usual.
            let small = try await c.call(.post, "/instances", [UInt8](repeating: 0x41, count: 4000))
            #expect(small.status == 400)
            // The server goes on serving.
            #expect(try await c.json(.get, "/instances") == [])
            #expect(try await c.call(.get, "/system").status == 200)
        }
    }

    @Test func deleteCascadeAndChanges() async throws {
        try await Self.withServer { c in
            let ct = try await c.upload("CT_small.dcm")
            _ = try await c.upload("MR_small.dcm")
            #expect(c.storedFileCount() == 2)

            let changes = try await c.json(.get, "/changes?limit=3")
            #expect(Self.keys(changes) == ["Changes", "Done", "Last"])
            #expect(changes["Changes"]?.arrayValue?.count == 3)
            #expect(changes["Done"] == false)
            let first = changes["Changes"]?[0]
            #expect(Self.keys(first) == ["ChangeType", "Date", "ID", "Path", "ResourceType", "Seq"])
            let types = (changes["Changes"]?.arrayValue ?? []).compactMap { $0["ChangeType"]?.stringValue }
            #expect(types.contains("NewPatient") && types.contains("NewStudy") && types.contains("NewSeries"))
            let last = changes["Last"]?.integerValue ?? 0
            let rest = try await c.json(.get, "/changes?since=\(last)&limit=100")
            #expect(rest["Done"] == true)
            #expect((rest["Changes"]?.arrayValue?.count ?? 0) == 5)
            let lastOnly = try await c.json(.get, "/changes?last")
            #expect(lastOnly["Changes"]?.arrayValue?.count == 1)
            #expect(lastOnly["Changes"]?[0]?["ChangeType"] == "NewInstance")

            // Deleting the only instance of a patient removes the whole chain.
            let gone = try await c.json(.delete, "/instances/\(ct["ID"]?.stringValue ?? "")")
            #expect(gone == ["RemainingAncestor": nil])
            #expect(try await c.call(.get, "/patients/\(Self.ct.patient)").status == 404)
            #expect(c.storedFileCount() == 1)
            #expect(try await c.json(.get, "/patients").arrayValue?.count == 1)

            // Deleting a series leaves its study.
            let mr = try await c.json(.get, "/series")
            let seriesID = mr[0]?.stringValue ?? ""
            let series = try await c.json(.get, "/series/\(seriesID)")
            let remaining = try await c.json(.delete, "/series/\(seriesID)")
            #expect(remaining["RemainingAncestor"]?["Type"] == "Study" || remaining["RemainingAncestor"] == .null)
            if remaining["RemainingAncestor"] != .null {
                #expect(remaining["RemainingAncestor"]?["ID"] == series["ParentStudy"])
                #expect(remaining["RemainingAncestor"]?["Path"]?.stringValue == "/studies/\(series["ParentStudy"]?.stringValue ?? "")")
            }
            #expect(c.storedFileCount() == 0)
            #expect(try await c.json(.get, "/statistics")["CountInstances"] == 0)

            #expect(try await c.call(.delete, "/changes").status == 200)
            #expect(try await c.json(.get, "/changes")["Changes"] == [])
            #expect(try await c.json(.get, "/exports") == ["Done": true, "Exports": [], "Last": 0])
        }
    }

    @Test func findAndLookup() async throws {
        try await Self.withServer { c in
            _ = try await c.upload("CT_small.dcm")
            _ = try await c.upload("MR_small.dcm")
            _ = try await c.upload("JPEG2000.dcm")
            func find(_ body: String) async throws -> JSONValue {
                try await c.json(.post, "/tools/find", Array(body.utf8))
            }
            #expect(try await find(#"{"Level":"Patient","Query":{"PatientName":"CompressedSamples^CT1"}}"#)
                    == .array([.string(Self.ct.patient)]))
            #expect(try await find(#"{"Level":"Patient","Query":{"PatientName":"*"}}"#).arrayValue?.count == 3)
            #expect(try await find(#"{"Level":"Patient","Query":{"PatientName":"compressedsamples^?T1"}}"#)
                    == .array([.string(Self.ct.patient)]))
            #expect(try await find(#"{"Level":"Patient","Query":{"PatientName":"compressedsamples^CT1"},"CaseSensitive":true}"#)
                    == [])
            #expect(try await find(#"{"Level":"Study","Query":{"StudyDate":"20040101-20040201"}}"#)
                    == .array([.string(Self.ct.study)]))
            #expect(try await find(#"{"Level":"Study","Query":{"StudyDate":"20040501-"}}"#).arrayValue?.count == 2)
            #expect(try await find(#"{"Level":"Study","Query":{"StudyDate":"-20040119"}}"#).arrayValue?.count == 1)
            #expect(try await find(#"{"Level":"Series","Query":{"Modality":"CT\\NM"}}"#).arrayValue?.count == 2)
            // ModalitiesInStudy is answered from the studies' series, as Orthanc does.
            #expect(try await find(#"{"Level":"Study","Query":{"ModalitiesInStudy":"CT"}}"#) == .array([.string(Self.ct.study)]))
            #expect(try await find(#"{"Level":"Study","Query":{"ModalitiesInStudy":"MR\\NM"}}"#).arrayValue?.count == 2)
            #expect(try await find(#"{"Level":"Study","Query":{"ModalitiesInStudy":"US","StudyDate":"20040101-"}}"#) == [])
            #expect(try await find(#"{"Level":"Instance","Query":{"PatientID":"1CT1"}}"#)
                    == .array([.string(Self.ct.instance)]))
            #expect(try await find(#"{"Level":"Patient","Query":{},"Limit":2}"#).arrayValue?.count == 2)
            #expect(try await find(#"{"Level":"Patient","Query":{},"Since":2,"Limit":2}"#).arrayValue?.count == 1)
            let expanded = try await find(#"{"Level":"Study","Query":{"PatientID":"1CT1"},"Expand":true}"#)
            #expect(expanded[0]?["ID"]?.stringValue == Self.ct.study)
            #expect(expanded[0]?["PatientMainDicomTags"]?["PatientID"] == "1CT1")
            // A tag outside the main tags is matched on the stored headers.
            #expect(try await find(#"{"Level":"Instance","Query":{"ImageType":"DERIVED*"}}"#).arrayValue?.count == 2)
            #expect(try await find(#"{"Level":"Instance","Query":{"ImageType":"ORIGINAL*"}}"#) == .array([.string(Self.ct.instance)]))

            let lookup = try await c.json(.post, "/tools/lookup", Array(Self.ct.studyInstanceUID.utf8))
            #expect(lookup == .array([["ID": .string(Self.ct.study), "Path": .string("/studies/\(Self.ct.study)"),
                                       "Type": "Study"]]))
            #expect(try await c.json(.post, "/tools/lookup", Array("1.2.3.4.nothing".utf8)) == [])
        }
    }

    @Test func recyclingByPatientCount() async throws {
        try await Self.withServer({ $0.maximumPatientCount = 2 }) { c in
            _ = try await c.upload("CT_small.dcm")
            _ = try await c.upload("MR_small.dcm")
            _ = try await c.upload("JPEG2000.dcm")
            let patients = try await c.json(.get, "/patients")
            #expect(patients.arrayValue?.count == 2)
            #expect(patients.arrayValue?.contains(.string(Self.ct.patient)) == false)
            #expect(c.storedFileCount() == 2)
        }
    }

    @Test func multipartUpload() async throws {
        try await Self.withServer { c in
            let file = try Self.file("CT_small.dcm")
            var body = Array("--XyZ\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"a.dcm\"\r\nContent-Type: application/dicom\r\n\r\n".utf8)
            body += file + Array("\r\n--XyZ--\r\n".utf8)
            let answer = try await c.call(.post, "/instances", body, headers: [.contentType: "multipart/form-data; boundary=XyZ"])
            #expect(answer.status == 200)
            #expect(try answer.json()["ID"]?.stringValue == Self.ct.instance)
        }
    }
}

extension Process {
    /// Runs a python3 one-liner and answers its trimmed standard output.
    static func run(python code: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
