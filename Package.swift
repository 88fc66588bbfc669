// swift-tools-version:6.1
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]
// Codec and parser loops are optimised even in debug builds: the corpus tests decode hundreds of frames, which takes
// minutes unoptimised and seconds optimised.
let swift6Optimised: [SwiftSetting] = swift6 + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Pharos",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DICOM", targets: ["DICOM"]),
        .executable(name: "pharos", targets: ["pharos"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenJPEG", path: "Sources/COpenJPEG", pkgConfig: "libopenjp2",
                       providers: [.apt(["libopenjp2-7-dev"])]),
        .systemLibrary(name: "CCharLS", path: "Sources/CCharLS", providers: [.apt(["libcharls-dev"])]),
        .target(name: "CJPEGTurbo", path: "Sources/CJPEGTurbo", linkerSettings: [.linkedLibrary("jpeg")]),
        .systemLibrary(name: "CArchive", path: "Sources/CArchive", providers: [.apt(["libarchive-dev"])]),
        .target(name: "DICOM", dependencies: ["CZlib"], swiftSettings: swift6Optimised),
        .target(name: "DICOMImaging", dependencies: ["DICOM", "CZlib", "COpenJPEG", "CCharLS", "CJPEGTurbo"],
                swiftSettings: swift6Optimised),
        .target(name: "DICOMNetwork", dependencies: [
            "DICOM",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swift6),
        .target(name: "PharosStorage", dependencies: ["CZlib", .product(name: "Logging", package: "swift-log")],
                swiftSettings: swift6Optimised),
        .target(name: "PharosIndex", dependencies: ["DICOM", .product(name: "GRDB", package: "GRDB.swift"),
                                                    .product(name: "Logging", package: "swift-log")],
                swiftSettings: swift6),
        .target(name: "PharosServer", dependencies: [
            "DICOM", "DICOMImaging", "DICOMNetwork", "PharosStorage", "PharosIndex", "CArchive", "CZlib",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: swift6),
        .executableTarget(name: "pharos", dependencies: [
            "PharosServer", "CArchive", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swift6),
        .executableTarget(name: "DICOMBench", dependencies: ["DICOM"], swiftSettings: swift6),
        .executableTarget(name: "ImagingBench", dependencies: ["DICOMImaging", "DICOM"], swiftSettings: swift6),
        // The tests' shared helpers (a seeded random generator).
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swift6),
        .testTarget(name: "DICOMImagingTests", dependencies: ["DICOMImaging", "DICOM", "CZlib"],
                    exclude: ["Support"], swiftSettings: swift6Optimised),
        .testTarget(name: "DICOMImagingJPEGTests", dependencies: ["DICOMImaging", "DICOM", "TestSupport"],
                    exclude: ["Support/jpeg-reference.py"], swiftSettings: swift6Optimised),
        .testTarget(name: "DICOMNetworkTests", dependencies: ["DICOMNetwork", "DICOM", "TestSupport"],
                    exclude: ["Support/malformed_pdus.py"], swiftSettings: swift6),
        .testTarget(name: "DICOMTests", dependencies: ["DICOM", "TestSupport"], swiftSettings: swift6Optimised),
        .testTarget(name: "PharosStorageTests", dependencies: ["PharosStorage"], swiftSettings: swift6),
        .testTarget(name: "PharosIndexTests", dependencies: ["PharosIndex", "DICOM",
                                                        .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: swift6),
        .testTarget(name: "PharosServerTests", dependencies: [
            "PharosServer", "PharosIndex", "PharosStorage", "DICOM",
        ], swiftSettings: swift6),
    ]
)
