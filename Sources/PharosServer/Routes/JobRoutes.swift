import DICOM

/// `/jobs`: the background work started by REST calls, in Orthanc's shape; `POST /jobs/{id}/cancel` stops one.
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
        routes.post("/jobs/{id}/cancel") { request, context in
            guard await jobs.cancel(try request.id(context)) else { throw RESTError.unknownResource() }
            return .json(.object(JSONObject()))
        }
    }
}
