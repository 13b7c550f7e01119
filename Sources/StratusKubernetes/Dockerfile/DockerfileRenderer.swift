public import StratusAppSpec

/// Renders the Dockerfile that builds one image per product of an app.
///
/// The build stage compiles every product on the official Swift image with
/// the Swift runtime linked statically. The runtime stage is Debian slim
/// with only the shared libraries the products load, runs as an
/// unprivileged user, and checks its own health with the product's
/// `--healthcheck` flag, so it needs no curl. Build one image per product:
///
/// ```sh
/// docker build --build-arg PRODUCT=iam-apiserver -t registry/iam-apiserver:1.0.0 .
/// ```
public enum DockerfileRenderer {
    /// The Swift image of the build stage; the toolchain Stratus is built with.
    public static let builderImage = "swift:6.3-bookworm"
    /// The runtime stage's base: Debian 12, as the toolchain targets.
    public static let runtimeImage = "debian:bookworm-slim"

    /// The Debian packages of the libraries the products link: SQLite,
    /// libcrypto, libyaml, libcrypt and libpq.
    static let runtimePackages = ["ca-certificates", "libcrypt1", "libpq5", "libsqlite3-0", "libssl3", "libyaml-0-2"]
    static let developmentPackages = ["libcrypt-dev", "libpq-dev", "libsqlite3-dev", "libssl-dev", "libyaml-dev"]

    public static func render(_ spec: AppSpec) -> String {
        let products = (spec.services.compactMap(\.product) + ["stratus"]).uniqued().sorted()
        let buildProducts = products.map { "--product \($0)" }.joined(separator: " ")
        return """
            # syntax=docker/dockerfile:1
            # Images of the \(spec.name) app, one per product: build with
            #   docker build --build-arg PRODUCT=<product> -t <registry>/<product>:<tag> .
            # Products: \(products.joined(separator: ", ")).

            FROM \(builderImage) AS build
            SHELL ["/bin/bash", "-o", "pipefail", "-c"]
            # Debian's security updates replace package versions in the archive,
            # so exact version pins would break the build after an update.
            # hadolint ignore=DL3008
            RUN apt-get update \\
                && apt-get install -y --no-install-recommends \(developmentPackages.joined(separator: " ")) \\
                && rm -rf /var/lib/apt/lists/*
            WORKDIR /build
            COPY Package.swift ./
            COPY Sources ./Sources
            COPY Examples ./Examples
            COPY Tests ./Tests
            COPY bench ./bench
            RUN swift build -c release --static-swift-stdlib \(buildProducts) \\
                && mkdir -p /out \\
                && cp \(products.map { ".build/release/\($0)" }.joined(separator: " ")) /out/

            FROM \(runtimeImage)
            ARG PRODUCT
            SHELL ["/bin/bash", "-o", "pipefail", "-c"]
            # hadolint ignore=DL3008
            RUN apt-get update \\
                && apt-get install -y --no-install-recommends \(runtimePackages.joined(separator: " ")) \\
                && rm -rf /var/lib/apt/lists/* \\
                && groupadd --gid 10001 stratus \\
                && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin stratus
            COPY --from=build /out/${PRODUCT} /usr/local/bin/service
            USER 10001:10001
            WORKDIR /tmp
            EXPOSE 8080
            HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["/usr/local/bin/service", "--healthcheck"]
            ENTRYPOINT ["/usr/local/bin/service"]

            """
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
