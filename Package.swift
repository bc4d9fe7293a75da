// swift-tools-version: 6.1
// flowrole: upgrade the IAM service roles of Amazon Bedrock Flows in bulk.
//
// The targets follow the pipeline (docs/ and DESIGN): inputs → Inventory → (Planner → Plan → Reports / Execution).
// Dependencies point one way: FlowRoleJSON ← IAMPolicy ← Inventory ← Migration ← flowrole.
import PackageDescription

let package = Package(
    name: "flowrole",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "flowrole", targets: ["flowrole"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        // libxml2, reached only from Inventory (internal import); its types never appear in a public API.
        .systemLibrary(
            name: "CFlowRoleXML",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // JSON values that keep member order and number literals, a fast validating parser
        // with positions and skipping, and the canonical writer (sorted keys, no whitespace).
        .target(name: "FlowRoleJSON"),
        // IAM policy documents, ARNs, matching, the evaluator (proof and context modes), sizes. Pure values.
        .target(name: "IAMPolicy", dependencies: ["FlowRoleJSON"]),
        // Readers for every input kind (JSON and XML), detection by content, merging, provenance.
        .target(
            name: "Inventory",
            dependencies: [
                "FlowRoleJSON", "IAMPolicy", "CFlowRoleXML", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Migration definitions (migrations/*.json), resolvers, the planner, trust tightening, the
        // safety invariants and the Plan value. Pure.
        .target(
            name: "Migration",
            dependencies: ["FlowRoleJSON", "IAMPolicy", "Inventory"]
        ),
        // Plan → Markdown, CSV, HTML (and, later, SARIF and the terminal view). Pure renderers.
        .target(name: "Reporting", dependencies: ["Migration", "Inventory", "IAMPolicy", "FlowRoleJSON"]),
        // Execution: the offline bundle (documents, apply.sh, rollback.sh), live apply and rollback
        // through the `aws` command line with a journal, and export.
        .target(name: "Execution", dependencies: ["Migration", "Inventory", "IAMPolicy", "FlowRoleJSON"]),
        // The command line: parse flags, call the library, map errors to exit codes.
        .executableTarget(
            name: "flowrole",
            dependencies: [
                "Inventory", "IAMPolicy", "FlowRoleJSON", "Migration", "Reporting", "Execution",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FlowRoleJSONTests",
            dependencies: ["FlowRoleJSON", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "IAMPolicyTests",
            dependencies: [
                "IAMPolicy", "FlowRoleJSON", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ReportingTests",
            dependencies: ["Reporting", "Migration", "Inventory", "FlowRoleJSON"],
            resources: [.copy("Fixtures"), .copy("validate_sarif.py")]
        ),
        .testTarget(
            name: "MigrationTests",
            dependencies: ["Migration", "Inventory", "IAMPolicy", "FlowRoleJSON"]
        ),
        .testTarget(
            name: "InventoryTests",
            dependencies: [
                "Inventory", "IAMPolicy", "FlowRoleJSON", .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ExecutionTests",
            dependencies: ["Execution", "Migration", "Inventory", "FlowRoleJSON"]
        ),
        // End to end: runs the built `flowrole` binary on real-shaped files.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["flowrole"],
            resources: [.copy("Fixtures")]
        ),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
