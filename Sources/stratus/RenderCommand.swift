import Foundation
import StratusAppSpec
import StratusKubernetes

/// `stratus render kubernetes` and `stratus render dockerfile`: the
/// manifests and the Dockerfile of an app spec, for a cluster.
enum RenderCommand {
    static let usage = """
        usage: stratus render kubernetes [-f FILE] --tag TAG [--namespace NS] [--image-prefix PREFIX]
                                         [--out DIR] [--etcd URL[,URL...]] [--nats URL]
                                         [--prometheus-operator] [--allow-single-replica SERVICE ...]
               stratus render dockerfile [-f FILE] [--out FILE]
          -f FILE                 the app spec (default stratus.yaml)
          --tag TAG               the image tag, such as 1.4.2 or a commit; latest is rejected
          --namespace NS          the namespace of every object (default: the app's name)
          --image-prefix PREFIX   registry path before each image name, ending in "/",
                                  such as registry.internal:5000/iam/ (default: none)
          --out PATH              the directory for the manifests (default deploy/kubernetes),
                                  or the Dockerfile's path (default Dockerfile); - prints to
                                  standard output
          --etcd URLS             use this etcd cluster instead of rendering a three-member one
          --nats URL              use this NATS server instead of rendering a JetStream cluster
          --prometheus-operator   also render a ServiceMonitor and a PrometheusRule
          --allow-single-replica SERVICE
                                  keep the spec's replica count for SERVICE even when it is
                                  below 2 (by default every service gets at least 2)
        Nothing is written when the spec or the rendering has a problem.
        """

    static func run(_ arguments: [String]) {
        guard let target = arguments.first, target == "kubernetes" || target == "dockerfile" else {
            if arguments.first == "--help" || arguments.first == "-h" {
                print(usage)
                exit(0)
            }
            fail("stratus render: expected kubernetes or dockerfile\nRun stratus render --help for the options.")
        }
        let options: Options
        do {
            options = try Options.parse(Array(arguments.dropFirst()), target: target)
        } catch {
            fail("stratus render \(target): \(error)\nRun stratus render --help for the options.")
        }
        let spec: AppSpec
        do {
            spec = try AppSpecLoader.load(path: options.file).spec
        } catch {
            fail("stratus render \(target): \(error)", status: 1)
        }
        do {
            if target == "dockerfile" {
                try write([RenderedFile(name: "", contents: DockerfileRenderer.render(spec))], to: options.out ?? "Dockerfile", single: true)
            } else {
                let files = try KubernetesRenderer.render(spec, options: options.render, singleReplicaServices: options.singleReplica)
                try write(files, to: options.out ?? "deploy/kubernetes", single: false)
            }
        } catch {
            fail("stratus render \(target): \(error)", status: 1)
        }
    }

    /// Writes every file, each to a temporary name first and then renamed,
    /// so a failed write leaves no half-written manifest behind.
    static func write(_ files: [RenderedFile], to path: String, single: Bool) throws {
        if path == "-" {
            for file in files {
                if !single { print("# \(file.name)") }
                print(file.contents, terminator: "")
            }
            return
        }
        let manager = FileManager.default
        if single {
            try Data(files[0].contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            print("wrote \(path)")
            return
        }
        try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in files {
            try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent(file.name), options: .atomic)
        }
        print("wrote \(files.count) files to \(path); apply them with: kubectl apply -k \(path)")
    }

    struct Options {
        var file = AppSpecLoader.defaultFile
        var out: String?
        var render = RenderOptions(tag: "")
        var singleReplica: Set<String> = []

        static func parse(_ arguments: [String], target: String) throws -> Options {
            var options = Options()
            var hasTag = false
            var iterator = arguments.makeIterator()
            while let name = iterator.next() {
                switch name {
                case "--help", "-h":
                    print(usage)
                    exit(0)
                case "--prometheus-operator" where target == "kubernetes":
                    options.render.prometheusOperator = true
                    continue
                default:
                    break
                }
                let kubernetesOnly: Set<String> = ["--tag", "--namespace", "--image-prefix", "--etcd", "--nats", "--allow-single-replica"]
                guard ["-f", "--out"].contains(name) || (target == "kubernetes" && kubernetesOnly.contains(name)) else {
                    throw UsageError("unknown option \(name)")
                }
                guard let value = iterator.next() else {
                    throw UsageError("missing value for \(name)")
                }
                switch name {
                case "-f": options.file = value
                case "--out": options.out = value
                case "--tag":
                    options.render.tag = value
                    hasTag = true
                case "--namespace": options.render.namespace = value
                case "--image-prefix": options.render.imagePrefix = value
                case "--etcd": options.render.etcdEndpoints = value.split(separator: ",").map(String.init)
                case "--nats": options.render.natsURL = value
                default: options.singleReplica.insert(value)
                }
            }
            if target == "kubernetes" && !hasTag {
                throw UsageError("missing --tag; give the image tag to deploy, such as --tag 1.4.2")
            }
            return options
        }
    }
}
