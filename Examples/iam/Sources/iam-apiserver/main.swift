import IAMAPIServer
import StratusKit

await ServiceApplication.main(name: APIServer.name, version: APIServer.version) { app in
    try await APIServer.configure(app)
}
