import DICOM

/// `/jobs`: the background work started by REST calls, in Orthanc's shape; `POST /jobs/{id}/cancel` stops one, and
/// `GET /jobs/{id}/{key}` downloads what a finished job produced (`archive` for archive and media jobs).
struct JobRoutes {
    let jobs: Jobs

    func register(on routes: RouteTable) {
        routes.get("/jobs") { request, _ in
            let all = await jobs.all()
            if request.flag("expand") { return .json(.array(all.map { Jobs.json($0) })) }
            return .json(.array(all.map { .string($0.id) }))
        }
        routes.get("/jobs/{id}") { request, context in
            guard let job = await jobs.job(try request.id(context)) else { throw RESTError.unknownResource() }
            return .json(Jobs.json(job))
        }
        routes.get("/jobs/{id}/{key}") { request, context in
            guard let job = await jobs.job(try request.id(context)),
                  let output = job.outputs[context.parameters.get("key") ?? ""] else {
                throw RESTError.unknownResource()
            }
            return Response(status: .ok, headers: [.contentType: output.contentType,
                                                   .contentDisposition: "filename=\"\(output.filename)\""]) { body in
                try await output.read(chunk: ArchiveContent.partSize) { try await body.write($0) }
            }
        }
        routes.post("/jobs/{id}/cancel") { request, context in
            guard await jobs.cancel(try request.id(context)) else { throw RESTError.unknownResource() }
            return .json(.object(JSONObject()))
        }
    }
}
