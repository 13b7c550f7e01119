/// The services' `dependsOn` edges: the order to start them in and the
/// cycles that make an order impossible. Dependencies on unknown services
/// are ignored here; validation reports them.
public struct DependencyGraph: Sendable {
    /// A cycle, named from the service where the search entered it back to
    /// itself, and the `dependsOn` entry that closes it.
    struct Cycle: Hashable {
        var names: [String]
        var serviceIndex: Int
        var dependencyIndex: Int
    }

    private let names: [String]
    private let edges: [[Int]]
    private let positions: [[Int]]

    public init(services: [ServiceSpec]) {
        names = services.map(\.name)
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil {
            index[name] = position
        }
        var edges: [[Int]] = []
        var positions: [[Int]] = []
        for service in services {
            let known = service.dependsOn.enumerated().compactMap { position, name in index[name].map { ($0, position) } }
            edges.append(known.map(\.0))
            positions.append(known.map(\.1))
        }
        self.edges = edges
        self.positions = positions
    }

    /// Returns the service names in start order: each after the services it
    /// depends on, otherwise in the order written. Services on a cycle come
    /// last, in the order written.
    public func startOrder() -> [String] {
        var order: [Int] = []
        var placed = Set<Int>()
        var progress = true
        while progress {
            progress = false
            for node in names.indices where !placed.contains(node) && edges[node].allSatisfy({ placed.contains($0) || $0 == node }) {
                order.append(node)
                placed.insert(node)
                progress = true
            }
        }
        order += names.indices.filter { !placed.contains($0) }
        return order.map { names[$0] }
    }

    /// Returns each cycle once, found by a depth-first search from each
    /// service in the order written. A service depending on itself is not
    /// reported here.
    func cycles() -> [Cycle] {
        var state = [UInt8](repeating: 0, count: names.count)  // 0 new, 1 on the stack, 2 done
        var stack: [Int] = []
        var found: [Cycle] = []
        func visit(_ node: Int) {
            state[node] = 1
            stack.append(node)
            for (edge, target) in edges[node].enumerated() where target != node {
                if state[target] == 1, let start = stack.firstIndex(of: target) {
                    let loop = stack[start...].map { names[$0] } + [names[target]]
                    found.append(Cycle(names: loop, serviceIndex: node, dependencyIndex: positions[node][edge]))
                } else if state[target] == 0 {
                    visit(target)
                }
            }
            stack.removeLast()
            state[node] = 2
        }
        for node in names.indices where state[node] == 0 {
            visit(node)
        }
        return found
    }
}
