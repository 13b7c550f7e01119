import IAMPump
import StratusKit

await ServiceApplication.main(name: Pump.name, version: Pump.version) { app in
    try await Pump.configure(app)
}
