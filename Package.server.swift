// The manifest of the whole server (storage, index, REST, pharos executable), used in the server workspace while
// those targets are brought to a green build. Package.swift (what CI builds) declares only the DICOM targets until then.
// swift-tools-version:6.1
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Pharos",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DICOM", targets: ["DICOM"]),
        .executable(name: "pharos", targets: ["pharos"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CArchive", path: "Sources/CArchive", providers: [.apt(["libarchive-dev"])]),
        .target(name: "DICOM", dependencies: ["CZlib"], swiftSettings: swift6),
        .target(name: "PharosStorage", dependencies: ["CZlib", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swift6),
        .target(name: "PharosIndex", dependencies: ["DICOM", .product(name: "GRDB", package: "GRDB.swift"),
                                                    .product(name: "Logging", package: "swift-log")],
                swiftSettings: swift6),
        .target(name: "PharosServer", dependencies: [
            "DICOM", "PharosStorage", "PharosIndex",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .executableTarget(name: "pharos", dependencies: [
            "PharosServer", "CArchive", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swift6),
        .executableTarget(name: "DICOMBench", dependencies: ["DICOM"], swiftSettings: swift6),
        .testTarget(name: "PharosStorageTests", dependencies: ["PharosStorage"], swiftSettings: swift6),
        .testTarget(name: "PharosIndexTests", dependencies: ["PharosIndex", "DICOM"], swiftSettings: swift6),
        .testTarget(name: "PharosServerTests", dependencies: [
            "PharosServer", "PharosIndex", "PharosStorage", "DICOM",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: swift6),
    ]
)
