import StratusKit

/// A StratusKit service that the kit's process tests start and stop with
/// signals. `GET /work?ms=N` answers after N milliseconds of simulated work.
@main
struct KitProbe {
    static func main() async {
        await ServiceApplication.main(name: "kit-probe", version: "0.0.1") { app in
            app.router.get("/work") { request, _ in
                let milliseconds = request.queryParameter("ms").flatMap { Int($0) } ?? 0
                try await Task.sleep(for: .milliseconds(milliseconds))
                return "done\n"
            }
        }
    }
}
