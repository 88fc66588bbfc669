import PharosIndex

/// `/tools/metrics` (on or off) and `/tools/metrics-prometheus`: the counts, sizes, jobs and REST activity for a
/// Prometheus scraper, under Orthanc's metric names.
struct MetricsRoutes {
    let index: any Index
    let jobs: Jobs
    let metrics: Metrics

    func register(on routes: RouteTable) {
        routes.get("/tools/metrics") { _, _ in .text(metrics.enabled ? "1" : "0", contentType: "text/plain") }
        routes.put("/tools/metrics") { request, _ in
            let word = String(decoding: try await request.collectBody(limit: 64), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            switch word {
            case "1", "true": metrics.setEnabled(true)
            case "0", "false": metrics.setEnabled(false)
            default: throw RESTError(.parameterOutOfRange, "The body must be 1 or 0 (true or false)")
            }
            return .text("", contentType: "text/plain")
        }
        routes.get("/tools/metrics-prometheus") { _, _ in
            // Metrics off: an empty page, as Orthanc answers.
            guard metrics.enabled else { return .text("", contentType: Self.contentType) }
            let s = try await index.statistics()
            let all = await jobs.all()
            func count(_ state: Jobs.State) -> Double { Double(all.filter { $0.state == state }.count) }
            let values: [(String, Double)] = [
                ("orthanc_count_instances", Double(s.instances)),
                ("orthanc_count_patients", Double(s.patients)),
                ("orthanc_count_series", Double(s.series)),
                ("orthanc_count_studies", Double(s.studies)),
                ("orthanc_disk_size_mb", Double(s.diskSize) / 1_048_576),
                ("orthanc_jobs_completed", count(.success) + count(.failure)),
                ("orthanc_jobs_failed", count(.failure)),
                ("orthanc_jobs_pending", count(.pending)),
                ("orthanc_jobs_running", count(.running)),
                ("orthanc_jobs_success", count(.success)),
                ("orthanc_rest_api_active_requests", Double(metrics.activeRequests)),
                ("orthanc_uncompressed_size_mb", Double(s.uncompressedSize) / 1_048_576),
            ]
            return .text(Metrics.prometheus(values), contentType: Self.contentType)
        }
    }

    /// Prometheus' text format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4"
}
