/// Every route group, registered once at start-up; each group gets only the services it uses.
func registerAllRoutes(_ routes: RouteTable, services: Services, configuration: ServerConfiguration) {
    let instanceData = InstanceData(index: services.index, storage: services.storage)
    SystemRoutes(configuration: configuration, index: services.index, control: services.control).register(on: routes)
    InstanceRoutes(ingest: services.ingest, instanceData: instanceData, configuration: configuration).register(on: routes)
    ContentRoutes(instanceData: instanceData, configuration: configuration).register(on: routes)
    ResourceRoutes(index: services.index, deletion: services.deletion, instanceData: instanceData,
                   configuration: configuration).register(on: routes)
    ChangeRoutes(index: services.index).register(on: routes)
    JobRoutes(jobs: services.jobs).register(on: routes)
    LabelRoutes(index: services.index).register(on: routes)
    MetricsRoutes(index: services.index, jobs: services.jobs, metrics: services.metrics).register(on: routes)
    AttachmentRoutes(index: services.index, storage: services.storage).register(on: routes)
    ArchiveRoutes(index: services.index, instanceData: instanceData, jobs: services.jobs).register(on: routes)
    ToolsRoutes(index: services.index, finder: services.finder, instanceData: instanceData,
                configuration: configuration).register(on: routes)
    ImageRoutes(renderer: Renderer(instanceData: instanceData), index: services.index).register(on: routes)
    let scu = DICOMSCU(index: services.index, instanceData: instanceData, configuration: configuration)
    ModalityRoutes(registry: services.dicomAccess.registry, scu: scu, jobs: services.jobs, configuration: configuration).register(on: routes)
    QueryRoutes(registry: services.dicomAccess.registry,
                qr: QueryRetrieveSCU(scu: scu, ingest: services.ingest, logger: services.logger),
                archive: services.queries, jobs: services.jobs, configuration: configuration).register(on: routes)
}
