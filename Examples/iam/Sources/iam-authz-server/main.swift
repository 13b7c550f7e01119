import IAMAuthzServer
import StratusKit

await ServiceApplication.main(name: AuthzServer.name, version: AuthzServer.version) { app in
    try AuthzServer.configure(app)
}
