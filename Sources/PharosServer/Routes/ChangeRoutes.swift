import DICOM
import PharosIndex

/// `/changes` and `/exports` (Orthanc's change log and export log).
struct ChangeRoutes {
    let index: any Index

    func register(on routes: RouteTable) {
        routes.get("/changes") { request, _ in
            if request.flag("last") {
                let last = try await index.lastChange()
                return .json(["Changes": .array(last.map { [Self.json($0)] } ?? []), "Done": true,
                              "Last": .integer(last?.seq ?? 0)])
            }
            let since = Int64(try request.integer("since") ?? 0)
            // Orthanc's default page is 100 changes and its largest 10000.
            let limit = min(try request.integer("limit") ?? 100, 10_000)
            let page = try await index.changes(since: since, limit: limit)
            return .json(["Changes": .array(page.changes.map(Self.json)), "Done": .bool(page.done),
                          "Last": .integer(page.last)])
        }
        routes.delete("/changes") { _, _ in
            try await index.clearChanges()
            return .text("")
        }
        routes.get("/exports") { _, _ in
            .json(["Exports": [], "Done": true, "Last": 0])
        }
        routes.delete("/exports") { _, _ in
            try await index.clearExports()
            return .text("")
        }
    }

    static func json(_ c: Change) -> JSONValue {
        ["Seq": .integer(c.seq), "ChangeType": .string(c.type.name), "ResourceType": .string(c.level.name),
         "ID": .string(c.publicID), "Path": .string("/\(c.level.collection)/\(c.publicID)"), "Date": .string(c.date)]
    }
}
