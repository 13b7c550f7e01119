import Foundation
import StratusConfig
import StratusTestSupport


/// Runs `body` and returns the `ConfigurationError` it throws, or nil when
/// it throws none or another error.
func configurationError(_ body: () throws -> Void) -> ConfigurationError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ConfigurationError
    }
}

/// Runs `body` and returns the description of the `ConfigurationError` it
/// throws.
func configurationErrorText(_ body: () throws -> Void) -> String? {
    configurationError(body)?.description
}
